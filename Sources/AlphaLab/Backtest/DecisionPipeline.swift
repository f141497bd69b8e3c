/// The one path from scores to a portfolio decision, shared by the walk-forward and by
/// today's picks (``TargetPortfolio``): score the members at the scoring close, keep the
/// candidates the universe filter admits (and, for a trading day, that open on it), rank
/// them through the momentum filter and the sector cap, then weight the picks. A change
/// to any step reaches both callers, so picks for a past date equal the backtest's.
public struct DecisionPipeline {
    public let config: ExperimentConfig
    public let dataset: Dataset
    public let universe: Universe
    public let selection: Selection
    public let filter: UniverseFilter
    /// 12-1 momentum, for the momentum filter (nil without it).
    private let momentum: FeatureMatrix?

    /// The pipeline of `config` on `dataset` (its universe and momentum filter resolved once).
    public init(config: ExperimentConfig, dataset: Dataset) throws {
        self.config = config
        self.dataset = dataset
        universe = try dataset.universe(named: config.universe)
        selection = Selection(config: config)
        filter = UniverseFilter(config: config)
        momentum = config.useMomentumFilter ? try dataset.matrix(feature: "MOM_12_1", universe: universe) : nil
    }

    /// One decision: what was scored and what it chose.
    public struct Decision {
        /// The universe's members at the scoring close, and their scores (NaN: no score).
        public var members: [Int]
        public var scores: [Double]
        /// The scored members that pass the filters.
        public var candidates: [Selection.Candidate]
        /// The picks, best first (a long-short book's longs, then its shorts), and their
        /// target weights (negative for a short).
        public var picks: [Selection.Candidate]
        public var weights: [Double]
        /// Whether the picks are too few to invest (fewer than min_stocks / 2, or none, on either side of the book).
        public var tooFew: Bool
        /// Under `weighting = optimized`, why the period kept its book instead (nil when it did not).
        public var keptBook: String? = nil
    }

    /// Scores with `scorer` the members at scoring day `s` for the decision at `decisionDay`
    /// (period `period`, retraining or not) and decides; with a `tradingDay`, only
    /// candidates that open on it (a live decision's open is not known yet). `held` and
    /// `shorted`: the tickers held long and short into the decision, for the rank buffer;
    /// `heldWeights`, their shares of the book at the scoring close, for the optimizer's turnover.
    public func decide(scorer: inout any Scorer, decisionDay: Int, scoringDay s: Int, period: Int, retrain: Bool,
                       tradingDay: Int?, held: Set<Int> = [], shorted: Set<Int> = [], heldWeights: [Int: Double] = [:]) throws -> Decision {
        var rule: any PickRule = selection
        return try decide(scorer: &scorer, rule: &rule, decisionDay: decisionDay, scoringDay: s, period: period, retrain: retrain,
                          tradingDay: tradingDay, held: held, shorted: shorted, heldWeights: heldWeights)
    }

    /// ``decide(scorer:decisionDay:scoringDay:period:retrain:tradingDay:held:)`` with the picks
    /// chosen by `rule` instead of the config's selection (the verdict's placebo).
    public func decide(scorer: inout any Scorer, rule: inout any PickRule, decisionDay: Int, scoringDay s: Int, period: Int,
                       retrain: Bool, tradingDay: Int?, held: Set<Int> = [], shorted: Set<Int> = [],
                       heldWeights: [Int: Double] = [:]) throws -> Decision {
        let members = universe.members(day: s)
        let context = ScoringContext(dataset: dataset, decisionDay: decisionDay, scoringDay: s, period: period, retrain: retrain,
                                     tickers: members, universe: universe)
        let scores = try scorer.scores(context)
        let candidates = self.candidates(scores: scores, members: members, scoringDay: s, tradingDay: tradingDay)
        let longs = try rule.pick(candidates, held: held, period: period, side: .long)
        var shorts: [Selection.Candidate] = []
        if config.book == .longShort {
            let taken = Set(longs.map(\.ticker))
            shorts = try rule.pick(candidates.filter { !taken.contains($0.ticker) }, held: shorted, period: period, side: .short)
        }
        let tooFew = [longs] + (config.book == .longShort ? [shorts] : [])
        var picks = longs + shorts
        let weights: [Double]
        var keptBook: String? = nil
        if config.weighting == .optimized {
            let built = PortfolioConstruction(config: config, dataset: dataset, costs: FillCosts(config: config))
                .construct(picks: picks, candidates: candidates, members: members, held: heldWeights, scoringDay: s)
            (picks, weights, keptBook) = (built.picks, built.weights, built.fallback)
        } else {
            // Each side's weights sum to its whole: +1 for the longs, -1 for the shorts.
            weights = config.weighting.weights(longs, panel: dataset.panel, scoringDay: s)
                + config.weighting.weights(shorts, panel: dataset.panel, scoringDay: s).map { -$0 }
        }
        return Decision(members: members, scores: scores, candidates: candidates, picks: picks, weights: weights,
                        tooFew: tooFew.contains { Double($0.count) < Double(config.minStocks) / 2 || $0.isEmpty }, keptBook: keptBook)
    }

    /// The members with a score that pass the filters at scoring day `s` and, with a
    /// trading day, open on it.
    private func candidates(scores: [Double], members: [Int], scoringDay s: Int, tradingDay d: Int?) -> [Selection.Candidate] {
        let panel = dataset.panel
        var candidates: [Selection.Candidate] = []
        for (i, t) in members.enumerated() where scores[i].isFinite {
            if let d {
                let open = panel.value(.open, ticker: t, day: d)
                guard open.isFinite, open > 0 else { continue }
            }
            guard filter.admits(panel, ticker: t, scoringDay: s) else { continue }
            candidates.append(.init(ticker: t, score: scores[i],
                                    momentum: momentum.map { Double($0.value(feature: 0, ticker: t, day: s)) } ?? .nan,
                                    sector: panel.sector(ofTicker: t)))
        }
        return candidates
    }
}

extension ExperimentConfig {
    /// The scorer the config asks for: the model or the 12-1 momentum rule.
    public var defaultScorer: any Scorer {
        strategy == .ml ? ModelScorer(config: self) : MomentumScorer()
    }
}
