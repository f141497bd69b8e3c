import Foundation

/// Where a team's runs are kept: every run's config, headline figures (to filter and
/// sort), whole result, timing and provenance. Two backends answer it alike: SQLite
/// through GRDB for one analyst (``SQLiteRunStore``, the default) and PostgreSQL through
/// libpq for a team (``PostgresRunStore``). ``RunStores/open(_:)`` picks one from a path
/// or a `postgres://` URL.
///
/// Each write is one transaction: a writer killed mid-save leaves no half-written run.
public protocol RunStore: AnyObject, Sendable {
    /// The store as users name it: a file path, or a URL (which never carries a password).
    var location: String { get }
    /// Records a run, with where it came from when known, and in the same transaction its
    /// trial in this store's ledger (unless its config already has one in its family): no
    /// run lives in a store whose family lacks its trial. Returns the run's id.
    @discardableResult
    func save(_ result: ExperimentResult, seconds: Double, provenance: RunProvenance?) throws -> Int64
    /// The runs matching `filter`.
    func list(_ filter: RunFilter) throws -> [RunSummary]
    /// The stored result of run `id` as its JSON text (``ExperimentResult/json(pretty:)``).
    func document(id: Int64) throws -> Data
    /// Where run `id` came from: nil for a run recorded without a script (the REPL) or
    /// before AlphaLab kept it.
    func provenance(id: Int64) throws -> RunProvenance?
    /// Deletes run `id`, leaving its trial in the ledger and a tombstone (who, when, why)
    /// that the family still counts; returns whether it existed.
    @discardableResult
    func delete(id: Int64, reason: String) throws -> Bool
    /// Whether run `id` is stored (a stored run never changes; it can only be deleted).
    func contains(id: Int64) throws -> Bool
    /// The number of runs stored.
    func count() throws -> Int
    /// The number of runs `filter` matches, whatever its page.
    func count(_ filter: RunFilter) throws -> Int
    /// Keeps `verdict` with run `id`, beside any kept before (a verdict belongs to the
    /// analyst who made it); an unknown id is an error.
    func saveVerdict(_ verdict: Verdict, run id: Int64) throws
    /// The latest verdict kept with run `id`, if any; an unknown id is an error.
    func verdict(id: Int64) throws -> Verdict?
    /// Every verdict kept with run `id`, oldest first, each with its analyst.
    func verdicts(id: Int64) throws -> [KeptVerdict]
    /// Puts a tag on run `id`, takes one off, or adds a note, in one transaction with the
    /// run's current tags; an unknown id or a malformed tag or note is an error.
    func annotate(run id: Int64, _ kind: RunAnnotation.Kind, _ text: String) throws
    /// Every tag put on or taken off run `id` and every note, oldest first.
    func annotations(id: Int64) throws -> [RunAnnotation]

    /// Appends `trial` to the ledger, unless its config already has a trial in its family
    /// (the same config on the same data is one trial); returns whether it was new.
    @discardableResult
    func record(_ trial: Trial) throws -> Bool
    /// The ledger's trials of the family with key `family` (``TrialFamily/key``), oldest first.
    func trials(family: String) throws -> [Trial]
    /// Only what a verdict reads of the same trials (``TrialVerdict/init(_:samples:)``):
    /// a family of 10,000 is judged in a fraction of the time the whole trials take.
    func samples(family: String) throws -> [TrialSample]
    /// The family's running sums (``FamilyMoments``), read from its latest row, and the
    /// sample of its trial of `configHash` if it holds one: what the deflated Sharpe ratio
    /// needs, in two rows whatever the family's size.
    func familyMoments(family: String, configHash: String) throws -> (moments: FamilyMoments, member: TrialSample?)
    /// Every family in the ledger, most recently tried first, with its trial count and best
    /// annualised Sharpe ratio.
    func families() throws -> [TrialFamilySummary]
    /// Every trial of the ledger as stored, with its links, for ``LedgerVerification``.
    func ledgerRows() throws -> [LedgerRow]
    /// The tombstones of deleted runs, oldest first.
    func tombstones() throws -> [RunTombstone]
}

