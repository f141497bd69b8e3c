import Foundation

/// The probability of backtest overfitting by combinatorially symmetric cross-validation
/// (Bailey, Borwein, López de Prado and Zhu, "The Probability of Backtest Overfitting",
/// 2015). The periods are cut into S blocks of equal length (the earliest T mod S periods
/// are left out); every one of the C(S, S/2) ways to pick half the blocks is an in-sample
/// set, the other half its out-of-sample set. In each, the strategy with the best
/// in-sample Sharpe ratio (mean over sample standard deviation; the first on a tie) is
/// ranked out of sample: ω = rank / (N + 1), rank 1 the worst (ties rank low), and
/// λ = ln(ω / (1 - ω)). The PBO is the share of splits with λ <= 0: how often the
/// in-sample winner is no better than the median out of sample. Deterministic.
public struct BacktestOverfitting: Sendable, Equatable, Codable {
    /// Blocks and splits used.
    public var blocks: Int
    public var splits: Int
    /// The probability of backtest overfitting, and the mean logit λ.
    public var probability: Double
    public var meanLogit: Double

    /// CSCV over `series` (one per strategy, all of one length) in `blocks` blocks (even,
    /// at least 2); nil with fewer than 2 strategies or fewer periods than 2 per block.
    public init?(series: [[Double]], blocks: Int = 16) {
        let n = series.count, length = series.first?.count ?? 0
        guard n >= 2, blocks >= 2, blocks % 2 == 0, blocks <= 20, length / blocks >= 2,
              series.allSatisfy({ $0.count == length }) else { return nil }
        let size = length / blocks, skip = length - size * blocks
        // Per strategy and block: sum and sum of squares (the Sharpe ratio of any union of
        // blocks follows from them, so a split costs O(N x S), not O(N x T)).
        var sums = [Double](repeating: 0, count: n * blocks), squares = sums
        for s in 0..<n {
            for b in 0..<blocks {
                var sum = 0.0, square = 0.0
                for v in series[s][(skip + b * size)..<(skip + (b + 1) * size)] { sum += v; square += v * v }
                sums[s * blocks + b] = sum
                squares[s * blocks + b] = square
            }
        }
        let half = blocks / 2, count = Double(half * size)
        func sharpe(_ s: Int, _ mask: UInt32) -> Double {
            var sum = 0.0, square = 0.0
            for b in 0..<blocks where mask & (1 << UInt32(b)) != 0 { sum += sums[s * blocks + b]; square += squares[s * blocks + b] }
            let mean = sum / count
            let variance = (square - count * mean * mean) / (count - 1)
            return variance > 0 ? mean / variance.squareRoot() : 0
        }
        let full: UInt32 = (1 << UInt32(blocks)) - 1
        let masks = (0...full).filter { $0.nonzeroBitCount == half }
        let logits = parallelMap(masks.count) { i -> Double in
            let inSample = masks[i], outOfSample = full & ~inSample
            var best = 0, bestValue = -Double.infinity
            for s in 0..<n {
                let v = sharpe(s, inSample)
                if v > bestValue { (best, bestValue) = (s, v) }
            }
            let chosen = sharpe(best, outOfSample)
            var below = 0
            for s in 0..<n where sharpe(s, outOfSample) < chosen { below += 1 }
            let omega = Double(below + 1) / Double(n + 1)
            return log(omega / (1 - omega))
        }
        self.blocks = blocks
        splits = masks.count
        probability = Double(logits.filter { $0 <= 0 }.count) / Double(logits.count)
        meanLogit = logits.reduce(0, +) / Double(logits.count)
    }
}
