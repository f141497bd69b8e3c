import Foundation

/// Performance of a series of periodic (weekly) portfolio returns, with the seed's
/// conventions: 52 periods a year, a 4% risk-free rate in Sharpe and Sortino,
/// sample standard deviations, win rate over every period (cash weeks included).
public struct PerformanceMetrics: Sendable, Equatable, Codable {
    public var totalReturn: Double
    public var cagr: Double
    /// Annualised: standard deviation x sqrt(periods per year).
    public var volatility: Double
    /// (mean x periods - riskFree) / (sd x sqrt(periods)).
    public var sharpe: Double
    /// (mean x periods - riskFree) / (downside deviation x sqrt(periods)), the downside
    /// deviation sqrt(mean(min(r - riskFree / periods, 0)^2)) over every period: one
    /// target, the risk-free rate, above the line and below it.
    public var sortino: Double
    /// The largest fall from a peak of the equity curve, as a positive fraction.
    public var maxDrawdown: Double
    /// CAGR / max drawdown.
    public var calmar: Double
    /// Share of periods with a positive return.
    public var winRate: Double
    public var periods: Int

    /// Metrics of `returns` over a span of `years` (for CAGR).
    public init(returns r: [Double], years: Double, periodsPerYear: Double = 52, riskFree: Double = 0.04) {
        let curve = PerformanceMetrics.equityCurve(returns: r, start: 1)
        totalReturn = (curve.last ?? 1) - 1
        cagr = years > 0 ? pow(1 + totalReturn, 1 / years) - 1 : .nan
        let mean = Statistics.mean(r), sd = Statistics.standardDeviation(r)
        volatility = sd * periodsPerYear.squareRoot()
        sharpe = SharpeRatio.annualised(r, riskFree: riskFree, periodsPerYear: periodsPerYear)
        let target = riskFree / periodsPerYear
        let downside = (r.reduce(0) { $0 + min($1 - target, 0) * min($1 - target, 0) } / Double(max(r.count, 1))).squareRoot()
        sortino = (mean * periodsPerYear - riskFree) / (downside * periodsPerYear.squareRoot())
        maxDrawdown = PerformanceMetrics.drawdowns(curve: [1] + curve).max() ?? 0
        calmar = maxDrawdown > 0 ? cagr / maxDrawdown : .nan
        winRate = r.isEmpty ? .nan : Double(r.filter { $0 > 0 }.count) / Double(r.count)
        periods = r.count
    }

    /// The value after each period, compounding from `start`.
    public static func equityCurve(returns: [Double], start: Double) -> [Double] {
        var value = start
        return returns.map { value *= 1 + $0; return value }
    }

    /// The fall from the running peak at each point of a curve (0 at a new high).
    public static func drawdowns(curve: [Double]) -> [Double] {
        var peak = -Double.infinity
        return curve.map { v in peak = max(peak, v); return 1 - v / peak }
    }

    /// The Ulcer Index of a curve (Martin and McCann 1989, "The Investor's Guide to
    /// Fidelity Funds"; Martin 1987): the root mean square of its ``drawdowns(curve:)``,
    /// as a fraction (Martin's percentages / 100). Unlike the maximum drawdown it weighs
    /// how deep and how long the curve stays under water; 0 for a curve that never falls,
    /// NaN for an empty one.
    public static func ulcerIndex(curve: [Double]) -> Double {
        guard !curve.isEmpty else { return .nan }
        let squares = drawdowns(curve: curve).reduce(0) { $0 + $1 * $1 }
        return (squares / Double(curve.count)).squareRoot()
    }
}