extension RunStore {
    /// The stored result of run `id`.
    public func load(id: Int64) throws -> ExperimentResult {
        try ExperimentResult(json: try document(id: id))
    }

    /// Deletes run `id` with no reason given.
    @discardableResult
    public func delete(id: Int64) throws -> Bool { try delete(id: id, reason: "") }

    /// `sample` judged against its family (the one with key `family`) from the family's
    /// running sums.
    public func judge(_ sample: TrialSample, family: String) throws -> TrialVerdict {
        let (moments, member) = try familyMoments(family: family, configHash: sample.configHash)
        return TrialVerdict(sample: sample, moments: moments, includesSample: member != nil)
    }

    /// The family's trial of `configHash` judged against the family, or nil when the
    /// family holds no such trial.
    public func judge(configHash: String, family: String) throws -> TrialVerdict? {
        let (moments, member) = try familyMoments(family: family, configHash: configHash)
        return member.map { TrialVerdict(sample: $0, moments: moments, includesSample: true) }
    }

    /// Puts `tags` on run `id` (each once).
    public func tag(_ id: Int64, _ tags: [String]) throws { for t in tags { try annotate(run: id, .tag, t) } }
    /// Takes `tags` off run `id`.
    public func untag(_ id: Int64, _ tags: [String]) throws { for t in tags { try annotate(run: id, .untag, t) } }
    /// Adds a note about run `id`.
    public func note(_ id: Int64, _ text: String) throws { try annotate(run: id, .note, text) }

    /// Recomputes every family's chain and every trial's ratio from the stored rows.
    public func verifyLedger() throws -> LedgerVerification { LedgerVerification(rows: try ledgerRows()) }
}

/// A verdict kept with a run: who made it, when, and the verdict.
public struct KeptVerdict: Sendable, Equatable {
    public var user: String
    public var createdAt: String
    public var verdict: Verdict
}

/// What is left of a deleted run: which run, its trial's family and config, who deleted
/// it, when and why. Its trial stays in the ledger and still counts.
public struct RunTombstone: Sendable, Equatable {
    public var runID: Int64
    public var name: String
    public var family: String?
    public var configHash: String?
    public var deletedBy: String
    public var deletedAt: String
    public var reason: String
}

/// A family of trials in the ledger, in brief.
public struct TrialFamilySummary: Sendable, Equatable {
    public var key: String
    public var family: TrialFamily
    public var trials: Int
    public var bestAnnualSharpe: Double
    /// The latest trial's time.
    public var lastRecorded: String
}

/// The ledger's columns, shared by both backends: a trial's family (its key and parts),
/// config hash, returns (comma-separated, each in its shortest exact form) and statistics.
enum LedgerColumns {
    static let names = ["family", "config_hash", "data_fingerprint", "universe", "start_date", "end_date", "rebalance", "name", "returns",
                        "sharpe", "annual_sharpe", "periods", "skew", "kurtosis", "script_hash", "user_name", "host", "recorded_at",
                        "active_returns", "claim", "risk_free", "previous_hash", "hash", "family_moments"]

    /// The trial `result` makes when it is saved with `provenance` (its script, user and host).
    static func trial(of result: ExperimentResult, provenance: RunProvenance?) -> Trial {
        Trial(result: result, scriptHash: provenance?.scriptHash, user: provenance?.user ?? RunProvenance.currentUser,
              host: provenance?.host ?? RunProvenance.currentHost)
    }

    /// The values of `trial` in ``names``' order (nil: NULL, for NaN and an absent script).
    static func values(_ t: Trial, previousHash: String, hash: String, moments: FamilyMoments) -> [ResultField.Value?] {
        func number(_ x: Double) -> ResultField.Value? { x.isFinite ? .number(x) : nil }
        let f = t.family
        return [.text(f.key), .text(t.configHash), .text(f.dataFingerprint), .text(f.universe), .text(f.start), .text(f.end),
                .text(f.rebalance), .text(t.name), .text(t.returns.map { "\($0)" }.joined(separator: ",")), number(t.sharpe),
                number(t.annualSharpe), .integer(t.periods), number(t.skew), number(t.kurtosis), t.scriptHash.map { .text($0) },
                .text(t.user), .text(t.host), .text(t.recordedAt),
                .text(t.activeReturns.map { "\($0)" }.joined(separator: ",")), .text(t.claim.rawValue), .number(t.riskFree),
                .text(previousHash), .text(hash), .text(moments.encoded)]
    }

