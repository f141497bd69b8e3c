import Foundation

/// Noise-based feature selection, as the seed did it: add seeded Gaussian noise
/// columns, fit a small model, keep the features whose gain importance beats the
/// noise columns' mean importance (or the top `fallbackTop` if none does).
public struct NoiseSelection: Sendable, Hashable, CustomStringConvertible {
    public var noiseColumns = 5
    public var model = XGBoostParameters(trees: 50, maxDepth: 4, learningRate: 0.1)
    public var fallbackTop = 8
    public var seed: UInt64 = 42

    public init() {}

    public var description: String { "noise(\(noiseColumns) cols, seed \(seed), fallback \(fallbackTop), \(model))" }

    /// The kept columns (indices into `rows`' columns), ascending.
    public func select(_ rows: FeatureRows, labels: [Float]) throws -> [Int] {
        let f = rows.featureCount
        var rng = RandomSource(seed: seed)
        var widened = [Float]()
        widened.reserveCapacity(rows.rowCount * (f + noiseColumns))
        for r in 0..<rows.rowCount {
            widened += rows.values[(r * f)..<((r + 1) * f)]
            for _ in 0..<noiseColumns { widened.append(Float(rng.normal())) }
        }
        let model = try XGBoostModel.train(FeatureRows(values: widened, featureCount: f + noiseColumns), labels: labels, parameters: self.model)
        let gain = try model.gainImportance()
        let noiseMean = gain[f...].reduce(0, +) / Double(noiseColumns)
        let kept = (0..<f).filter { gain[$0] > noiseMean }
        if !kept.isEmpty { return kept }
        return Array((0..<f).sorted { gain[$0] != gain[$1] ? gain[$0] > gain[$1] : $0 < $1 }.prefix(fallbackTop)).sorted()
    }
}

/// How to train a multi-horizon model: the seed's "ML ensemble" and its momentum
/// model are both instances.
public struct EnsembleSpec: Sendable, Hashable, CustomStringConvertible {
    /// Forward-return horizons in trading days, one regressor each.
    public var horizons: [Int]
    /// Rows are pooled from this day on.
    public var trainingStart: Day
    /// Feature selection per horizon, or none (all features).
    public var selection: NoiseSelection?
    /// The final model per horizon (XGBoost for the seed; ridge or any other spec plugs in).
    public var model: AnyRegressorSpec
    /// Trading days dropped between the last usable label and the decision.
    public var embargo = 0
    /// A rolling window of this many trading days instead of the expanding one.
    public var windowDays: Int?

    public init(horizons: [Int], trainingStart: Day, selection: NoiseSelection?, model: some RegressorSpec,
                embargo: Int = 0, windowDays: Int? = nil) {
        self.horizons = horizons
        self.trainingStart = trainingStart
        self.selection = selection
        self.model = AnyRegressorSpec(model)
        self.embargo = embargo
        self.windowDays = windowDays
    }

    /// The seed's ensemble: horizons 1, 5 and 20 from 2010, noise selection, 100 trees lr 0.05 depth 5.
    public static let seedEnsemble = EnsembleSpec(horizons: [1, 5, 20], trainingStart: Day(year: 2010, month: 1, day: 1)!,
                                                  selection: NoiseSelection(), model: XGBoostParameters())

    /// The seed's momentum model: 100 trees lr 0.05 depth 4 on a 5-day target.
    public static let seedMomentumModel = EnsembleSpec(horizons: [5], trainingStart: Day(year: 2010, month: 1, day: 1)!,
                                                       selection: nil, model: XGBoostParameters(trees: 100, maxDepth: 4, learningRate: 0.05))

    /// The rows this spec may train on for a decision at calendar position `decisionDay`.
    public func window(decisionDay: Int) -> TrainingWindow {
        TrainingWindow(decisionDay: decisionDay, start: trainingStart, embargo: embargo, windowDays: windowDays)
    }

    public var description: String {
        "horizons=\(horizons) start=\(trainingStart) selection=\(selection?.description ?? "none") model=\(model) embargo=\(embargo) window=\(windowDays.map(String.init) ?? "expanding")"
    }
}

/// One regressor per horizon, trained for one decision date.
public struct TrainedEnsemble: Sendable {
    /// A horizon's model and the feature columns it uses.
    public struct Member: Sendable {
        public var horizon: Int
        public var columns: [Int]
        public var model: any Regressor
        public var trainingRows: Int
    }

    public var members: [Member]
    /// Feature names of the matrix the columns index.
    public var featureNames: [String]

    /// Trains every horizon of `spec` for the decision at `window.decisionDay`, on the rows
    /// of `tickers` (on the days each was a member of `universe`, when given).
    public static func train(spec: EnsembleSpec, matrix: FeatureMatrix, panel: Panel, tickers: [Int], decisionDay: Int,
                             universe: Universe? = nil) throws -> TrainedEnsemble {
        let window = spec.window(decisionDay: decisionDay)
        let all = Array(0..<matrix.featureCount)
        var members: [Member] = []
        for h in spec.horizons {
            let (rows, labels) = TrainingSet.rows(matrix: matrix, panel: panel, tickers: tickers, columns: all, horizon: h, window: window,
                                                  universe: universe)
            guard rows.rowCount > 0 else {
                throw ModelError.noTrainingRows("horizon \(h) before \(panel.calendar[min(decisionDay, panel.dayCount - 1)]) from \(spec.trainingStart)")
            }
            let columns = try spec.selection?.select(rows, labels: labels) ?? all
            let final = columns == all ? rows : rows.selecting(columns: columns)
            let model = try spec.model.fit(final, labels: labels)
            members.append(Member(horizon: h, columns: columns, model: model, trainingRows: rows.rowCount))
        }
        return TrainedEnsemble(members: members, featureNames: matrix.names)
    }

