import Foundation

/// What a verdict needs of a trial: which config it was and its returns, from which its
/// statistics are computed.
public struct TrialSample: Sendable, Equatable {
    public var configHash: String
    public var returns: [Double]
    /// Empty when the ledger did not keep them (trials recorded before it did).
    public var activeReturns: [Double]
    public var claim: Claim
    public var riskFree: Double
    public var periodsPerYear: Double

    public init(configHash: String, returns: [Double], activeReturns: [Double], claim: Claim, riskFree: Double, periodsPerYear: Double) {
        self.configHash = configHash
        self.returns = returns
        self.activeReturns = activeReturns
        self.claim = claim
        self.riskFree = riskFree
        self.periodsPerYear = periodsPerYear
    }

    /// A claimed statistic of one trial: the series it is computed from, its moments, and
    /// the ratio per period and annualised.
    public struct Statistic: Sendable {
        public var series: [Double]
        public var moments: DeflatedSharpe.Moments
        public var sharpe: Double { moments.sharpe }
        public var annualSharpe: Double
    }

    /// The series `claim` judges: the active returns, or the returns less the risk-free
    /// rate a period (a trial without active returns falls back to the latter).
    public func series(_ claim: Claim) -> [Double] {
        if claim == .active, activeReturns.count == returns.count { return activeReturns }
        let rf = riskFree / periodsPerYear
        return returns.map { $0 - rf }
    }

    /// The statistic `claim` judges (``SharpeRatio``'s formula: mean over sample standard deviation).
    public func statistic(_ claim: Claim) -> Statistic {
        let series = series(claim)
        let moments = DeflatedSharpe.Moments(series)
        return Statistic(series: series, moments: moments, annualSharpe: moments.sharpe * periodsPerYear.squareRoot())
    }
}
