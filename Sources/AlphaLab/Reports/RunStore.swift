import Foundation
import GRDB

/// Every run an analyst keeps, in SQLite (default `results/runs.db`): the config,
/// the headline metrics as columns (to filter and sort), the whole result as JSON
/// (curves, weeks, picks), the run's timing, the data's fingerprint and span, and
/// the AlphaLab and XGBoost versions, and where the run came from (the script's text
/// and hash, its arguments: ``RunProvenance``), so that `alphalab rerun` can run it again.
///
/// WAL mode and one transaction per write: two processes can record runs at once,
/// and a process killed mid-write leaves the store as it was before that write.
public final class RunStore: Sendable {
    /// The database file.
    public let path: String
    private let database: DatabasePool

    /// The store used when none is named: `$ALPHALAB_RUNS`, else `results/runs.db`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ALPHALAB_RUNS"], !path.isEmpty { return path }
        return "results/runs.db"
    }

    /// Opens (creating as needed) the store at `path`.
    public init(path: String) throws {
        self.path = path
        database = try openDatabasePool(at: path, busyTimeout: 60)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    seconds REAL NOT NULL,
                    alphalab_version TEXT NOT NULL,
                    data_fingerprint TEXT NOT NULL,
                    start_date TEXT, end_date TEXT,
                    signal_timing TEXT NOT NULL,
                    total_return REAL, cagr REAL, sharpe REAL, max_drawdown REAL, win_rate REAL,
                    spy_return REAL, excess_return REAL, mean_ic REAL,
                    config TEXT NOT NULL,
                    result BLOB NOT NULL);
                CREATE INDEX runs_name ON runs(name);
                CREATE INDEX runs_created ON runs(created_at);
                """)
        }
        migrator.registerMigration("v2: execution") { db in
            // Runs recorded before execution models existed were the seed's round trips.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN execution TEXT NOT NULL DEFAULT 'round_trip';
                ALTER TABLE runs ADD COLUMN turnover REAL;
                ALTER TABLE runs ADD COLUMN cost_drag REAL;
                ALTER TABLE runs ADD COLUMN holding_days REAL;
                """)
        }
        migrator.registerMigration("v3: provenance") { db in
            // Runs recorded before have none: they cannot be rerun.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN provenance TEXT;
                ALTER TABLE runs ADD COLUMN script_hash TEXT;
                ALTER TABLE runs ADD COLUMN xgboost_version TEXT;
                """)
        }
        try migrator.migrate(database)
    }

    /// One stored run's headline (without its curves).
    public struct Summary: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var createdAt: String
        public var seconds: Double
        public var version: String
        public var dataFingerprint: String
        public var startDate: String?
        public var endDate: String?
        public var signalTiming: String
        public var totalReturn: Double
        public var sharpe: Double
        public var maxDrawdown: Double
        public var excessReturn: Double
        /// `rebalance` or `round_trip`.
        public var execution: String
        /// Mean traded notional per period as a fraction of equity.
        public var turnover: Double
        /// Costs as a fraction of equity per year.
        public var costDrag: Double
        /// Mean trading days a position was held.
        public var holdingDays: Double
        /// The hash of the script that recorded it (nil: no script, so no `alphalab rerun`).
        public var scriptHash: String?
        /// The XGBoost version that computed it (nil for runs recorded before it was kept).
        public var xgboostVersion: String?
    }

    /// Which runs to list.
    public struct Filter: Sendable {
        /// SQL LIKE pattern on the name (`%` and `_` wildcards); nil for all.
        public var name: String?
        /// Runs recorded on or after this ISO date or timestamp.
        public var since: String?
        /// Runs with at least this Sharpe ratio.
        public var minSharpe: Double?
        /// Order: "created" (newest first), "sharpe", "total_return" (best first).
        public var orderBy = "created"
        public var limit = 1000

        public init(name: String? = nil, since: String? = nil, minSharpe: Double? = nil, orderBy: String = "created", limit: Int = 1000) {
            self.name = name
            self.since = since
            self.minSharpe = minSharpe
            self.orderBy = orderBy
            self.limit = limit
        }
    }

    /// Records a run, with where it came from when known; returns its id.
    @discardableResult
    public func save(_ result: ExperimentResult, seconds: Double = 0, provenance: RunProvenance? = nil) throws -> Int64 {
        let json = try result.json(pretty: false)
        let origin = try provenance.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let config = String(decoding: try JSONEncoder().encode(result.config), as: UTF8.self)
        let created = ISO8601DateFormatter().string(from: Date())
        // The figures the runs table keeps as columns, from the result fields' declarations.
        let figures = ResultField.all.filter(\.isColumn)
        var arguments: [(any DatabaseValueConvertible)?] = figures.map { field in
            switch field.value(of: result) {
            case .number(let x)?: x.isFinite ? x : nil
            case .integer(let n)?: n
            case .text(let s)?: s
            case nil: nil
            }
        }
        arguments += [created, seconds, AlphaLabVersion.string, config, json, origin, provenance?.scriptHash, XGBoostModel.libraryVersion]
        let columns = figures.map(\.key) + ["created_at", "seconds", "alphalab_version", "config", "result", "provenance", "script_hash",
                                            "xgboost_version"]
        let sql = "INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        return try database.write { db in
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
            return db.lastInsertedRowID
        }
    }

    /// The runs matching `filter`.
    public func list(_ filter: Filter = Filter()) throws -> [Summary] {
        var clauses: [String] = [], arguments: StatementArguments = []
        if let name = filter.name { clauses.append("name LIKE ?"); arguments += [name] }
        if let since = filter.since { clauses.append("created_at >= ?"); arguments += [since] }
        if let minSharpe = filter.minSharpe { clauses.append("sharpe >= ?"); arguments += [minSharpe] }
        let order: String
        switch filter.orderBy {
        case "created": order = "created_at DESC, id DESC"
        case "sharpe": order = "sharpe DESC, id"
        case "total_return": order = "total_return DESC, id"
        default: throw StoreError.badQuery("order must be created, sharpe or total_return, got '\(filter.orderBy)'")
        }
        let sql = "SELECT id, name, created_at, seconds, alphalab_version, data_fingerprint, start_date, end_date, signal_timing, "
            + "total_return, sharpe, max_drawdown, excess_return, execution, turnover, cost_drag, holding_days, script_hash, xgboost_version FROM runs"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY \(order) LIMIT \(max(0, filter.limit))"
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Summary(id: row["id"], name: row["name"], createdAt: row["created_at"], seconds: row["seconds"],
                        version: row["alphalab_version"], dataFingerprint: row["data_fingerprint"], startDate: row["start_date"],
                        endDate: row["end_date"], signalTiming: row["signal_timing"],
                        totalReturn: row["total_return"] ?? .nan, sharpe: row["sharpe"] ?? .nan,
                        maxDrawdown: row["max_drawdown"] ?? .nan, excessReturn: row["excess_return"] ?? .nan,
                        execution: row["execution"], turnover: row["turnover"] ?? .nan, costDrag: row["cost_drag"] ?? .nan,
                        holdingDays: row["holding_days"] ?? .nan, scriptHash: row["script_hash"], xgboostVersion: row["xgboost_version"])
            }
        }
    }

    /// The stored result of run `id`.
    public func load(id: Int64) throws -> ExperimentResult {
        guard let data = try database.read({ try Data.fetchOne($0, sql: "SELECT result FROM runs WHERE id = ?", arguments: [id]) }) else {
            throw StoreError.badQuery("no run with id \(id) in \(path)")
        }
        return try ExperimentResult(json: data)
    }

    /// Where run `id` came from: nil for a run recorded without a script (the REPL) or
    /// before AlphaLab kept it.
    public func provenance(id: Int64) throws -> RunProvenance? {
        let row = try database.read { try Row.fetchOne($0, sql: "SELECT provenance FROM runs WHERE id = ?", arguments: [id]) }
        guard let row else { throw StoreError.badQuery("no run with id \(id) in \(path)") }
        guard let text: String = row["provenance"] else { return nil }
        do { return try JSONDecoder().decode(RunProvenance.self, from: Data(text.utf8)) } catch {
            throw StoreError.badQuery("run \(id) in \(path) has an unreadable provenance: \(error)")
        }
    }

    /// Deletes run `id`; returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// The number of runs stored.
    public func count() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") ?? 0 }
    }
}
