import Foundation

/// The outcome of reading a source: the bars of every accepted file, and every
/// problem met (rejected files and skipped rows), in file order.
public struct ImportBatch: Sendable {
    public var bars: [RawBars] = []
    public var problems: [ImportProblem] = []
    public var filesRead = 0

    /// Files rejected whole.
    public var rejectedFiles: [ImportProblem] { problems.filter { $0.action == .rejectedFile } }
    /// Rows skipped inside accepted files.
    public var skippedRows: [ImportProblem] { problems.filter { $0.action == .skippedRow } }
    /// Rows accepted.
    public var rowCount: Int { bars.reduce(0) { $0 + $1.count } }

    /// The problems as `alphalab import` prints them, one a line: every rejected file, then the
    /// first `rowLimit` skipped rows (all of them when nil) and how many more there were.
    public func problemLines(rowLimit: Int? = 10) -> [String] {
        let skipped = skippedRows
        let shown = rowLimit.map { Array(skipped.prefix($0)) } ?? skipped
        var lines = rejectedFiles.map { "rejected: \($0)" } + shown.map { "warning: \($0)" }
        if shown.count < skipped.count { lines.append("warning: \(skipped.count - shown.count) more rows skipped") }
        return lines
    }

    /// One sentence counting the problems ("1 of 505 files rejected, 3 rows skipped"), or nil when there are none.
    public var problemSummary: String? {
        problems.isEmpty ? nil : "\(rejectedFiles.count) of \(filesRead) files rejected, \(skippedRows.count) \(skippedRows.count == 1 ? "row" : "rows") skipped"
    }
}

/// Reads a price source in a given format: a single file, or a folder whose
/// `.csv` files are read in parallel. A rejected file is reported by name and the
/// others still import.
public struct PriceImporter: Sendable {
    public let format: ImportFormat
    public let options: CSVImportOptions

    public init(format: ImportFormat, options: CSVImportOptions = CSVImportOptions()) {
        self.format = format
        self.options = options
    }

    /// Reads `source` (a file or a folder).
    public func read(source: String) throws(ImportError) -> ImportBatch {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
            throw .unreadable(path: source)
        }
        let files: [String]
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
            let wanted = format == .marketdb ? ["db", "sqlite", "sqlite3"] : ["csv"]
            files = names.filter { wanted.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted().map { (source as NSString).appendingPathComponent($0) }
            if files.isEmpty { throw .noFiles(path: source) }
        } else {
            files = [source]
        }
        let format = self.format, options = self.options
        let results = parallelMap(files.count) { i -> Result<(bars: [RawBars], skipped: [ImportProblem]), ImportError> in
            Result { () throws(ImportError) in
                format == .marketdb ? try MarketDBImporter().read(path: files[i])
                                    : try CSVPriceImporter(format: format, options: options).read(path: files[i])
            }
        }
        var batch = ImportBatch()
        batch.filesRead = files.count
        var owner: [String: String] = [:]
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let read):
                // Two files for one ticker would overwrite each other row by row: keep the first.
                if let clash = read.bars.first(where: { owner[$0.ticker] != nil }) {
                    batch.problems.append(ImportProblem(file: file, line: nil,
                        message: "ticker \(clash.ticker) already read from \(owner[clash.ticker]!)", action: .rejectedFile))
                    continue
                }
                for bars in read.bars { owner[bars.ticker] = file }
                batch.bars += read.bars
                batch.problems += read.skipped
            case .failure(.invalid(let problem)):
                batch.problems.append(problem)
            case .failure(let error):
                batch.problems.append(ImportProblem(file: file, line: nil, message: error.description, action: .rejectedFile))
            }
        }
        return batch
    }
}
