/// What a walk-forward run with `explain = true` keeps besides its picks: the score of
/// every ticker at every decision, each horizon's prediction of the model separately,
/// and per retraining what drives each horizon's model. Factor analysis reads the scores
/// as a signal (``FactorSignal/result(_:panel:horizon:)``), so "which horizon predicts
/// backwards" is one call.
public struct Explanation: Sendable, Equatable {
    /// The columns of the score rows.
    public var tickers: [String]
    /// Per period, the scorer's value for each ticker (NaN: not scored, e.g. not a member).
    public var scores: [[Float]]
    /// Per horizon, per period, the model's prediction for each ticker (model runs only).
    public var horizonScores: [Int: [[Float]]]
    /// Per retraining and horizon: gain importance and mean |SHAP| of each feature.
    public var importance: [Importance]

    /// What drove one horizon's model over one retraining period.
    public struct Importance: Sendable, Equatable {
        /// The decision date the model was trained for.
        public var date: Day
        public var horizon: Int
        public var features: [String]
        /// XGBoost's gain importance (average gain of the splits on the feature).
        public var gain: [Double]
        /// Mean |SHAP contribution| over the rows the model scored in the period.
        public var meanAbsoluteSHAP: [Double]
        /// Rows scored in the period.
        public var rows: Int
    }

    public init(tickers: [String], scores: [[Float]] = [], horizonScores: [Int: [[Float]]] = [:], importance: [Importance] = []) {
        self.tickers = tickers
        self.scores = scores
        self.horizonScores = horizonScores
        self.importance = importance
    }

    /// The top `count` features by mean |SHAP| over all retrainings of `horizon`, with that mean.
    public func topFeatures(horizon: Int, count: Int = 5) -> [(feature: String, meanAbsoluteSHAP: Double)] {
        let entries = importance.filter { $0.horizon == horizon }
        guard let features = entries.first?.features else { return [] }
        let means = features.indices.map { j in entries.reduce(0) { $0 + $1.meanAbsoluteSHAP[j] } / Double(entries.count) }
        return features.indices.sorted { means[$0] > means[$1] }.prefix(count).map { (features[$0], means[$0]) }
    }
}
