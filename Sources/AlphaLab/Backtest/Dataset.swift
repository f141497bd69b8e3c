import Foundation

/// A panel with what experiments on it share: feature matrices computed once per
/// feature set, and a training cache, so a suite of experiments pays for each
/// feature and each training only once.
public final class Dataset: @unchecked Sendable {
    // @unchecked: the matrix memo is guarded by `lock`; everything else is immutable.
    /// The prices.
    public let panel: Panel
    /// Shared trainings (in memory, and on disk when it has a directory).
    public let trainingCache: TrainingCache
    private let lock = NSLock()
    private var matrices: [String: FeatureMatrix] = [:]

    /// A dataset over `panel`; trainings go through `trainingCache`.
    public init(panel: Panel, trainingCache: TrainingCache = TrainingCache()) {
        self.panel = panel
        self.trainingCache = trainingCache
    }

    /// The matrix of `set` on this panel, computed on first use. Sets are told apart by
    /// name and feature names.
    public func matrix(_ set: FeatureSet) throws -> FeatureMatrix {
        let key = set.name + ":" + set.features.map(\.name).joined(separator: ",")
        if let hit = lock.withLock({ matrices[key] }) { return hit }
        let computed = try FeatureMatrix(set: set, panel: panel)
        lock.withLock { matrices[key] = computed }
        return computed
    }

    /// The one-column matrix of a catalog feature (the 12-1 momentum the filter and the
    /// momentum rule both read, a feature a Lua strategy asks for), computed once.
    public func matrix(feature name: String) throws -> FeatureMatrix {
        guard let feature = FeatureCatalog.feature(named: name) else {
            throw BacktestError.unknownFeature(name, FeatureCatalog.names)
        }
        return try matrix(FeatureSet(name: "feature:" + name, features: [feature]))
    }

    /// Positions of the tradable tickers: every ticker but the benchmark.
    public var universe: [Int] {
        panel.tickers.indices.filter { panel.tickers[$0] != panel.benchmark }
    }
}
