import Foundation
import GRDB

/// The SQLite price store.
///
/// `price_data` has the seed project's schema, so its `market.db` opens as is.
/// Beside it, `price_series` keeps each ticker's adjusted history as packed
/// columns (one row per ticker), rewritten in the same transaction as the rows
/// it derives from; loading 500 tickers is then 500 blob reads instead of
/// millions of row decodes. `ticker_info` holds names and sectors, `delistings`
/// each ticker's exit (``Delisting``), `import_log` one line per import.
public final class PriceStore: Sendable {
    /// The database file.
    public let path: String
    private let database: any DatabaseWriter

    /// The store used when none is named: `$ALPHALAB_DB`, else `data/market.db` under the current directory.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ALPHALAB_DB"], !path.isEmpty { return path }
        return FileManager.default.currentDirectoryPath + "/data/market.db"
    }

    /// Opens a store for writing, creating the file, its folder and the schema as needed.
    public init(path: String) throws {
        self.path = path
        database = try openDatabasePool(at: path, busyTimeout: 30)
        try Self.migrator.migrate(database)
    }

    /// Opens an existing store (or a seed `market.db`) for reading only: nothing in the file changes.
    public init(readingExisting path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        self.path = path
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        database = try DatabaseQueue(path: path, configuration: config)
        guard try database.read({ try $0.tableExists("price_data") || $0.tableExists("price_series") }) else {
            throw StoreError.notAStore(path: path)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // IF NOT EXISTS: a seed market.db already has price_data, and keeps it.
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS price_data (
                    ticker TEXT NOT NULL, date TEXT NOT NULL,
                    open REAL, high REAL, low REAL, close REAL, volume REAL, adj_close REAL,
                    PRIMARY KEY (ticker, date));
                CREATE TABLE IF NOT EXISTS price_series (
                    ticker TEXT PRIMARY KEY, rows INTEGER NOT NULL, first_date TEXT, last_date TEXT,
                    days BLOB NOT NULL, open BLOB NOT NULL, high BLOB NOT NULL, low BLOB NOT NULL,
                    close BLOB NOT NULL, volume BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS ticker_info (
                    ticker TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', sector TEXT NOT NULL DEFAULT '');
                CREATE TABLE IF NOT EXISTS import_log (
                    id INTEGER PRIMARY KEY, imported_at TEXT NOT NULL, format TEXT NOT NULL, source TEXT NOT NULL,
                    files INTEGER NOT NULL, rows INTEGER NOT NULL, rejected_files INTEGER NOT NULL,
                    skipped_rows INTEGER NOT NULL);
                """)
        }
        migrator.registerMigration("v2: universes") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS universe_spells (
                    universe TEXT NOT NULL, ticker TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT,
                    PRIMARY KEY (universe, ticker, start_date));
                """)
        }
        migrator.registerMigration("v3: delistings") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS delistings (
                    ticker TEXT PRIMARY KEY, date TEXT NOT NULL, delisting_return REAL NOT NULL);
                """)
        }
        migrator.registerMigration("v4: series for rows stored without one") { db in
            // A seed market.db opened for writing got an empty price_series from v1, which
            // hid its price_data rows from every load: derive the series they lack.
            let tickers = try String.fetchAll(db, sql: "SELECT DISTINCT ticker FROM price_data WHERE ticker NOT IN (SELECT ticker FROM price_series)")
            for ticker in tickers {
                if let raw = try readRows(db, where: "WHERE ticker = ?", arguments: [ticker]).first { try writeSeries(db, PriceSeries(adjusting: raw)) }
            }
        }
        return migrator
    }

    // MARK: Writing

    /// What one write changed.
    public struct WriteSummary: Sendable, Equatable {
        public var tickers: Int
        public var rows: Int
        public var sectors: Int
    }

    /// Writes a batch (and optional ticker metadata) in one transaction: either all of it
    /// lands or, on any error, nothing does. Rows for a (ticker, date) already stored are
    /// replaced, so importing the same data twice leaves the store as it was.
    @discardableResult
    public func write(_ batch: ImportBatch, info: [TickerInfo] = [], format: ImportFormat? = nil, source: String = "") throws -> WriteSummary {
        try database.write { db in
            let insert = try PriceRowInsert(db)
            let delistings = Dictionary(try Self.readDelistings(db).map { ($0.ticker, $0) }, uniquingKeysWith: { a, _ in a })
            for bars in batch.bars {
                // The series is derived in memory from what was stored and what is new,
                // instead of reading back every row just written.
                let stored = try Self.readRows(db, where: "WHERE ticker = ?", arguments: [bars.ticker]).first
                try insert.insert(bars)
                let series = PriceSeries(adjusting: stored?.overlaid(with: bars) ?? bars)
                if let last = series.days.last, let why = delistings[bars.ticker]?.conflict(lastBar: last) {
                    throw StoreError.conflict(why + " (nothing was imported)")
                }
                try Self.writeSeries(db, series)
            }
            let upsert = try db.makeStatement(sql: "INSERT OR REPLACE INTO ticker_info (ticker, name, sector) VALUES (?, ?, ?)")
            for i in info { try upsert.execute(arguments: [i.ticker, i.name, i.sector]) }
            if let format {
                try Self.logImport(db, format: format.rawValue, source: source, files: batch.filesRead, rows: batch.rowCount,
                                   rejectedFiles: batch.rejectedFiles.count, skippedRows: batch.skippedRows.count)
            }
        }
        return WriteSummary(tickers: batch.bars.count, rows: batch.rowCount, sectors: info.count)
    }

    /// Stores `membership` under its name, replacing what that universe held, in one
    /// transaction: an error leaves the store as it was.
    public func write(_ membership: Membership, source: String = "") throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM universe_spells WHERE universe = ?", arguments: [membership.name])
            let insert = try db.makeStatement(sql: "INSERT INTO universe_spells (universe, ticker, start_date, end_date) VALUES (?, ?, ?, ?)")
            for s in membership.spells {
                try insert.execute(arguments: [membership.name, s.ticker, s.start.description, s.end?.description])
            }
            try Self.logImport(db, format: "membership", source: source, rows: membership.spells.count)
        }
    }

    /// Adds the line of one import to `import_log`, in the import's transaction.
    private static func logImport(_ db: Database, format: String, source: String, files: Int = 1, rows: Int,
                                  rejectedFiles: Int = 0, skippedRows: Int = 0) throws {
        try db.execute(sql: """
            INSERT INTO import_log (imported_at, format, source, files, rows, rejected_files, skipped_rows)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [ISO8601DateFormatter().string(from: Date()), format, source, files, rows, rejectedFiles, skippedRows])
    }

    /// What storing delistings found.
    public struct DelistingSummary: Sendable, Equatable {
        /// Delistings stored.
        public var stored: Int
        /// Tickers among them with no prices in the store (yet).
        public var withoutPrices: [String]
        /// Tickers whose delisting date is more than ten days after their last bar: the
        /// return is realised the trading day after that bar, so a gap in the prices moves it.
        public var lateAfterLastBar: [String]
    }

    /// Stores delistings, replacing those of the same tickers, in one transaction. A
    /// delisting dated before its ticker's last stored bar is refused (``Delisting/conflict(lastBar:)``)
    /// and then nothing is stored.
    @discardableResult
    public func write(_ delistings: [Delisting], source: String = "") throws -> DelistingSummary {
        try database.write { db in
            let lastBars = try Self.pricedSpans(db, fromSeries: db.tableExists("price_series")).mapValues(\.upperBound)
            if let why = delistings.conflict(withLastBars: lastBars) { throw StoreError.conflict(why + " (no delisting was imported)") }
            let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO delistings (ticker, date, delisting_return) VALUES (?, ?, ?)")
            for d in delistings { try insert.execute(arguments: [d.ticker, d.day.description, d.delistingReturn]) }
            try Self.logImport(db, format: "delistings", source: source, rows: delistings.count)
            return DelistingSummary(stored: delistings.count, withoutPrices: delistings.filter { lastBars[$0.ticker] == nil }.map(\.ticker),
                                    lateAfterLastBar: delistings.filter { d in lastBars[d.ticker].map { d.day.ordinal - $0.ordinal > 10 } ?? false }.map(\.ticker))
        }
    }

    /// Writes a ticker's packed adjusted series (the whole of its stored rows, adjusted).
    private static func writeSeries(_ db: Database, _ s: PriceSeries) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO price_series (ticker, rows, first_date, last_date, days, open, high, low, close, volume)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [s.ticker, s.count, s.days.first?.description, s.days.last?.description,
                             packed(s.days.map(\.ordinal)), packed(s.open), packed(s.high), packed(s.low),
                             packed(s.close), packed(s.volume)])
    }

    // MARK: Reading

    /// Loads the whole store (or the named tickers) into a panel.
    public func loadPanel(tickers wanted: [String]? = nil) throws -> Panel {
        try database.read { db in
            let filter = wanted.map { Set($0) }
            var series: [PriceSeries]
            if try db.tableExists("price_series") {
                series = []
                let rows = try Row.fetchCursor(db, sql: "SELECT ticker, days, open, high, low, close, volume FROM price_series ORDER BY ticker")
                while let row = try rows.next() {
                    let ticker: String = row[0]
                    if let filter, !filter.contains(ticker) { continue }
                    series.append(PriceSeries(ticker: ticker, days: unpacked(row[1] as Data).map(Day.init(ordinal:)),
                                              open: unpacked(row[2]), high: unpacked(row[3]), low: unpacked(row[4]),
                                              close: unpacked(row[5]), volume: unpacked(row[6])))
                }
            } else {
                series = try Self.readRows(db, where: "", arguments: [])
                    .filter { filter?.contains($0.ticker) ?? true }
                    .map(PriceSeries.init(adjusting:))
            }
            if series.isEmpty { throw StoreError.empty(path: path) }
            return Panel(series: series, info: try Self.readInfo(db), delistings: try Self.readDelistings(db).returnsByTicker)
        }
    }

    /// Every stored universe, by name.
    public func memberships() throws -> [Membership] {
        try database.read { try memberships($0) }
    }

    private func memberships(_ db: Database) throws -> [Membership] {
        guard try db.tableExists("universe_spells") else { return [] }
        var spells: [String: [Membership.Spell]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT universe, ticker, start_date, end_date FROM universe_spells ORDER BY universe, ticker, start_date") {
            guard let start = Day(row[2] as String) else { continue }
            spells[row[0], default: []].append(.init(ticker: row[1], start: start, end: (row[3] as String?).flatMap { Day($0) }))
        }
        return spells.keys.sorted().map { Membership(name: $0, spells: spells[$0]!) }
    }

    /// Every stored delisting, by ticker.
    public func delistings() throws -> [Delisting] {
        try database.read { try Self.readDelistings($0) }
    }

    private static func readDelistings(_ db: Database) throws -> [Delisting] {
        guard try db.tableExists("delistings") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT ticker, date, delisting_return FROM delistings ORDER BY ticker").compactMap { row in
            Day(row[1] as String).map { Delisting(ticker: row[0], day: $0, delistingReturn: row[2]) }
        }
    }

    /// Counts, span and sectors of what is stored.
    public func summary() throws -> StoreSummary {
        try database.read { db in
            let fromSeries = try db.tableExists("price_series")
            let row = try Row.fetchOne(db, sql: fromSeries
                ? "SELECT COUNT(*), COALESCE(SUM(rows), 0), MIN(first_date), MAX(last_date) FROM price_series"
                : "SELECT COUNT(DISTINCT ticker), COUNT(*), MIN(date), MAX(date) FROM price_data")!
            let info = try Self.readInfo(db)
            var sectors: [String: Int] = [:]
            for i in info where !i.sector.isEmpty { sectors[i.sector, default: 0] += 1 }
            let spans = try Self.pricedSpans(db, fromSeries: fromSeries)
            return StoreSummary(path: path, tickers: row[0], rows: row[1],
                                first: (row[2] as String?).flatMap { Day($0) }, last: (row[3] as String?).flatMap { Day($0) },
                                sectors: sectors, universes: try memberships(db), pricedSpans: spans, delistings: try Self.readDelistings(db))
        }
    }

    /// The first and last bar of every ticker with a packed series.
    private static func pricedSpans(_ db: Database, fromSeries: Bool) throws -> [String: ClosedRange<Day>] {
        var spans: [String: ClosedRange<Day>] = [:]
        let sql = fromSeries ? "SELECT ticker, first_date, last_date FROM price_series"
            : "SELECT ticker, MIN(date), MAX(date) FROM price_data GROUP BY ticker"
        for r in try Row.fetchAll(db, sql: sql) {
            if let a = (r[1] as String?).flatMap({ Day($0) }), let b = (r[2] as String?).flatMap({ Day($0) }), a <= b { spans[r[0]] = a...b }
        }
        return spans
    }

    private static func readInfo(_ db: Database) throws -> [TickerInfo] {
        guard try db.tableExists("ticker_info") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT ticker, name, sector FROM ticker_info ORDER BY ticker").map {
            TickerInfo(ticker: $0[0], name: $0[1], sector: $0[2])
        }
    }

    /// Reads `price_data` rows grouped by ticker, dates ascending.
    private static func readRows(_ db: Database, where clause: String, arguments: StatementArguments) throws -> [RawBars] {
        let adj = try db.columns(in: "price_data").contains { $0.name.lowercased() == "adj_close" } ? "adj_close" : "close"
        let rows = try Row.fetchCursor(db, sql: """
            SELECT ticker, date, open, high, low, close, volume, \(adj) FROM price_data \(clause) ORDER BY ticker, date
            """, arguments: arguments)
        var result: [RawBars] = []
        while let row = try rows.next() {
            let ticker: String = row[0]
            guard let day = Day(row[1] as String) else { continue }
            if result.last?.ticker != ticker { result.append(RawBars(ticker: ticker)) }
            let close: Double = row[5]
            result[result.count - 1].append(day: day, open: row[2], high: row[3], low: row[4], close: close,
                                            adjClose: (row[7] as Double?) ?? close, volume: (row[6] as Double?) ?? 0)
        }
        return result
    }
}

