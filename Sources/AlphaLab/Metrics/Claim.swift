/// What a strategy claims, and so which statistic its verdict deflates.
public enum Claim: String, Sendable, Codable, CaseIterable {
    /// An edge over the benchmark (SPY): judged by the active return, its information ratio.
    case active
    /// A return of its own over the risk-free rate: judged by its Sharpe ratio.
    case absolute

    /// The statistic's name as cards and pages print it.
    public var statistic: String { self == .active ? "information ratio" : "Sharpe ratio" }
    /// Its short label.
    public var abbreviation: String { self == .active ? "IR" : "Sharpe" }
}
