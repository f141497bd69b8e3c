/// What a scorer may see at one decision: the universe and the data up to the scoring
/// close, and nothing after it. Under the honest timing that is the close before the
/// decision day, so a strategy written against this view cannot peek.
public struct ScoringContext {
    /// The data the run is on.
    public let dataset: Dataset
    /// The decision day's position in the calendar (the trade enters at its open).
    public let decisionDay: Int
    /// The last day whose bars the score may use.
    public let scoringDay: Int
    /// The decision period's number, from 0.
    public let period: Int
    /// Whether this period retrains (every `retrain_weeks` periods).
    public let retrain: Bool
    /// Ticker positions to score, in this order: the universe's members at the scoring close.
    public let tickers: [Int]
    /// The run's universe: who was a member on each day.
    public let universe: Universe

    /// The decision date.
    public var decisionDate: Day { dataset.panel.calendar[decisionDay] }
    /// The date of the scoring close.
    public var scoringDate: Day { dataset.panel.calendar[scoringDay] }

    /// Ticker symbols, in the order of ``tickers``.
    public var symbols: [String] { tickers.map { dataset.panel.tickers[$0] } }

    /// The last `count` values of `field` for ticker position `ticker`, ending at the
    /// scoring day (NaN where the ticker has no bar).
    public func history(_ field: PriceField, ticker: Int, count: Int) -> ArraySlice<Double> {
        let series = dataset.panel.series(field, ticker: ticker)
        let end = series.startIndex + scoringDay + 1
        return series[max(series.startIndex, end - count)..<end]
    }

    /// A feature's values at the scoring day for every ticker of ``tickers``.
    public func feature(_ name: String) throws -> [Double] {
        let matrix = try dataset.matrix(feature: name, universe: universe)
        return tickers.map { Double(matrix.value(feature: 0, ticker: $0, day: scoringDay)) }
    }
}

/// Scores tickers at each decision; higher is better (the run inverts when asked).
/// Scores are aligned with `context.tickers`; NaN marks a ticker that cannot be scored.
public protocol Scorer {
    /// A short description for results.
    var label: String { get }
    /// Scores for one decision.
    mutating func scores(_ context: ScoringContext) throws -> [Double]
}

/// The seed's ML strategy: the config's ensemble, retrained through the dataset's
/// training cache every `retrain_weeks` periods, combined with the horizon weights.
public struct ModelScorer: Scorer {
    public let spec: EnsembleSpec
    public let featureSet: FeatureSet
    public let weights: [Int: Double]
    /// How each retraining step trains: in full, or as warm updates between full refits.
    public let schedule: RetrainSchedule
    private var current: TrainedEnsemble?
    /// The full training the warm updates of the current block continue.
    private var blockBase: TrainingRequest?
    /// With `explain`, each call also keeps the horizons' predictions and what drove them.
    public var explain = false
    /// The last call's predictions per horizon (with `explain`).
    public private(set) var lastPredictions: [Int: [Double]] = [:]
    /// The last call's |SHAP| sums, rows and gain per horizon (with `explain`).
    public private(set) var lastExplanation: [Int: (absoluteSHAP: [Double], rows: Int, gain: [Double])] = [:]
    /// The feature names of the model's matrix.
    public var featureNames: [String] { featureSet.names }

    /// The model `config` asks for.
    public init(config: ExperimentConfig) {
        spec = config.ensembleSpec
        featureSet = config.featureSet
        weights = config.horizonWeights
        explain = config.explain
        schedule = config.retrainSchedule
    }

    public var label: String {
        let warm = schedule.mode == .warm ? "; warm updates, full refit every \(schedule.fullRefitWeeks) periods" : ""
        return "model(\(featureSet.name); \(spec)\(warm))"
    }

    public mutating func scores(_ context: ScoringContext) throws -> [Double] {
        let matrix = try context.dataset.matrix(featureSet, universe: context.universe)
        if context.retrain || current == nil {
            var request = TrainingRequest(spec: spec, matrix: matrix, panel: context.dataset.panel, tickers: context.dataset.tradableTickers,
                                          decisionDay: context.decisionDay, universe: context.universe)
            if schedule.kind(at: context.period) == .update, let base = blockBase, base.key != request.key {
                request = TrainingRequest(updating: base, decisionDay: context.decisionDay)
            } else {
                blockBase = request
            }
            current = try context.dataset.trainingCache.ensemble(for: request)
        }
        let predictions = try current!.predict(matrix: matrix, tickers: context.tickers, day: context.scoringDay)
        if explain {
            lastPredictions = predictions
            lastExplanation = try current!.explain(matrix: matrix, tickers: context.tickers, day: context.scoringDay)
        }
        let combined = TrainedEnsemble.combine(predictions, weights: weights)
        guard !combined.isEmpty else {
            throw BacktestError.noUsableHorizon(weights: weights, horizons: spec.horizons)
        }
        return combined
    }
}

/// The seed's rule-based comparison: rank by 12-1 momentum at the scoring close.
public struct MomentumScorer: Scorer {
    public init() {}
    public var label: String { "12-1 momentum" }
    public mutating func scores(_ context: ScoringContext) throws -> [Double] {
        try context.feature("MOM_12_1")
    }
}

/// A scoring function supplied by the caller (a Lua script, a test).
public struct FunctionScorer: Scorer {
    public let label: String
    private let body: (ScoringContext) throws -> [Double]

    /// A scorer named `label` that calls `body` at each decision.
    public init(label: String, _ body: @escaping (ScoringContext) throws -> [Double]) {
        self.label = label
        self.body = body
    }

    public mutating func scores(_ context: ScoringContext) throws -> [Double] {
        let result = try body(context)
        guard result.count == context.tickers.count else {
            throw BacktestError.scoreCount(label: label, expected: context.tickers.count, got: result.count)
        }
        return result
    }
}
