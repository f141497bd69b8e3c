/// How the picks of one decision share the portfolio.
public enum Weighting: String, Sendable, Codable, CaseIterable {
    /// 1 / n each (the seed's).
    case equal
    /// Proportional to 1 / the 60-day volatility of daily returns known at the scoring close.
    case inverseVolatility = "inverse_volatility"
    /// Proportional to rank among the picks: the best of n gets n, the last gets 1.
    case scoreRank = "score_rank"
    /// Set by ``PortfolioConstruction``: the risk model and a quadratic program over the
    /// picks and the names held (the decision pipeline computes them, not ``weights``).
    case optimized

    /// Days of returns in the inverse-volatility estimate.
    public static let volatilityDays = 60

    /// Target weights of `picks` (best first), summing to 1; empty for no picks.
    ///
    /// Under `inverseVolatility` a pick whose volatility is unknown (too short a history)
    /// gets the median volatility of the others, and equal weights when none is known.
    public func weights(_ picks: [Selection.Candidate], panel: Panel, scoringDay s: Int) -> [Double] {
        let n = picks.count
        guard n > 0 else { return [] }
        switch self {
        case .equal:
            return [Double](repeating: 1 / Double(n), count: n)
        case .scoreRank:
            let total = Double(n * (n + 1) / 2)
            return (0..<n).map { Double(n - $0) / total }
        case .optimized:
            preconditionFailure("optimized weights come from PortfolioConstruction, through the decision pipeline")
        case .inverseVolatility:
            var vols = picks.map { Liquidity.dailyVolatility(panel, ticker: $0.ticker, day: s, days: Self.volatilityDays) }
            let known = vols.filter { $0 > 0 }
            guard !known.isEmpty else { return Self.equal.weights(picks, panel: panel, scoringDay: s) }
            let median = Statistics.median(known)
            vols = vols.map { $0 > 0 ? $0 : median }
            let inverse = vols.map { 1 / $0 }
            let total = inverse.reduce(0, +)
            return inverse.map { $0 / total }
        }
    }
}
