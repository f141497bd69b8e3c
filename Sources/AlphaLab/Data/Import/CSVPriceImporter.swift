/// Reads price bars from a CSV file in one of the CSV formats.
///
/// Rows may come in any order (AlphaVantage's API and many download sites write the
/// newest first; long files come sorted by date across tickers, or shuffled): each
/// ticker's rows are sorted by date after reading. Two rows of one ticker on one date
/// reject the file, naming both lines.
struct CSVPriceImporter {
    let format: ImportFormat
    let layout: CSVLayout
    let options: CSVImportOptions

    init(format: ImportFormat, options: CSVImportOptions = CSVImportOptions()) {
        self.format = format
        var layout = format.layout!
        if let column = options.tickerColumn, layout.ticker != nil { layout.ticker = [column.lowercased()] }
        self.layout = layout
        self.options = options
    }

    /// The days a daily price can have: from the first US exchange quotes to far enough ahead.
    static let plausibleDays = Day("1800-01-01")!...Day("2199-12-31")!

    /// The bars of one file and the rows it skipped; throws when the file is rejected.
    func read(path: String) throws(ImportError) -> (bars: [RawBars], skipped: [ImportProblem]) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path) }
        var validator = BarValidator(file: path)
        var columns: Columns?
        var collected = Collected()
        let fileTicker = layout.ticker == nil ? tickerFromFileName(path) : nil
        if let fileTicker, let problem = TickerSymbol.problem(fileTicker) { throw .invalid(validator.reject(nil, "the file's name gives \(problem)")) }
        var failure: ImportError?

        reader.forEachRecord { line, record in
            guard let columns else {
                let header = (0..<record.count).map { record.string($0) }
                do throws(ImportError) { columns = try Columns(header: header, layout: layout, line: line, validator: validator) }
                catch { failure = error; return false }
                return true
            }
            if let row = parse(record, line: line, columns: columns, fileTicker: fileTicker, validator: &validator),
               validator.accept(line: line, open: row.values[0], high: row.values[1], low: row.values[2], close: row.values[3],
                                adjClose: row.adjClose, volume: row.values[4]) {
                collected.add(row, line: line)
            }
            return true
        }
        if let failure { throw failure }
        if columns == nil { throw .invalid(validator.reject(nil, "empty file")) }
        if collected.bars.isEmpty {
            var why = "no data rows"
            if let first = validator.problems.first {
                why = "no valid rows (\(validator.problems.count) skipped; the first, line \(first.line.map(String.init) ?? "?"): \(first.message))"
            }
            throw .invalid(validator.reject(nil, why))
        }
        for k in collected.bars.indices {
            try sortByDate(&collected.bars[k], splits: &collected.splits[k], lines: &collected.lines[k], validator: validator)
            if columns!.split != nil { splitAdjustVolume(&collected.bars[k], splits: collected.splits[k]) }
        }
        return (collected.bars, validator.problems)
    }

    /// One data row's fields, before the validator's checks of the bar.
    private struct Row {
        var ticker: String
        var day: Day
        /// Open, high, low, close, volume.
        var values: [Double]
        var adjClose: Double
        var split: Double
    }

    /// Each ticker's rows in file order, with their split coefficients and line numbers.
    private struct Collected {
        var byTicker: [String: Int] = [:]
        var bars: [RawBars] = []
        var splits: [[Double]] = [], lines: [[Int]] = []

        mutating func add(_ row: Row, line: Int) {
            let slot: Int
            if let existing = byTicker[row.ticker] { slot = existing } else {
                slot = bars.count
                byTicker[row.ticker] = slot
                bars.append(RawBars(ticker: row.ticker))
                splits.append([])
                lines.append([])
            }
            bars[slot].append(day: row.day, open: row.values[0], high: row.values[1], low: row.values[2], close: row.values[3],
                              adjClose: row.adjClose, volume: row.values[4])
            splits[slot].append(row.split)
            lines[slot].append(line)
        }
    }

    /// The fields of the data row at `line`, or nil after telling the validator why it is skipped.
    private func parse(_ record: borrowing CSVRecord, line: Int, columns: Columns, fileTicker: String?,
                       validator: inout BarValidator) -> Row? {
        guard record.count == columns.width else {
            validator.skip(line, "expected \(columns.width) fields, found \(record.count)")
            return nil
        }
        let ticker = fileTicker ?? record.string(columns.ticker!).uppercased()
        if fileTicker == nil, let problem = TickerSymbol.problem(ticker) { validator.skip(line, problem); return nil }
        guard let day = record.day(columns.date, format: options.dateFormat) else {
            validator.skip(line, "unparsable date '\(record.string(columns.date))' (expected \(options.dateFormat); other formats with --date-format)")
            return nil
        }
        // Found by fuzzing: a flipped bit turns 1993-03-08 into 0993-03-08, a valid date no price has.
        guard Self.plausibleDays.contains(day) else {
            validator.skip(line, "date \(day) is outside \(Self.plausibleDays.lowerBound) .. \(Self.plausibleDays.upperBound), where prices can be")
            return nil
        }
        var values = [Double](repeating: 0, count: 5)
        for (k, (name, index)) in [("open", columns.open), ("high", columns.high), ("low", columns.low),
                                   ("close", columns.close), ("volume", columns.volume)].enumerated() {
            guard let v = record.double(index) else {
                validator.skip(line, "unparsable number '\(record.string(index))' in column \(name)")
                return nil
            }
            values[k] = v
        }
        var row = Row(ticker: ticker, day: day, values: values, adjClose: values[3], split: 1)
        if let index = columns.adjClose {
            guard let v = record.double(index) else {
                validator.skip(line, "unparsable number '\(record.string(index))' in column \(columns.names[index])")
                return nil
            }
            row.adjClose = v
        }
        if let index = columns.split {
            guard let v = record.double(index), v > 0 else {
                validator.skip(line, "unparsable split coefficient '\(record.string(index))'")
                return nil
            }
            row.split = v
        }
        return row
    }

    /// Puts a ticker's rows in date order (their file order breaks ties, so a duplicate
    /// names its first line first), then rejects the file if two rows share a date.
    private func sortByDate(_ bars: inout RawBars, splits: inout [Double], lines: inout [Int], validator: BarValidator) throws(ImportError) {
        if !zip(bars.days, bars.days.dropFirst()).allSatisfy({ $0 < $1 }) {
            let order = bars.days.indices.sorted { (bars.days[$0], lines[$0]) < (bars.days[$1], lines[$1]) }
            var sorted = RawBars(ticker: bars.ticker)
            for i in order {
                sorted.append(day: bars.days[i], open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i],
                              adjClose: bars.adjClose[i], volume: bars.volume[i])
            }
            bars = sorted
            splits = order.map { splits[$0] }
            lines = order.map { lines[$0] }
        }
        for i in bars.days.indices.dropFirst() where bars.days[i] == bars.days[i - 1] {
            let (first, second) = (min(lines[i - 1], lines[i]), max(lines[i - 1], lines[i]))
            throw .invalid(validator.reject(second, "duplicate date \(bars.days[i]) for \(bars.ticker) on lines \(first) and \(second)"))
        }
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
                let hint = layout.ticker.map { missing.contains($0[0]) } == true ? Self.tickerHint(header) : ""
                throw .invalid(validator.reject(line, "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header is '\(shown.prefix(80))')\(hint)"))
            }
            (self.date, self.open, self.high, self.low, self.close, self.volume) = (date, open, high, low, close, volume)
        }

        /// Names long files give their ticker column, most common first ("Name" is the
        /// best-known public S&P 500 file's).
        static let likelyTickerColumns = ["name", "symbol", "ticker_symbol", "tic", "sym", "code", "permno", "ric", "isin", "id"]

        /// How to name the ticker column: the header's likely one when it has one.
        static func tickerHint(_ header: [String]) -> String {
            let lowered = header.map { $0.lowercased() }
            guard let k = likelyTickerColumns.lazy.compactMap({ lowered.firstIndex(of: $0) }).first else {
                return "; name the column that holds the tickers with --ticker-column COLUMN (lab.read_csv: ticker_column)"
            }
            let column = header[k]
            return "; the tickers look to be in '\(column)': add --ticker-column \(column) (lab.read_csv: ticker_column = \"\(column)\")"
        }
    }
}
