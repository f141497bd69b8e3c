import Foundation

/// The team's ``RunStore``: a PostgreSQL database, reached through libpq at a
/// `postgres://user@host:port/db` URL. The same runs table as ``SQLiteRunStore``, so
/// both answer every question alike; schema versions are recorded in
/// `alphalab_migrations` and applied under an advisory lock, so analysts who open a new
/// database at once do not race.
public final class PostgresRunStore: RunStore {
    private let connection: PostgresConnection

    public var location: String { connection.location }

    /// Connects to the database at `url` and brings its schema up to date. A URL with a
    /// password is refused: URLs are logged and recorded with runs, so the password
    /// belongs in `PGPASSWORD` or `~/.pgpass`.
    public init(url: String) throws {
        guard let parts = URLComponents(string: url), parts.scheme == "postgres" || parts.scheme == "postgresql" else {
            throw StoreError.badQuery("'\(url)' is not a postgres://user@host:port/db URL")
        }
        if parts.password != nil {
            var shown = parts
            shown.password = nil
            throw StoreError.badQuery("""
                the run store URL carries a password: leave it out (\(shown.string ?? "postgres://user@host/db")) and put it in \
                PGPASSWORD or ~/.pgpass; a URL is printed, logged and recorded with the runs
                """)
        }
        connection = try PostgresConnection(url: url)
        try migrate()
    }

