import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab import FORMAT SOURCE [--sectors CSV] [--db PATH]`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import daily prices into the price store.",
        discussion: """
            FORMAT is one of: alphavantage, yahoo, long, marketdb. SOURCE is a file or a folder of files; \
            for per-ticker formats the ticker comes from the file name (SPY.csv is SPY, \
            DA-AAPL-T-2021-04-21.csv is AAPL).

            A file with a broken structure (empty, missing a column, not CSV, duplicate or unsorted dates) \
            is rejected and named; a row with a bad value (unparsable number, price at or below zero, \
            high below low, wrong field count) is skipped with a warning. The rest imports in one \
            transaction: an interrupted import leaves the store as it was.
            """
    )

    @Argument(help: "alphavantage, yahoo, long or marketdb.")
    var format: String

    @Argument(help: "A file or a folder of files.")
    var source: String

    @Option(help: ArgumentHelp("A constituents CSV (Symbol,Name,Sector) for names and sectors.", valueName: "CSV"))
    var sectors: String?

    @OptionGroup var store: StoreOption

    @Flag(help: "Print every skipped row, not just the first few.")
    var verbose = false

    func run() throws {
        guard let format = ImportFormat(rawValue: format.lowercased()) else {
            throw CommandFailure(description: ImportError.unknownFormat(format).description)
        }
        let clock = Stopwatch()
        let info = try sectors.map { path in try readSectorFile(path: path) } ?? []
        let batch = try PriceImporter(format: format).read(source: source)
        for problem in batch.rejectedFiles { FileHandle.standardError.write("rejected: \(problem)\n") }
        let skipped = batch.skippedRows
        for problem in verbose ? skipped : Array(skipped.prefix(10)) { FileHandle.standardError.write("warning: \(problem)\n") }
        if !verbose && skipped.count > 10 { FileHandle.standardError.write("warning: \(skipped.count - 10) more rows skipped (--verbose lists them)\n") }
        guard !batch.bars.isEmpty || !info.isEmpty else {
            throw CommandFailure(description: "\(source): nothing to import (\(batch.rejectedFiles.count) of \(batch.filesRead) files rejected)")
        }
        let store = try PriceStore(path: self.store.resolved)
        let written = try store.write(batch, info: info, format: format, source: source)
        print("imported \(written.rows) rows for \(written.tickers) tickers from \(batch.filesRead - batch.rejectedFiles.count) of \(batch.filesRead) files"
              + (info.isEmpty ? "" : ", \(info.count) sector entries") + " into \(store.path) in \(String(format: "%.1f", clock.seconds)) s")
        if !batch.problems.isEmpty {
            print("\(batch.rejectedFiles.count) files rejected, \(skipped.count) rows skipped (see messages above)")
        }
    }
}

extension FileHandle {
    func write(_ text: String) { write(Data(text.utf8)) }
}

