import Foundation

/// White's Reality Check (2000) and Hansen's test for superior predictive ability (2005)
/// over a family of strategies judged against one benchmark, with the recentring choices
/// of Python's `arch` (`arch.bootstrap.SPA`, the reference the tests compare with):
///
/// - the differentials d_k,t: strategy k's return minus the benchmark's at period t (for
///   an absolute claim the benchmark is the risk-free rate);
/// - the statistic: the largest mean differential, max_k mean(d_k);
/// - B stationary-bootstrap resamples of the periods (the same for every strategy, so
///   their correlation is kept), each giving max_k (mean(d*_k) - μ_k) for three recentrings
///   μ: `upper` recentres every strategy (White's Reality Check), `consistent` only those
///   whose mean is not far below zero (Hansen's threshold -sqrt(ω²_k / T · 2 ln ln T),
///   with ω²_k the stationary bootstrap's kernel variance), `lower` only those above zero;
/// - each p-value: the share of resamples whose maximum exceeds the statistic.
///
/// As in `arch`, the differentials are not studentised: the variance enters only through
/// the consistent threshold. Under the null hypothesis no strategy beats the benchmark;
/// a small p-value says the best of the family does, after allowing for how many tried.
public struct SuperiorPredictiveAbility: Sendable {
    /// Strategies, periods and resamples.
    public let strategies: Int
    public let periods: Int
    public let reps: Int
    public let blockSize: Int
    /// Each strategy's mean differential and kernel variance ω²_k.
    public let means: [Double]
    public let variances: [Double]
    /// max_k mean(d_k).
    public let statistic: Double
    /// Each resample's mean differential per strategy, rep-major (reps x strategies).
    private let resampledMeans: [Double]
    /// The three recentrings, per strategy.
    private let centres: [Recentring: [Double]]

    /// How the resamples are recentred (see the type's documentation).
    public enum Recentring: String, Sendable, CaseIterable, Codable {
        case lower, consistent, upper
    }

    /// The test on `differentials` (one series per strategy, all of one length) with
    /// `reps` stationary-bootstrap resamples of mean block length `blockSize` (default:
    /// the integer part of sqrt(T), as `arch`), seeded.
    public init(differentials: [[Double]], reps: Int = 1000, blockSize: Int? = nil, seed: UInt64 = 1) {
        let k = differentials.count, t = differentials.first?.count ?? 0
        precondition(differentials.allSatisfy { $0.count == t }, "every strategy covers the same periods")
        strategies = k
        periods = t
        self.reps = reps
        let block = blockSize ?? max(1, Int(Double(t).squareRoot()))
        self.blockSize = block
        // Period-major rows: a resample adds whole rows, which vectorises over strategies.
        var rows = [Double](repeating: 0, count: t * k)
        for s in 0..<k { for i in 0..<t { rows[i * k + s] = differentials[s][i] } }
        let means = (0..<k).map { s in differentials[s].reduce(0, +) / Double(max(t, 1)) }
        self.means = means
        statistic = means.max() ?? .nan
        variances = Self.kernelVariances(rows: rows, means: means, periods: t, strategies: k, blockSize: Double(block))
        var consistent = means, lower = means
        let loglog = t > 2 ? 2 * log(log(Double(t))) : 0
        for s in 0..<k {
            if means[s] < -(variances[s] / Double(t) * loglog).squareRoot() { consistent[s] = 0 }
            if means[s] < 0 { lower[s] = 0 }
        }
        centres = [.lower: lower, .consistent: consistent, .upper: means]
        let bootstrap = StationaryBootstrap(blockSize: Double(block), seed: seed)
        let chunks = parallelMap(reps) { rep -> [Double] in
            var sum = [Double](repeating: 0, count: k)
            rows.withUnsafeBufferPointer { rows in
                for i in bootstrap.indices(rep: rep, length: t) {
                    let base = i * k
                    for s in 0..<k { sum[s] += rows[base + s] }
                }
            }
            return sum.map { $0 / Double(t) }
        }
        resampledMeans = chunks.flatMap { $0 }
    }

    /// The stationary bootstrap's kernel estimate of each strategy's long-run variance
    /// (Politis and Romano 1994; `arch`'s non-nested studentisation).
    static func kernelVariances(rows: [Double], means: [Double], periods t: Int, strategies k: Int, blockSize: Double) -> [Double] {
        guard t > 1 else { return [Double](repeating: .nan, count: k) }
        var demeaned = rows
        for i in 0..<t { for s in 0..<k { demeaned[i * k + s] -= means[s] } }
        var variances = [Double](repeating: 0, count: k)
        let p = 1 / blockSize, n = Double(t)
        demeaned.withUnsafeBufferPointer { x in
            for i in 0..<t { for s in 0..<k { variances[s] += x[i * k + s] * x[i * k + s] } }
            var lag = [Double](repeating: 0, count: k)
            for h in 1..<t {
                let kappa = (1 - Double(h) / n) * pow(1 - p, Double(h)) + Double(h) / n * pow(1 - p, n - Double(h))
                guard kappa > 1e-300 else { continue }
                for s in 0..<k { lag[s] = 0 }
                for i in 0..<(t - h) {
                    let a = i * k, b = (i + h) * k
                    for s in 0..<k { lag[s] += x[a + s] * x[b + s] }
                }
                for s in 0..<k { variances[s] += 2 * kappa * lag[s] }
            }
        }
        return variances.map { $0 / n }
    }

    /// Each resample's largest recentred mean over the strategies `active` selects.
    private func maxima(_ recentring: Recentring, active: [Bool]) -> [Double] {
        let centre = centres[recentring]!, k = strategies
        return (0..<reps).map { r in
            var best = -Double.infinity
            for s in 0..<k where active[s] { best = max(best, resampledMeans[r * k + s] - centre[s]) }
            return best
        }
    }

    /// The p-value of `recentring` (`upper`: White's Reality Check; `consistent`: Hansen's SPA).
    public func pValue(_ recentring: Recentring) -> Double {
        guard reps > 0, strategies > 0 else { return .nan }
        let active = [Bool](repeating: true, count: strategies)
        return Double(maxima(recentring, active: active).filter { $0 > statistic }.count) / Double(reps)
    }

    /// The (1 - size) quantile of the resamples' maxima over the `active` strategies
    /// (linear interpolation, as NumPy's percentile).
    public func criticalValue(size: Double, recentring: Recentring = .consistent, active: [Bool]? = nil) -> Double {
        let values = maxima(recentring, active: active ?? [Bool](repeating: true, count: strategies)).sorted()
        guard !values.isEmpty else { return .nan }
        let position = (1 - size) * Double(values.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, values.count - 1)
        return values[low] + (position - Double(low)) * (values[high] - values[low])
    }

    /// Romano and Wolf's StepM (2005) on the consistent recentring, as `arch.bootstrap.StepM`:
    /// the strategies whose mean differential exceeds the critical value of the ones not
    /// yet found superior, repeated until no more are found. The family-wise error rate
    /// (any strategy wrongly called superior) is at most `size`. Indices, ascending.
    public func stepM(size: Double = 0.05) -> [Int] {
        var active = [Bool](repeating: true, count: strategies), superior: [Int] = []
        while active.contains(true) {
            let critical = criticalValue(size: size, recentring: .consistent, active: active)
            let found = (0..<strategies).filter { active[$0] && means[$0] > critical }
            guard !found.isEmpty else { break }
            superior += found
            for s in found { active[s] = false }
        }
        return superior.sorted()
    }
}