    /// The schema's versions, in order; each runs once, in its own transaction.
    public static let migrations: [(version: String, sql: String)] = [
        ("v1: runs", """
            CREATE TABLE runs (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                seconds DOUBLE PRECISION NOT NULL,
                alphalab_version TEXT NOT NULL,
                data_fingerprint TEXT NOT NULL,
                start_date TEXT, end_date TEXT,
                signal_timing TEXT NOT NULL,
                total_return DOUBLE PRECISION, cagr DOUBLE PRECISION, sharpe DOUBLE PRECISION, max_drawdown DOUBLE PRECISION,
                win_rate DOUBLE PRECISION, spy_return DOUBLE PRECISION, excess_return DOUBLE PRECISION, mean_ic DOUBLE PRECISION,
                execution TEXT NOT NULL, turnover DOUBLE PRECISION, cost_drag DOUBLE PRECISION, holding_days DOUBLE PRECISION,
                config TEXT NOT NULL,
                result TEXT NOT NULL,
                provenance TEXT, script_hash TEXT, xgboost_version TEXT);
            CREATE INDEX runs_name ON runs(name);
            CREATE INDEX runs_created ON runs(created_at);
            """),
        ("v2: ledger", LedgerColumns.createTable(id: "BIGSERIAL PRIMARY KEY", real: "DOUBLE PRECISION")),
        ("v3: verdict", "ALTER TABLE runs ADD COLUMN verdict TEXT; ALTER TABLE runs ADD COLUMN verdict_headline TEXT;"),
        ("v4: browse", """
            ALTER TABLE runs ADD COLUMN universe TEXT, ADD COLUMN rebalance TEXT, ADD COLUMN user_name TEXT, ADD COLUMN script_path TEXT,
                ADD COLUMN family TEXT, ADD COLUMN config_hash TEXT;
            UPDATE runs SET universe = config::json->>'universe', rebalance = config::json->>'rebalance',
                user_name = provenance::json->>'user', script_path = provenance::json->>'scriptPath';
            CREATE INDEX runs_universe ON runs(universe);
            CREATE INDEX runs_user ON runs(user_name);
            """),
        ("v5: claimed statistic", """
            ALTER TABLE trials ADD COLUMN active_returns TEXT, ADD COLUMN claim TEXT, ADD COLUMN risk_free DOUBLE PRECISION;
            """),
        // The ledger becomes evidence. Trials and tombstones refuse UPDATE, DELETE and
        // TRUNCATE, even to their owner, unless a member of the role alphalab_maintenance
        // acts with a reason set (SET alphalab.maintenance_reason = '...'), and then the act
        // is recorded in ledger_maintenance. Identity is the session's role, set by the
        // server on every insert, never what the client says.
        ("v6: append-only ledger", """
            ALTER TABLE trials ADD COLUMN previous_hash TEXT, ADD COLUMN hash TEXT;
            CREATE TABLE run_tombstones (
                id BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL, name TEXT NOT NULL, family TEXT, config_hash TEXT,
                deleted_by TEXT NOT NULL DEFAULT current_user, deleted_at TEXT NOT NULL, reason TEXT NOT NULL);
            CREATE TABLE ledger_maintenance (
                id BIGSERIAL PRIMARY KEY, acted_at TIMESTAMPTZ NOT NULL DEFAULT now(), acted_by TEXT NOT NULL DEFAULT current_user,
                operation TEXT NOT NULL, table_name TEXT NOT NULL, row_id BIGINT, reason TEXT NOT NULL);
            CREATE FUNCTION alphalab_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                why TEXT := current_setting('alphalab.maintenance_reason', true);
            BEGIN
                IF TG_LEVEL = 'ROW' AND COALESCE(why, '') <> '' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alphalab_maintenance') THEN
                    IF pg_has_role(current_user, 'alphalab_maintenance', 'MEMBER') THEN
                        INSERT INTO ledger_maintenance (operation, table_name, row_id, reason) VALUES (TG_OP, TG_TABLE_NAME, OLD.id, why);
                        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                        RETURN NEW;
                    END IF;
                END IF;
                RAISE EXCEPTION '\(LedgerColumns.appendOnly) (% on %)', TG_OP, TG_TABLE_NAME;
            END $$;
            CREATE TRIGGER trials_append_only BEFORE UPDATE OR DELETE ON trials FOR EACH ROW EXECUTE FUNCTION alphalab_append_only();
            CREATE TRIGGER trials_no_truncate BEFORE TRUNCATE ON trials FOR EACH STATEMENT EXECUTE FUNCTION alphalab_append_only();
            CREATE TRIGGER tombstones_append_only BEFORE UPDATE OR DELETE ON run_tombstones FOR EACH ROW EXECUTE FUNCTION alphalab_append_only();
            CREATE TRIGGER tombstones_no_truncate BEFORE TRUNCATE ON run_tombstones FOR EACH STATEMENT EXECUTE FUNCTION alphalab_append_only();
            CREATE FUNCTION alphalab_maintenance_log_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the ledger''s maintenance log cannot be changed (% on %)', TG_OP, TG_TABLE_NAME;
            END $$;
            CREATE TRIGGER maintenance_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_maintenance
                FOR EACH STATEMENT EXECUTE FUNCTION alphalab_maintenance_log_fixed();
            CREATE FUNCTION alphalab_identity() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.user_name := current_user;
                RETURN NEW;
            END $$;
            CREATE TRIGGER trials_identity BEFORE INSERT ON trials FOR EACH ROW EXECUTE FUNCTION alphalab_identity();
            CREATE TRIGGER runs_identity BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION alphalab_identity();
            """),
        // A verdict belongs to the analyst who made it: a second one is kept beside the
        // first. Runs are deleted only by their analyst (row-level security; the owner, who
        // administers the store, is exempt). Verdicts kept before stay in runs.verdict.
        ("v7: verdicts beside", """
            CREATE TABLE run_verdicts (
                id BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL, user_name TEXT NOT NULL, created_at TEXT NOT NULL,
                headline TEXT NOT NULL, verdict TEXT NOT NULL);
            CREATE INDEX run_verdicts_run ON run_verdicts(run_id);
            CREATE TRIGGER run_verdicts_identity BEFORE INSERT ON run_verdicts FOR EACH ROW EXECUTE FUNCTION alphalab_identity();
            CREATE TRIGGER run_verdicts_append_only BEFORE UPDATE OR DELETE ON run_verdicts FOR EACH ROW EXECUTE FUNCTION alphalab_append_only();
            ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
            CREATE POLICY runs_read ON runs FOR SELECT USING (true);
            CREATE POLICY runs_write ON runs FOR INSERT WITH CHECK (true);
            CREATE POLICY runs_verdict ON runs FOR UPDATE USING (true);
            CREATE POLICY runs_delete_own ON runs FOR DELETE USING (user_name = current_user);
            """),
        // Each trial carries its family's running sums (``FamilyMoments``); the first trial
        // appended to a family recorded before computes them from every earlier row.
        ("v8: family moments", "ALTER TABLE trials ADD COLUMN family_moments TEXT;"),
        // Tags and notes, append-only beside the run (each row its analyst's); the run's
        // current tags in its row, to filter.
        ("v9: tags, notes, strategy", """
            ALTER TABLE runs ADD COLUMN tags TEXT, ADD COLUMN strategy TEXT, ADD COLUMN parameters TEXT;
            UPDATE runs SET strategy = config::json->>'strategy';
            CREATE TABLE run_annotations (
                id BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
                user_name TEXT NOT NULL, created_at TEXT NOT NULL);
            CREATE INDEX run_annotations_run ON run_annotations(run_id);
            CREATE TRIGGER run_annotations_identity BEFORE INSERT ON run_annotations FOR EACH ROW EXECUTE FUNCTION alphalab_identity();
            CREATE TRIGGER run_annotations_append_only BEFORE UPDATE OR DELETE ON run_annotations FOR EACH ROW EXECUTE FUNCTION alphalab_append_only();
            """),
    ]

