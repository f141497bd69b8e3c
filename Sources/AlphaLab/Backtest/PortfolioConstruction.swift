import Foundation

/// `weighting = "optimized"`: the picks and the names held become weights through the
/// risk model (``RiskModelEstimator``) and a quadratic program (``QuadraticProgram``), as
/// Quantopian's Optimize API with `MaximizeAlpha` and Grinold and Kahn's recipe do it:
///
/// maximise `αᵀw - ½ risk_aversion · wᵀΣw - Σ turnover_penalty · cost_i · |w_i - w0_i|`
///
/// over the picks and the held names that are still candidates (under `sector_neutral` or
/// `max_tracking_error` also each sector's best three candidates, and for a long-short book its worst three),
/// with `max_turnover`, `beta_neutral` and `sector_neutral` when set. A long-only book is
/// fully invested (`Σw = 1`, `0 ≤ w ≤ max_position`); a long-short book is dollar-neutral
/// (`Σw = 0`, `|w| ≤ max_position`) with at most 200% gross (`Σ|w| ≤ 2`, Quantopian's
/// `DollarNeutral` and `MaxGrossExposure(2)`). Σ is the model's covariance over the period (5 trading days weekly, 21
/// monthly); `α = 0.05 · σ · z`, Grinold's "alpha = IC x volatility x score" with an IC of
/// 0.05, z the score's cross-sectional z-score among the candidates (negated under
/// `invert_signal`) and σ the name's predicted risk over the period; `cost_i` is the cost
/// model's one-way fraction for the name plus the transaction cost.
///
/// Under `max_tracking_error` (long only), the book's predicted tracking error to the
/// benchmark, annualised, stays within the bound (``trackBenchmark``).
///
/// When the constraints cannot hold together, or no risk model can be estimated yet, the
/// period keeps the book it holds and the result's warnings say which constraint failed
/// (never a silent equal weight).
struct PortfolioConstruction {
    let config: ExperimentConfig
    let dataset: Dataset
    let costs: FillCosts

    /// Grinold's information coefficient turning z-scores into expected returns.
    static let informationCoefficient = 0.05
    /// How far a sector may stray from its share of the universe under `sector_neutral`.
    static let sectorBand = 0.05
    /// Under `sector_neutral`, the best candidates of each sector added to the picks, so
    /// that every sector has names to hold.
    static let namesPerSector = 3

    /// The weights, or the book kept and why.
    struct Outcome {
        var picks: [Selection.Candidate]
        var weights: [Double]
        /// Why the period kept its book instead (nil when the optimizer solved).
        var fallback: String?
    }

    /// Trading days a period holds its weights, for the risk and alpha over it.
    var horizon: Int { config.rebalance == .weekly ? 5 : 21 }

