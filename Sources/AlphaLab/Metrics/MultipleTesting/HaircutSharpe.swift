import Foundation

/// Harvey, Liu and Zhu's haircut Sharpe ratio ("... and the Cross-Section of Expected
/// Returns", 2016; Harvey and Liu, "Backtesting", 2015): a strategy's p-value adjusted for
/// the other tests of its family, turned back into the Sharpe ratio that p-value would
/// need on its own. Each trial's t-statistic is its per-period ratio x sqrt(T), its
/// p-value two-sided, 2 (1 - Φ(|t|)); the adjustments use the family's own p-values:
/// Bonferroni (M p), Holm's step-down (max over the smaller p-values of (M - i + 1) p_(i))
/// and Benjamini, Hochberg and Yekutieli's step-up under dependence (min over the larger
/// p-values of M c(M) p_(i) / i, c(M) = Σ 1/i), each capped at 1.
public struct HaircutSharpe: Sendable, Equatable, Codable {
    /// The adjustment, its adjusted p-value, and the annualised ratio left after the haircut
    /// (0 when the adjusted p-value is 1), with the haircut as a share of the ratio.
    public struct Adjusted: Sendable, Equatable, Codable {
        public var method: String
        public var pValue: Double
        public var annualSharpe: Double
        public var haircut: Double
    }

    /// The trial's own t-statistic, p-value and annualised ratio.
    public var tStat: Double
    public var pValue: Double
    public var annualSharpe: Double
    public var tests: Int
    public var adjusted: [Adjusted]

    /// The haircut of trial `index` among `sharpes` (per-period ratios of the family's
    /// trials, each over `periods` periods, `periodsPerYear` a year).
    public init(index: Int, sharpes: [Double], periods: Int, periodsPerYear: Double) {
        let root = Double(periods).squareRoot()
        let pValues = sharpes.map { 2 * (1 - DeflatedSharpe.normalCDF(abs($0 * root))) }
        let m = pValues.count
        tests = m
        tStat = sharpes[index] * root
        pValue = pValues[index]
        annualSharpe = sharpes[index] * periodsPerYear.squareRoot()
        let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
        let position = order.firstIndex(of: index)!
        let bonferroni = min(1, Double(m) * pValue)
        var holm = 0.0
        for i in 0...position { holm = max(holm, min(1, Double(m - i) * pValues[order[i]])) }
        let c = (1...max(m, 1)).reduce(0.0) { $0 + 1 / Double($1) }
        var bhy = 1.0
        for i in position..<m { bhy = min(bhy, min(1, Double(m) * c * pValues[order[i]] / Double(i + 1))) }
        let sign: Double = sharpes[index] < 0 ? -1 : 1
        adjusted = [("Bonferroni", bonferroni), ("Holm", holm), ("BHY", bhy)].map { method, p in
            let t = p >= 1 ? 0 : DeflatedSharpe.normalQuantile(1 - p / 2)
            let remaining = sign * t / root * periodsPerYear.squareRoot()
            let annual = sharpes[index] * periodsPerYear.squareRoot()
            return Adjusted(method: method, pValue: p, annualSharpe: remaining, haircut: annual != 0 ? 1 - remaining / annual : .nan)
        }
    }
}
