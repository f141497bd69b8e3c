import AlphaLab
import Foundation

/// What the `lab` functions of one Lua state share beyond Lua values: whether the
/// state is planning (a dry run that records trainings instead of performing them),
/// running one shard of a sweep or rerunning a recorded run; the sandbox it is
/// confined to; the script it runs. Through that: how datasets cache trainings, which
/// runs are really run, what is recorded with a run, and where files may be read and
/// written.
///
/// Every `lab` function that makes a dataset, reads or writes a file or opens a run
/// store asks the session, so a dry run of any script trains nothing and leaves
/// nothing behind, and a sandboxed one touches only what its sandbox allows.
public final class LabSession {
    /// What the session's runs really do.
    public enum Mode {
        /// Runs train and are recorded; files are written.
        case live
        /// A dry run: datasets made by `lab` record their trainings in the plan and train
        /// nothing; files and run records are discarded.
        case planning(TrainingPlan)
        /// One shard of a sweep: this state runs the shard's share of the script's runs for
        /// real and stores their results; the other runs use stand-in models, and files and
        /// run records are discarded.
        case sweep(Shard)
        /// A rerun of a recorded script: it trains for real, but the runs it saves are
        /// captured (``captured``) and its files discarded, so nothing stored changes. A
        /// fresh rerun's trainings neither read nor fill the disk cache.
        case rerun(fresh: Bool)
    }

    /// The session's mode: live unless a planner, a sweep worker or a rerun set another
    /// (``start(_:)``) before the script ran.
    public private(set) var mode = Mode.live

    /// The plan a dry run records its trainings in.
    public var plan: TrainingPlan? { if case .planning(let plan) = mode { plan } else { nil } }
    /// The sweep shard this state runs.
    public var sweep: Shard? { if case .sweep(let shard) = mode { shard } else { nil } }
    /// Sweep bookkeeping: storable runs dealt, and those dealt to this shard.
    public private(set) var sweepRuns = (seen: 0, ran: 0)
    /// Each dataset's stand-in twin (same prices, a planning cache) for other shards' runs.
    private var standIns: [ObjectIdentifier: Dataset] = [:]
    /// Where a dry run's run stores live until the session ends.
    private var scratch: String?
    /// The script this session runs, recorded with every run it saves (see ``save(_:seconds:dataOptions:in:)``).
    public var invocation: Invocation?

    /// A script run from the command line: its path (nil for an `-e` chunk), text, arguments and folder.
    public struct Invocation {
        public var path: String?
        public var text: String
        public var arguments: [String]
        public var workingDirectory: String

        public init(path: String?, text: String, arguments: [String], workingDirectory: String) {
            self.path = path
            self.text = text
            self.arguments = arguments
            self.workingDirectory = workingDirectory
        }
    }

    /// Runs saved so far (the next run's ``RunProvenance/sequence`` is this plus one).
    public private(set) var runsSaved = 0
    /// In a rerun, the results the script saves, captured instead of recorded.
    public private(set) var captured: [ExperimentResult] = []
    /// Whether `help(x)` prints its text as well as returning it (not in the REPL, which
    /// prints what expressions return).
    public var helpPrints = true
    /// Whether `lab.run` without a `progress` option draws a progress line on stderr (the
    /// REPL on a terminal sets it).
    public var drawsProgress = false
    /// With a sandbox, files are read and written only where it allows.
    public private(set) var sandbox: Sandbox?

    init() {}

    deinit { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }

    /// Puts the session in `mode` (before the script runs: runs already made stay as they were).
    public func start(_ mode: Mode) {
        self.mode = mode
    }

    /// Confines the session's `lab` functions to `sandbox`.
    func confine(to sandbox: Sandbox) {
        self.sandbox = sandbox
    }

    /// Throws unless the sandbox (if any) lets a script read `path`.
    public func checkRead(_ path: String) throws(SandboxError) {
        try sandbox?.checkRead(path)
    }

    /// Throws unless the sandbox (if any) lets a script write `path`.
    public func checkWrite(_ path: String) throws(SandboxError) {
        try sandbox?.checkWrite(path)
    }

    /// In a fresh rerun, trainings neither read nor fill the disk cache.
    public var ignoresDiskCache: Bool { if case .rerun(fresh: true) = mode { true } else { false } }

