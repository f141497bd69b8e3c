import Foundation

/// A factor risk model at one scoring close: each stock's exposures to the style factors
/// (``RiskStyle``) and its sector, the factors' covariance and each stock's specific
/// variance, all daily. A portfolio's predicted variance is `wᵀ X F Xᵀ w + Σ w² d`.
///
/// Estimated from the price store alone and point-in-time (``RiskModelEstimator``): the
/// model at a close reads bars up to that close, never after it.
public struct RiskModel: Sendable {
    /// The scoring close it is estimated at.
    public let date: Day
    /// The stocks it covers (panel positions) and their symbols.
    public let tickers: [Int]
    public let symbols: [String]
    /// The factors: the styles, then one per sector (`sector:NAME`).
    public let factors: [String]
    /// Standardised exposures, `tickers.count x factors.count`, row-major.
    public let exposures: [Double]
    /// Daily factor covariance, `factors.count` squared, row-major.
    public let factorCovariance: [Double]
    /// Daily specific variance of each stock (floored).
    public let specificVariance: [Double]
    /// Days of factor returns behind the covariance (days of the window with a regression).
    public let observations: Int
    /// The benchmark (SPY) as the model sees it, when the data has one with enough history.
    public var benchmark: Benchmark? = nil

    /// A benchmark in the model's terms: its exposures, from a time-series regression of
    /// its daily returns on the factor returns over the model's window (the same
    /// exponential weights), and the variance of what the factors leave over.
    public struct Benchmark: Sendable {
        public var exposures: [Double]
        public var specificVariance: Double
    }

    /// The predicted daily variance of `weights`' return less the benchmark's (the square
    /// of the tracking error); nil without a benchmark.
    public func activeVariance(_ weights: [Double]) -> Double? {
        guard let benchmark else { return nil }
        let k = factors.count
        let x = zip(factorExposure(weights), benchmark.exposures).map { $0 - $1 }
        var factor = 0.0
        for a in 0..<k { for b in 0..<k { factor += x[a] * factorCovariance[a * k + b] * x[b] } }
        return factor + zip(weights, specificVariance).reduce(0) { $0 + $1.0 * $1.0 * $1.1 } + benchmark.specificVariance
    }

    /// `X F b`: each stock's daily covariance with the benchmark (nil without one).
    public func benchmarkCovariance() -> [Double]? {
        guard let benchmark else { return nil }
        let k = factors.count
        let fb = (0..<k).map { a in (0..<k).reduce(0.0) { $0 + factorCovariance[a * k + $1] * benchmark.exposures[$1] } }
        return tickers.indices.map { i in (0..<k).reduce(0.0) { $0 + exposures[i * k + $1] * fb[$1] } }
    }

    /// The exposure of `weights` (aligned with ``tickers``) to each factor.
    public func factorExposure(_ weights: [Double]) -> [Double] {
        let k = factors.count
        var out = [Double](repeating: 0, count: k)
        for i in weights.indices where weights[i] != 0 {
            for j in 0..<k { out[j] += weights[i] * exposures[i * k + j] }
        }
        return out
    }

    /// The predicted daily variance of `weights`: factor part and specific part.
    public func variance(_ weights: [Double]) -> (factor: Double, specific: Double) {
        let e = factorExposure(weights), k = factors.count
        var factor = 0.0
        for a in 0..<k { for b in 0..<k { factor += e[a] * factorCovariance[a * k + b] * e[b] } }
        let specific = zip(weights, specificVariance).reduce(0) { $0 + $1.0 * $1.0 * $1.1 }
        return (factor, specific)
    }

    /// The predicted standard deviation of `weights`' return over `days` trading days.
    public func risk(_ weights: [Double], days: Int = 1) -> Double {
        let v = variance(weights)
        return ((v.factor + v.specific) * Double(days)).squareRoot()
    }
}