    /// The latest running sums of a family (the last row's `family_moments`), read before a
    /// trial is appended or a verdict judged.
    static let latestMomentsQuery = "SELECT family_moments FROM trials WHERE family = "
    static let latestMomentsOrder = " ORDER BY id DESC LIMIT 1"

    /// The latest running sums of family `family` beside its member `configHash` (NULL
    /// columns when it has none; no row for an empty family), in one statement, so one
    /// snapshot: the sums and the membership agree under concurrent appends. The sample's
    /// columns come first, as in ``sampleQuery``.
    static func memberMomentsQuery(family: String, configHash: String) -> String {
        "SELECT m.config_hash, m.returns, m.active_returns, m.claim, m.risk_free, m.rebalance, l.family_moments "
            + "FROM (SELECT family_moments FROM trials WHERE family = \(family)\(latestMomentsOrder)) l "
            + "LEFT JOIN trials m ON m.family = \(family) AND m.config_hash = \(configHash)"
    }

    /// The family's running sums from its latest row: none for an empty family; recomputed
    /// from `samples` when the latest row has none (recorded before they were kept) or its
    /// text does not read (``LedgerVerification`` names such a row).
    static func moments(latest row: String??, samples: () throws -> [TrialSample]) rethrows -> FamilyMoments {
        switch row {
        case nil: FamilyMoments()
        case let stored??: try FamilyMoments(encoded: stored) ?? FamilyMoments(samples())
        case .some(nil): try FamilyMoments(samples())
        }
    }

    /// A ledger row from a row of the trials table, read by column name.
    static func ledgerRow(text: (String) -> String?, number: (String) -> Double?) -> LedgerRow {
        LedgerRow(id: Int64(number("id") ?? -1), trial: trial(text: text, number: number),
                  previousHash: text("previous_hash"), hash: text("hash"), storedAnnualRatio: number("annual_sharpe"),
                  storedMoments: text("family_moments"))
    }

    /// The family of a row (of the trials table or of ``familiesQuery``), read by column name.
    static func family(text: (String) -> String?) -> TrialFamily {
        TrialFamily(dataFingerprint: text("data_fingerprint") ?? "", universe: text("universe") ?? "",
                    start: text("start_date") ?? "", end: text("end_date") ?? "", rebalance: text("rebalance") ?? "")
    }

    /// A trial from a row, read by column name as text or as a number (nil: NULL).
    static func trial(text: (String) -> String?, number: (String) -> Double?) -> Trial {
        let family = family(text: text)
        return Trial(configHash: text("config_hash") ?? "", family: family, name: text("name") ?? "", returns: parseReturns(text("returns") ?? ""),
                     activeReturns: parseReturns(text("active_returns") ?? ""), claim: claim(text("claim")),
                     riskFree: number("risk_free") ?? legacyRiskFree, scriptHash: text("script_hash"), user: text("user_name") ?? "",
                     host: text("host") ?? "", recordedAt: text("recorded_at") ?? "")
    }

    /// A stored claim; trials recorded before the ledger kept one count as the default
    /// (active), and having no active returns either, are judged on their returns less the
    /// risk-free rate (``TrialSample/series(_:)``).
    static func claim(_ text: String?) -> Claim { text.flatMap(Claim.init(rawValue:)) ?? .active }
    /// The risk-free rate of trials recorded before it was kept: the default, then the only one.
    static let legacyRiskFree = ExperimentConfig().riskFreeRate

