import Foundation

/// Shares trainings: the same spec, features, data, universe and decision date train
/// once, in memory within a process and, with a directory, on disk across processes
/// (as XGBoost JSON model files, loadable by the Python package).
///
/// Training is the dominant cost of every experiment; experiments that differ only
/// in selection, filters, stops or horizon weights reuse each other's models.
/// Features are identified by name in the key: a redefined feature needs a new name.
public final class TrainingCache: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.
    /// The on-disk cache folder, if any.
    public let directory: String?
    private let lock = NSLock()
    private var memory: [String: TrainedEnsemble] = [:]
    private var counts = (trainings: 0, memoryHits: 0, diskHits: 0, seconds: 0.0)

    /// A cache; with `directory`, trainings are also stored there and found again by later runs.
    public init(directory: String? = nil) {
        self.directory = directory
    }

    /// Trainings actually performed (cache misses).
    public var trainings: Int { lock.withLock { counts.trainings } }
    /// Wall time spent in trainings, seconds.
    public var trainingSeconds: Double { lock.withLock { counts.seconds } }
    /// Requests answered from memory.
    public var memoryHits: Int { lock.withLock { counts.memoryHits } }
    /// Requests answered from the disk cache.
    public var diskHits: Int { lock.withLock { counts.diskHits } }

    /// The key of a training: a hash of everything that determines the trained models.
    /// The universe of every tradable ticker adds nothing, so caches written before
    /// point-in-time universes stay valid.
    public static func key(spec: EnsembleSpec, matrix: FeatureMatrix, panel: Panel, tickers: [Int], decisionDay: Int,
                           universe: Universe? = nil) -> String {
        var hash = Fingerprint()
        hash.add("alphalab-training-v1")
        hash.add(spec.description)
        for name in matrix.names { hash.add(name) }
        hash.add(panel.fingerprint)
        for t in tickers { hash.add(panel.tickers[t]) }
        hash.add(panel.calendar[decisionDay].description)
        if let universe, !universe.isAll { hash.add("universe:" + universe.fingerprint) }
        return hash.hex
    }

    /// The ensemble for a decision date: from memory, from disk, or trained now (on the
    /// rows of `universe`'s members, when given).
    public func ensemble(spec: EnsembleSpec, matrix: FeatureMatrix, panel: Panel, tickers: [Int], decisionDay: Int,
                         universe: Universe? = nil) throws -> TrainedEnsemble {
        let key = Self.key(spec: spec, matrix: matrix, panel: panel, tickers: tickers, decisionDay: decisionDay, universe: universe)
        if let hit = lock.withLock({ memory[key] }) {
            lock.withLock { counts.memoryHits += 1 }
            return hit
        }
        if let stored = try? load(key: key, matrix: matrix) {
            lock.withLock { memory[key] = stored; counts.diskHits += 1 }
            return stored
        }
        let clock = Stopwatch()
        let trained = try TrainedEnsemble.train(spec: spec, matrix: matrix, panel: panel, tickers: tickers, decisionDay: decisionDay,
                                                universe: universe)
        let seconds = clock.seconds
        lock.withLock { memory[key] = trained; counts.trainings += 1; counts.seconds += seconds }
        try store(trained, key: key, spec: spec)
        return trained
    }

    /// Forgets what is held in memory (the disk cache stays).
    public func clearMemory() { lock.withLock { memory.removeAll() } }

    private struct Meta: Codable {
        struct Member: Codable { var horizon: Int; var kind: String; var columns: [Int]; var rows: Int }
        var spec: String
        var features: [String]
        var members: [Member]
    }

    /// Writes the models and their description into a temporary folder, then renames
    /// it into place: a crash leaves either the whole entry or none. Models that cannot
    /// be written to a file stay in memory only.
    private func store(_ ensemble: TrainedEnsemble, key: String, spec: EnsembleSpec) throws {
        guard let directory else { return }
        let models = ensemble.members.compactMap { $0.model as? any PersistableRegressor }
        guard models.count == ensemble.members.count else { return }
        let fm = FileManager.default
        let final = (directory as NSString).appendingPathComponent(key)
        if fm.fileExists(atPath: final) { return }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = (directory as NSString).appendingPathComponent(".\(key)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        do {
            for (m, model) in zip(ensemble.members, models) {
                try model.encoded().write(to: URL(fileURLWithPath: "\(temporary)/h\(m.horizon).json"))
            }
            let meta = Meta(spec: spec.description, features: ensemble.featureNames,
                            members: zip(ensemble.members, models).map {
                                .init(horizon: $0.horizon, kind: type(of: $1).kind, columns: $0.columns, rows: $0.trainingRows)
                            })
            try JSONEncoder().encode(meta).write(to: URL(fileURLWithPath: "\(temporary)/meta.json"))
            if rename(temporary, final) != 0 { try? fm.removeItem(atPath: temporary) } // another process won the race
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    private func load(key: String, matrix: FeatureMatrix) throws -> TrainedEnsemble? {
        guard let directory else { return nil }
        let folder = (directory as NSString).appendingPathComponent(key)
        guard let data = FileManager.default.contents(atPath: folder + "/meta.json") else { return nil }
        let meta = try JSONDecoder().decode(Meta.self, from: data)
        guard meta.features == matrix.names else { return nil }
        let members = try meta.members.map { m in
            guard let type = persistableRegressors[m.kind],
                  let data = FileManager.default.contents(atPath: "\(folder)/h\(m.horizon).json") else {
                throw ModelError.shape("\(folder): unreadable cached model for horizon \(m.horizon)")
            }
            return TrainedEnsemble.Member(horizon: m.horizon, columns: m.columns,
                                          model: try type.decoded(data, featureCount: m.columns.count), trainingRows: m.rows)
        }
        return TrainedEnsemble(members: members, featureNames: meta.features)
    }
}
