/// Which close a decision's scores may see.
///
/// A trade decided on day D enters at D's open, so only bars up to the close of the
/// day before D were known. `sameDayClose` reproduces the seed project's scripts,
/// which scored with D's own close: a look-ahead, kept only to audit their numbers.
public enum SignalTiming: String, Sendable, Codable, CaseIterable {
    /// Scores use bars up to the close before the decision date (honest; the default).
    case priorClose = "prior_close"
    /// Scores use the decision date's own close although the trade enters at its open.
    case sameDayClose = "same_day_close"

    /// The position of the day whose close scores a decision on day `decisionDay`.
    public func scoringDay(forDecision decisionDay: Int) -> Int {
        self == .priorClose ? decisionDay - 1 : decisionDay
    }

    /// The warning every result run with look-ahead timing carries.
    public static let lookAheadWarning =
        "LOOK-AHEAD: signal_timing = same_day_close scores with the decision day's own close while trading at its open; these numbers are not achievable and exist only to audit the seed's results"
}

/// How a strategy scores tickers.
public enum StrategyKind: String, Sendable, Codable, CaseIterable {
    /// The seed's ML model (the horizon ensemble, or the momentum model with momentum features).
    case ml
    /// The seed's rule-based comparison: rank by 12-1 momentum.
    case momentum12_1 = "momentum_12_1"
}

/// How often the portfolio is rebuilt.
public enum Rebalance: String, Sendable, Codable, CaseIterable {
    /// On the first trading day of every week (the seed's experiments).
    case weekly
    /// On the first trading day of every month (the seed's momentum comparison).
    case monthly

    /// Holding periods per year, for annualising.
    public var periodsPerYear: Double { self == .weekly ? 52 : 12 }
}