    /// Comma-separated numbers, read with `strtod` (correctly rounded, so each shortest
    /// form reads back to the same double): a family of 10,000 trials holds about half a
    /// million of them, and a verdict reads them all.
    static func parseReturns(_ text: String) -> [Double] {
        text.withCString { parseReturns(cString: $0) }
    }

    /// ``parseReturns(_:)`` of a C string, in place.
    static func parseReturns(cString start: UnsafePointer<CChar>) -> [Double] { NumberList.leading(cString: start) }

    /// The columns a sample reads, and a sample from them (NULL columns as nil).
    static let sampleQuery = "SELECT config_hash, returns, active_returns, claim, risk_free, rebalance FROM trials WHERE family = "
    static func sample(configHash: String, returns: [Double], activeReturns: [Double], claim: String?, riskFree: Double?,
                       rebalance: String?) -> TrialSample {
        TrialSample(configHash: configHash, returns: returns, activeReturns: activeReturns, claim: Self.claim(claim),
                    riskFree: riskFree ?? legacyRiskFree, periodsPerYear: TrialFamily.periodsPerYear(rebalance: rebalance))
    }

    /// The table (`id` is each backend's own auto-increment column).
    static func createTable(id: String, real: String) -> String {
        """
        CREATE TABLE trials (
            id \(id),
            family TEXT NOT NULL, config_hash TEXT NOT NULL,
            data_fingerprint TEXT NOT NULL, universe TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, rebalance TEXT NOT NULL,
            name TEXT NOT NULL, returns TEXT NOT NULL,
            sharpe \(real), annual_sharpe \(real), periods INTEGER NOT NULL, skew \(real), kurtosis \(real),
            script_hash TEXT, user_name TEXT NOT NULL, host TEXT NOT NULL, recorded_at TEXT NOT NULL,
            UNIQUE (family, config_hash));
        CREATE INDEX trials_family ON trials(family);
        """
    }

    /// The latest verdict of a run (one kept beside others, else one kept in `table`'s
    /// verdict column before verdicts were kept beside each other), by the run's id that
    /// the caller appends as a parameter.
    static func latestVerdictQuery(from table: String) -> String {
        "SELECT COALESCE((SELECT v.verdict FROM run_verdicts v WHERE v.run_id = r.id ORDER BY v.id DESC LIMIT 1), r.verdict) AS verdict "
            + "FROM \(table) r WHERE r.id = "
    }

    /// The message both backends' triggers give a change to the ledger.
    static let appendOnly = "the ledger is append-only: trials and tombstones cannot be changed or deleted"

    /// A tombstone from a row, read by column name.
    static func tombstone(text: (String) -> String?) -> RunTombstone {
        RunTombstone(runID: Int64(text("run_id") ?? "") ?? -1, name: text("name") ?? "", family: text("family"), configHash: text("config_hash"),
                     deletedBy: text("deleted_by") ?? "", deletedAt: text("deleted_at") ?? "", reason: text("reason") ?? "")
    }

    /// The families query, the same in both backends.
    static let familiesQuery = """
        SELECT family, data_fingerprint, universe, start_date, end_date, rebalance, COUNT(*) AS trials,
            MAX(annual_sharpe) AS best, MAX(recorded_at) AS last
        FROM trials GROUP BY family, data_fingerprint, universe, start_date, end_date, rebalance ORDER BY last DESC, family
        """

    /// A family summary from a row of ``familiesQuery``.
    static func familySummary(text: (String) -> String?, number: (String) -> Double?) -> TrialFamilySummary {
        TrialFamilySummary(key: text("family") ?? "", family: family(text: text), trials: Int(number("trials") ?? 0), bestAnnualSharpe: number("best") ?? .nan, lastRecorded: text("last") ?? "")
    }
}

extension RunStore {
    /// Records a run without provenance.
    @discardableResult
    public func save(_ result: ExperimentResult, seconds: Double = 0) throws -> Int64 {
        try save(result, seconds: seconds, provenance: nil)
    }

    /// Every run, newest first (at most 1000).
    public func list() throws -> [RunSummary] { try list(RunFilter()) }

