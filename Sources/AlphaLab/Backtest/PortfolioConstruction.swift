import Foundation

/// `weighting = "optimized"`: the picks and the names held become weights through the
/// risk model (``RiskModelEstimator``) and a quadratic program (``FactorQuadraticProgram``), as
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
/// benchmark, annualised, stays within the bound: a second-order cone on the model's
/// factors and specific risks (``trackingRows(_:)``), solved with the rest in one program.
///
/// When the constraints cannot hold together, or no risk model can be estimated yet, the
/// period keeps the book it holds and the result's warnings say which constraint failed
/// (never a silent equal weight).
public struct PortfolioConstruction {
    public let config: ExperimentConfig
    public let dataset: Dataset
    public let costs: FillCosts

    /// The construction `config` asks for on `dataset`, its turnover priced by `costs`.
    public init(config: ExperimentConfig, dataset: Dataset, costs: FillCosts) {
        self.config = config
        self.dataset = dataset
        self.costs = costs
    }

    /// Grinold's information coefficient turning z-scores into expected returns.
    static let informationCoefficient = 0.05
    /// How far a sector may stray from its share of the universe under `sector_neutral`.
    static let sectorBand = 0.05
    /// Under `sector_neutral`, the best candidates of each sector added to the picks, so
    /// that every sector has names to hold.
    static let namesPerSector = 3
    /// The solver's tolerance (OSQP's absolute and relative; its default is 1e-3): each
    /// row kept within 1e-7 keeps sums over a few hundred names (gross exposure, the
    /// budget) within 1e-5, where 1e-6 let them stray by 1e-4; fewer iterations than 1e-8.
    static let tolerance = 1e-7

    /// The weights, or the book kept and why.
    public struct Outcome {
        /// The names held, longs by weight then shorts by size, and their weights.
        public var picks: [Selection.Candidate]
        public var weights: [Double]
        /// Why the period kept its book instead (nil when the optimizer solved).
        public var fallback: String?
    }

    /// Trading days a period holds its weights, for the risk and alpha over it.
    var horizon: Int { config.rebalance == .weekly ? 5 : 21 }

