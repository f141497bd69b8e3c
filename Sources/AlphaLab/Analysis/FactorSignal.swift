/// A signal to analyse: a value per ticker at each scoring close, known at that close.
///
/// Built from a catalog feature, a scorer (a caller's function, the 12-1 rule), or the
/// out-of-sample scores a walk-forward kept; restricted to a universe's members on each
/// day. Higher values are meant to predict higher returns.
public struct FactorSignal: Sendable {
    /// What is analysed (a feature's name, "model h5", ...).
    public var name: String
    /// Scoring days (panel positions), ascending.
    public var days: [Int]
    /// Ticker positions, the columns of `values`.
    public var tickers: [Int]
    /// Per scoring day, one value per ticker of `tickers` (NaN: no signal).
    public var values: [[Double]]

    public init(name: String, days: [Int], tickers: [Int], values: [[Double]]) {
        self.name = name
        self.days = days
        self.tickers = tickers
        self.values = values
    }

    /// The scoring closes of a cadence from `start` through `end`: every trading day, or the
    /// close before each week's or month's first trading day (the walk-forward's scoring
    /// closes). Dates too near the end for a horizon's forward return have no IC there.
    public static func scoringDays(_ panel: Panel, cadence: Cadence, from start: Day, through end: Day) -> [Int] {
        let calendar = panel.calendar
        switch cadence {
        case .daily:
            let first = calendar.firstIndex(onOrAfter: start)
            let last = calendar.lastIndex(onOrBefore: end) ?? -1
            return first <= last ? Array(first...last) : []
        case .weekly: return calendar.weekStarts(from: start, through: end).filter { $0 >= 1 }.map { $0 - 1 }
        case .monthly: return calendar.monthStarts(from: start, through: end).filter { $0 >= 1 }.map { $0 - 1 }
        }
    }

    /// How often the signal is sampled.
    public enum Cadence: String, Sendable, CaseIterable {
        case daily, weekly, monthly
    }

    /// A catalog feature's values at each day (ranked within the universe's members when it
    /// is cross-sectional), NaN for non-members.
    public static func feature(_ name: String, dataset: Dataset, days: [Int], universe: Universe) throws -> FactorSignal {
        let matrix = try dataset.matrix(feature: name, universe: universe)
        let tickers = dataset.tradableTickers
        let values = days.map { d in
            tickers.map { t in universe.contains(ticker: t, day: d) ? Double(matrix.value(feature: 0, ticker: t, day: d)) : .nan }
        }
        return FactorSignal(name: name, days: days, tickers: tickers, values: values)
    }

    /// A scorer's values at each day, called as the walk-forward calls it: on the members
    /// at the scoring close, with the data up to that close.
    public static func scorer(_ scorer: any Scorer, name: String, dataset: Dataset, days: [Int], universe: Universe) throws -> FactorSignal {
        var scorer = scorer
        let tickers = dataset.tradableTickers
        let column = Dictionary(uniqueKeysWithValues: tickers.enumerated().map { ($1, $0) })
        var values: [[Double]] = []
        for (p, s) in days.enumerated() {
            try Cancellation.check()
            let members = universe.members(day: s)
            let context = ScoringContext(dataset: dataset, decisionDay: min(s + 1, dataset.panel.dayCount - 1), scoringDay: s,
                                         period: p, retrain: p == 0, tickers: members, universe: universe)
            let scores = try scorer.scores(context)
            var row = [Double](repeating: .nan, count: tickers.count)
            for (i, t) in members.enumerated() { row[column[t]!] = scores[i] }
            values.append(row)
        }
        return FactorSignal(name: name, days: days, tickers: tickers, values: values)
    }

    /// The out-of-sample scores a walk-forward kept (`explain = true`): the combined score,
    /// or with `horizon` that horizon's prediction alone; at each period's scoring close.
    public static func result(_ result: ExperimentResult, panel: Panel, horizon: Int? = nil) throws -> FactorSignal {
        guard let kept = result.explanation else { throw AnalysisError.noScores(result.name) }
        let rows: [[Float]]
        if let horizon {
            guard let h = kept.horizonScores[horizon] else { throw AnalysisError.noHorizon(horizon, kept.horizonScores.keys.sorted()) }
            rows = h
        } else {
            rows = kept.scores
        }
        let tickers = kept.tickers.compactMap { panel.tickerIndex[$0] }
        guard tickers.count == kept.tickers.count else { throw AnalysisError.otherData(result.name) }
        let days = try result.periods.map { p in
            guard let d = panel.calendar.index(of: p.scoringDate) else { throw AnalysisError.otherData(result.name) }
            return d
        }
        let sign = result.config.invertSignal ? -1.0 : 1.0
        return FactorSignal(name: result.name + (horizon.map { " h\($0)" } ?? ""), days: days, tickers: tickers,
                            values: rows.map { $0.map { Double($0) * sign } })
    }
}

/// Why a factor analysis cannot run.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    case noScores(String)
    case noHorizon(Int, [Int])
    case otherData(String)
    case noDates(String)

    public var description: String {
        switch self {
        case .noScores(let name): "result '\(name)' kept no scores: run it with explain = true"
        case .noHorizon(let h, let kept): "no predictions of horizon \(h); the model has \(kept.map(String.init).joined(separator: ", "))"
        case .otherData(let name): "result '\(name)' was run on other data (its tickers or dates are not in this dataset)"
        case .noDates(let why): why
        }
    }
}