    /// The headline columns of a run, from the result fields that have one, as the
    /// backends store them (NaN as NULL).
    static func columnValues(of result: ExperimentResult) -> [(column: String, value: ResultField.Value?)] {
        ResultField.columns.map { field in (field.key, FigureColumns.value(field, of: result)) }
    }

    /// The error for a run id the store does not hold.
    func noRun(_ id: Int64) -> StoreError { .badQuery("no run with id \(id) in \(location)") }

    /// The JSON of a stored provenance, decoded (an error names the run).
    func decodeProvenance(_ text: String, id: Int64) throws -> RunProvenance {
        do { return try JSONDecoder().decode(RunProvenance.self, from: Data(text.utf8)) } catch {
            throw StoreError.badQuery("run \(id) in \(location) has an unreadable provenance: \(error)")
        }
    }
}

/// One stored run's headline (without its curves).
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var createdAt: String
    public var seconds: Double
    public var version: String
    /// The stored figures (``ResultField/columns``) by key; a figure the run lacks (a NaN,
    /// a run without periods has no dates) is absent.
    public var figures: [String: ResultField.Value]
    /// The hash of the script that recorded it (nil: no script, so no `alphalab rerun`).
    public var scriptHash: String?
    /// The XGBoost version that computed it (nil for runs recorded before it was kept).
    public var xgboostVersion: String?
    /// The headline of the verdict kept with the run (credible, fragile, artefact), if any.
    public var verdict: String? = nil
    /// The universe and rebalance frequency of its config, who recorded it and with which
    /// script, its family of trials (``TrialFamily/key``) and its config's trial hash (nil
    /// for runs recorded before AlphaLab kept them).
    public var universe: String? = nil
    public var rebalance: String? = nil
    public var user: String? = nil
    public var scriptPath: String? = nil
    public var family: String? = nil
    public var configHash: String? = nil
    /// The run's tags, sorted.
    public var tags: [String] = []
    /// The config's strategy, and the fields it sets away from the seed's defaults (years
    /// and name aside), as `top_n=5 rebalance=weekly` (nil for runs recorded before).
    public var strategy: String? = nil
    public var parameters: String? = nil

    /// The stored figure `key` as a number: NaN when absent or not a number.
    public func number(_ key: String) -> Double {
        switch figures[key] {
        case .number(let x)?: x
        case .integer(let n)?: Double(n)
        default: .nan
        }
    }

    /// The stored figure `key` as text, nil when absent.
    public func text(_ key: String) -> String? {
        if case .text(let t)? = figures[key] { return t }
        return nil
    }

    /// The run's name.
    public var name: String { text("name") ?? "" }

    /// The tags in a tags column (",a,b,").
    static func tags(_ column: String?) -> [String] {
        (column ?? "").split(separator: ",").map(String.init)
    }

    /// The columns of a run that are not figures of its result: who and when, versions,
    /// the verdict's headline, and what the run browser filters on.
    static let runColumns = ["id", "created_at", "seconds", "alphalab_version", "script_hash", "xgboost_version", "verdict_headline",
                             "universe", "rebalance", "user_name", "script_path", "family", "config_hash", "tags", "strategy", "parameters"]

    /// The columns a summary reads, in this order, in both backends: the run's, then every
    /// stored figure's.
    static let columns = runColumns + ResultField.columns.map(\.key)

    /// Each of ``columns`` by its position in a row that selects them in order.
    private static let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })

    /// A summary from a row selecting ``columns`` in order, read through `text` and `number`
    /// by position (a lookup by name was a sixth of the runs page's time).
    static func read(text column: (Int) -> String?, number figure: (Int) -> Double?) -> RunSummary {
        func text(_ name: String) -> String? { column(position[name]!) }
        func number(_ name: String) -> Double? { figure(position[name]!) }
        var figures: [String: ResultField.Value] = [:]
        for (offset, field) in ResultField.columns.enumerated() {
            let at = runColumns.count + offset
            switch field.kind {
            case .number: if let x = figure(at), x.isFinite { figures[field.key] = .number(x) }
            case .integer: if let x = figure(at) { figures[field.key] = .integer(Int(x)) }
            case .string: if let t = column(at) { figures[field.key] = .text(t) }
            }
        }
        return RunSummary(id: Int64(number("id") ?? 0), createdAt: text("created_at") ?? "", seconds: number("seconds") ?? .nan,
                          version: text("alphalab_version") ?? "", figures: figures, scriptHash: text("script_hash"),
                          xgboostVersion: text("xgboost_version"), verdict: text("verdict_headline"), universe: text("universe"),
                          rebalance: text("rebalance"), user: text("user_name"), scriptPath: text("script_path"), family: text("family"),
                          configHash: text("config_hash"), tags: tags(text("tags")), strategy: text("strategy"), parameters: text("parameters"))
    }

    /// The browse columns of a run about to be saved: universe, rebalance, user, script, family,
    /// config hash, strategy and chosen parameters.
    static func browseValues(_ result: ExperimentResult, provenance: RunProvenance?) -> [(column: String, value: String?)] {
        [("universe", result.config.universe), ("rebalance", result.config.rebalance.rawValue),
         ("user_name", provenance?.user ?? RunProvenance.currentUser), ("script_path", provenance?.scriptPath),
         ("family", TrialFamily(result: result).key), ("config_hash", result.config.trialHash),
         ("strategy", result.config.strategy.rawValue), ("parameters", parameters(result.config))]
    }

    /// The fields `config` sets away from the seed's defaults, its name, years and strategy aside.
    static func parameters(_ config: ExperimentConfig) -> String {
        let defaults = ExperimentConfig().values, skipped: Set<String> = ["name", "start_year", "end_year", "strategy"]
        return ExperimentConfig.fields.filter { !skipped.contains($0.key) }.compactMap { field in
            let value = field.value(in: config)
            return defaults[field.key] == value ? nil : "\(field.key)=\(value.display)"
        }.joined(separator: " ")
    }
}

