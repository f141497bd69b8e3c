import AlphaLab
import Foundation
import Testing

/// `book = "long_short"`: dollar-neutral books in both execution models. Shorts earn what
/// their names lose (delistings included), pay costs and borrow, are stopped above their
/// entry, are judged against cash, and the verdict's placebo draws both sides.
@Suite("Long-short book", .serialized)
struct LongShortBookTests {
    static let market = PortfolioConstructionTests.market

    static func longShort(_ body: (inout ExperimentConfig) -> Void = { _ in }) -> ExperimentConfig {
        ExperimentConfig.momentum12_1(startYear: 2014, endYear: 2016).with { c in
            (c.name, c.book, c.rebalance) = ("long-short momentum", .longShort, .weekly)
            body(&c)
        }
    }

    /// SPY's open-to-open return over each of `result`'s periods.
    static func spyReturns(_ result: ExperimentResult) -> [Double] {
        let panel = market.panel, spy = panel.tickerIndex[panel.benchmark!]!
        return result.periods.map {
            ForwardReturn.realised(panel, ticker: spy, entryDay: panel.calendar.index(of: $0.date)!, exitDay: panel.calendar.index(of: $0.exitDate)!)
        }
    }

    /// The least-squares slope of `y` on `x`.
    static func slope(_ y: [Double], on x: [Double]) -> Double {
        let mx = Statistics.mean(x), my = Statistics.mean(y)
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }, sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxy / sxx
    }

    @Test("Each period holds the best top_n long and the worst top_n short, +100% and -100% of equity, judged against cash")
    func books() throws {
        let result = try WalkForward(config: Self.longShort(), dataset: Self.market).run()
        let candidates = try WalkForward(config: Self.longShort { $0.book = .longOnly }, dataset: Self.market).run()
        #expect(result.periods.count > 150)
        for (p, long) in zip(result.periods, candidates.periods) where p.cashReason == nil {
            let longs = p.picks.filter { $0.weight > 0 }, shorts = p.picks.filter { $0.weight < 0 }
            #expect(longs.count == 10 && shorts.count == 10)
            #expect(abs(longs.reduce(0) { $0 + $1.weight } - 1) < 1e-12 && abs(shorts.reduce(0) { $0 + $1.weight } + 1) < 1e-12)
            // The longs are the long-only run's picks; every short scores below every long.
            #expect(longs.map(\.ticker) == long.picks.map(\.ticker))
            #expect(shorts.map(\.score).max()! < longs.map(\.score).min()!)
            #expect(p.spyReturn == 0)
        }
        // Against cash: the excess is the return itself.
        #expect(result.spyReturn == 0 && result.excessReturn == result.metrics.totalReturn)
        #expect(result.summary.contains("cash +0.0%"))
    }

    @Test("Round trip, no costs: a short earns minus its name's open-to-open return (delisting value included), the book the longs' mean less the shorts'")
    func roundTripPricing() throws {
        let config = Self.longShort { c in (c.execution, c.slippageBps, c.borrowBps) = (.roundTrip, 0, 0) }
        let result = try WalkForward(config: config, dataset: Self.market).run()
        let panel = Self.market.panel
        var delisted = 0
        for p in result.periods where p.cashReason == nil {
            let d = panel.calendar.index(of: p.date)!, exit = panel.calendar.index(of: p.exitDate)!
            var longs: [Double] = [], shorts: [Double] = []
            for pick in p.picks {
                let t = panel.tickerIndex[pick.ticker]!
                let realised = ForwardReturn.realised(panel, ticker: t, entryDay: d, exitDay: exit)
                if pick.weight < 0 {
                    #expect(abs(pick.netReturn + realised) < 1e-12, "\(p.date) \(pick.ticker)")
                    shorts.append(realised)
                    if !panel.value(.open, ticker: t, day: exit).isFinite { delisted += 1 }
                } else {
                    longs.append(realised)
                }
            }
            #expect(abs(p.netReturn - (Statistics.mean(longs) - Statistics.mean(shorts))) < 1e-12)
        }
        // The market's losers delist: some shorts ride a delisting to its (worse) value.
        #expect(delisted > 0)
    }

    @Test("Borrow costs borrow_bps a year of the shorts' value by calendar day; slippage is paid on both sides' fills")
    func borrowAndCosts() throws {
        let free = Self.longShort { c in (c.execution, c.slippageBps, c.borrowBps) = (.roundTrip, 0, 0) }
        let borrowed = try WalkForward(config: free.with { $0.borrowBps = 300 }, dataset: Self.market).run()
        let base = try WalkForward(config: free, dataset: Self.market).run()
        for (a, b) in zip(base.periods, borrowed.periods) where a.cashReason == nil {
            let days = Double(b.exitDate.ordinal - b.date.ordinal)
            // The shorts are 100% of equity: the book pays 3% a year of it for the period's days.
            #expect(abs((a.netReturn - b.netReturn) - 0.03 * days / 365) < 1e-12, "\(a.date)")
            #expect(abs(b.costs / (b.equity / (1 + b.netReturn)) - 0.03 * days / 365) < 1e-12)
        }
        let slipped = try WalkForward(config: free.with { $0.slippageBps = 10 }, dataset: Self.market).run()
        for (a, b) in zip(base.periods, slipped.periods) where a.cashReason == nil {
            for (x, y) in zip(a.picks, b.picks) { #expect(y.netReturn < x.netReturn, "\(a.date) \(x.ticker): \(y.weight < 0 ? "short" : "long")") }
        }
    }

    @Test("Rebalance and round trip agree on a first period without costs; rebalance carries shorts, trades their difference and marks them")
    func rebalanceCarriesShorts() throws {
        let free = Self.longShort { c in (c.slippageBps, c.borrowBps) = (0, 0) }
        let rebalanced = try WalkForward(config: free, dataset: Self.market).run()
        let roundTrip = try WalkForward(config: free.with { $0.execution = .roundTrip }, dataset: Self.market).run()
        #expect(abs(rebalanced.periods[0].netReturn - roundTrip.periods[0].netReturn) < 1e-12)
        for (a, b) in zip(rebalanced.periods[0].picks, roundTrip.periods[0].picks) { #expect(abs(a.netReturn - b.netReturn) < 1e-12) }
        // Holding what stays: a fraction of round trip's traded notional, on both sides.
        #expect(rebalanced.turnover < roundTrip.turnover / 3, "\(rebalanced.turnover) against \(roundTrip.turnover)")
        // Equity is cash plus longs minus shorts: the periods compound to the final value.
        let compounded = rebalanced.periods.reduce(free.initialCash) { $0 * (1 + $1.netReturn) }
        #expect(abs(compounded / rebalanced.finalValue - 1) < 1e-9)
    }

    @Test("A short is stopped when its high rises stop_loss_pct above its entry, in both execution models")
    func shortStops() throws {
        for execution in [ExecutionModel.roundTrip, .rebalance] {
            let config = Self.longShort { c in (c.execution, c.useStopLoss, c.stopLossPct, c.slippageBps, c.borrowBps) = (execution, true, 0.05, 0, 0) }
            let result = try WalkForward(config: config, dataset: Self.market).run()
            let stoppedShorts = result.periods.flatMap { $0.picks.filter { $0.weight < 0 && $0.stopped } }
            #expect(stoppedShorts.count > 10, "\(execution)")
            // Stopped at the level or worse (a gap through it): a loss of at least the distance
            // from the round trip's entry; the rebalancer's reference is the cost basis, so only
            // the round trip's losses are bounded this way.
            if execution == .roundTrip {
                #expect(stoppedShorts.allSatisfy { $0.netReturn <= -0.05 + 1e-12 }, "\(stoppedShorts.map(\.netReturn).max()!)")
            }
            // A short stopped at the open before any trade has no return of its own (NaN); every other lost.
            #expect(stoppedShorts.allSatisfy { !($0.netReturn >= 0) }, "\(stoppedShorts.map(\.netReturn).max()!)")
        }
    }

    @Test("Beta-neutral long-short 12-1 momentum through the optimizer: realised beta to SPY within 0.1 of zero, dollar-neutral, at most 200% gross")
    func betaNeutral() throws {
        let config = Self.longShort { c in (c.weighting, c.betaNeutral) = (.optimized, true) }
        let result = try WalkForward(config: config, dataset: Self.market).run()
        #expect(!result.warnings.contains { $0.hasPrefix("optimizer:") }, "\(result.warnings)")
        for p in result.periods where p.cashReason == nil {
            let net = p.picks.reduce(0) { $0 + $1.weight }, gross = p.picks.reduce(0) { $0 + abs($1.weight) }
            #expect(abs(net) < 1e-5 && gross <= 2 + 1e-5 && p.picks.allSatisfy { abs($0.weight) <= 0.2 + 1e-6 }, "\(p.date): net \(net), gross \(gross)")
            #expect(p.picks.contains { $0.weight < 0 } && p.picks.contains { $0.weight > 0 })
        }
        let beta = Self.slope(result.periods.map(\.netReturn), on: Self.spyReturns(result))
        #expect(abs(beta) < 0.1, "realised beta \(beta)")
        print("long-short: beta-neutral momentum's realised beta \(beta)")
    }

    /// Scores each member by its estimated beta at the scoring close (the risk model's
    /// exposure): a book long high beta and short low beta carries market risk by design.
    struct BetaScorer: Scorer {
        var label: String { "beta" }
        func scores(_ context: ScoringContext) throws -> [Double] {
            guard let model = context.dataset.riskModels.model(at: context.scoringDay, tickers: context.tickers) else {
                return context.tickers.map { _ in .nan }
            }
            let beta = model.factors.firstIndex(of: "beta")!, k = model.factors.count
            return context.tickers.indices.map { model.exposures[$0 * k + beta] }
        }
    }

    @Test("beta_neutral takes the market out of a book built to carry it: long high beta, short low beta")
    func betaNeutralDiscriminates() throws {
        let config = Self.longShort()
        let loaded = try WalkForward(config: config, dataset: Self.market).run(scorer: BetaScorer())
        let neutral = try WalkForward(config: config.with { ($0.weighting, $0.betaNeutral) = (.optimized, true) }, dataset: Self.market)
            .run(scorer: BetaScorer())
        let (before, after) = (Self.slope(loaded.periods.map(\.netReturn), on: Self.spyReturns(loaded)),
                               Self.slope(neutral.periods.map(\.netReturn), on: Self.spyReturns(neutral)))
        print("long-short: the beta book's realised beta \(before) equal-weighted, \(after) beta-neutral")
        #expect(before > 0.3 && abs(after) < 0.1, "\(before) then \(after)")
    }

    @Test("The placebo draws random longs and random shorts with the run's holding structure on each side")
    func placeboBothSides() throws {
        let config = Self.longShort()
        let walk = try WalkForward(config: config, dataset: Self.market)
        let given = try walk.run()
        let placebo = try walk.run(rule: MatchedPlacebo(matching: given, seed: 7))
        for (a, b) in zip(given.periods, placebo.periods) where a.cashReason == nil && b.cashReason == nil {
            #expect(a.picks.filter { $0.weight < 0 }.count == b.picks.filter { $0.weight < 0 }.count)
            #expect(a.picks.filter { $0.weight > 0 }.count == b.picks.filter { $0.weight > 0 }.count)
        }
        // Random, not the run's: the placebo's shorts differ from the worst-ranked names.
        let same = zip(given.periods, placebo.periods).filter { Set($0.picks.filter { $0.weight < 0 }.map(\.ticker)) == Set($1.picks.filter { $0.weight < 0 }.map(\.ticker)) }
        #expect(same.count < given.periods.count / 10)
    }

    @Test("The verdict on long-short momentum, over seeded markets: on null markets the placebo passes at about its level and the verdict is never credible; on planted ones it finds the edge")
    func verdictCalibration() throws {
        var options = VerdictCalibration.Options()
        (options.tickers, options.startYear, options.endYear) = (60, 2014, 2016)
        let calibration = VerdictCalibration(options: options)
        var verdictOptions = VerdictOptions()
        verdictOptions.permutations = 100
        let config = calibration.momentum.with { $0.book = .longShort }
        func verdicts(_ truth: VerdictCalibration.Truth, _ seeds: ClosedRange<UInt64>) throws -> [Verdict] {
            try seeds.map { seed in
                verdictOptions.seed = seed
                return try VerdictRunner(config: config, dataset: calibration.market(truth, seed: seed), options: verdictOptions).run().verdict
            }
        }
        let null = try verdicts(.null, 1...40), planted = try verdicts(.planted, 1...12)
        let falsePass = VerdictCalibration.Rate(hits: null.filter { $0.placebo.pValue < 0.05 }.count, count: null.count)
        let found = VerdictCalibration.Rate(hits: planted.filter { $0.placebo.pValue < 0.05 }.count, count: planted.count)
        print("long-short verdict: placebo p < 0.05 on \(falsePass) null markets, \(found) planted ones")
        // A test at 5%: the null rate's interval holds 5%, and no null market is called credible.
        #expect(falsePass.interval.low <= 0.05 && falsePass.rate <= 0.15, "\(falsePass)")
        #expect(!null.contains { $0.headline == .credible })
        #expect(found.rate >= 0.5, "\(found)")
    }

    @Test("Config: max_tracking_error needs the optimizer and a long-only book; borrow_bps is a rate in bps")
    func configErrors() {
        #expect(throws: ConfigError(key: "max_tracking_error", problem: "needs weighting = optimized: only the optimizer can hold a book near the benchmark")) {
            try ExperimentConfig(values: ["max_tracking_error": .number(0.05)])
        }
        #expect(throws: ConfigError.self) { try ExperimentConfig(values: ["borrow_bps": .number(-1)]) }
        #expect(throws: ConfigError.self) {
            try ExperimentConfig(values: ["book": .string("long_short"), "weighting": .string("optimized"), "max_tracking_error": .number(0.05)])
        }
        #expect(throws: ConfigError(key: "book", problem: "'longshort' is not one of long_only, long_short (did you mean 'long_short'?)")) {
            try ExperimentConfig(values: ["book": .string("longshort")])
        }
    }
}