    private func migrate() throws {
        try connection.transaction {
            // One migrator at a time across every process on the server.
            try connection.execute("SELECT pg_advisory_xact_lock(7240317)")
            // An analyst of a team store (alphalab store init) may not create tables: look first.
            if try connection.execute("SELECT to_regclass('alphalab_migrations') IS NULL AS missing")[0, "missing"] == "t" {
                try connection.execute("CREATE TABLE alphalab_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            }
            let applied = Set(try connection.execute("SELECT version FROM alphalab_migrations").values.compactMap { $0[0] })
            let pending = Self.migrations.filter { !applied.contains($0.version) }
            let figures = ResultField.columns.filter { !applied.contains(FigureColumns.version($0)) }
            let versions = pending.map(\.version) + figures.map(FigureColumns.version)
            if !versions.isEmpty, try connection.execute("SELECT to_regclass('alphalab_team') IS NOT NULL AS team")[0, "team"] == "t",
               try connection.execute("SELECT pg_has_role(current_user, (SELECT owner FROM alphalab_team), 'USAGE') AS admin")[0, "admin"] != "t" {
                throw StoreError.badQuery("""
                    the team store at \(location) needs schema \(versions.joined(separator: ", ")) for this AlphaLab: \
                    its administrator brings it up to date with `alphalab store init URL --team ROLE` (analysts may not change the schema)
                    """)
            }
            for migration in pending {
                try connection.execute(migration.sql)
                try markApplied(migration.version)
            }
            for field in figures {
                try addFigureColumn(field)
                try markApplied(FigureColumns.version(field))
            }
        }
    }

    private func markApplied(_ version: String) throws {
        try connection.execute("INSERT INTO alphalab_migrations (version, applied_at) VALUES ($1, $2)", [version, ISO8601DateFormatter().string(from: Date())])
    }

    /// The generated migration of `field`'s column (``FigureColumns``): added when the runs
    /// table lacks it, and filled from the stored results, a page of runs at a time.
    private func addFigureColumn(_ field: ResultField) throws {
        let exists = try connection.execute("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'runs' AND column_name = $1",
                                            [field.key])[0, "n"] != "0"
        guard !exists else { return }
        try connection.execute("ALTER TABLE runs ADD COLUMN \(field.key) \(FigureColumns.sqlType(field, real: "DOUBLE PRECISION"))")
        var last: Int64 = 0
        while true {
            let rows = try connection.execute("SELECT id, result FROM runs WHERE id > $1 ORDER BY id LIMIT 200", ["\(last)"])
            guard rows.count > 0 else { return }
            for i in 0..<rows.count {
                let id = rows[i, "id"]!
                let result = try ExperimentResult(json: Data((rows[i, "result"] ?? "").utf8))
                try connection.execute("UPDATE runs SET \(field.key) = $1 WHERE id = $2", [FigureColumns.text(FigureColumns.value(field, of: result)), id])
                last = Int64(id)!
            }
        }
    }

    /// Every schema version this AlphaLab applies, in order: the written migrations, then
    /// the generated columns of the stored figures.
    public static var versions: [String] { migrations.map(\.version) + FigureColumns.versions }

    /// The schema versions applied, in order.
    public func schemaVersions() throws -> [String] {
        try connection.execute("SELECT version FROM alphalab_migrations ORDER BY version").values.compactMap { $0[0] }
    }

    @discardableResult
    public func save(_ result: ExperimentResult, seconds: Double, provenance: RunProvenance?) throws -> Int64 {
        let json = String(decoding: try result.json(pretty: false), as: UTF8.self)
        let origin = try provenance.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let config = String(decoding: try JSONEncoder().encode(result.config), as: UTF8.self)
        let figures = Self.columnValues(of: result)
        var values: [String?] = figures.map { FigureColumns.text($0.value) }
        let browse = RunSummary.browseValues(result, provenance: provenance)
        values += [ISO8601DateFormatter().string(from: Date()), "\(seconds)", AlphaLabVersion.string, config, json, origin,
                   provenance?.scriptHash, XGBoostModel.libraryVersion] + browse.map(\.value)
        let columns = figures.map(\.column) + ["created_at", "seconds", "alphalab_version", "config", "result", "provenance", "script_hash",
                                              "xgboost_version"] + browse.map(\.column)
        let placeholders = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let trial = LedgerColumns.trial(of: result, provenance: provenance)
        return try connection.transaction {
            let rows = try connection.execute("INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) RETURNING id", values)
            if !result.periods.isEmpty { _ = try recordInTransaction(trial) }
            return Int64(rows[0, "id"]!)!
        }
    }

    public func list(_ filter: RunFilter) throws -> [RunSummary] {
        // ILIKE: SQLite's LIKE ignores ASCII case, and both backends must answer alike.
        let (conditions, values) = filter.conditions(placeholder: { "$\($0)" }, like: "ILIKE")
        let sql = "SELECT \(RunSummary.columns.joined(separator: ", ")) FROM runs\(conditions)"
            + " ORDER BY \(try filter.orderClause(nullsLast: true)) LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))"
        let rows = try connection.execute(sql, values)
        return (0..<rows.count).map { i in RunSummary.read(text: { rows[i, position: $0] }, number: { rows[i, position: $0].flatMap(Double.init) }) }
    }

    public func count(_ filter: RunFilter) throws -> Int {
        let (conditions, values) = filter.conditions(placeholder: { "$\($0)" }, like: "ILIKE")
        return Int(try connection.execute("SELECT COUNT(*) AS n FROM runs\(conditions)", values)[0, "n"]!)!
    }

    public func document(id: Int64) throws -> Data {
        let rows = try connection.execute("SELECT result FROM runs WHERE id = $1", ["\(id)"])
        guard rows.count == 1, let text = rows[0, "result"] else { throw noRun(id) }
        return Data(text.utf8)
    }

    public func provenance(id: Int64) throws -> RunProvenance? {
        let rows = try connection.execute("SELECT provenance FROM runs WHERE id = $1", ["\(id)"])
        guard rows.count == 1 else { throw noRun(id) }
        return try rows[0, "provenance"].map { try decodeProvenance($0, id: id) }
    }

    public func saveVerdict(_ verdict: Verdict, run id: Int64) throws {
        let json = String(decoding: try verdict.json(), as: UTF8.self)
        try connection.transaction {
            let rows = try connection.execute("UPDATE runs SET verdict_headline = $1 WHERE id = $2 RETURNING id", [verdict.headline.rawValue, "\(id)"])
            guard rows.count == 1 else { throw noRun(id) }
            try connection.execute("INSERT INTO run_verdicts (run_id, user_name, created_at, headline, verdict) VALUES ($1, '', $2, $3, $4)",
                                   ["\(id)", ISO8601DateFormatter().string(from: Date()), verdict.headline.rawValue, json])
        }
    }

    public func verdict(id: Int64) throws -> Verdict? {
        let rows = try connection.execute(LedgerColumns.latestVerdictQuery(from: "runs") + "$1", ["\(id)"])
        guard rows.count == 1 else { throw noRun(id) }
        return try rows[0, "verdict"].map { try Verdict(json: Data($0.utf8)) }
    }

    public func annotate(run id: Int64, _ kind: RunAnnotation.Kind, _ text: String) throws {
        try RunAnnotation.check(kind, text)
        try connection.transaction {
            // FOR UPDATE: two analysts tagging one run at once apply their changes in turn.
            let rows = try connection.execute("SELECT tags FROM runs WHERE id = $1 FOR UPDATE", ["\(id)"])
            guard rows.count == 1 else { throw noRun(id) }
            try connection.execute("UPDATE runs SET tags = $1 WHERE id = $2", [RunAnnotation.tagsColumn(rows[0, "tags"], applying: kind, text), "\(id)"])
            try connection.execute("INSERT INTO run_annotations (run_id, kind, text, user_name, created_at) VALUES ($1, $2, $3, '', $4)",
                                   ["\(id)", kind.rawValue, text, ISO8601DateFormatter().string(from: Date())])
        }
    }

    public func annotations(id: Int64) throws -> [RunAnnotation] {
        let rows = try connection.execute("SELECT kind, text, user_name, created_at FROM run_annotations WHERE run_id = $1 ORDER BY id", ["\(id)"])
        return (0..<rows.count).map { i in
            RunAnnotation(kind: RunAnnotation.Kind(rawValue: rows[i, "kind"] ?? "") ?? .note, text: rows[i, "text"] ?? "",
                          user: rows[i, "user_name"] ?? "", createdAt: rows[i, "created_at"] ?? "")
        }
    }

    public func verdicts(id: Int64) throws -> [KeptVerdict] {
        let rows = try connection.execute("SELECT user_name, created_at, verdict FROM run_verdicts WHERE run_id = $1 ORDER BY id", ["\(id)"])
        return try (0..<rows.count).map { i in
            KeptVerdict(user: rows[i, "user_name"] ?? "", createdAt: rows[i, "created_at"] ?? "", verdict: try Verdict(json: Data((rows[i, "verdict"] ?? "").utf8)))
        }
    }

    @discardableResult
    public func delete(id: Int64, reason: String) throws -> Bool {
        try connection.transaction {
            let rows = try connection.execute("DELETE FROM runs WHERE id = $1 RETURNING name, family, config_hash", ["\(id)"])
            guard rows.count == 1 else {
                // Row-level security hides another analyst's run from DELETE: say so.
                let owner = try connection.execute("SELECT user_name FROM runs WHERE id = $1", ["\(id)"])
                if owner.count == 1 {
                    throw StoreError.badQuery("run \(id) was recorded by \(owner[0, "user_name"] ?? "another analyst"): only its analyst (or the store's administrator) can delete it")
                }
                return false
            }
            try connection.execute("""
                INSERT INTO run_tombstones (run_id, name, family, config_hash, deleted_at, reason) VALUES ($1, $2, $3, $4, $5, $6)
                """, ["\(id)", rows[0, "name"], rows[0, "family"], rows[0, "config_hash"], ISO8601DateFormatter().string(from: Date()), reason])
            return true
        }
    }

    public func count() throws -> Int {
        Int(try connection.execute("SELECT COUNT(*) AS n FROM runs")[0, "n"]!)!
    }

    public func contains(id: Int64) throws -> Bool {
        try connection.execute("SELECT 1 AS one FROM runs WHERE id = $1", ["\(id)"]).count > 0
    }

    @discardableResult
    public func record(_ trial: Trial) throws -> Bool {
        try connection.transaction { try recordInTransaction(trial) }
    }

    /// Appends `trial` inside the open transaction: the family's advisory lock serialises
    /// its writers, so no two trials link to the same predecessor. The trial is recorded
    /// as the session's role (the server's trigger sets it; the hash covers the same name).
    private func recordInTransaction(_ trial: Trial) throws -> Bool {
        let family = trial.family.key
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [family])
        if try connection.execute("SELECT 1 FROM trials WHERE family = $1 AND config_hash = $2", [family, trial.configHash]).count > 0 {
            return false
        }
        var trial = trial
        trial.user = try connection.execute("SELECT current_user AS who")[0, "who"] ?? trial.user
        let previous = try connection.execute("SELECT hash FROM trials WHERE family = $1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
                                              [family])[safe: 0, "hash"] ?? LedgerChain.genesis(family: family)
        var moments = try LedgerColumns.moments(latest: latestMoments(family)) { try samples(family: family) }
        moments.add(trial.sample)
        let values: [String?] = LedgerColumns.values(trial, previousHash: previous, hash: LedgerChain.hash(trial, previous: previous),
                                                     moments: moments).map { value in
            switch value {
            case .number(let x)?: "\(x)"
            case .integer(let n)?: "\(n)"
            case .text(let s)?: s
            case nil: nil
            }
        }
        let placeholders = LedgerColumns.names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        try connection.execute("INSERT INTO trials (\(LedgerColumns.names.joined(separator: ", "))) VALUES (\(placeholders))", values)
        return true
    }

    public func ledgerRows() throws -> [LedgerRow] {
        let rows = try connection.execute("SELECT * FROM trials ORDER BY id")
        return (0..<rows.count).map { i in
            LedgerColumns.ledgerRow(text: { rows[i, $0] }, number: { rows[i, $0].flatMap(Double.init) })
        }
    }

    public func tombstones() throws -> [RunTombstone] {
        let rows = try connection.execute("SELECT * FROM run_tombstones ORDER BY id")
        return (0..<rows.count).map { i in LedgerColumns.tombstone(text: { rows[i, $0] }) }
    }

    public func trials(family: String) throws -> [Trial] {
        let rows = try connection.execute("SELECT * FROM trials WHERE family = $1 ORDER BY id", [family])
        return (0..<rows.count).map { i in
            LedgerColumns.trial(text: { rows[i, $0] }, number: { rows[i, $0].flatMap(Double.init) })
        }
    }

    public func samples(family: String) throws -> [TrialSample] {
        try connection.map(LedgerColumns.sampleQuery + "$1 ORDER BY id", [family]) { row in Self.sample(row, configHash: row.text(0) ?? "") }
    }

    /// The sample in a row whose first columns are ``LedgerColumns/sampleQuery``'s, its
    /// returns parsed in place from libpq's text.
    private static func sample(_ row: PostgresConnection.RowView, configHash: String) -> TrialSample {
        LedgerColumns.sample(configHash: configHash, returns: row.cString(1).map { LedgerColumns.parseReturns(cString: $0) } ?? [],
                             activeReturns: row.cString(2).map { LedgerColumns.parseReturns(cString: $0) } ?? [], claim: row.text(3),
                             riskFree: row.cString(4).map { strtod($0, nil) }, rebalance: row.text(5))
    }

    /// The latest row's running sums: nil for an empty family, .some(nil) for a row without.
    private func latestMoments(_ family: String) throws -> String?? {
        let rows = try connection.execute(LedgerColumns.latestMomentsQuery + "$1" + LedgerColumns.latestMomentsOrder, [family])
        return rows.count == 0 ? nil : .some(rows[0, "family_moments"])
    }

    public func familyMoments(family: String, configHash: String) throws -> (moments: FamilyMoments, member: TrialSample?) {
        let rows = try connection.map(LedgerColumns.memberMomentsQuery(family: "$1", configHash: "$2"), [family, configHash]) { row in
            (moments: row.text(6), member: row.text(0).map { Self.sample(row, configHash: $0) })
        }
        guard let row = rows.first else { return (FamilyMoments(), nil) }
        return (try LedgerColumns.moments(latest: .some(row.moments)) { try samples(family: family) }, row.member)
    }

    public func families() throws -> [TrialFamilySummary] {
        let rows = try connection.execute(LedgerColumns.familiesQuery)
        return (0..<rows.count).map { i in
            LedgerColumns.familySummary(text: { rows[i, $0] }, number: { rows[i, $0].flatMap(Double.init) })
        }
    }
}