    /// Where the next run saved comes from, if the session runs a script; counts it.
    func nextProvenance(dataOptions: [String]? = nil) -> RunProvenance? {
        runsSaved += 1
        guard let invocation else { return nil }
        var provenance = RunProvenance(scriptPath: invocation.path, scriptText: invocation.text, arguments: invocation.arguments.map(RunStores.redacted),
                                       workingDirectory: invocation.workingDirectory, sequence: runsSaved)
        provenance.dataOptions = dataOptions
        return provenance
    }

    /// Records `result` in `store` with its provenance; returns its id (in a rerun, the
    /// result is captured and the id is its place among the captured ones, negated).
    func save(_ result: ExperimentResult, seconds: Double, dataOptions: [String]? = nil, in store: any RunStore) throws -> Int64 {
        let provenance = nextProvenance(dataOptions: dataOptions)
        if case .rerun = mode {
            captured.append(result)
            return -Int64(captured.count)
        }
        return try store.save(result, seconds: seconds, provenance: provenance)
    }

    /// Keeps `verdict` with run `id` of `store`; a rerun's runs are captured, not stored
    /// (their ids are negative), so their verdicts are not either.
    func saveVerdict(_ verdict: Verdict, run id: Int64, in store: any RunStore) throws {
        if case .rerun = mode { return }
        try store.saveVerdict(verdict, run: id)
    }

    /// Whether files and run records are discarded.
    public var isDryRun: Bool { if case .live = mode { false } else { true } }

    /// In a sweep, whether the next run whose result can be stored is this shard's: runs
    /// are dealt round-robin in the order the script asks for them, the same in every shard.
    func takeSweepRun() -> Bool {
        guard let sweep else { return true }
        defer { sweepRuns.seen += 1 }
        let mine = sweepRuns.seen % sweep.count == sweep.index
        if mine { sweepRuns.ran += 1 }
        return mine
    }

    /// `dataset` with a planning cache: runs on it train nothing and score zero.
    func standIn(for dataset: Dataset) -> Dataset {
        if let twin = standIns[ObjectIdentifier(dataset)] { return twin }
        let twin = Dataset(panel: dataset.panel, trainingCache: TrainingCache(plan: TrainingPlan()), memberships: Array(dataset.memberships.values))
        standIns[ObjectIdentifier(dataset)] = twin
        return twin
    }

    /// A training cache for a dataset: stored in `directory` when given (which the
    /// sandbox must let the script write), planning only in a dry run.
    public func trainingCache(directory: String? = nil) throws(SandboxError) -> TrainingCache {
        if let directory { try checkWrite(directory) }
        return TrainingCache(directory: ignoresDiskCache ? nil : directory, plan: plan)
    }

    /// The contents of `path` if the sandbox (if any) lets a script read it; nil when it cannot be read.
    public func read(_ path: String) throws(SandboxError) -> Data? {
        try checkRead(path)
        return FileManager.default.contents(atPath: path)
    }

    /// Bytes written under the sandbox's output folder so far (Lua's `io` and `lab`'s files).
    private var outputWritten = 0

    /// Counts `bytes` about to be written to `path` against the sandbox's output limit
    /// (paths outside the output folder, such as /dev/null, do not count).
    public func countOutput(_ bytes: Int, to path: String) throws(SandboxError) {
        guard let sandbox, sandbox.countsTowardOutput(path) else { return }
        guard outputWritten + bytes <= sandbox.outputLimit else {
            throw SandboxError(path: path, access: "exceed", allowed: [], limit: sandbox.outputLimit)
        }
        outputWritten += bytes
    }

    /// Writes `data` to `path` atomically (nothing in a dry run).
    public func write(_ data: Data, to path: String) throws {
        try checkWrite(path)
        guard !isDryRun else { return }
        try countOutput(data.count, to: path)
        try AtomicFile.write(data, to: path)
    }

    /// Where this process's trials go, when the script named it (`lab.ledger`, which
    /// `cli.parse` calls for a script's `--runs`); otherwise ``ledgerLocation(environment:)``
    /// decides.
    public private(set) var ledgerOverride: String?
    /// Whether completed backtests are left out of the ledger (`--no-ledger`).
    public var ledgerOff = false
    /// The ledger, once opened.
    private var ledger: (any RunStore)?
    /// Whether a failure to record a trial was reported already (once a process is enough).
    private var ledgerFailureReported = false

