import Foundation

/// Causal rolling and exponential kernels over one ticker's history.
///
/// Hand-written because they are the hot loop of feature computation: each runs
/// in O(n) whatever the window (running sums, monotonic deques), and each value
/// at position i reads only positions <= i. Leading NaNs (a series that starts
/// later, a difference's first value) are skipped: a window counts only
/// values from the first finite one on, and its output is NaN until it is full.
public enum Kernels {
    /// Index of the first finite value (count when none).
    static func firstFinite(_ x: [Double]) -> Int { x.firstIndex { $0.isFinite } ?? x.count }

    /// Rolling mean over `window` values.
    public static func mean(_ x: [Double], _ window: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: x.count)
        let start = firstFinite(x)
        var sum = 0.0
        for i in start..<x.count {
            sum += x[i]
            if i - start >= window { sum -= x[i - window] }
            if i - start >= window - 1 { out[i] = sum / Double(window) }
        }
        return out
    }

    /// Rolling sum over `window` values.
    public static func sum(_ x: [Double], _ window: Int) -> [Double] {
        mean(x, window).map { $0 * Double(window) }
    }

    /// Rolling sample standard deviation (n - 1 denominator, as pandas) over `window` values.
    public static func standardDeviation(_ x: [Double], _ window: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: x.count)
        let start = firstFinite(x)
        guard start < x.count, window > 1 else { return out }
        // Sums of deviations from a fixed reference keep the cancellation small for prices.
        let reference = x[start]
        var s = 0.0, ss = 0.0
        for i in start..<x.count {
            let v = x[i] - reference
            s += v; ss += v * v
            if i - start >= window { let old = x[i - window] - reference; s -= old; ss -= old * old }
            if i - start >= window - 1 {
                let n = Double(window)
                out[i] = (max(0, (ss - s * s / n) / (n - 1))).squareRoot()
            }
        }
        return out
    }

    /// Rolling maximum over `window` values (monotonic deque).
    public static func maximum(_ x: [Double], _ window: Int) -> [Double] { extreme(x, window, >=) }

    /// Rolling minimum over `window` values (monotonic deque).
    public static func minimum(_ x: [Double], _ window: Int) -> [Double] { extreme(x, window, <=) }

    private static func extreme(_ x: [Double], _ window: Int, _ dominates: (Double, Double) -> Bool) -> [Double] {
        var out = [Double](repeating: .nan, count: x.count)
        let start = firstFinite(x)
        var deque = [Int]()
        deque.reserveCapacity(window)
        var head = 0
        for i in start..<x.count {
            while deque.count > head && dominates(x[i], x[deque[deque.count - 1]]) { deque.removeLast() }
            deque.append(i)
            if deque[head] <= i - window { head += 1 }
            if i - start >= window - 1 { out[i] = x[deque[head]] }
            // Compact now and then so the buffer stays the window's size.
            if head > window { deque.removeFirst(head); head = 0 }
        }
        return out
    }

    /// Exponentially weighted mean, `y = alpha * x + (1 - alpha) * y[-1]`, seeded with the
    /// first finite value (pandas `ewm(alpha:, adjust: false)`); NaN for the first
    /// `minPeriods - 1` values.
    public static func ewm(_ x: [Double], alpha: Double, minPeriods: Int = 1) -> [Double] {
        var out = [Double](repeating: .nan, count: x.count)
        let start = firstFinite(x)
        guard start < x.count else { return out }
        var y = x[start]
        for i in start..<x.count {
            if i > start { y = alpha * x[i] + (1 - alpha) * y }
            if i - start >= minPeriods - 1 { out[i] = y }
        }
        return out
    }

    /// Exponentially weighted mean with pandas' `span` (alpha = 2 / (span + 1)).
    public static func ewm(_ x: [Double], span: Int) -> [Double] {
        ewm(x, alpha: 2 / (Double(span) + 1), minPeriods: span)
    }

    /// Wilder's smoothing (alpha = 1 / period), as RSI, ATR and ADX use.
    public static func wilder(_ x: [Double], _ period: Int) -> [Double] {
        ewm(x, alpha: 1 / Double(period), minPeriods: period)
    }

    /// The value `lag` positions earlier (NaN before the start).
    public static func lag(_ x: [Double], _ lag: Int) -> [Double] {
        (0..<x.count).map { $0 >= lag ? x[$0 - lag] : .nan }
    }

    /// `x[i] / x[i - k] - 1`.
    public static func change(_ x: [Double], _ k: Int) -> [Double] {
        (0..<x.count).map { $0 >= k ? x[$0] / x[$0 - k] - 1 : .nan }
    }

    /// Rolling mean absolute deviation from the window's mean (CCI's denominator);
    /// O(n * window), which for CCI's 20 days is still linear in n.
    public static func meanAbsoluteDeviation(_ x: [Double], _ window: Int) -> [Double] {
        let m = mean(x, window)
        var out = [Double](repeating: .nan, count: x.count)
        for i in x.indices where m[i].isFinite {
            var s = 0.0
            for j in (i - window + 1)...i { s += abs(x[j] - m[i]) }
            out[i] = s / Double(window)
        }
        return out
    }
}

/// Element-wise arithmetic on equal-length series, so feature formulas read like formulas.
func zipMap(_ a: [Double], _ b: [Double], _ f: (Double, Double) -> Double) -> [Double] {
    var out = [Double](repeating: .nan, count: a.count)
    for i in a.indices { out[i] = f(a[i], b[i]) }
    return out
}
