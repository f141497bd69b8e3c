import Foundation

/// The one Sharpe ratio: the periodic return in excess of the risk-free rate over the
/// standard deviation of the periodic returns (sample, n - 1), annualised by the periods
/// a year. Results and the stores read it from here; the ledger's PSR/DSR need the same
/// ratio per period with the series' moments, which ``TrialSample/statistic(_:)`` takes
/// from the excess series (returns less the risk-free rate a period). An information
/// ratio is the same formula on active returns (the strategy's minus the benchmark's)
/// with no risk-free rate: the benchmark is the hurdle.
public enum SharpeRatio {
    /// The annualised ratio: (mean x periods - riskFree) / (sd x sqrt(periods)).
    public static func annualised(_ r: [Double], riskFree: Double, periodsPerYear: Double) -> Double {
        (Statistics.mean(r) * periodsPerYear - riskFree) / (Statistics.standardDeviation(r) * periodsPerYear.squareRoot())
    }
}
