/// How well a run's own signal predicted the realised open-to-open returns of the
/// periods it traded: the honest check of "does the model know anything?".
///
/// The signal is the ranking key the strategy used (the score, negated when the run
/// inverts), so positive figures mean the strategy's ordering was right.
public struct PredictionQuality: Sendable, Equatable, Codable {
    /// Share of (ticker, period) pairs whose signal sign matched the realised return's sign.
    public var directionalAccuracy: Double
    /// Mean over periods of the Spearman rank correlation between signal and realised return.
    public var meanIC: Double
    /// t-statistic of the periods' ICs (mean / (sd / sqrt n)).
    public var icTStat: Double
    /// Share of picks whose realised return beat the period's median candidate.
    public var hitRate: Double
    /// Periods with an IC (at least three candidates with known returns).
    public var periods: Int

    /// Accumulates period by period.
    public struct Accumulator: Sendable {
        public private(set) var ics: [Double] = []
        private var agreements = 0, signed = 0, hits = 0, picked = 0

        public init() {}

        /// Adds one period: every candidate's signal and realised return, and which were picked.
        /// Returns the period's IC (NaN with fewer than three usable candidates).
        @discardableResult
        public mutating func add(signals: [Double], realised: [Double], picked pickedIndices: [Int]) -> Double {
            let usable = signals.indices.filter { signals[$0].isFinite && realised[$0].isFinite }
            for i in usable where signals[i] != 0 && realised[i] != 0 {
                signed += 1
                if (signals[i] > 0) == (realised[i] > 0) { agreements += 1 }
            }
            let returns = usable.map { realised[$0] }
            if !returns.isEmpty {
                let median = Statistics.median(returns)
                for i in pickedIndices where realised[i].isFinite {
                    picked += 1
                    if realised[i] > median { hits += 1 }
                }
            }
            guard usable.count >= 3 else { return .nan }
            let ic = Statistics.spearman(usable.map { signals[$0] }, returns)
            if ic.isFinite { ics.append(ic) }
            return ic
        }

        /// The figures so far.
        public var quality: PredictionQuality {
            let (mean, t) = Statistics.tStatistic(ics)
            return PredictionQuality(directionalAccuracy: signed > 0 ? Double(agreements) / Double(signed) : .nan,
                                     meanIC: ics.isEmpty ? .nan : mean, icTStat: t,
                                     hitRate: picked > 0 ? Double(hits) / Double(picked) : .nan, periods: ics.count)
        }
    }
}