    func construct(picks: [Selection.Candidate], candidates: [Selection.Candidate], members: [Int],
                   held: [Int: Double], scoringDay s: Int) -> Outcome {
        let panel = dataset.panel
        let date = panel.calendar[s]
        let byTicker = Dictionary(candidates.map { ($0.ticker, $0) }, uniquingKeysWith: { a, _ in a })
        let chosen = Set(picks.map(\.ticker))
        var pool = picks + held.keys.sorted().filter { !chosen.contains($0) }.compactMap { byTicker[$0] }
        let longShort = config.book == .longShort
        if config.sectorNeutral || config.maxTrackingError > 0 {
            // Each sector of the universe needs names to hold (to stay neutral, or to track
            // the benchmark): its best few candidates join (and, to be shorted, its worst few).
            for invert in longShort ? [config.invertSignal, !config.invertSignal] : [config.invertSignal] {
                let taken = Set(pool.map(\.ticker))
                let ranked = candidates.filter { !taken.contains($0.ticker) }
                    .sorted { invert ? ($0.score, $0.ticker) < ($1.score, $1.ticker) : ($0.score, -$0.ticker) > ($1.score, -$1.ticker) }
                var added: [String: Int] = [:]
                for c in ranked where added[c.sector, default: 0] < Self.namesPerSector {
                    added[c.sector, default: 0] += 1
                    pool.append(c)
                }
            }
        }
        func keep(_ why: String) -> Outcome {
            // A long-only book's weights are its longs' shares of what they are worth; a
            // long-short book keeps its weights as they stand against equity.
            let book = held.filter { longShort ? $0.value != 0 : $0.value > 0 }.sorted { $0.key < $1.key }
            let total = longShort ? 1 : book.reduce(0) { $0 + $1.value }
            let kept = book.map { t, _ in
                byTicker[t] ?? Selection.Candidate(ticker: t, score: .nan, momentum: .nan, sector: panel.sector(ofTicker: t))
            }
            return Outcome(picks: kept, weights: book.map { $0.value / total }, fallback: "\(date): \(why); the period kept the book it held")
        }
        guard !pool.isEmpty else { return Outcome(picks: [], weights: [], fallback: nil) }
        guard let model = dataset.riskModels.model(at: s, tickers: pool.map(\.ticker)) else {
            return keep("no risk model yet (fewer than \(RiskModelEstimator.minimumDays) days of factor returns)")
        }
        let m = pool.count, k = model.factors.count, h = Double(horizon)
        if !longShort, Double(m) * config.maxPosition < 1 - 1e-12 {
            return keep("max_position \(config.maxPosition) x \(m) names < 1: the book cannot be fully invested")
        }

        // Covariance over the period, and each name's own risk.
        let sigma = model.covariance().map { $0 * h }
        let scores = candidates.map(\.score)
        let mean = Statistics.mean(scores), sd = Statistics.standardDeviation(scores)
        let alpha = pool.indices.map { i -> Double in
            let z = sd > 0 ? (pool[i].score - mean) / sd : 0
            return Self.informationCoefficient * sigma[i * m + i].squareRoot() * (config.invertSignal ? -z : z)
        }
        let notional = config.initialCash / Double(max(1, config.topN))
        let cost = pool.map { c in
            config.turnoverPenalty * (costs.fraction(panel, ticker: c.ticker, notional: notional, scoringDay: s) + costs.transactionCost)
        }
        let w0 = pool.map { held[$0.ticker] ?? 0 }
        // What is sold for leaving the pool counts against max_turnover before anything else.
        let inPool = Set(pool.map(\.ticker))
        let leaving = held.keys.sorted().filter { !inPool.contains($0) }.reduce(0) { $0 + abs(held[$1]!) }

        // Variables: w (m), then u ≥ |w - w0| (m), then for a long-short book g ≥ |w| (m).
        let n = (longShort ? 3 : 2) * m
        var p = [Double](repeating: 0, count: n * n)
        for i in 0..<m { for j in 0..<m { p[i * n + j] = config.riskAversion * sigma[i * m + j] } }
        var program = QuadraticProgram(p: p, q: alpha.map { -$0 } + cost + (longShort ? [Double](repeating: 0, count: m) : []))
        func row(_ fill: (inout [Double]) -> Void) -> [Double] {
            var r = [Double](repeating: 0, count: n)
            fill(&r)
            return r
        }
        if longShort {
            program.constrain("dollar neutral", row { r in for i in 0..<m { r[i] = 1 } }, 0, 0)
            program.constrain("gross exposure 200%", row { r in for i in 0..<m { r[2 * m + i] = 1 } }, -.infinity, 2)
        } else {
            program.constrain("fully invested", row { r in for i in 0..<m { r[i] = 1 } }, 1, 1)
        }
        for i in 0..<m {
            program.constrain("max_position", row { $0[i] = 1 }, longShort ? -config.maxPosition : 0, config.maxPosition)
            program.constrain("turnover", row { $0[m + i] = 1; $0[i] = -1 }, -w0[i], .infinity)
            program.constrain("turnover", row { $0[m + i] = 1; $0[i] = 1 }, w0[i], .infinity)
            if longShort {
                program.constrain("gross exposure 200%", row { $0[2 * m + i] = 1; $0[i] = -1 }, 0, .infinity)
                program.constrain("gross exposure 200%", row { $0[2 * m + i] = 1; $0[i] = 1 }, 0, .infinity)
            }
        }
        if config.maxTurnover > 0 {
            // One-way turnover: half the sum of |changes|, the pool's and the leavers'.
            program.constrain("max_turnover", row { r in for i in 0..<m { r[m + i] = 0.5 } }, -.infinity, config.maxTurnover - leaving / 2)
        }
        if config.betaNeutral, let beta = model.factors.firstIndex(of: RiskStyle.beta.rawValue) {
            program.constrain("beta_neutral", row { r in for i in 0..<m { r[i] = model.exposures[i * k + beta] } }, 0, 0)
        }
        if config.sectorNeutral, !members.isEmpty {
            // A long-only book holds each sector near its share of the universe; a dollar-neutral one near zero net.
            var shares: [String: Double] = [:]
            for t in members { shares[panel.sector(ofTicker: t), default: 0] += longShort ? 0 : 1 / Double(members.count) }
            for (sector, share) in shares.sorted(by: { $0.key < $1.key }) {
                program.constrain("sector_neutral (\(sector.isEmpty ? "no sector" : sector))",
                                  row { r in for i in 0..<m where pool[i].sector == sector { r[i] = 1 } },
                                  share - Self.sectorBand, share + Self.sectorBand)
            }
        }

        var solution = program.solve()
        if config.maxTrackingError > 0, solution.status == .solved {
            guard let tracked = trackBenchmark(program, first: solution, model: model, sigma: sigma, weights: m) else {
                return keep("max_tracking_error: the data has no benchmark (SPY) with \(RiskModelEstimator.minimumDays) days of history to track")
            }
            guard tracked.risk <= config.maxTrackingError * 1.0001 else {
                return keep("max_tracking_error \(Format.rate(config.maxTrackingError)) cannot hold: the closest book the candidates allow tracks at \(Format.rate(tracked.risk)) a year")
            }
            solution = tracked.solution
        }
        switch solution.status {
        case .solved where longShort:
            // Longs by weight, then shorts by size; what rounds to nothing is not traded.
            let w = Array(solution.x[0..<m]).map { abs($0) < 1e-6 ? 0 : $0 }
            let longs: [Int] = (0..<m).filter { w[$0] > 0 }.sorted { (w[$0], -$0) > (w[$1], -$1) }
            let shorts: [Int] = (0..<m).filter { w[$0] < 0 }.sorted { (-w[$0], -$0) > (-w[$1], -$1) }
            let order = longs + shorts
            return Outcome(picks: order.map { pool[$0] }, weights: order.map { w[$0] }, fallback: nil)
        case .solved:
            var w = Array(solution.x[0..<m]).map { $0 < 1e-6 ? 0 : $0 }
            let total = w.reduce(0, +)
            w = w.map { $0 / total }
            let order = (0..<m).filter { w[$0] > 0 }.sorted { (w[$0], -$0) > (w[$1], -$1) }
            return Outcome(picks: order.map { pool[$0] }, weights: order.map { w[$0] }, fallback: nil)
        case .infeasible:
            return keep("the constraints \(solution.conflict.joined(separator: ", ")) cannot hold together")
        case .iterationLimit:
            return keep("the optimizer did not converge in \(solution.iterations) iterations")
        }
    }