/// Store counts for `alphalab info`.
public struct StoreSummary: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var tickers: Int
    public var rows: Int
    public var first: Day?
    public var last: Day?
    public var sectors: [String: Int]
    /// The stored universes.
    public var universes: [Membership] = []
    /// First and last bar of each stored ticker (to count the members that have prices).
    public var pricedSpans: [String: ClosedRange<Day>] = [:]
    /// The stored delistings.
    public var delistings: [Delisting] = []

    /// The benchmark's ticker: its span is shown apart from the stocks'.
    public var benchmark = "SPY"

    /// The first and last bar of any stock (the benchmark aside), or nil without stocks.
    public var stocksSpan: ClosedRange<Day>? {
        let spans = pricedSpans.filter { $0.key != benchmark }.values
        guard let first = spans.map(\.lowerBound).min(), let last = spans.map(\.upperBound).max() else { return nil }
        return first...last
    }

    public var description: String {
        let stocks = stocksSpan
        let benchmarkSpan = pricedSpans[benchmark]
        var lines = [
            "store        \(path)",
            "tickers      \(tickers)" + (benchmarkSpan == nil ? "" : " (\(benchmark) and \(tickers - 1) stocks)"),
            "rows         \(rows)",
            "stocks       " + (stocks.map { "\($0.lowerBound) .. \($0.upperBound)" } ?? "none"),
            "benchmark    \(benchmark) " + (benchmarkSpan.map { "\($0.lowerBound) .. \($0.upperBound)" } ?? "not stored (excess returns need it)"),
        ]
        if let stocks, let benchmarkSpan, benchmarkSpan.upperBound > stocks.upperBound {
            lines.append("             (runs end at the stocks' last bar, \(stocks.upperBound))")
        }
        let priced = delistings.filter { pricedSpans[$0.ticker] != nil }
        let delistingLine = "delistings   \(delistings.count)" + (delistings.isEmpty ? " (held positions whose bars end are settled at the last close)"
            : ", \(priced.count) with prices, mean return \(Format.rate(priced.isEmpty ? .nan : priced.map(\.delistingReturn).reduce(0, +) / Double(priced.count)))")
        var universeLines = [delistingLine, "universes    \(universes.count)"]
        for u in universes {
            universeLines.append("  \(u.name): \(u.spells.count) spells of \(u.tickers.count) tickers, \(u.first?.description ?? "-") .. \(u.last?.description ?? "open")")
            let sizes = u.sizeByYear(through: last)
            let shown = sizes.enumerated().filter { $0.offset % 5 == 0 || $0.offset == sizes.count - 1 }.map(\.element)
            universeLines.append("    members on January 1 (with prices that day): " + shown.map { year, count in
                let day = max(Day(year: year, month: 1, day: 1)!, u.first!)
                guard let stocks, stocks.contains(day) else { return "\(year) \(count) (no stock prices)" }
                let withPrices = u.members(on: day).filter { pricedSpans[$0]?.contains(day) == true }.count
                return "\(year) \(count) (\(withPrices))"
            }.joined(separator: ", "))
            universeLines += coverageLines(u, stocks: stocks)
        }
        return (lines + sectorLines(sectors) + universeLines).joined(separator: "\n")
    }

    /// The universe's coverage by year: the share of its members, each Wednesday, whose
    /// prices span that day (the first to the last bar; runs measure bars on their own
    /// decision days), every fifth year, the last, and the worst. Only over the stocks' span:
    /// a year without any stock prices is "no prices in the data", not a coverage of 0%.
    func coverageLines(_ u: Membership, stocks: ClosedRange<Day>?) -> [String] {
        guard let stocks, let first = u.first else { return ["    coverage: - (no stock prices)"] }
        let start = max(first, stocks.lowerBound), end = min(u.last ?? stocks.upperBound, stocks.upperBound)
        guard start <= end else { return ["    coverage: - (no stock prices while it has members)"] }
        var dates: [Day] = []
        var day = start
        while day.weekday != 3 { day = day.adding(days: 1) }
        while day <= end { dates.append(day); day = day.adding(days: 7) }
        let coverage = UniverseCoverage(u, dates: dates) { ticker, k in pricedSpans[ticker]?.contains(dates[k]) == true }
        guard let worst = coverage.worst else { return ["    coverage: -"] }
        let years = coverage.years
        let shown = years.enumerated().filter { $0.offset % 5 == 0 || $0.offset == years.count - 1 }.map(\.element)
        let threshold = Format.num(UniverseCoverage.warningShare * 100, "%.0f")
        var lines = ["    coverage (members with prices spanning each Wednesday, \(start) .. \(end)): "
            + shown.map { "\($0.year) \(Format.rate($0.share))" }.joined(separator: ", ")
            + "; worst \(worst.year) \(Format.rate(worst.share))" + (worst.share < UniverseCoverage.warningShare ? " (below \(threshold)%: members without prices, survivorship left in)" : "")]
        var outside: [String] = []
        if first < stocks.lowerBound { outside.append("before \(stocks.lowerBound)") }
        if u.last.map({ $0 > stocks.upperBound }) ?? true, let last { outside.append("after \(stocks.upperBound)" + (last > stocks.upperBound ? " (the benchmark's bars go on to \(last))" : "")) }
        if !outside.isEmpty { lines.append("    no stock prices in the data " + outside.joined(separator: " or ") + ": not counted") }
        return lines
    }
}

/// Problems opening or reading a store.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case notAStore(path: String)
    case empty(path: String)
    /// A query the run store cannot answer (a bad order, an unknown id).
    case badQuery(String)
    /// Data that contradicts what is stored (bars after a ticker's delisting).
    case conflict(String)

    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no price store here (create one with `alphalab import`)"
        case .notAStore(let path): return "\(path): not a price store (no price_data table)"
        case .empty(let path): return "\(path): the store holds no prices"
        case .badQuery(let why), .conflict(let why): return why
        }
    }
}

/// Packs numbers as little-endian bytes (the byte order of every platform Swift runs on).
func packed<T: BitwiseCopyable>(_ values: [T]) -> Data {
    values.withUnsafeBytes { Data($0) }
}

/// Unpacks what `packed` wrote.
func unpacked<T: BitwiseCopyable>(_ data: Data) -> [T] {
    data.withUnsafeBytes { raw in
        Array(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: T.self), count: raw.count / MemoryLayout<T>.stride))
    }
}
