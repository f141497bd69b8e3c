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
}