/// Estimates ``RiskModel``s on one dataset. Each day's factor returns come from a weighted
/// cross-sectional regression of the next day's returns on that close's exposures, done
/// once for the whole calendar on first use (each reads only its own two closes), so a
/// walk-forward pays for the regressions once.
///
/// Choices, the usual ones of commercial equity models in a simple form:
/// - exposures winsorised at the median ± 5 robust deviations, standardised to mean 0
///   (weighted by the square root of dollar volume) and deviation 1 over the estimation
///   universe (the stocks with a close, a volatility and a beta that day), clipped to ±3;
///   a stock without a style's history sits at 0 on it;
/// - regression weights: square root of 60-day dollar volume; returns winsorised like
///   the exposures for the fit, residuals from the raw returns;
/// - factor covariance: exponentially weighted (half-life 90 days over the last 252)
///   with Newey-West's Bartlett correction for 2 lags of autocorrelation, computed as the
///   weighted covariance of 3-day sums so that it stays positive semi-definite;
/// - specific variance: the same weights over each stock's squared residuals (at least 20
///   days, else the cross-section's median), floored at a quarter of that median.
public final class RiskModelEstimator: @unchecked Sendable {
    // @unchecked: the memo is guarded by `lock`; everything else is immutable.
    public let panel: Panel
    /// Days of factor returns a model reads, and their half-life.
    public static let window = 252
    public static let halfLife = 90.0
    /// Newey-West lags.
    public static let lags = 2
    /// Days of factor returns below which no model is estimated.
    public static let minimumDays = 60

    private let raw: [[Float]]
    private let sectors: [String]
    private let sectorOf: [Int]
    private let lock = NSLock()
    private var fitted: Fit?

    /// The daily regressions: factor returns (`[day][factor]`, realised at that day's
    /// close), residuals (`[ticker * days + day]`) and which days had a regression.
    private struct Fit {
        var factorReturns: [[Double]]
        var residuals: [Double]
        var regressed: [Bool]
    }

    public init(panel: Panel) {
        self.panel = panel
        raw = RiskStyle.rawExposures(panel)
        sectors = Array(Set(panel.tradableTickers.map { panel.sector(ofTicker: $0) })).sorted()
        let position = Dictionary(uniqueKeysWithValues: sectors.enumerated().map { ($1, $0) })
        sectorOf = panel.tickers.indices.map { position[panel.sector(ofTicker: $0)] ?? -1 }
    }

    /// The factors' names: the styles, then the sectors (`sector:` and the name, `sector:`
    /// alone for stocks without one).
    public var factorNames: [String] { RiskStyle.allCases.map(\.rawValue) + sectors.map { "sector:" + $0 } }

    /// The model at scoring close `s` for `tickers` (panel positions); nil when fewer than
    /// ``minimumDays`` days of the window before it had a regression (too short a history,
    /// or too few stocks to estimate the factors).
    public func model(at s: Int, tickers: [Int]) -> RiskModel? {
        let fit = fit()
        let (factorReturns, residuals) = (fit.factorReturns, fit.residuals)
        let n = panel.dayCount, k = factorNames.count
        let first = max(1, s - Self.window + 1)
        guard s < n, s >= first else { return nil }
        let observations = fit.regressed[first...s].filter { $0 }.count
        guard observations >= Self.minimumDays else { return nil }
        let decay = pow(0.5, 1 / Self.halfLife)
        // Exponential weights on days first...s (newest heaviest), summing to 1.
        var weights = (first...s).map { pow(decay, Double(s - $0)) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }

        // Newey-West (Bartlett) as the covariance of (lags + 1)-day sums, divided by lags + 1.
        var covariance = [Double](repeating: 0, count: k * k)
        for (w, u) in zip(weights, first...s) {
            var sum = [Double](repeating: 0, count: k)
            for j in 0...Self.lags where u - j >= 1 { for a in 0..<k { sum[a] += factorReturns[u - j][a] } }
            for a in 0..<k { for b in 0..<k { covariance[a * k + b] += w * sum[a] * sum[b] } }
        }
        covariance = covariance.map { $0 / Double(Self.lags + 1) }

        var specific = tickers.map { t -> Double in
            var v = 0.0, mass = 0.0, count = 0
            for (w, u) in zip(weights, first...s) {
                let e = residuals[t * n + u]
                if e.isFinite { v += w * e * e; mass += w; count += 1 }
            }
            return count >= 20 ? v / mass : .nan
        }
        let known = specific.filter(\.isFinite)
        let median = known.isEmpty ? 1e-4 : Statistics.median(known)
        specific = specific.map { max($0.isFinite ? $0 : median, median / 4) }

        let styles = standardizedStyles(day: s, tickers: tickers)
        var exposures = [Double](repeating: 0, count: tickers.count * k)
        let styleCount = RiskStyle.allCases.count
        for (i, t) in tickers.enumerated() {
            for j in 0..<styleCount { exposures[i * k + j] = styles[i * styleCount + j] }
            if sectorOf[t] >= 0 { exposures[i * k + styleCount + sectorOf[t]] = 1 }
        }
        var model = RiskModel(date: panel.calendar[s], tickers: tickers, symbols: tickers.map { panel.tickers[$0] }, factors: factorNames,
                              exposures: exposures, factorCovariance: covariance, specificVariance: specific,
                              observations: observations)
        model.benchmark = benchmark(days: first...s, weights: weights, factorReturns: factorReturns, regressed: fit.regressed)
        return model
    }

