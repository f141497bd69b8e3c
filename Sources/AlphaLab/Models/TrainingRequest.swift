import Foundation

/// The identity of a training: a hash of everything that determines its models. Two
/// requests with equal keys train identical models, so the key names a disk-cache
/// entry and a plan counts distinct keys.
public struct TrainingKey: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// 16 hex digits.
    public let hex: String

    public init(hex: String) { self.hex = hex }
    public init(from decoder: any Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
    public static func < (a: TrainingKey, b: TrainingKey) -> Bool { a.hex < b.hex }
    public var description: String { hex }
}

/// One training an experiment needs: a spec's ensemble for one decision date, on the
/// rows of a panel's tickers (within a universe, when given). Made explicit so a plan
/// can list, cost and hand out trainings without performing them.
public struct TrainingRequest: Sendable {
    public let spec: EnsembleSpec
    public let matrix: FeatureMatrix
    public let panel: Panel
    /// Ticker positions whose rows train the models.
    public let tickers: [Int]
    /// The decision's position in the calendar: only labels known before its open are used.
    public let decisionDay: Int
    /// The universe whose members' rows train the models; nil for every ticker.
    public let universe: Universe?
    /// For a warm update, the full training it continues and how; nil for a full training.
    public let warm: WarmStart?
    /// Everything above, hashed.
    public let key: TrainingKey

    /// The full training a warm update continues, and the update.
    public final class WarmStart: Sendable {
        public let base: TrainingRequest
        public let update: WarmUpdate
        init(base: TrainingRequest, update: WarmUpdate) {
            self.base = base
            self.update = update
        }
    }

    /// A request; a universe of every ticker is the same as none.
    public init(spec: EnsembleSpec, matrix: FeatureMatrix, panel: Panel, tickers: [Int], decisionDay: Int, universe: Universe? = nil) {
        self.spec = spec
        self.matrix = matrix
        self.panel = panel
        self.tickers = tickers
        self.decisionDay = decisionDay
        self.universe = universe.flatMap { $0.isAll ? nil : $0 }
        warm = nil
        var hash = Fingerprint()
        hash.add("alphalab-training-v2")
        // A new engine or XGBoost may train different trees from the same rows.
        hash.add(AlphaLabVersion.string)
        hash.add(XGBoostModel.libraryVersion)
        hash.add(spec.description)
        for name in matrix.names { hash.add(name) }
        hash.add(panel.fingerprint)
        for t in tickers { hash.add(panel.tickers[t]) }
        hash.add(Self.date(of: decisionDay, in: panel).description)
        if let universe = self.universe { hash.add("universe:" + universe.fingerprint) }
        key = TrainingKey(hex: hash.hex)
    }

    /// A warm update of the full training `base` for the decision at `decisionDay`: the
    /// same spec, matrix, tickers and universe, on the window grown to that decision.
    public init(updating base: TrainingRequest, decisionDay: Int, update: WarmUpdate = WarmUpdate()) {
        precondition(base.warm == nil, "a warm update continues a full training")
        (spec, matrix, panel, tickers, universe) = (base.spec, base.matrix, base.panel, base.tickers, base.universe)
        self.decisionDay = decisionDay
        warm = WarmStart(base: base, update: update)
        var hash = Fingerprint()
        hash.add("alphalab-warm-update-v1")
        hash.add(AlphaLabVersion.string)
        hash.add(XGBoostModel.libraryVersion)
        hash.add(base.key.hex)
        hash.add(update.description)
        hash.add(Self.date(of: decisionDay, in: base.panel).description)
        key = TrainingKey(hex: hash.hex)
    }

    /// Full, or a warm update.
    public var kind: RetrainKind { warm == nil ? .full : .update }

    /// The decision date.
    public var decisionDate: Day { Self.date(of: decisionDay, in: panel) }

    /// The date of calendar position `day`; the position after the last is the next
    /// trading day (a live decision, which the data has not reached).
    static func date(of day: Int, in panel: Panel) -> Day {
        day < panel.dayCount ? panel.calendar[day] : NYSEHolidays.nextTradingDay(after: panel.calendar[panel.dayCount - 1])
    }

    /// The rows each horizon trains on (counted, not copied).
    public func rowCounts() -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: spec.horizons.map { h in
            (h, TrainingSet.rowCount(matrix: matrix, panel: panel, tickers: tickers, columns: Array(0..<matrix.featureCount),
                                     horizon: h, window: spec.window(decisionDay: decisionDay), universe: universe))
        })
    }

    /// The estimated cost: per horizon, rows times the final model's cost per row (its
    /// trees), plus the feature selection's small model on the same rows.
    public func estimatedCost(rowCounts: [Int: Int]) -> Double {
        // An update adds its rounds on the grown window (and sketches it) and selects nothing.
        let perRow = warm.map { Double($0.update.trees) + WarmUpdate.overheadPerRow } ?? spec.model.costPerRow + (spec.selection?.model.costPerRow ?? 0)
        return rowCounts.values.reduce(0) { $0 + Double($1) * perRow }
    }

    /// Trains the request's ensemble; a warm update asks `base` for the full ensemble it continues.
    public func train(base: (TrainingRequest) throws -> TrainedEnsemble) throws -> TrainedEnsemble {
        guard let warm else {
            return try TrainedEnsemble.train(spec: spec, matrix: matrix, panel: panel, tickers: tickers, decisionDay: decisionDay, universe: universe)
        }
        return try TrainedEnsemble.update(try base(warm.base), spec: spec, update: warm.update, matrix: matrix, panel: panel, tickers: tickers,
                                          decisionDay: decisionDay, universe: universe)
    }
}
