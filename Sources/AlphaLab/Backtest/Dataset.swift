import Foundation

/// A panel with what experiments on it share: feature matrices computed once per
/// feature set (and universe), the universes its data knows, and a training cache, so
/// a suite of experiments pays for each feature and each training only once.
public final class Dataset: @unchecked Sendable {
    // @unchecked: the memos are guarded by `lock`; everything else is immutable.
    /// The prices.
    public let panel: Panel
    /// Shared trainings (in memory, and on disk when it has a directory).
    public let trainingCache: TrainingCache
    /// Point-in-time memberships that come with the data (a store's, the synthetic index), by name.
    public let memberships: [String: Membership]
    /// Set when the data was cut to its first tickers (`--limit`): a universe then lacks
    /// names for that reason, not the data's.
    public let limit: TickerLimit?
    /// The command-line data options that open this data again (`--csv PATH --limit 100`,
    /// `--store PATH`, `--seed 7`), kept with every run recorded on it so that the commands
    /// a run's page gives can be pasted; nil when it was opened in a way they cannot say.
    public let source: [String]?
    private let lock = NSLock()
    private var matrices: [String: FeatureMatrix] = [:]
    private var universes: [String: Universe] = [:]
    private var riskEstimator: RiskModelEstimator?

    /// A dataset over `panel` with its `memberships`; trainings go through `trainingCache`.
    public init(panel: Panel, trainingCache: TrainingCache = TrainingCache(), memberships: [Membership] = [], limit: TickerLimit? = nil,
                source: [String]? = nil) {
        self.panel = panel
        self.source = source
        self.limit = limit
        self.trainingCache = trainingCache
        self.memberships = Dictionary(memberships.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The names a config's `universe` may take: `all`, `survivors` and each membership's.
    public var universeNames: [String] { [Universe.allName, Universe.survivorsName] + memberships.keys.sorted() }

    /// The universe called `name` on this panel, built on first use.
    public func universe(named name: String) throws(BacktestError) -> Universe {
        if let hit = lock.withLock({ universes[name] }) { return hit }
        let built: Universe
        switch name {
        case Universe.allName: built = Universe(all: panel)
        case Universe.survivorsName: built = Universe(survivors: panel)
        default:
            guard let membership = memberships[name] else { throw .unknownUniverse(name, universeNames) }
            built = Universe(membership, panel: panel)
        }
        lock.withLock { universes[name] = built }
        return built
    }

    /// The matrix of `set` on this panel, computed on first use. Sets are told apart by
    /// name and feature names. With a universe, cross-sectional features rank within
    /// each day's members; a set without them is the same matrix in every universe.
    public func matrix(_ set: FeatureSet, universe: Universe? = nil) throws -> FeatureMatrix {
        let ranked = set.features.contains { if case .crossSectionalRank = $0.computation { true } else { false } }
        let scoped = ranked ? universe.flatMap { $0.isAll ? nil : $0 } : nil
        let key = set.name + ":" + set.features.map(\.name).joined(separator: ",") + (scoped.map { "@" + $0.name } ?? "")
        if let hit = lock.withLock({ matrices[key] }) { return hit }
        let computed = try FeatureMatrix(set: set, panel: panel, universe: scoped)
        lock.withLock { matrices[key] = computed }
        return computed
    }

    /// The one-column matrix of a catalog feature (the 12-1 momentum the filter and the
    /// momentum rule both read, a feature a Lua strategy asks for), computed once.
    public func matrix(feature name: String, universe: Universe? = nil) throws -> FeatureMatrix {
        guard let feature = FeatureCatalog.feature(named: name) else {
            throw BacktestError.unknownFeature(name, FeatureCatalog.names)
        }
        return try matrix(FeatureSet(name: "feature:" + name, features: [feature]), universe: universe)
    }

    /// The risk models of this panel (``RiskModelEstimator``), built on first use: a
    /// walk-forward's decisions share one set of daily factor regressions.
    public var riskModels: RiskModelEstimator {
        lock.withLock {
            if let riskEstimator { return riskEstimator }
            let built = RiskModelEstimator(panel: panel)
            riskEstimator = built
            return built
        }
    }

    /// Positions of the tradable tickers: every ticker but the benchmark.
    public var tradableTickers: [Int] { panel.tradableTickers }
}

extension SyntheticMarket.Market {
    /// The market as a dataset that knows its index as the universe `index`.
    public func dataset(trainingCache: TrainingCache = TrainingCache(), source: [String]? = nil) -> Dataset {
        Dataset(panel: panel, trainingCache: trainingCache, memberships: [index], source: source)
    }
}