    /// The benchmark's exposures over `days` (weighted by `weights`): a weighted least-squares
    /// regression of its close-to-close returns on the days' factor returns; nil without a
    /// benchmark or with fewer than ``minimumDays`` days of its returns.
    private func benchmark(days: ClosedRange<Int>, weights: [Double], factorReturns: [[Double]], regressed: [Bool]) -> RiskModel.Benchmark? {
        guard let symbol = panel.benchmark, let spy = panel.tickerIndex[symbol] else { return nil }
        let k = factorNames.count
        var gram = [Double](repeating: 0, count: k * k), rhs = [Double](repeating: 0, count: k)
        var used: [(day: Int, weight: Double, y: Double)] = []
        for (w, u) in zip(weights, days) where regressed[u] && u >= 1 {
            let y = panel.value(.close, ticker: spy, day: u) / panel.value(.close, ticker: spy, day: u - 1) - 1
            guard y.isFinite else { continue }
            used.append((u, w, y))
            let f = factorReturns[u]
            for a in 0..<k where f[a] != 0 {
                rhs[a] += w * f[a] * y
                for b in 0..<k { gram[a * k + b] += w * f[a] * f[b] }
            }
        }
        guard used.count >= Self.minimumDays else { return nil }
        // Sectors without members have empty columns; a whisper of ridge keeps the fit posed.
        let scale = (0..<k).map { gram[$0 * k + $0] }.max() ?? 1
        for a in 0..<k { gram[a * k + a] += gram[a * k + a] == 0 ? 1 : scale * 1e-8 }
        guard let b = try? choleskySolve(gram, rhs, size: k) else { return nil }
        var residual = 0.0, mass = 0.0
        for (u, w, y) in used {
            let e = y - dot(factorReturns[u], b)
            residual += w * e * e
            mass += w
        }
        return RiskModel.Benchmark(exposures: b, specificVariance: residual / mass)
    }

    /// The factor returns realised from close `start` to close `end`, each factor's summed.
    public func factorReturns(after start: Int, through end: Int) -> [Double] {
        let daily = fit().factorReturns, k = factorNames.count
        var out = [Double](repeating: 0, count: k)
        guard start < end else { return out }
        for u in (start + 1)...min(end, daily.count - 1) { for a in 0..<k { out[a] += daily[u][a] } }
        return out
    }

    /// The daily regressions over the whole calendar, fitted once.
    private func fit() -> Fit {
        if let done = lock.withLock({ fitted }) { return done }
        let n = panel.dayCount, k = factorNames.count, styleCount = RiskStyle.allCases.count
        var factorReturns = [[Double]](repeating: [Double](repeating: 0, count: k), count: n)
        var residuals = [Double](repeating: .nan, count: panel.tickers.count * n)
        var regressed = [Bool](repeating: false, count: n)
        let close = PriceField.close
        for d in 0..<max(0, n - 1) {
            // The stocks with a close on both days and a volatility and beta at the first.
            let universe = estimationUniverse(day: d)
            let members = universe.filter { panel.value(close, ticker: $0, day: d + 1).isFinite }
            guard members.count > k + 5 else { continue }
            let returns = members.map { panel.value(close, ticker: $0, day: d + 1) / panel.value(close, ticker: $0, day: d) - 1 }
            let fitted = Self.winsorized(returns)
            let regressionWeights = self.regressionWeights(day: d, tickers: members)
            let styles = standardizedStyles(day: d, tickers: members, universe: universe)
            // Weighted normal equations XᵀWX b = XᵀWr, sectors as 0/1 columns.
            var gram = [Double](repeating: 0, count: k * k), rhs = [Double](repeating: 0, count: k)
            var row = [Double](repeating: 0, count: k)
            for (i, t) in members.enumerated() {
                for j in 0..<k { row[j] = 0 }
                for j in 0..<styleCount { row[j] = styles[i * styleCount + j] }
                if sectorOf[t] >= 0 { row[styleCount + sectorOf[t]] = 1 }
                let w = regressionWeights[i]
                for a in 0..<k where row[a] != 0 {
                    rhs[a] += w * row[a] * fitted[i]
                    for b in 0..<k where row[b] != 0 { gram[a * k + b] += w * row[a] * row[b] }
                }
            }
            // A sector without members that day has an empty column: a unit diagonal keeps
            // the system solvable and its return 0; a whisper of ridge keeps it well posed.
            let scale = (0..<k).map { gram[$0 * k + $0] }.max() ?? 1
            for a in 0..<k { gram[a * k + a] += gram[a * k + a] == 0 ? 1 : scale * 1e-10 }
            guard let b = try? choleskySolve(gram, rhs, size: k) else { continue }
            factorReturns[d + 1] = b
            regressed[d + 1] = true
            for (i, t) in members.enumerated() {
                var predicted = 0.0
                for j in 0..<styleCount { predicted += styles[i * styleCount + j] * b[j] }
                if sectorOf[t] >= 0 { predicted += b[styleCount + sectorOf[t]] }
                residuals[t * n + d + 1] = returns[i] - predicted
            }
        }
        let result = Fit(factorReturns: factorReturns, residuals: residuals, regressed: regressed)
        lock.withLock { fitted = result }
        return result
    }

