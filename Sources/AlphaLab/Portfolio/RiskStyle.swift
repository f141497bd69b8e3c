import Foundation

/// A style factor of the risk model: a property of each stock measured from its bars up
/// to a close (and the benchmark's), never after it.
public enum RiskStyle: String, CaseIterable, Sendable {
    /// Slope of the stock's daily returns on the benchmark's over the last 252 days (at
    /// least 60); the stocks' equal-weighted mean return stands in without a benchmark.
    case beta
    /// Log of the mean daily dollar volume (close x volume) over 60 days: size, as far as
    /// prices and volumes can tell it (the store keeps no shares outstanding).
    case size
    /// 12-1 momentum: the close 21 days ago over the close 252 days ago, minus 1.
    case momentum
    /// Short-term reversal: the 21-day return.
    case reversal
    /// Standard deviation of daily returns over 60 days.
    case volatility
    /// Minus the log of Amihud's illiquidity (mean |daily return| / dollar volume over 60
    /// days): high for names that trade a lot for each move of their price.
    case liquidity

    /// Days of history the raw exposure needs at most.
    static let window = 252
    /// Daily returns a beta or volatility needs at least.
    static let minimumReturns = 60

    /// The raw exposure of each ticker on each day, one column per style in ``allCases``
    /// order (`[style][ticker * days + day]`, NaN when its history is too short), from
    /// `panel`'s closes and volumes up to that day. Kept as `Float`: six columns over 500
    /// tickers and 7,000 days are 84 MB so, twice that in `Double`.
    static func rawExposures(_ panel: Panel) -> [[Float]] {
        let n = panel.dayCount, tickers = panel.tickers.count
        let returns = (0..<tickers).map { t -> [Double] in
            let close = panel.series(.close, ticker: t)
            return (0..<n).map { d in d == 0 ? .nan : close[close.startIndex + d] / close[close.startIndex + d - 1] - 1 }
        }
        let market: [Double] = panel.benchmark.flatMap { panel.tickerIndex[$0] }.map { returns[$0] } ?? (0..<n).map { d in
            let finite = panel.tradableTickers.map { returns[$0][d] }.filter(\.isFinite)
            return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
        var out = [[Float]](repeating: [Float](repeating: .nan, count: n * tickers), count: allCases.count)
        for t in 0..<tickers {
            let close = Array(panel.series(.close, ticker: t)), volume = Array(panel.series(.volume, ticker: t))
            let r = returns[t]
            let dollars = zip(close, volume).map { $0 * $1 }
            var illiquid = [Double](repeating: .nan, count: n)
            for d in 0..<n where dollars[d] > 0 { illiquid[d] = abs(r[d]) / dollars[d] }
            let beta = RollingMoments.slope(r, on: market, window: window, minimum: minimumReturns)
            let volatility = RollingMoments.standardDeviation(r, window: 60, minimum: minimumReturns)
            let size: [Double] = RollingMoments.mean(dollars, window: 60, minimum: 20).map { $0 > 0 ? log($0) : .nan }
            let liquidity: [Double] = RollingMoments.mean(illiquid, window: 60, minimum: 20).map { $0 > 0 ? -log($0) : .nan }
            var momentum = [Double](repeating: .nan, count: n), reversal = [Double](repeating: .nan, count: n)
            for d in 0..<n {
                if d >= 252 { momentum[d] = close[d - 21] / close[d - 252] - 1 }
                if d >= 21 { reversal[d] = close[d] / close[d - 21] - 1 }
            }
            let columns: [RiskStyle: [Double]] = [.beta: beta, .volatility: volatility, .size: size, .liquidity: liquidity,
                                                  .momentum: momentum, .reversal: reversal]
            for (j, style) in allCases.enumerated() {
                let column = columns[style]!
                out[j].withUnsafeMutableBufferPointer { buffer in
                    for d in 0..<n { buffer[t * n + d] = Float(column[d]) }
                }
            }
        }
        return out
    }
}

/// Rolling statistics that skip missing values: a window of `window` days counts the
/// finite values in it, and its statistic is NaN below `minimum` of them. O(n) each.
enum RollingMoments {
    static func mean(_ x: [Double], window: Int, minimum: Int) -> [Double] {
        var sum = 0.0, count = 0
        return x.indices.map { i in
            if x[i].isFinite { sum += x[i]; count += 1 }
            if i >= window, x[i - window].isFinite { sum -= x[i - window]; count -= 1 }
            return count >= max(1, minimum) ? sum / Double(count) : .nan
        }
    }

    static func standardDeviation(_ x: [Double], window: Int, minimum: Int) -> [Double] {
        var sum = 0.0, squares = 0.0, count = 0
        return x.indices.map { i in
            if x[i].isFinite { sum += x[i]; squares += x[i] * x[i]; count += 1 }
            if i >= window, x[i - window].isFinite { sum -= x[i - window]; squares -= x[i - window] * x[i - window]; count -= 1 }
            guard count >= max(2, minimum) else { return .nan }
            let m = sum / Double(count)
            return max(0, (squares - Double(count) * m * m) / Double(count - 1)).squareRoot()
        }
    }

    /// The least-squares slope of `y` on `x` over the days both are finite.
    static func slope(_ y: [Double], on x: [Double], window: Int, minimum: Int) -> [Double] {
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, count = 0
        func both(_ i: Int) -> Bool { y[i].isFinite && x[i].isFinite }
        return y.indices.map { i in
            if both(i) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; count += 1 }
            if i >= window, both(i - window) {
                let j = i - window
                sx -= x[j]; sy -= y[j]; sxx -= x[j] * x[j]; sxy -= x[j] * y[j]; count -= 1
            }
            guard count >= max(2, minimum) else { return .nan }
            let c = Double(count), variance = sxx - sx * sx / c
            return variance > 0 ? (sxy - sx * sy / c) / variance : .nan
        }
    }
}