/// Which runs to list: filters, an order and a page.
public struct RunFilter: Sendable, Equatable {
    /// A LIKE pattern on the name (`%` and `_` wildcards, ASCII case ignored); nil for all.
    public var name: String?
    /// A LIKE pattern on the recording script's path.
    public var script: String?
    /// The user who recorded the runs.
    public var user: String?
    /// Runs recorded on or after this ISO date or timestamp.
    public var since: String?
    /// Runs recorded on or before this ISO date (the whole day).
    public var until: String?
    /// Runs with at least this Sharpe ratio.
    public var minSharpe: Double?
    /// Runs on this universe, with this execution model, under this signal timing.
    public var universe: String?
    public var execution: String?
    public var timing: String?
    /// Runs carrying this tag.
    public var tag: String?
    /// Runs of this family of trials (``TrialFamily/key``).
    public var family: String?
    /// Order: one of ``RunFilter/orders`` ("created": newest first; figures: best first;
    /// text columns: alphabetical), reversed with `descending` set against its default.
    public var orderBy = "created"
    public var descending: Bool?
    public var limit = 1000
    /// Runs skipped before the first listed (paging).
    public var offset = 0

    public init(name: String? = nil, since: String? = nil, minSharpe: Double? = nil, orderBy: String = "created", limit: Int = 1000) {
        self.name = name
        self.since = since
        self.minSharpe = minSharpe
        self.orderBy = orderBy
        self.limit = limit
    }

    /// What a list can be ordered by: the key, its column, whether it sorts descending by
    /// default, and whether the column may be NULL: the run's own columns, then every stored
    /// figure (``ResultField/columns``) under its key.
    public static let orders: [(key: String, column: String, descending: Bool, nullable: Bool)] = [
        ("created", "created_at", true, false), ("id", "id", true, false), ("universe", "universe", false, true),
        ("user", "user_name", false, true), ("verdict", "verdict_headline", false, true),
    ] + ResultField.columns.map { field in (field.key, field.key, field.column!.descending, !field.column!.required) }

    /// Order keys older links and scripts use, and the key each now is.
    static let orderAliases = ["timing": "signal_timing"]

