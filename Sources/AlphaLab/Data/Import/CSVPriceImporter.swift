/// Reads price bars from a CSV file in one of the CSV formats.
struct CSVPriceImporter {
    let format: ImportFormat
    let layout: CSVLayout

    init(format: ImportFormat) {
        self.format = format
        self.layout = format.layout!
    }

    /// The bars of one file and the rows it skipped; throws when the file is rejected.
    func read(path: String) throws(ImportError) -> (bars: [RawBars], skipped: [ImportProblem]) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path) }
        var validator = BarValidator(file: path)
        var columns: Columns?
        var byTicker: [String: Int] = [:]
        var bars: [RawBars] = []
        var splits: [[Double]] = []
        let fileTicker = layout.ticker == nil ? tickerFromFileName(path) : nil
        var failure: ImportError?

        reader.forEachRecord { line, record in
            guard let columns else {
                let header = (0..<record.count).map { record.string($0) }
                do throws(ImportError) { columns = try Columns(header: header, layout: layout, line: line, validator: validator) }
                catch { failure = error; return false }
                return true
            }
            guard record.count == columns.width else {
                validator.skip(line, "expected \(columns.width) fields, found \(record.count)")
                return true
            }
            let ticker = fileTicker ?? record.string(columns.ticker!).uppercased()
            if ticker.isEmpty { validator.skip(line, "empty ticker"); return true }
            guard let day = record.day(columns.date) else {
                validator.skip(line, "unparsable date '\(record.string(columns.date))'")
                return true
            }
            var values = [Double](repeating: 0, count: 5)
            for (k, (name, index)) in [("open", columns.open), ("high", columns.high), ("low", columns.low),
                                       ("close", columns.close), ("volume", columns.volume)].enumerated() {
                guard let v = record.double(index) else {
                    validator.skip(line, "unparsable number '\(record.string(index))' in column \(name)")
                    return true
                }
                values[k] = v
            }
            var adjClose = values[3]
            if let index = columns.adjClose {
                guard let v = record.double(index) else {
                    validator.skip(line, "unparsable number '\(record.string(index))' in column \(columns.names[index])")
                    return true
                }
                adjClose = v
            }
            var split = 1.0
            if let index = columns.split {
                guard let v = record.double(index), v > 0 else {
                    validator.skip(line, "unparsable split coefficient '\(record.string(index))'")
                    return true
                }
                split = v
            }
            do throws(ImportError) {
                guard try validator.accept(ticker: ticker, day: day, line: line, open: values[0], high: values[1],
                                           low: values[2], close: values[3], adjClose: adjClose, volume: values[4])
                else { return true }
            } catch { failure = error; return false }
            let slot: Int
            if let existing = byTicker[ticker] { slot = existing } else {
                slot = bars.count
                byTicker[ticker] = slot
                bars.append(RawBars(ticker: ticker))
                splits.append([])
            }
            bars[slot].append(day: day, open: values[0], high: values[1], low: values[2], close: values[3],
                              adjClose: adjClose, volume: values[4])
            if columns.split != nil { splits[slot].append(split) }
            return true
        }
        if let failure { throw failure }
        if columns == nil { throw .invalid(validator.reject(nil, "empty file")) }
        if bars.isEmpty {
            let why = validator.problems.isEmpty ? "no data rows" : "no valid rows (\(validator.problems.count) skipped)"
            throw .invalid(validator.reject(nil, why))
        }
        for k in bars.indices where !splits[k].isEmpty { splitAdjustVolume(&bars[k], splits: splits[k]) }
        return (bars, validator.problems)
    }

    /// Scales volumes before each split by its ratio, so volume is comparable across the split
    /// (as adjusted prices are).
    private func splitAdjustVolume(_ bars: inout RawBars, splits: [Double]) {
        var factor = 1.0
        for i in stride(from: bars.count - 1, through: 0, by: -1) {
            bars.volume[i] *= factor
            factor *= splits[i]
        }
    }

    /// Column positions found in a header.
    struct Columns {
        var names: [String]
        var width: Int
        var date: Int, open: Int, high: Int, low: Int, close: Int, volume: Int
        var ticker: Int?, adjClose: Int?, split: Int?

        init(header: [String], layout: CSVLayout, line: Int, validator: BarValidator) throws(ImportError) {
            names = header
            width = header.count
            let lowered = header.map { $0.lowercased() }
            var missing: [String] = []
            func find(_ accepted: [String], required: Bool = true) -> Int? {
                if let i = lowered.firstIndex(where: accepted.contains) { return i }
                if required { missing.append(accepted[0]) }
                return nil
            }
            let date = find(layout.date), open = find(["open"]), high = find(["high"]), low = find(["low"])
            let close = find(["close"]), volume = find(["volume"])
            ticker = layout.ticker.flatMap { find($0) }
            adjClose = find(layout.adjClose, required: layout.adjCloseRequired)
            split = layout.split.flatMap { find($0, required: false) }
            guard missing.isEmpty, let date, let open, let high, let low, let close, let volume else {
                let shown = header.joined(separator: ",")
                throw .invalid(validator.reject(line, "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header is '\(shown.prefix(80))')"))
            }
            (self.date, self.open, self.high, self.low, self.close, self.volume) = (date, open, high, low, close, volume)
        }
    }
}
