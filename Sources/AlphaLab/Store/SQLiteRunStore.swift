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
        for migration in Self.migrations {
            migrator.registerMigration(migration.version) { db in try db.execute(sql: migration.sql) }
        }
        for field in ResultField.columns {
            migrator.registerMigration(FigureColumns.version(field)) { db in try Self.addFigureColumn(field, in: db) }
        }
        try Self.migrate(migrator, database)
    }

    /// The generated migration of `field`'s column (``FigureColumns``): added when the runs
    /// table lacks it, and filled from the stored results.
    private static func addFigureColumn(_ field: ResultField, in db: Database) throws {
        guard try !db.columns(in: "runs").contains(where: { $0.name == field.key }) else { return }
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN \(field.key) \(FigureColumns.sqlType(field, real: "REAL"))")
        let documents = try Row.fetchCursor(db, sql: "SELECT id, result FROM run_documents")
        while let row = try documents.next() {
            let result = try ExperimentResult(json: row["result"])
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE runs SET \(field.key) = ? WHERE id = ?", arguments: [bound(FigureColumns.value(field, of: result)), id])
        }
    }

    /// A figure as SQLite binds it, by its type (nil: NULL).
    private static func bound(_ value: ResultField.Value?) -> (any DatabaseValueConvertible)? {
        switch value {
        case .number(let x)?: x
        case .integer(let n)?: n
        case .text(let s)?: s
        case nil: nil
        }
    }

    /// The schema's versions, in order; each runs once, in its own transaction.
    static let migrations: [(version: String, sql: String)] = [
        ("v1", """
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
            """),
        // Runs recorded before execution models existed were the seed's round trips.
        ("v2: execution", """
            ALTER TABLE runs ADD COLUMN execution TEXT NOT NULL DEFAULT 'round_trip';
            ALTER TABLE runs ADD COLUMN turnover REAL;
            ALTER TABLE runs ADD COLUMN cost_drag REAL;
            ALTER TABLE runs ADD COLUMN holding_days REAL;
            """),
        // Runs recorded before have none: they cannot be rerun.
        ("v3: provenance", """
            ALTER TABLE runs ADD COLUMN provenance TEXT;
            ALTER TABLE runs ADD COLUMN script_hash TEXT;
            ALTER TABLE runs ADD COLUMN xgboost_version TEXT;
            """),
        ("v4: ledger", LedgerColumns.createTable(id: "INTEGER PRIMARY KEY AUTOINCREMENT", real: "REAL")),
        ("v5: verdict", """
            ALTER TABLE runs ADD COLUMN verdict TEXT;
            ALTER TABLE runs ADD COLUMN verdict_headline TEXT;
            """),
        // The columns the run browser filters and sorts on, and the documents (config,
        // provenance, verdict, result) moved to a table of their own: a row with its
        // result fills pages of its own, so every list and count would read them all.
        // Runs recorded before: universe and rebalance from their config, user and
        // script from their provenance; family and config hash stay unknown.
        ("v6: browse", """
            CREATE TABLE runs_v6 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL, created_at TEXT NOT NULL, seconds REAL NOT NULL, alphalab_version TEXT NOT NULL,
                data_fingerprint TEXT NOT NULL, start_date TEXT, end_date TEXT, signal_timing TEXT NOT NULL,
                total_return REAL, cagr REAL, sharpe REAL, max_drawdown REAL, win_rate REAL, spy_return REAL, excess_return REAL, mean_ic REAL,
                execution TEXT NOT NULL DEFAULT 'round_trip', turnover REAL, cost_drag REAL, holding_days REAL,
                script_hash TEXT, xgboost_version TEXT, verdict_headline TEXT,
                universe TEXT, rebalance TEXT, user_name TEXT, script_path TEXT, family TEXT, config_hash TEXT);
            CREATE TABLE run_documents (id INTEGER PRIMARY KEY, config TEXT NOT NULL, provenance TEXT, verdict TEXT, result BLOB NOT NULL);
            INSERT INTO runs_v6 (id, name, created_at, seconds, alphalab_version, data_fingerprint, start_date, end_date, signal_timing,
                total_return, cagr, sharpe, max_drawdown, win_rate, spy_return, excess_return, mean_ic, execution, turnover, cost_drag,
                holding_days, script_hash, xgboost_version, verdict_headline, universe, rebalance, user_name, script_path)
            SELECT id, name, created_at, seconds, alphalab_version, data_fingerprint, start_date, end_date, signal_timing,
                total_return, cagr, sharpe, max_drawdown, win_rate, spy_return, excess_return, mean_ic, execution, turnover, cost_drag,
                holding_days, script_hash, xgboost_version, verdict_headline,
                json_extract(config, '$.universe'), json_extract(config, '$.rebalance'),
                json_extract(provenance, '$.user'), json_extract(provenance, '$.scriptPath') FROM runs;
            INSERT INTO run_documents (id, config, provenance, verdict, result) SELECT id, config, provenance, verdict, result FROM runs;
            UPDATE sqlite_sequence SET seq = COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), seq) WHERE name = 'runs_v6';
            DROP TABLE runs;
            ALTER TABLE runs_v6 RENAME TO runs;
            CREATE INDEX runs_name ON runs(name);
            CREATE INDEX runs_created ON runs(created_at);
            CREATE INDEX runs_universe ON runs(universe);
            CREATE INDEX runs_user ON runs(user_name);
            """),
        // Trials recorded before keep no active returns: they are judged on their returns
        // less the default risk-free rate.
        ("v7: claimed statistic", """
            ALTER TABLE trials ADD COLUMN active_returns TEXT;
            ALTER TABLE trials ADD COLUMN claim TEXT;
            ALTER TABLE trials ADD COLUMN risk_free REAL;
            """),
        // The ledger becomes evidence: chained, append-only, and a deleted run leaves a
        // tombstone. Trials recorded before stay unchained (`trials --verify` says so).
        ("v8: append-only ledger", """
            ALTER TABLE trials ADD COLUMN previous_hash TEXT;
            ALTER TABLE trials ADD COLUMN hash TEXT;
            CREATE TABLE run_tombstones (
                id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, name TEXT NOT NULL, family TEXT, config_hash TEXT,
                deleted_by TEXT NOT NULL, deleted_at TEXT NOT NULL, reason TEXT NOT NULL);
            CREATE TRIGGER trials_append_only_update BEFORE UPDATE ON trials BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            CREATE TRIGGER trials_append_only_delete BEFORE DELETE ON trials BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            CREATE TRIGGER tombstones_append_only_update BEFORE UPDATE ON run_tombstones BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            CREATE TRIGGER tombstones_append_only_delete BEFORE DELETE ON run_tombstones BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            """),
        // A verdict belongs to the analyst who made it: a second one is kept beside the first.
        ("v9: verdicts beside", """
            CREATE TABLE run_verdicts (
                id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, user_name TEXT NOT NULL, created_at TEXT NOT NULL,
                headline TEXT NOT NULL, verdict TEXT NOT NULL);
            CREATE INDEX run_verdicts_run ON run_verdicts(run_id);
            CREATE TRIGGER run_verdicts_append_only_update BEFORE UPDATE ON run_verdicts BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            CREATE TRIGGER run_verdicts_append_only_delete BEFORE DELETE ON run_verdicts BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            """),
        // Each trial carries its family's running sums (``FamilyMoments``); the first trial
        // appended to a family recorded before computes them from every earlier row.
        ("v10: family moments", "ALTER TABLE trials ADD COLUMN family_moments TEXT;"),
        // Tags and notes, append-only beside the run; the run's current tags in its row, to filter.
        ("v11: tags, notes, strategy", """
            ALTER TABLE runs ADD COLUMN tags TEXT;
            ALTER TABLE runs ADD COLUMN strategy TEXT;
            ALTER TABLE runs ADD COLUMN parameters TEXT;
            UPDATE runs SET strategy = (SELECT json_extract(config, '$.strategy') FROM run_documents WHERE run_documents.id = runs.id);
            CREATE TABLE run_annotations (
                id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
                user_name TEXT NOT NULL, created_at TEXT NOT NULL);
            CREATE INDEX run_annotations_run ON run_annotations(run_id);
            CREATE TRIGGER run_annotations_append_only_update BEFORE UPDATE ON run_annotations BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            CREATE TRIGGER run_annotations_append_only_delete BEFORE DELETE ON run_annotations BEGIN SELECT RAISE(ABORT, '\(LedgerColumns.appendOnly)'); END;
            """),
    ]

    /// Applies the migrations this store lacks. GRDB reads which are applied before each
    /// one's transaction, so two processes opening a new store at once can both try one:
    /// the loser's transaction rolls back whole (a duplicate column, a duplicate
    /// identifier) and it looks again once the winner's has committed.
    private static func migrate(_ migrator: DatabaseMigrator, _ database: DatabasePool) throws {
        for attempt in 1... {
            do {
                try migrator.migrate(database)
                return
            } catch is DatabaseError where attempt < 20 {
                if try database.read(migrator.hasCompletedMigrations) { return }
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }

    @discardableResult
    public func save(_ result: ExperimentResult, seconds: Double, provenance: RunProvenance?) throws -> Int64 {
        let json = try result.json(pretty: false)
        let origin = try provenance.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let config = String(decoding: try JSONEncoder().encode(result.config), as: UTF8.self)
        let created = ISO8601DateFormatter().string(from: Date())
        let figures = Self.columnValues(of: result)
        var arguments: [(any DatabaseValueConvertible)?] = figures.map { Self.bound($0.value) }
        let browse = RunSummary.browseValues(result, provenance: provenance)
        arguments += [created, seconds, AlphaLabVersion.string, provenance?.scriptHash, XGBoostModel.libraryVersion]
        arguments += browse.map(\.value)
        let columns = figures.map(\.column) + ["created_at", "seconds", "alphalab_version", "script_hash", "xgboost_version"] + browse.map(\.column)
        let sql = "INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        let trial = LedgerColumns.trial(of: result, provenance: provenance)
        return try database.write { db in
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
            let id = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO run_documents (id, config, provenance, result) VALUES (?, ?, ?, ?)", arguments: [id, config, origin, json])
            if !result.periods.isEmpty { try Self.record(trial, in: db) }
            return id
        }
    }

    public func list(_ filter: RunFilter) throws -> [RunSummary] {
        let (conditions, values) = filter.conditions(placeholder: { _ in "?" }, like: "LIKE")
        let sql = "SELECT \(RunSummary.columns.joined(separator: ", ")) FROM runs\(conditions) ORDER BY \(try filter.orderClause())"
            + " LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))"
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map { row in
                RunSummary.read(text: { row[$0] }, number: { row[$0] })
            }
        }
    }

    public func count(_ filter: RunFilter) throws -> Int {
        let (conditions, values) = filter.conditions(placeholder: { _ in "?" }, like: "LIKE")
        return try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs\(conditions)", arguments: StatementArguments(values)) ?? 0 }
    }

    public func document(id: Int64) throws -> Data {
        guard let data = try database.read({ try Data.fetchOne($0, sql: "SELECT result FROM run_documents WHERE id = ?", arguments: [id]) }) else {
            throw noRun(id)
        }
        return data
    }

    /// Where run `id` came from: nil for a run recorded without a script (the REPL) or
    /// before AlphaLab kept it.
    public func provenance(id: Int64) throws -> RunProvenance? {
        let row = try database.read { try Row.fetchOne($0, sql: "SELECT provenance FROM run_documents WHERE id = ?", arguments: [id]) }
        guard let row else { throw noRun(id) }
        guard let text: String = row["provenance"] else { return nil }
        return try decodeProvenance(text, id: id)
    }

    public func saveVerdict(_ verdict: Verdict, run id: Int64) throws {
        let json = String(decoding: try verdict.json(), as: UTF8.self)
        try database.write { db in
            try db.execute(sql: "UPDATE runs SET verdict_headline = ? WHERE id = ?", arguments: [verdict.headline.rawValue, id])
            guard db.changesCount > 0 else { throw noRun(id) }
            try db.execute(sql: "INSERT INTO run_verdicts (run_id, user_name, created_at, headline, verdict) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, RunProvenance.currentUser, ISO8601DateFormatter().string(from: Date()), verdict.headline.rawValue, json])
        }
    }

    public func annotate(run id: Int64, _ kind: RunAnnotation.Kind, _ text: String) throws {
        try RunAnnotation.check(kind, text)
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT tags FROM runs WHERE id = ?", arguments: [id]) else { throw noRun(id) }
            try db.execute(sql: "UPDATE runs SET tags = ? WHERE id = ?", arguments: [RunAnnotation.tagsColumn(row["tags"], applying: kind, text), id])
            try db.execute(sql: "INSERT INTO run_annotations (run_id, kind, text, user_name, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, kind.rawValue, text, RunProvenance.currentUser, ISO8601DateFormatter().string(from: Date())])
        }
    }

    public func annotations(id: Int64) throws -> [RunAnnotation] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, text, user_name, created_at FROM run_annotations WHERE run_id = ? ORDER BY id", arguments: [id]).map { row in
                RunAnnotation(kind: RunAnnotation.Kind(rawValue: row["kind"]) ?? .note, text: row["text"], user: row["user_name"], createdAt: row["created_at"])
            }
        }
    }

    public func verdicts(id: Int64) throws -> [KeptVerdict] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT user_name, created_at, verdict FROM run_verdicts WHERE run_id = ? ORDER BY id", arguments: [id]).map { row in
                KeptVerdict(user: row["user_name"], createdAt: row["created_at"], verdict: try Verdict(json: Data((row["verdict"] as String).utf8)))
            }
        }
    }

    public func verdict(id: Int64) throws -> Verdict? {
        let row = try database.read { try Row.fetchOne($0, sql: LedgerColumns.latestVerdictQuery(from: "run_documents") + "?", arguments: [id]) }
        guard let row else { throw noRun(id) }
        guard let text: String = row["verdict"] else { return nil }
        return try Verdict(json: Data(text.utf8))
    }

    @discardableResult
    public func delete(id: Int64, reason: String) throws -> Bool {
        try database.write { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT name, family, config_hash FROM runs WHERE id = ?", arguments: [id]) else { return false }
            try db.execute(sql: """
                INSERT INTO run_tombstones (run_id, name, family, config_hash, deleted_by, deleted_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, run["name"] as String?, run["family"] as String?, run["config_hash"] as String?,
                                 RunProvenance.currentUser, ISO8601DateFormatter().string(from: Date()), reason])
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM run_documents WHERE id = ?", arguments: [id])
            return true
        }
    }

    /// The number of runs stored.
    public func count() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") ?? 0 }
    }

    public func contains(id: Int64) throws -> Bool {
        try database.read { try Int.fetchOne($0, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id]) != nil }
    }

    @discardableResult
    public func record(_ trial: Trial) throws -> Bool {
        try database.write { db in try Self.record(trial, in: db) }
    }

    /// Appends `trial` inside the write transaction `db` (SQLite runs one writer at a time,
    /// so the family's last hash cannot change before the row links to it).
    private static func record(_ trial: Trial, in db: Database) throws -> Bool {
        let family = trial.family.key
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM trials WHERE family = ? AND config_hash = ?", arguments: [family, trial.configHash]) != nil {
            return false
        }
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM trials WHERE family = ? AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
                                           arguments: [family]) ?? LedgerChain.genesis(family: family)
        var moments = try LedgerColumns.moments(latest: latestMoments(family, in: db)) { try samples(family, in: db) }
        moments.add(trial.sample)
        let values: [(any DatabaseValueConvertible)?] = LedgerColumns.values(trial, previousHash: previous, hash: LedgerChain.hash(trial, previous: previous),
                                                                              moments: moments).map { value in
            switch value {
            case .number(let x)?: x
            case .integer(let n)?: n
            case .text(let s)?: s
            case nil: nil
            }
        }
        let sql = "INSERT INTO trials (\(LedgerColumns.names.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: LedgerColumns.names.count).joined(separator: ", ") + ")"
        try db.execute(sql: sql, arguments: StatementArguments(values))
        return true
    }

    public func ledgerRows() throws -> [LedgerRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trials ORDER BY id").map { row in
                LedgerColumns.ledgerRow(text: { row[$0] }, number: { row[$0] })
            }
        }
    }

    public func tombstones() throws -> [RunTombstone] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_tombstones ORDER BY id").map { row in
                LedgerColumns.tombstone(text: { column in
                    let value: DatabaseValue = row[column]
                    return value.isNull ? nil : (String.fromDatabaseValue(value) ?? Int64.fromDatabaseValue(value).map { "\($0)" })
                })
            }
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
        try database.read { db in try Self.samples(family, in: db) }
    }

    private static func samples(_ family: String, in db: Database) throws -> [TrialSample] {
        let rows = try Row.fetchCursor(db, sql: LedgerColumns.sampleQuery + "? ORDER BY id", arguments: [family])
        var samples: [TrialSample] = []
        while let row = try rows.next() { samples.append(sample(row, configHash: row[0])) }
        return samples
    }

    /// The sample in a row whose first columns are ``LedgerColumns/sampleQuery``'s.
    private static func sample(_ row: Row, configHash: String) -> TrialSample {
        let returns: String = row[1], active: String? = row[2]
        return LedgerColumns.sample(configHash: configHash, returns: LedgerColumns.parseReturns(returns),
                                    activeReturns: active.map(LedgerColumns.parseReturns) ?? [], claim: row[3], riskFree: row[4], rebalance: row[5])
    }

    /// The latest row's running sums: nil for an empty family, .some(nil) for a row without.
    private static func latestMoments(_ family: String, in db: Database) throws -> String?? {
        try Row.fetchOne(db, sql: LedgerColumns.latestMomentsQuery + "?" + LedgerColumns.latestMomentsOrder, arguments: [family])
            .map { row -> String? in row[0] }
    }

    public func familyMoments(family: String, configHash: String) throws -> (moments: FamilyMoments, member: TrialSample?) {
        try database.read { db in
            let query = LedgerColumns.memberMomentsQuery(family: "?1", configHash: "?2")
            guard let row = try Row.fetchOne(db, sql: query, arguments: [family, configHash]) else { return (FamilyMoments(), nil) }
            let moments = try LedgerColumns.moments(latest: .some(row[6])) { try Self.samples(family, in: db) }
            let hash: String? = row[0]
            return (moments, hash.map { Self.sample(row, configHash: $0) })
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