    /// The raw exposure of ticker `t` to `style` at close `d`.
    private func value(_ style: RiskStyle, _ t: Int, _ d: Int) -> Double {
        Double(raw[RiskStyle.allCases.firstIndex(of: style)!][t * panel.dayCount + d])
    }

    /// Square roots of the 60-day mean dollar volumes (the median where unknown).
    private func regressionWeights(day d: Int, tickers: [Int]) -> [Double] {
        let w = tickers.map { t in exp(value(.size, t, d) / 2) }
        let known = w.filter { $0.isFinite && $0 > 0 }
        let median = known.isEmpty ? 1 : Statistics.median(known)
        return w.map { $0.isFinite && $0 > 0 ? $0 : median }
    }

    /// The estimation universe at close `d`: the stocks with a close, a volatility and a beta.
    private func estimationUniverse(day d: Int) -> [Int] {
        return panel.tradableTickers.filter { t in
            panel.value(.close, ticker: t, day: d).isFinite && value(.volatility, t, d).isFinite && value(.beta, t, d).isFinite
        }
    }

    /// The styles of `tickers` at close `d` (`[ticker * styles + style]`), standardised
    /// against the estimation universe of that close (`universe`, computed when not given),
    /// whichever stocks are asked for.
    func standardizedStyles(day d: Int, tickers: [Int], universe given: [Int]? = nil) -> [Double] {
        let n = panel.dayCount, styleCount = RiskStyle.allCases.count
        let universe = given ?? estimationUniverse(day: d)
        let weights = regressionWeights(day: d, tickers: universe)
        var out = [Double](repeating: 0, count: tickers.count * styleCount)
        for j in RiskStyle.allCases.indices {
            let column = raw[j]
            let values = universe.map { Double(column[$0 * n + d]) }
            guard let (low, high) = Self.clipBounds(values) else { continue }
            let clipped = values.map { min(high, max(low, $0)) }
            var mass = 0.0, sum = 0.0
            for (v, w) in zip(clipped, weights) where v.isFinite { sum += v * w; mass += w }
            let finite = clipped.filter(\.isFinite)
            guard mass > 0, finite.count > 1 else { continue }
            let mean = sum / mass, sd = Statistics.standardDeviation(finite)
            guard sd > 0 else { continue }
            for (i, t) in tickers.enumerated() {
                let v = Double(column[t * n + d])
                if v.isFinite { out[i * styleCount + j] = min(3, max(-3, (min(high, max(low, v)) - mean) / sd)) }
            }
        }
        return out
    }

    /// The median ± 5 robust deviations (1.4826 x MAD) of the finite `values`; nil for fewer than three.
    static func clipBounds(_ values: [Double]) -> (Double, Double)? {
        let finite = values.filter(\.isFinite)
        guard finite.count > 2 else { return nil }
        let median = Statistics.median(finite)
        let spread = 1.4826 * Statistics.median(finite.map { abs($0 - median) })
        return spread > 0 ? (median - 5 * spread, median + 5 * spread) : (-Double.infinity, .infinity)
    }

    /// `values` with each finite one clipped to ``clipBounds(_:)``.
    static func winsorized(_ values: [Double]) -> [Double] {
        guard let (low, high) = clipBounds(values) else { return values }
        return values.map { $0.isFinite ? min(high, max(low, $0)) : $0 }
    }
}
