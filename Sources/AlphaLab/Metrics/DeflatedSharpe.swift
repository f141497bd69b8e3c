import Foundation

/// The statistics of Sharpe ratios that were selected from many tries (Bailey and López
/// de Prado, "The Sharpe Ratio Efficient Frontier", 2012, and "The Deflated Sharpe Ratio:
/// Correcting for Selection Bias, Backtest Overfitting and Non-Normality", 2014).
///
/// Sharpe ratios here are per period (mean / standard deviation of the period returns),
/// not annualised: the formulas count periods.
public enum DeflatedSharpe {
    /// The Euler-Mascheroni constant, in the expected maximum of many Sharpe ratios.
    public static let eulerGamma = 0.5772156649015329

    /// The sample moments the formulas need.
    public struct Moments: Sendable, Equatable {
        public var mean: Double
        /// Sample standard deviation (n - 1).
        public var sd: Double
        /// Skewness and (non-excess) kurtosis from the population moments; 0 and 3 (the
        /// normal's) for a series that never moves.
        public var skew: Double
        public var kurtosis: Double
        public var count: Int

        public init(_ x: [Double]) {
            count = x.count
            let n = Double(x.count)
            mean = x.reduce(0, +) / n
            var m2 = 0.0, m3 = 0.0, m4 = 0.0
            for v in x {
                let d = v - mean
                m2 += d * d; m3 += d * d * d; m4 += d * d * d * d
            }
            m2 /= n; m3 /= n; m4 /= n
            sd = (m2 * n / (n - 1)).squareRoot()
            (skew, kurtosis) = m2 > 0 ? (m3 / pow(m2, 1.5), m4 / (m2 * m2)) : (0, 3)
        }

        /// The per-period Sharpe ratio (no risk-free rate); 0 for a series that never moves.
        public var sharpe: Double { sd > 0 ? mean / sd : 0 }
    }

    /// The standard normal distribution function.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The standard normal quantile (Acklam's rational approximation, refined by one
    /// Halley step against `normalCDF`: about 1e-15 relative error).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return p <= 0 ? -.infinity : .infinity }
        let a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239]
        let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
        let c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        let low = 0.02425
        var x: Double
        if p < low || p > 1 - low {
            let q = (-2 * log(p < low ? p : 1 - p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
            if p > 1 - low { x = -x }
        } else {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        let e = normalCDF(x) - p, u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// The probabilistic Sharpe ratio: the probability that the true Sharpe ratio exceeds
    /// `benchmark`, given the estimate `sharpe` from `periods` returns with this skewness
    /// and kurtosis.
    public static func probabilistic(sharpe: Double, benchmark: Double = 0, periods: Int, skew: Double, kurtosis: Double) -> Double {
        let spread = 1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
        guard periods > 1, spread > 0 else { return .nan }
        return normalCDF((sharpe - benchmark) * Double(periods - 1).squareRoot() / spread.squareRoot())
    }

    /// The expected maximum Sharpe ratio of `trials` independent trials whose true Sharpe
    /// ratios are all zero and whose estimates vary with `variance`: the bar the best of
    /// them must clear. Zero for one trial; never below zero (the approximation turns
    /// negative below about two trials, where the best of them is no selection at all).
    public static func expectedMaximum(trials: Double, variance: Double) -> Double {
        guard trials > 1 else { return 0 }
        return max(0, variance.squareRoot() * ((1 - eulerGamma) * normalQuantile(1 - 1 / trials)
            + eulerGamma * normalQuantile(1 - 1 / (trials * M_E))))
    }

    /// The deflated Sharpe ratio: the probabilistic Sharpe ratio against the expected
    /// maximum of `trials` luckless trials (`sr0`).
    public static func deflated(sharpe: Double, trials: Double, variance: Double, periods: Int, skew: Double,
                                kurtosis: Double) -> (dsr: Double, sr0: Double) {
        let sr0 = expectedMaximum(trials: trials, variance: variance)
        return (probabilistic(sharpe: sharpe, benchmark: sr0, periods: periods, skew: skew, kurtosis: kurtosis), sr0)
    }

    /// The minimum backtest length in years (Bailey, Borwein, López de Prado and Zhu,
    /// "Pseudo-Mathematics and Financial Charlatanism", 2014): the years of data below which
    /// the best of `trials` strategies with no skill is expected to reach an annualised
    /// Sharpe ratio of `annualSharpe` by luck, (E[max of N standard normals] / SR)². 0 for
    /// one trial; infinite when the ratio is not positive.
    public static func minimumBacktestYears(trials: Double, annualSharpe: Double) -> Double {
        let bar = expectedMaximum(trials: trials, variance: 1)
        guard bar > 0 else { return 0 }
        guard annualSharpe > 0 else { return .infinity }
        return (bar / annualSharpe) * (bar / annualSharpe)
    }

    /// The effective number of independent trials among return series of equal length:
    /// `ρ + (1 - ρ) N`, with ρ the mean pairwise correlation of the series (Bailey and
    /// López de Prado 2014, after Kendall's treatment of equicorrelated variables): N for
    /// uncorrelated trials, 1 for identical ones (``CorrelationSum``).
    public static func effectiveTrials(_ series: [[Double]]) -> (effective: Double, meanCorrelation: Double) {
        var sum = CorrelationSum()
        for x in series { sum.add(x) }
        return sum.effectiveTrials(among: series.count)
    }
}