    /// `base` (the block's full ensemble) updated for the decision at `decisionDay`: each
    /// horizon's model continued by `update.trees` boosting rounds on the rows of the grown
    /// window, on the columns the full training selected (a model that cannot continue is
    /// refitted on them). Only labels known before the decision's open are read, as in a
    /// full training.
    public static func update(_ base: TrainedEnsemble, spec: EnsembleSpec, update: WarmUpdate, matrix: FeatureMatrix, panel: Panel,
                              tickers: [Int], decisionDay: Int, universe: Universe? = nil) throws -> TrainedEnsemble {
        let window = spec.window(decisionDay: decisionDay)
        var members: [Member] = []
        for member in base.members {
            let boosted = member.model as? XGBoostModel, parameters = spec.model.base as? XGBoostParameters
            let (rows, labels) = TrainingSet.rows(matrix: matrix, panel: panel, tickers: tickers, columns: member.columns, horizon: member.horizon,
                                                  window: window, universe: universe)
            guard rows.rowCount > 0 else {
                throw ModelError.noTrainingRows("horizon \(member.horizon) before \(panel.calendar[min(decisionDay, panel.dayCount - 1)]) from \(spec.trainingStart)")
            }
            let model: any Regressor
            if let boosted, let parameters {
                model = try boosted.continued(on: rows, labels: labels, parameters: parameters, rounds: update.trees)
            } else {
                model = try spec.model.fit(rows, labels: labels)
            }
            members.append(Member(horizon: member.horizon, columns: member.columns, model: model, trainingRows: rows.rowCount))
        }
        return TrainedEnsemble(members: members, featureNames: base.featureNames)
    }

    /// Per-horizon predictions for `tickers` from the features of day `d` (NaN where a feature is missing).
    public func predict(matrix: FeatureMatrix, tickers: [Int], day d: Int) throws -> [Int: [Double]] {
        var result: [Int: [Double]] = [:]
        for m in members {
            let (rows, complete) = TrainingSet.scoringRows(matrix: matrix, tickers: tickers, columns: m.columns, day: d)
            let predictions = try m.model.predict(rows)
            result[m.horizon] = zip(predictions, complete).map { $1 ? Double($0) : .nan }
        }
        return result
    }

    /// What drives each horizon's model on the complete rows of `tickers` at day `d`: the sum
    /// of |SHAP| per feature of the matrix (zero for a feature the model does not use), the
    /// rows summed, and the model's gain importance per feature; nil for a member whose
    /// model cannot explain itself.
    public func explain(matrix: FeatureMatrix, tickers: [Int], day d: Int) throws -> [Int: (absoluteSHAP: [Double], rows: Int, gain: [Double])] {
        var result: [Int: (absoluteSHAP: [Double], rows: Int, gain: [Double])] = [:]
        for m in members {
            guard let model = m.model as? any ExplainableRegressor else { continue }
            let (rows, complete) = TrainingSet.scoringRows(matrix: matrix, tickers: tickers, columns: m.columns, day: d)
            let kept = complete.indices.filter { complete[$0] }
            let values = kept.flatMap { rows.values[($0 * m.columns.count)..<(($0 + 1) * m.columns.count)] }
            let contributions = try model.contributions(FeatureRows(values: values, featureCount: m.columns.count)).values
            var absolute = [Double](repeating: 0, count: matrix.featureCount)
            for r in kept.indices {
                for (j, column) in m.columns.enumerated() { absolute[column] += Double(abs(contributions[r * m.columns.count + j])) }
            }
            var gain = [Double](repeating: 0, count: matrix.featureCount)
            for (j, g) in try model.gainImportance().enumerated() { gain[m.columns[j]] = g }
            result[m.horizon] = (absolute, kept.count, gain)
        }
        return result
    }

    /// The combined score `sum_h w_h * pred_h / h / sum_h w_h`: each horizon's return scaled
    /// to a daily rate, weighted. Weights come at prediction time, so experiments that differ
    /// only in weights share one training.
    public static func combine(_ predictions: [Int: [Double]], weights: [Int: Double]) -> [Double] {
        // In horizon order: a dictionary's order changes from process to process, and so
        // would the sums' last bits.
        let used = weights.filter { predictions[$0.key] != nil && $0.value != 0 }.sorted { $0.key < $1.key }
        let total = used.reduce(0) { $0 + $1.value }
        guard let count = predictions.values.first?.count, total != 0 else { return [] }
        return (0..<count).map { i in
            used.reduce(0.0) { $0 + $1.value * predictions[$1.key]![i] / Double($1.key) } / total
        }
    }
}
