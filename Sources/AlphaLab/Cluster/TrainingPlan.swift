import Foundation

/// The distinct trainings a run needs, in the order they were first asked for, each
/// with its estimated cost. A plan is filled by running a script against training
/// caches in planning mode (``TrainingCache/init(directory:plan:)``): they record every
/// request and answer with stand-in models, so nothing is trained and the script runs
/// through in seconds.
public final class TrainingPlan: TrainingRecorder, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.

    /// One planned training, as a plan lists it.
    public struct Entry: Codable, Hashable, Sendable {
        /// The training's cache key.
        public var key: TrainingKey
        /// The decision date it is trained for.
        public var date: String
        /// The ensemble spec.
        public var spec: String
        /// The spec's horizons, in trading days.
        public var horizons: [Int]
        /// The feature columns.
        public var features: [String]
        /// The universe whose rows train it (`all` for every ticker).
        public var universe: String
        /// Training rows summed over the horizons.
        public var rows: Int
        /// Estimated cost: rows times trees, summed over the horizons (with the feature selection's model).
        public var cost: Double
        /// The disk cache it goes to; nil when the run has none (it cannot be trained ahead).
        public var cacheDirectory: String?
        /// `full`, or `update` (a warm update of the full training `base`).
        public var kind: String
        public var base: TrainingKey?

        enum CodingKeys: String, CodingKey { case key, date, spec, horizons, features, universe, rows, cost, cacheDirectory = "cache", kind, base }

        public init(key: TrainingKey, date: String, spec: String, horizons: [Int], features: [String], universe: String,
                    rows: Int, cost: Double, cacheDirectory: String?, kind: RetrainKind = .full, base: TrainingKey? = nil) {
            (self.key, self.date, self.spec, self.horizons, self.features) = (key, date, spec, horizons, features)
            (self.universe, self.rows, self.cost, self.cacheDirectory) = (universe, rows, cost, cacheDirectory)
            (self.kind, self.base) = (kind.rawValue, base)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(key: try c.decode(TrainingKey.self, forKey: .key), date: try c.decode(String.self, forKey: .date),
                      spec: try c.decode(String.self, forKey: .spec), horizons: try c.decode([Int].self, forKey: .horizons),
                      features: try c.decode([String].self, forKey: .features), universe: try c.decode(String.self, forKey: .universe),
                      rows: try c.decode(Int.self, forKey: .rows), cost: try c.decode(Double.self, forKey: .cost),
                      cacheDirectory: try c.decodeIfPresent(String.self, forKey: .cacheDirectory),
                      kind: RetrainKind(rawValue: try c.decodeIfPresent(String.self, forKey: .kind) ?? "full") ?? .full,
                      base: try c.decodeIfPresent(TrainingKey.self, forKey: .base))
        }
    }

    private let lock = NSLock()
    private var order: [TrainingKey] = []
    private var entriesByKey: [TrainingKey: Entry] = [:]
    private var requests: [TrainingKey: TrainingRequest] = [:]
    private var asked = 0

    /// An empty plan.
    public init() {}

    /// Records a request (a warm update after the full training it continues); a key
    /// already planned is counted once.
    public func record(_ request: TrainingRequest, cacheDirectory: String?) {
        record(request, cacheDirectory: cacheDirectory, asked: true)
    }

    private func record(_ request: TrainingRequest, cacheDirectory: String?, asked counted: Bool) {
        if let warm = request.warm { record(warm.base, cacheDirectory: cacheDirectory, asked: false) }
        let known = lock.withLock { () -> Bool in
            if counted { asked += 1 }
            return requests[request.key] != nil
        }
        guard !known else { return }
        let rows = request.rowCounts()
        let entry = Entry(key: request.key, date: request.decisionDate.description, spec: request.spec.description, horizons: request.spec.horizons,
                          features: request.matrix.names, universe: request.universe?.name ?? Universe.allName,
                          rows: rows.values.reduce(0, +), cost: request.estimatedCost(rowCounts: rows), cacheDirectory: cacheDirectory,
                          kind: request.kind, base: request.warm?.base.key)
        lock.withLock {
            guard requests[request.key] == nil else { return }
            order.append(request.key)
            entriesByKey[request.key] = entry
            requests[request.key] = request
        }
    }

    /// The distinct trainings, in the order first asked for.
    public var entries: [Entry] { lock.withLock { order.map { entriesByKey[$0]! } } }

    /// How many times a training was asked for (a training shared by experiments counts each time).
    public var requestCount: Int { lock.withLock { asked } }

    /// The estimated cost of every training.
    public var totalCost: Double { entries.reduce(0) { $0 + $1.cost } }

    /// The request behind a planned key.
    public func request(for key: TrainingKey) -> TrainingRequest? { lock.withLock { requests[key] } }

    /// The planned trainings already complete in their disk cache.
    public func cached() -> Set<TrainingKey> {
        Set(entries.filter { e in e.cacheDirectory.map { TrainingCache.isStored(e.key, in: $0) } ?? false }.map(\.key))
    }
}

/// A model that predicts zero for every row: what a planning cache answers with, so a
/// script runs through without training.
struct StandInRegressor: Regressor {
    let featureCount: Int
    func predict(_ rows: FeatureRows) throws -> [Float] { [Float](repeating: 0, count: rows.rowCount) }
}

extension TrainedEnsemble {
    /// An ensemble of stand-in models with `request`'s horizons on every column.
    init(standInFor request: TrainingRequest) {
        let columns = Array(0..<request.matrix.featureCount)
        self.init(members: request.spec.horizons.map {
            Member(horizon: $0, columns: columns, model: StandInRegressor(featureCount: columns.count), trainingRows: 0)
        }, featureNames: request.matrix.names)
    }
}