    /// Where trials go: the store the host named (a script's `--runs`), else
    /// `$ALPHALAB_RUNS`, else the per-user ledger.
    public func ledgerLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let ledgerOverride, !ledgerOverride.isEmpty { return ledgerOverride }
        return RunStores.ledgerLocation(environment: environment)
    }

    /// Sends this process's trials to the store at `location` from now on ('' for the
    /// default), checked as ``runStore(location:)`` checks a store it opens.
    public func setLedger(_ location: String) throws {
        if !location.isEmpty { try checkStoreAccess(location) }
        guard location != (ledgerOverride ?? "") else { return }
        ledgerOverride = location.isEmpty ? nil : location
        ledger = nil
    }

    /// The ledger store (opened on first use).
    public func ledgerStore() throws -> any RunStore {
        if let ledger { return ledger }
        let store = try RunStores.open(ledgerLocation())
        ledger = store
        return store
    }

    /// Whether a store was named for this process (a script's `--runs`, `$ALPHALAB_RUNS`):
    /// then each result's summary shows its verdict against the ledger.
    public var ledgerConfigured: Bool {
        !(ledgerOverride ?? "").isEmpty || RunStores.configuredLocation() != nil
    }

    /// Appends the trial `result` makes to the ledger: every backtest that completes counts,
    /// saved or not, except in a dry run, a sweep's stand-ins or a rerun, or with the ledger
    /// off. A ledger that cannot be reached does not stop the run: it is reported once.
    /// Returns the result's verdict against its family when a store is configured.
    @discardableResult
    func recordTrial(_ result: ExperimentResult) -> TrialVerdict? {
        recordTrial(result) { store, trial in ledgerConfigured ? try store.judge(trial.sample, family: trial.family.key) : nil } ?? nil
    }

    /// Records `result`'s trial (as ``recordTrial(_:)``) and returns its family's samples
    /// in the ledger, the trial's own included (a strategy's verdict judges against them);
    /// nil when nothing was recorded.
    func recordedFamily(_ result: ExperimentResult) -> [TrialSample]? {
        recordTrial(result) { store, trial in try store.samples(family: trial.family.key) }
    }

    /// Records `result`'s trial and reads what `read` reads of the ledger after it; nil
    /// when nothing was recorded (or read).
    private func recordTrial<T>(_ result: ExperimentResult, then read: (any RunStore, Trial) throws -> T) -> T? {
        guard !ledgerOff, !isDryRun, !result.periods.isEmpty else { return nil }
        let trial = Trial(result: result, scriptHash: invocation.map { RunProvenance.hash($0.text) },
                          user: RunProvenance.currentUser, host: RunProvenance.currentHost)
        do {
            let store = try ledgerStore()
            try store.record(trial)
            return try read(store, trial)
        } catch {
            guard !ledgerFailureReported else { return nil }
            ledgerFailureReported = true
            let message = "alphalab: ledger: the trial of \(result.name) was not recorded in \(ledgerLocation()): \(error)\n"
            FileHandle.standardError.write(Data(RunStores.redacted(message).utf8))
            return nil
        }
    }

    /// The run store at `location`, a path or a `postgres://` URL (in a dry run, an empty
    /// SQLite store that disappears with the session). A sandboxed script opens only the
    /// store named on the command line (``Sandbox/checkStore(_:)``), and a file store only
    /// under its output folder.
    public func runStore(location: String) throws -> any RunStore {
        try checkStoreAccess(location)
        guard isDryRun else { return try RunStores.open(location) }
        if scratch == nil {
            scratch = NSTemporaryDirectory() + "alphalab-dry-run-\(getpid())-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch!, withIntermediateDirectories: true)
        }
        return try SQLiteRunStore(path: scratch! + "/runs-\(UUID().uuidString).db")
    }

    /// Whether this script may use the store at `location`: in the sandbox, only the URL its
    /// command line names, or a file under its output folder.
    private func checkStoreAccess(_ location: String) throws {
        if RunStores.isURL(location) {
            try sandbox?.checkStore(location)
        } else {
            try checkWrite(location)
        }
    }
}
