import Foundation

/// Shares trainings: a request trains once, in memory within a process and, with a
/// directory, on disk across processes and machines (as XGBoost JSON model files,
/// loadable by the Python package).
///
/// Training is the dominant cost of every experiment; experiments that differ only
/// in selection, filters, stops or horizon weights reuse each other's models.
/// Features are identified by name in the key: a redefined feature needs a new name.
///
/// The folder may sit on a shared filesystem (NFS) written by many workers at once:
/// an entry is written into a temporary folder, flushed and renamed into place, so a
/// reader sees a whole entry or none; no locks and no database are involved, and
/// when two workers store the same key, the first rename wins and the other's copy
/// is discarded (both are the same models).
///
/// With a plan (a ``TrainingRecorder``: the cluster's ``TrainingPlan``), the cache trains
/// nothing: it records each request in the plan and answers with stand-in models that
/// predict zero, so a script can be run through to learn which trainings it needs.
public final class TrainingCache: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`.
    /// The on-disk cache folder, if any.
    public let directory: String?
    /// The plan requests are recorded in instead of trained, if any.
    public let plan: (any TrainingRecorder)?
    private let condition = NSCondition()
    private var memory: [TrainingKey: TrainedEnsemble] = [:]
    private var inFlight: Set<TrainingKey> = []
    private var counts = (trainings: 0, updates: 0, memoryHits: 0, diskHits: 0, seconds: 0.0)

    /// A cache; with `directory`, trainings are also stored there and found again by later
    /// runs; with `plan`, requests are recorded there and nothing is trained.
    public init(directory: String? = nil, plan: (any TrainingRecorder)? = nil) {
        self.directory = directory
        self.plan = plan
    }

    /// Trainings actually performed (cache misses), warm updates included.
    public var trainings: Int { condition.withLock { counts.trainings } }
    /// Of those, warm updates (``RetrainMode/warm``).
    public var updates: Int { condition.withLock { counts.updates } }
    /// Wall time spent in trainings, seconds.
    public var trainingSeconds: Double { condition.withLock { counts.seconds } }
    /// Requests answered from memory.
    public var memoryHits: Int { condition.withLock { counts.memoryHits } }
    /// Requests answered from the disk cache.
    public var diskHits: Int { condition.withLock { counts.diskHits } }

    /// The ensemble `request` asks for: from memory, from disk, or trained now. Two
    /// threads asking for the same key at once share one training.
    public func ensemble(for request: TrainingRequest) throws -> TrainedEnsemble {
        if let plan {
            plan.record(request, cacheDirectory: directory)
            return TrainedEnsemble(standInFor: request)
        }
        let key = request.key
        condition.lock()
        while inFlight.contains(key) { condition.wait() }
        if let hit = memory[key] {
            counts.memoryHits += 1
            condition.unlock()
            return hit
        }
        inFlight.insert(key)
        condition.unlock()
        defer { condition.withLock { inFlight.remove(key); condition.broadcast() } }

        if let stored = Self.load(key: key, in: directory, featureNames: request.matrix.names) {
            condition.withLock { memory[key] = stored; counts.diskHits += 1 }
            return stored
        }
        let clock = Stopwatch()
        let trained = try request.train(base: ensemble(for:))
        let seconds = clock.seconds
        condition.withLock {
            memory[key] = trained
            counts.trainings += 1
            if request.kind == .update { counts.updates += 1 }
            counts.seconds += seconds
        }
        try store(trained, key: key, spec: request.spec)
        return trained
    }

    /// Forgets what is held in memory (the disk cache stays).
    public func clearMemory() { condition.withLock { memory.removeAll() } }

    /// Whether `directory` holds a complete entry for `key`.
    public static func isStored(_ key: TrainingKey, in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(key.hex) + "/meta.json")
    }

    private struct Meta: Codable {
        struct Member: Codable { var horizon: Int; var kind: String; var columns: [Int]; var rows: Int }
        var spec: String
        var features: [String]
        var members: [Member]
    }

    /// Writes the models and their description into a temporary folder, flushes them,
    /// then renames the folder into place: a crash leaves either the whole entry or none.
    /// An unreadable entry already there is replaced; another worker's whole entry is
    /// kept. Models that cannot be written to a file stay in memory only.
    private func store(_ ensemble: TrainedEnsemble, key: TrainingKey, spec: EnsembleSpec) throws {
        guard let directory else { return }
        let models = ensemble.members.compactMap { $0.model as? any PersistableRegressor }
        guard models.count == ensemble.members.count else { return }
        let fm = FileManager.default
        let final = (directory as NSString).appendingPathComponent(key.hex)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let unique = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString)"
        let temporary = (directory as NSString).appendingPathComponent(".\(key.hex)-\(unique)")
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        do {
            func write(_ data: Data, _ name: String) throws {
                let path = "\(temporary)/\(name)"
                guard fm.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
                try AtomicFile.writeSynchronized(data, to: path)
            }
            for (m, model) in zip(ensemble.members, models) { try write(try model.encoded(), "h\(m.horizon).json") }
            let meta = Meta(spec: spec.description, features: ensemble.featureNames,
                            members: zip(ensemble.members, models).map {
                                .init(horizon: $0.horizon, kind: type(of: $1).kind, columns: $0.columns, rows: $0.trainingRows)
                            })
            // meta.json last: its presence marks a complete entry.
            try write(try JSONEncoder().encode(meta), "meta.json")
            if rename(temporary, final) == 0 { return }
            // The name is taken. An entry appears only whole (by a rename like this one), so a
            // readable one is another worker's: keep it. An unreadable one was damaged (a
            // filesystem that lost a file's end): move it aside, remove it, and put this one in.
            if Self.load(key: key, in: directory, featureNames: ensemble.featureNames) == nil {
                let stale = (directory as NSString).appendingPathComponent(".stale-\(key.hex)-\(unique)")
                if rename(final, stale) == 0 { try? fm.removeItem(atPath: stale) }
                if rename(temporary, final) == 0 { return }
            }
            try? fm.removeItem(atPath: temporary)
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    /// The entry stored for `key`, or nil when there is none or it cannot be read whole.
    private static func load(key: TrainingKey, in directory: String?, featureNames: [String]) -> TrainedEnsemble? {
        guard let directory else { return nil }
        let folder = (directory as NSString).appendingPathComponent(key.hex)
        guard let data = FileManager.default.contents(atPath: folder + "/meta.json"),
              let meta = try? JSONDecoder().decode(Meta.self, from: data), meta.features == featureNames else { return nil }
        var members: [TrainedEnsemble.Member] = []
        for m in meta.members {
            guard let type = persistableRegressors[m.kind],
                  let data = FileManager.default.contents(atPath: "\(folder)/h\(m.horizon).json"),
                  let model = try? type.decoded(data, featureCount: m.columns.count) else { return nil }
            members.append(TrainedEnsemble.Member(horizon: m.horizon, columns: m.columns, model: model, trainingRows: m.rows))
        }
        return TrainedEnsemble(members: members, featureNames: meta.features)
    }
}

/// Where a cache that plans instead of training records the requests it is asked
/// (``TrainingPlan``, which sits above the models, with the cluster that runs plans).
public protocol TrainingRecorder: AnyObject, Sendable {
    /// Records `request`, which a cache with `cacheDirectory` was asked to answer.
    func record(_ request: TrainingRequest, cacheDirectory: String?)
}
