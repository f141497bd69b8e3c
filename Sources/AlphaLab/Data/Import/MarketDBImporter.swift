import GRDB

/// Reads the seed project's SQLite cache: table `price_data(ticker, date, open, high,
/// low, close, volume, adj_close)`. The same row checks as for CSV apply; a problem's
/// "line" is the row's position in (ticker, date) order.
struct MarketDBImporter {
    func read(path: String) throws(ImportError) -> (bars: [RawBars], skipped: [ImportProblem]) {
        var validator = BarValidator(file: path)
        var bars: [RawBars] = []
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                guard try db.tableExists("price_data") else {
                    throw ImportError.invalid(validator.reject(nil, "no table price_data"))
                }
                let present = Set(try db.columns(in: "price_data").map { $0.name.lowercased() })
                let required = ["ticker", "date", "open", "high", "low", "close", "volume"]
                let missing = required.filter { !present.contains($0) }
                guard missing.isEmpty else {
                    throw ImportError.invalid(validator.reject(nil, "price_data lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))"))
                }
                let adj = present.contains("adj_close") ? "adj_close" : "close"
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT ticker, date, open, high, low, close, volume, \(adj) FROM price_data ORDER BY ticker, date
                    """)
                var line = 0
                var lastRow: [String: (day: Day, line: Int)] = [:]
                while let row = try rows.next() {
                    line += 1
                    guard let ticker: String = row[0], !ticker.isEmpty else { validator.skip(line, "empty ticker"); continue }
                    let dateText: String = row[1] ?? ""
                    guard let day = Day(dateText) else { validator.skip(line, "unparsable date '\(dateText)' for \(ticker)"); continue }
                    let values: [Double?] = (2...7).map { row[$0] }
                    guard let o = values[0], let h = values[1], let l = values[2], let c = values[3], let v = values[4] else {
                        validator.skip(line, "missing value for \(ticker) on \(day)")
                        continue
                    }
                    let a = values[5] ?? c
                    guard validator.accept(line: line, open: o, high: h, low: l, close: c, adjClose: a, volume: v) else { continue }
                    // Rows come in (ticker, date) order: one ticker's rows are together, dates ascending.
                    if let previous = lastRow[ticker.uppercased()], previous.day >= day {
                        throw ImportError.invalid(validator.reject(line, "duplicate date \(day) for \(ticker.uppercased()) on rows \(previous.line) and \(line)"))
                    }
                    lastRow[ticker.uppercased()] = (day, line)
                    if bars.last?.ticker != ticker.uppercased() { bars.append(RawBars(ticker: ticker.uppercased())) }
                    bars[bars.count - 1].append(day: day, open: o, high: h, low: l, close: c, adjClose: a, volume: v)
                }
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw .invalid(validator.reject(nil, "not a readable SQLite price cache: \(error)"))
        }
        if bars.isEmpty { throw .invalid(validator.reject(nil, "price_data holds no valid rows")) }
        return (bars, validator.problems)
    }
}
