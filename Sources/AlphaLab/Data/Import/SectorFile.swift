/// Ticker metadata: the company name and its sector.
public struct TickerInfo: Sendable, Equatable, Hashable {
    public var ticker: String
    public var name: String
    public var sector: String

    public init(ticker: String, name: String, sector: String) {
        self.ticker = ticker
        self.name = name
        self.sector = sector
    }
}

/// Reads a constituents CSV (`Symbol,Name,Sector`, as the S&P 500 list is published).
///
/// Any problem rejects the whole file: sectors drive the sector cap, and a
/// half-read list would silently put tickers in no sector.
public func readSectorFile(path: String) throws(ImportError) -> [TickerInfo] {
    let reader: CSVReader
    do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path) }
    var columns: (symbol: Int, name: Int?, sector: Int)?
    var width = 0
    var result: [TickerInfo] = []
    var seen: [String: Int] = [:]
    var failure: ImportProblem?
    reader.forEachRecord { line, record in
        guard let found = columns else {
            let header = (0..<record.count).map { record.string($0).lowercased() }
            guard let symbol = header.firstIndex(where: { $0 == "symbol" || $0 == "ticker" }),
                  let sector = header.firstIndex(where: { $0 == "sector" || $0 == "gics sector" }) else {
                failure = ImportProblem(file: path, line: line, message: "missing column Symbol or Sector (header is '\(header.joined(separator: ","))')", action: .rejectedFile)
                return false
            }
            columns = (symbol, header.firstIndex(where: { $0 == "name" || $0 == "security" }), sector)
            width = record.count
            return true
        }
        guard record.count == width else {
            failure = ImportProblem(file: path, line: line, message: "expected \(width) fields, found \(record.count)", action: .rejectedFile)
            return false
        }
        let ticker = record.string(found.symbol).uppercased()
        guard !ticker.isEmpty else {
            failure = ImportProblem(file: path, line: line, message: "empty symbol", action: .rejectedFile)
            return false
        }
        if let first = seen[ticker] {
            failure = ImportProblem(file: path, line: line, message: "duplicate symbol \(ticker) (first on line \(first))", action: .rejectedFile)
            return false
        }
        seen[ticker] = line
        result.append(TickerInfo(ticker: ticker, name: found.name.map { record.string($0) } ?? "", sector: record.string(found.sector)))
        return true
    }
    if let failure { throw .invalid(failure) }
    if columns == nil || result.isEmpty {
        throw .invalid(ImportProblem(file: path, line: nil, message: columns == nil ? "empty file" : "no data rows", action: .rejectedFile))
    }
    return result
}
