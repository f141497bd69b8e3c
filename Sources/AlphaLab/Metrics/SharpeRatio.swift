import Foundation

/// The one Sharpe ratio: the periodic return in excess of the risk-free rate over the
/// standard deviation of the periodic returns (sample, n - 1), annualised by the periods
/// a year. Results, the ledger, PSR/DSR, the stores, `alphalab serve` and the cards all
/// read it from here. An information ratio is the same formula on active returns (the
/// strategy's minus the benchmark's) with no risk-free rate: the benchmark is the hurdle.
public enum SharpeRatio {
    /// The annualised ratio: (mean x periods - riskFree) / (sd x sqrt(periods)).
    public static func annualised(_ r: [Double], riskFree: Double, periodsPerYear: Double) -> Double {
        (Statistics.mean(r) * periodsPerYear - riskFree) / (Statistics.standardDeviation(r) * periodsPerYear.squareRoot())
    }

    /// The same per period (the unit of the PSR and DSR formulas, which count periods):
    /// (mean - riskFree / periods) / sd.
    public static func perPeriod(_ r: [Double], riskFree: Double, periodsPerYear: Double) -> Double {
        annualised(r, riskFree: riskFree, periodsPerYear: periodsPerYear) / periodsPerYear.squareRoot()
    }
}
