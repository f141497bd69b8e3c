/// Plain sample statistics used by the metrics and the tests of effects.
public enum Statistics {
    /// The arithmetic mean (NaN for an empty sample).
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// The middle value (the mean of the two middle values for an even count; NaN when empty).
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// The sample standard deviation, n - 1 denominator (NaN below two values).
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// Pearson correlation (NaN when either side is constant).
    public static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "correlation of samples of different sizes")
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Ranks 1...n, ties sharing their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let ranked = percentileRanks(x.enumerated().map { ($0.offset, $0.element) })
        var out = [Double](repeating: 0, count: x.count)
        for (i, pct) in ranked { out[i] = pct * Double(x.count) }
        return out
    }

    /// Spearman rank correlation: the correlation of average ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        correlation(ranks(x), ranks(y))
    }

    /// The mean of a sample and its t-statistic against zero (mean / (sd / sqrt n)).
    public static func tStatistic(_ x: [Double]) -> (mean: Double, t: Double) {
        let m = mean(x)
        return (m, m / (standardDeviation(x) / Double(x.count).squareRoot()))
    }

    /// The mean of a series and its t-statistic with a Newey-West (Bartlett kernel)
    /// standard error of `lags` lags: the right t for overlapping observations, such as
    /// the ICs of 20-day returns sampled weekly. Autocovariances use the 1/n divisor, so
    /// with no lags this is the mean over the plain `sqrt(variance / n)` error.
    public static func neweyWestT(_ x: [Double], lags: Int) -> (mean: Double, t: Double) {
        let n = x.count
        guard n > 1 else { return (mean(x), .nan) }
        let m = mean(x)
        func autocovariance(_ l: Int) -> Double {
            var sum = 0.0
            for i in l..<n { sum += (x[i] - m) * (x[i - l] - m) }
            return sum / Double(n)
        }
        let lags = min(max(0, lags), n - 1)
        var variance = autocovariance(0)
        if lags > 0 {
            for l in 1...lags { variance += 2 * (1 - Double(l) / Double(lags + 1)) * autocovariance(l) }
        }
        return (m, m / (max(variance, 0) / Double(n)).squareRoot())
    }
}