    /// The book of one decision at scoring close `s`: `picks` (best first; a long-short
    /// book's longs then shorts) and the `held` names (their signed shares of the book) that
    /// are still among `candidates`, under the constraints; `members`, the universe's, set
    /// the sector shares `sector_neutral` holds to.
    public func construct(picks: [Selection.Candidate], candidates: [Selection.Candidate], members: [Int],
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

        // Each name's own variance over the period, X_i F X_iᵀ + d_i, for its alpha.
        let f = model.factorCovariance
        let variance = (0..<m).map { i -> Double in
            var v = model.specificVariance[i]
            for a in 0..<k where model.exposures[i * k + a] != 0 {
                for b in 0..<k { v += model.exposures[i * k + a] * f[a * k + b] * model.exposures[i * k + b] }
            }
            return v * h
        }
        let scores = candidates.map(\.score)
        let mean = Statistics.mean(scores), sd = Statistics.standardDeviation(scores)
        let alpha = pool.indices.map { i -> Double in
            let z = sd > 0 ? (pool[i].score - mean) / sd : 0
            return Self.informationCoefficient * variance[i].squareRoot() * (config.invertSignal ? -z : z)
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
        // The risk term is the model's own shape: risk_aversion x (X F Xᵀ + D) over the period on w.
        let n = (longShort ? 3 : 2) * m
        var loadings = [Double](repeating: 0, count: n * k)
        for i in 0..<m { for a in 0..<k { loadings[i * k + a] = model.exposures[i * k + a] } }
        var program = FactorQuadraticProgram(
            diagonal: (0..<n).map { $0 < m ? config.riskAversion * h * model.specificVariance[$0] : 0 }, loadings: loadings, factorCount: k,
            factorMatrix: f.map { config.riskAversion * h * $0 }, q: alpha.map { -$0 } + cost + (longShort ? [Double](repeating: 0, count: m) : []))
        let weights = Array(0..<m)
        if longShort {
            program.constrain("dollar neutral", weights, weights.map { _ in 1 }, 0, 0)
            program.constrain("gross exposure 200%", weights.map { 2 * m + $0 }, weights.map { _ in 1 }, -.infinity, 2)
        } else {
            program.constrain("fully invested", weights, weights.map { _ in 1 }, 1, 1)
        }
        for i in 0..<m {
            program.constrain("max_position", [i], [1], longShort ? -config.maxPosition : 0, config.maxPosition)
            program.constrain("turnover", [m + i, i], [1, -1], -w0[i], .infinity)
            program.constrain("turnover", [m + i, i], [1, 1], w0[i], .infinity)
            if longShort {
                program.constrain("gross exposure 200%", [2 * m + i, i], [1, -1], 0, .infinity)
                program.constrain("gross exposure 200%", [2 * m + i, i], [1, 1], 0, .infinity)
            }
        }
        if config.maxTurnover > 0 {
            // One-way turnover: half the sum of |changes|, the pool's and the leavers'.
            program.constrain("max_turnover", weights.map { m + $0 }, weights.map { _ in 0.5 }, -.infinity, config.maxTurnover - leaving / 2)
        }
        // Beta and sectors are factors of the model: their bounds are exposure rows.
        func factor(_ name: String) -> [Double]? {
            guard let a = model.factors.firstIndex(of: name) else { return nil }
            return (0..<k).map { $0 == a ? 1 : 0 }
        }
        if config.betaNeutral, let beta = factor(RiskStyle.beta.rawValue) {
            program.constrainExposure("beta_neutral", beta, 0, 0)
        }
        if config.sectorNeutral, !members.isEmpty {
            // A long-only book holds each sector near its share of the universe; a dollar-neutral one near zero net.
            var shares: [String: Double] = [:]
            for t in members { shares[panel.sector(ofTicker: t), default: 0] += longShort ? 0 : 1 / Double(members.count) }
            for (sector, share) in shares.sorted(by: { $0.key < $1.key }) {
                guard let exposure = factor("sector:" + sector) else { continue }
                program.constrainExposure("sector_neutral (\(sector.isEmpty ? "no sector" : sector))", exposure,
                                          share - Self.sectorBand, share + Self.sectorBand)
            }
        }

        var solution: QuadraticSolution
        if config.maxTrackingError > 0 {
            guard let benchmark = model.benchmark else {
                return keep("max_tracking_error: the data has no benchmark (SPY) with \(RiskModelEstimator.minimumDays) days of history to track")
            }
            let limit = config.maxTrackingError
            // What the benchmark's own residual leaves of the bound.
            let room = limit * limit - 252 * benchmark.specificVariance
            guard room > 0 else {
                return keep("max_tracking_error \(Format.rate(limit)) cannot hold: the benchmark's own risk outside the factors is \(Format.rate((252 * benchmark.specificVariance).squareRoot())) a year")
            }
            var tracked = program
            let factorRows = Self.trackingRows(model)
            tracked.constrainNorm("max_tracking_error", exposures: factorRows, rows: (0..<m).map { i in
                FactorQuadraticProgram.Row(indices: [i], values: [(252 * model.specificVariance[i]).squareRoot()])
            }, center: factorRows.map { dot($0, benchmark.exposures) } + [Double](repeating: 0, count: m), radius: room.squareRoot())
            solution = tracked.solve(tolerance: Self.tolerance)
            // A bound out of reach: a certificate names it, or (a cone's certificate can
            // converge slowly) the iterations run out; the closest book says how far it is.
            if solution.status == .iterationLimit || solution.conflict.contains("max_tracking_error"),
               let closest = closestTracking(program, model: model, weights: m), closest > limit {
                return keep("max_tracking_error \(Format.rate(limit)) cannot hold: the closest book the candidates allow tracks at \(Format.rate(closest)) a year")
            }
        } else {
            solution = program.solve(tolerance: Self.tolerance)
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

    /// `max_tracking_error` as a norm bound: the annualised tracking error
    /// `√(252 (Xᵀw - b)ᵀ F (Xᵀw - b) + 252 Σ w² d + 252 d_b)` is within the limit when
    /// `‖Lᵀ(Xᵀw - b), √(252 d) w‖ ≤ √(limit² - 252 d_b)`, `L Lᵀ = 252 F` (Cholesky) and
    /// `b` the benchmark's exposures. The factor part's rows: the columns of `L` as exposure
    /// coefficients (their center, `Lᵀ b`, is each row's product with `b`).
    static func trackingRows(_ model: RiskModel) -> [[Double]] {
        let k = model.factors.count
        let factor = Cholesky(model.factorCovariance.map { 252 * $0 }, size: k)
        return (0..<k).map { c in (0..<k).map { a in factor.l[a * k + c] } }
    }

    /// The least annualised tracking error `program`'s constraints allow: its objective
    /// replaced by the active variance (`½ wᵀ 2(X F Xᵀ + D) w - 2 (X F b)ᵀ w`, daily); nil
    /// when that program has no solution either.
    private func closestTracking(_ program: FactorQuadraticProgram, model: RiskModel, weights m: Int) -> Double? {
        guard let covariance = model.benchmarkCovariance() else { return nil }
        var closest = program
        closest.diagonal = program.diagonal.indices.map { $0 < m ? 2 * model.specificVariance[$0] : 0 }
        closest.factorMatrix = model.factorCovariance.map { 2 * $0 }
        closest.q = program.q.indices.map { $0 < m ? -2 * covariance[$0] : 0 }
        let solution = closest.solve(tolerance: Self.tolerance)
        guard solution.status == .solved, let active = model.activeVariance(Array(solution.x[0..<m])) else { return nil }
        return (active * 252).squareRoot()
    }
}