    /// `max_tracking_error`: a tracking error bound is a quadratic constraint, which a QP
    /// cannot state, so the active variance joins the objective with a multiplier μ found
    /// by search (the Lagrangian of the bound: the least μ whose book tracks within it is
    /// the constrained optimum). Returns the solution and its annualised tracking error,
    /// the smallest the search reached when none is within the bound; nil without a benchmark.
    private func trackBenchmark(_ program: QuadraticProgram, first: QuadraticSolution, model: RiskModel, sigma: [Double],
                                weights m: Int) -> (solution: QuadraticSolution, risk: Double)? {
        guard let covariance = model.benchmarkCovariance() else { return nil }
        let h = Double(horizon), n = program.variables
        func trackingError(_ x: QuadraticSolution) -> Double {
            var w = Array(x.x[0..<m]).map { $0 < 1e-6 ? 0 : $0 }
            let total = w.reduce(0, +)
            w = w.map { $0 / total }
            return (model.activeVariance(w)! * 252).squareRoot()
        }
        func solve(_ mu: Double) -> QuadraticSolution {
            var p = program
            for i in 0..<m {
                for j in 0..<m { p.p[i * n + j] += 2 * mu * sigma[i * m + j] }
                p.q[i] -= 2 * mu * covariance[i] * h
            }
            return p.solve()
        }
        let limit = config.maxTrackingError
        var best = (solution: first, risk: trackingError(first))
        guard best.risk > limit else { return best }
        // Grow μ by 4 until the book tracks within the bound, then bisect (geometrically).
        var low = 0.0, high = max(1, config.riskAversion)
        while true {
            let x = solve(high)
            guard x.status == .solved else { return best }
            let risk = trackingError(x)
            if risk <= limit { best = (x, risk); break }
            if risk < best.risk { best = (x, risk) }
            if high > 1e7 { return best }
            (low, high) = (high, high * 4)
        }
        for _ in 0..<8 {
            let mid = low == 0 ? high / 4 : (low * high).squareRoot()
            let x = solve(mid)
            guard x.status == .solved else { break }
            let risk = trackingError(x)
            if risk <= limit { (best, high) = ((x, risk), mid) } else { low = mid }
        }
        return best
    }
}