    /// The SQL ORDER BY clause: runs without the figure come last (SQLite sorts NULL lowest,
    /// PostgreSQL highest unless told: `nullsLast`), ties by id, newest first.
    func orderClause(nullsLast: Bool = false) throws -> String {
        let orderBy = Self.orderAliases[orderBy] ?? orderBy
        guard let order = Self.orders.first(where: { $0.key == orderBy }) else {
            throw StoreError.badQuery("order must be one of \(Self.orders.map(\.key).joined(separator: ", ")), got '\(orderBy)'")
        }
        let down = descending ?? order.descending
        // SQLite sorts NULL lowest: a leading IS NULL key moves it last, only where the
        // column can be NULL (on a NOT NULL column it would keep the index from serving
        // the order, and every list would sort the whole table).
        let nulls = nullsLast && order.nullable ? " NULLS LAST" : ""
        let nullKey = !nullsLast && order.nullable ? "\(order.column) IS NULL, " : ""
        return "\(nullKey)\(order.column) \(down ? "DESC" : "ASC")\(nulls), id DESC"
    }

    /// The WHERE clause (empty when nothing filters) and its values in order; `placeholder(n)`
    /// spells the n-th parameter (`?` for SQLite, `$n` for PostgreSQL); `like` is the
    /// case-blind LIKE of the backend.
    func conditions(placeholder: (Int) -> String, like: String) -> (sql: String, values: [String]) {
        var clauses: [String] = [], values: [String] = []
        func add(_ value: String?, _ clause: (String) -> String) {
            guard let value else { return }
            values.append(value)
            clauses.append(clause(placeholder(values.count)))
        }
        add(name) { "name \(like) \($0)" }
        add(script) { "script_path \(like) \($0)" }
        add(user) { "user_name = \($0)" }
        add(since) { "created_at >= \($0)" }
        add(until) { "substr(created_at, 1, 10) <= \($0)" }
        add(minSharpe.map { "\($0)" }) { "sharpe >= CAST(\($0) AS DOUBLE PRECISION)" }
        add(universe) { "universe = \($0)" }
        add(execution) { "execution = \($0)" }
        add(timing) { "signal_timing = \($0)" }
        add(family) { "family = \($0)" }
        add(tag.map { ",\($0),".replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "\\_") }) {
            "tags \(like) '%' || \($0) || '%' ESCAPE '\\'"
        }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), values)
    }
}

/// Opening a run store by where it is.
public enum RunStores {
    /// The store the environment configures (`$ALPHALAB_RUNS`, when set and not empty).
    public static func configuredLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        environment["ALPHALAB_RUNS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The store used when none is named: `$ALPHALAB_RUNS`, else `results/runs.db`.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        configuredLocation(environment: environment) ?? "results/runs.db"
    }

    /// The per-user ledger: `$XDG_DATA_HOME/alphalab/ledger.db`, else
    /// `~/.local/share/alphalab/ledger.db`, so a quick `-e` or REPL backtest never leaves
    /// files in the working folder.
    public static func userLedgerPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return data + "/alphalab/ledger.db"
    }

    /// Where trials go when no script names a store: `$ALPHALAB_RUNS`, else the per-user ledger.
    public static func ledgerLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        configuredLocation(environment: environment) ?? userLedgerPath(environment: environment)
    }

    /// `text` with the password of any `postgres://` URL in it removed: what may be printed,
    /// logged or recorded (a store refuses such a URL, but a script may still be given one).
    public static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"(postgres(?:ql)?://[^:/@\s]*):[^@/\s]*@"#, with: "$1@", options: .regularExpression)
    }

    /// Whether `location` names a PostgreSQL database rather than a file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Opens (creating and upgrading as needed) the store at `location`: a SQLite file
    /// path, or a `postgres://user@host:port/db` URL (its password from `PGPASSWORD` or
    /// `~/.pgpass`, never from the URL: a URL is logged and recorded with runs).
    public static func open(_ location: String) throws -> any RunStore {
        isURL(location) ? try PostgresRunStore(url: location) : try SQLiteRunStore(path: location)
    }
}
