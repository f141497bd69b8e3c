import Foundation
import GRDB

/// The local ``RunStore``: every run an analyst keeps, in SQLite (default `results/runs.db`): the config,
/// the headline metrics as columns (to filter and sort), the whole result as JSON
/// (curves, weeks, picks), the run's timing, the data's fingerprint and span, and
/// the AlphaLab and XGBoost versions, and where the run came from (the script's text
/// and hash, its arguments: ``RunProvenance``), so that `alphalab rerun` can run it again.
///
/// WAL mode and one transaction per write: two processes can record runs at once,
/// and a process killed mid-write leaves the store as it was before that write.
public final class SQLiteRunStore: RunStore {
    /// The database file.
    public let path: String
    private let database: DatabasePool

    public var location: String { path }

    /// Opens (creating and upgrading as needed) the store at `path`. WAL needs memory
    /// shared on one host, so a file on a network filesystem is refused: a team shares
    /// a PostgreSQL store instead.
    public init(path: String) throws {
        self.path = path
        try Self.refuseNetworkFilesystem(path)
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
        migrator.registerMigration("v4: ledger") { db in
            try db.execute(sql: LedgerColumns.createTable(id: "INTEGER PRIMARY KEY AUTOINCREMENT", real: "REAL"))
        }
        migrator.registerMigration("v5: verdict") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN verdict TEXT;
                ALTER TABLE runs ADD COLUMN verdict_headline TEXT;
                """)
        }
        try migrator.migrate(database)
    }

    @discardableResult
    public func save(_ result: ExperimentResult, seconds: Double, provenance: RunProvenance?) throws -> Int64 {
        let json = try result.json(pretty: false)
        let origin = try provenance.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let config = String(decoding: try JSONEncoder().encode(result.config), as: UTF8.self)
        let created = ISO8601DateFormatter().string(from: Date())
        let figures = Self.columnValues(of: result)
        var arguments: [(any DatabaseValueConvertible)?] = figures.map { figure in
            switch figure.value {
            case .number(let x)?: x
            case .integer(let n)?: n
            case .text(let s)?: s
            case nil: nil
            }
        }
        arguments += [created, seconds, AlphaLabVersion.string, config, json, origin, provenance?.scriptHash, XGBoostModel.libraryVersion]
        let columns = figures.map(\.column) + ["created_at", "seconds", "alphalab_version", "config", "result", "provenance", "script_hash",
                                               "xgboost_version"]
        let sql = "INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        return try database.write { db in
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
            return db.lastInsertedRowID
        }
    }

    public func list(_ filter: RunFilter) throws -> [RunSummary] {
        var clauses: [String] = [], arguments: StatementArguments = []
        if let name = filter.name { clauses.append("name LIKE ?"); arguments += [name] }
        if let since = filter.since { clauses.append("created_at >= ?"); arguments += [since] }
        if let minSharpe = filter.minSharpe { clauses.append("sharpe >= ?"); arguments += [minSharpe] }
        let sql = "SELECT \(RunSummary.columns.joined(separator: ", ")) FROM runs"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY \(try filter.orderClause()) LIMIT \(max(0, filter.limit))"
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                RunSummary(id: row["id"], name: row["name"], createdAt: row["created_at"], seconds: row["seconds"],
                           version: row["alphalab_version"], dataFingerprint: row["data_fingerprint"], startDate: row["start_date"],
                           endDate: row["end_date"], signalTiming: row["signal_timing"],
                           totalReturn: row["total_return"] ?? .nan, sharpe: row["sharpe"] ?? .nan,
                           maxDrawdown: row["max_drawdown"] ?? .nan, excessReturn: row["excess_return"] ?? .nan,
                           execution: row["execution"], turnover: row["turnover"] ?? .nan, costDrag: row["cost_drag"] ?? .nan,
                           holdingDays: row["holding_days"] ?? .nan, scriptHash: row["script_hash"], xgboostVersion: row["xgboost_version"],
                           verdict: row["verdict_headline"])
            }
        }
    }

    /// The stored result of run `id`.
    public func load(id: Int64) throws -> ExperimentResult {
        guard let data = try database.read({ try Data.fetchOne($0, sql: "SELECT result FROM runs WHERE id = ?", arguments: [id]) }) else {
            throw noRun(id)
        }
        return try ExperimentResult(json: data)
    }

    /// Where run `id` came from: nil for a run recorded without a script (the REPL) or
    /// before AlphaLab kept it.
    public func provenance(id: Int64) throws -> RunProvenance? {
        let row = try database.read { try Row.fetchOne($0, sql: "SELECT provenance FROM runs WHERE id = ?", arguments: [id]) }
        guard let row else { throw noRun(id) }
        guard let text: String = row["provenance"] else { return nil }
        return try decodeProvenance(text, id: id)
    }

    public func saveVerdict(_ verdict: Verdict, run id: Int64) throws {
        let json = String(decoding: try verdict.json(), as: UTF8.self)
        try database.write { db in
            try db.execute(sql: "UPDATE runs SET verdict = ?, verdict_headline = ? WHERE id = ?", arguments: [json, verdict.headline.rawValue, id])
            guard db.changesCount > 0 else { throw noRun(id) }
        }
    }

    public func verdict(id: Int64) throws -> Verdict? {
        let row = try database.read { try Row.fetchOne($0, sql: "SELECT verdict FROM runs WHERE id = ?", arguments: [id]) }
        guard let row else { throw noRun(id) }
        guard let text: String = row["verdict"] else { return nil }
        return try Verdict(json: Data(text.utf8))
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

    @discardableResult
    public func record(_ trial: Trial) throws -> Bool {
        let values: [(any DatabaseValueConvertible)?] = LedgerColumns.values(trial).map { value in
            switch value {
            case .number(let x)?: x
            case .integer(let n)?: n
            case .text(let s)?: s
            case nil: nil
            }
        }
        let sql = "INSERT OR IGNORE INTO trials (\(LedgerColumns.names.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: LedgerColumns.names.count).joined(separator: ", ") + ")"
        return try database.write { db in
            try db.execute(sql: sql, arguments: StatementArguments(values))
            return db.changesCount > 0
        }
    }

    public func trials(family: String) throws -> [Trial] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trials WHERE family = ? ORDER BY id", arguments: [family]).map { row in
                LedgerColumns.trial(text: { row[$0] }, number: { row[$0] })
            }
        }
    }

    public func samples(family: String) throws -> [TrialSample] {
        try database.read { db in
            let rows = try Row.fetchCursor(db, sql: LedgerColumns.sampleQuery + "? ORDER BY id", arguments: [family])
            var samples: [TrialSample] = []
            while let row = try rows.next() {
                samples.append(LedgerColumns.sample(configHash: row[0], returns: row[1], sharpe: row[2], annualSharpe: row[3]))
            }
            return samples
        }
    }

    public func families() throws -> [TrialFamilySummary] {
        try database.read { db in
            try Row.fetchAll(db, sql: LedgerColumns.familiesQuery).map { row in
                LedgerColumns.familySummary(text: { row[$0] }, number: { row[$0] })
            }
        }
    }

    /// Throws when `path` lies on a network filesystem (NFS, SMB/CIFS, ...), where SQLite's
    /// WAL mode corrupts the store: it needs memory shared by every process on one host.
    static func refuseNetworkFilesystem(_ path: String) throws {
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        // The nearest existing folder, symbolic links resolved: the mount the file will live on.
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" { folder.deleteLastPathComponent() }
        let resolved = folder.resolvingSymlinksInPath().path
        guard let type = filesystemType(of: resolved, mounts: mounts), let name = networkFilesystem(type) else { return }
        throw StoreError.badQuery("""
            \(path) is on a network filesystem (\(name)): SQLite's WAL mode needs memory shared on one host and would corrupt \
            a store shared this way. Share a PostgreSQL store instead: --runs postgres://USER@HOST:PORT/DB (or ALPHALAB_RUNS), \
            the password in PGPASSWORD or ~/.pgpass
            """)
    }

    /// The filesystem type (`ext4`, `nfs4`, ...) of the mount holding the absolute `path`, from a
    /// mounts table in `/proc/self/mounts`' format (the longest mount point that contains it).
    public static func filesystemType(of path: String, mounts: String) -> String? {
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Spaces in mount points are written as \040.
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let contains = point == "/" || path == point || path.hasPrefix(point + "/")
            if contains, point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        return best?.type
    }

    /// The network filesystem a mount's type names, if it is one.
    public static func networkFilesystem(_ type: String) -> String? {
        switch type {
        case "nfs", "nfs4": "NFS"
        case "cifs", "smb3", "smbfs": "SMB/CIFS"
        case "9p": "9P"
        case "lustre": "Lustre"
        case "gpfs": "GPFS"
        case "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "afs": type
        default: nil
        }
    }
}
