import AlphaLab
import Foundation
import Testing

/// `alphalab verdict` judges right: a real edge is credible, luck found by search is not,
/// the seed's look-ahead is an artefact, and a strategy that trades its edge away is
/// flagged by costs. Each with the figures that decided it.
@Suite("Verdict", .serialized)
struct VerdictTests {
    /// The default synthetic market (150 tickers, 2005-2025, momentum premium planted).
    static let planted = try! SyntheticMarket.market().dataset()

    static let momentum = ExperimentConfig.momentum12_1(name: "momentum", startYear: 2006, endYear: 2020).with { $0.rebalance = .weekly }

    /// A ledger in memory: it records each judged run and answers with its family.
    final class MemoryLedger: @unchecked Sendable {
        var samples: [TrialSample] = []
        func record(_ r: ExperimentResult) -> [TrialSample] {
            let own = Trial(result: r, scriptHash: nil, user: "t", host: "t").sample
            if !samples.contains(where: { $0.configHash == own.configHash }) { samples.append(own) }
            return samples
        }
    }

    @Test("Planted market: 12-1 momentum is credible (placebo p < 0.01 at the run's own turnover, break-even cost > 3x its cost, most years positive)")
    func plantedMomentum() throws {
        let ledger = MemoryLedger()
        let (v, result) = try VerdictRunner(config: Self.momentum, dataset: Self.planted, ledger: ledger.record).run()
        print(v.card)
        #expect(v.headline == .credible, "\(v.card)")
        #expect(v.placebo.pValue < 0.01 && v.placebo.permutations == 200)
        // The placebo trades what the run trades, and pays what it pays.
        #expect(abs(v.placebo.meanTurnover - result.turnover) < 0.15 * result.turnover, "placebos \(v.placebo.meanTurnover), run \(result.turnover)")
        #expect(v.placebo.runTurnover == result.turnover && (v.placebo.grossPValue ?? 1) < 0.01)
        #expect(v.card.contains("turnover-matched placebos"))
        // One trial in the ledger: the deflation of its information ratio is its PSR, and says so.
        #expect(v.check(.selection)?.outcome == .pass && v.check(.selection)!.figure.contains("deflated IR"), "\(v.check(.selection)!.figure)")
        let evidence = try #require(v.evidence)
        #expect(evidence.periods == result.periods.count && evidence.calendarYears == 15 && evidence.tickers > 100 && evidence.limit == nil)
        #expect(evidence.leavers > 10, "the synthetic market's bankruptcies and acquisitions leave: \(evidence.leavers)")
        #expect(v.card.contains("evidence: \(evidence.tickers) tickers in 'all'"), "\(v.card)")
        #expect(v.breakEvenBps > 3 * 10, "10 bps paid a fill: \(v.breakEvenBps)")
        #expect(v.check(.costs)?.outcome == .pass)
        #expect(Double(v.years.filter { $0.excessReturn > 0 }.count) / Double(v.years.count) > 0.6 && v.years.count == 15)
        #expect(v.halves.allSatisfy { $0.excessReturn > 0 })
        #expect(v.check(.timing)?.outcome == .pass, "\(v.card)")
        // 'all' holds the names that later left: not survivor-biased. The index may earn less (a caveat), never an artefact.
        #expect(v.check(.universe)?.outcome == .pass || (v.check(.universe)?.outcome == .warn && v.check(.universe)?.limited == true), "\(v.card)")
        #expect(v.twins.map(\.label) == ["as given", "timing: same_day_close", "execution: round_trip", "costs: 0x", "costs: 2x", "costs: 3x",
                                         "universe: index"])
        #expect(v.twins.allSatisfy { $0.newTrainings == 0 }, "a rule trains nothing")
        #expect(v.twins[0].excessReturn == result.excessReturn && v.placebo.actual == result.excessReturn)
        // Costs fall monotonically with the multiple, and 0x is the gross edge.
        #expect(zip(v.costs, v.costs.dropFirst()).allSatisfy { $0.excessReturn > $1.excessReturn })
        #expect(zip(v.costs.map(\.bps), [0.0, 10, 20, 30]).allSatisfy { abs($0 - $1) < 1e-6 }, "flat 10 bps a fill: \(v.costs.map(\.bps))")
    }

    @Test("The same seed gives the same verdict; another seed the same headline; rules change outcomes; without a ledger, selection is insufficient")
    func determinism() throws {
        var options = VerdictOptions()
        options.permutations = 50
        let config = Self.momentum.with { $0.startYear = 2012; $0.endYear = 2016 }
        let a = try VerdictRunner(config: config, dataset: Self.planted, options: options).run().verdict
        // Without a ledger what else was tried is unknown: insufficient, never a pass, and no credible headline.
        #expect(a.check(.selection)?.outcome == .insufficient && a.check(.selection)!.figure.hasPrefix("not enough evidence"))
        #expect(a.headline != .credible, "\(a.card)")
        if a.reasons.contains(.selection) { #expect(a.headline == .inconclusive) }
        let b = try VerdictRunner(config: config, dataset: Self.planted, options: options).run().verdict
        #expect(a.placebo.excessReturns == b.placebo.excessReturns && a.checks == b.checks)
        options.seed = 7
        let c = try VerdictRunner(config: config, dataset: Self.planted, options: options).run().verdict
        #expect(c.placebo.excessReturns != a.placebo.excessReturns && c.headline == a.headline)
        options.rules.costMultiple = 1000
        let strict = try VerdictRunner(config: config, dataset: Self.planted, options: options).run().verdict
        #expect(strict.check(.costs)?.outcome == .warn && strict.headline == .fragile && strict.reasons == [.costs])
        var rules = VerdictRules()
        #expect(throws: VerdictError.self) { try rules.set("placebo_pas", 0.1) }
        #expect(throws: VerdictError.self) { try rules.set("placebo_pass", -1) }
    }

    @Test("Null market: the best of 60 random configs, judged against the ledger that holds all 60, is not credible")
    func nullBestOfMany() throws {
        let market = try LedgerTests.market(.null())
        let sectors = Array(Set(market.panel.tickers.indices.map { market.panel.sector(ofTicker: $0) }.filter { !$0.isEmpty })).sorted()
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/ledger.db")
        var best: ExperimentResult?
        for config in LedgerTests.drawConfigs(sectors: sectors).prefix(60) {
            let r = try LedgerTests.run(config, market)
            try store.record(Trial(result: r, scriptHash: nil, user: "t", host: "t"))
            if best == nil || r.metrics.sharpe > best!.metrics.sharpe { best = r }
        }
        let ledger: (ExperimentResult) throws -> [TrialSample]? = { r in
            let trial = Trial(result: r, scriptHash: nil, user: "t", host: "t")
            try store.record(trial)
            return try store.samples(family: trial.family.key)
        }
        let v = try VerdictRunner(config: best!.config, dataset: market, ledger: ledger).run().verdict
        print(v.card)
        #expect(v.headline != .credible, "\(v.card)")
        #expect(v.check(.selection)?.outcome != .pass || v.check(.placebo)?.outcome != .pass)
        #expect(v.check(.selection)?.figure.contains("against 60 trials") == true, "the run is one of the 60: \(v.check(.selection)!.figure)")
        // The family's multiple-testing tests stand beside the deflation.
        let details = v.check(.selection)!.details.joined(separator: "\n")
        #expect(details.contains("Hansen's SPA p = ") && details.contains("StepM") && details.contains("probability of backtest overfitting (CSCV, 16 blocks, 12870 splits)")
                && details.contains("haircut"), "\(details)")
    }

    @Test("Worked example: a low-turnover loser on the null market beats score-shuffling placebos on costs alone; the matched placebo does not pass it")
    func placeboPaysWhatTheRunPays() throws {
        let market = try LedgerTests.market(.null(seed: 5))
        // A slow book: 12-1 momentum held while it ranks within 3x top_n, with 30 bps a trade.
        let config = ExperimentConfig.momentum12_1(name: "slow", startYear: 2008, endYear: 2020).with {
            $0.rebalance = .weekly; $0.holdBuffer = 3; $0.transactionCostBps = 20
        }
        var options = VerdictOptions()
        options.permutations = 100
        let (v, result) = try VerdictRunner(config: config, dataset: market, options: options).run()
        print(v.card)
        // The old placebo: each period's scores shuffled across every candidate (the book mostly replaced).
        let walk = try WalkForward(config: config, dataset: market, measuresQuality: false)
        let shuffled = try (0..<40).map { i in
            try walk.run(scorer: FunctionScorer(label: "shuffled") { context in
                var random = RandomSource(seed: 77 &+ UInt64(i) &* 1_000_003 &+ UInt64(context.period))
                return context.tickers.map { _ in random.uniform() }
            })
        }
        let oldP = Double(1 + shuffled.filter { !($0.excessReturn < result.excessReturn) }.count) / Double(shuffled.count + 1)
        let oldTurnover = Statistics.mean(shuffled.map(\.turnover))
        print("run turnover \(result.turnover), shuffled placebos \(oldTurnover) (p \(oldP)), matched placebos \(v.placebo.meanTurnover) (p \(v.placebo.pValue))")
        #expect(oldTurnover > 3 * result.turnover, "shuffled scores trade far more: \(oldTurnover) vs \(result.turnover)")
        #expect(oldP < 0.05, "the old placebo passed the run: p \(oldP)")
        #expect(abs(v.placebo.meanTurnover - result.turnover) < 0.15 * result.turnover)
        #expect(v.placebo.pValue >= 0.05 && v.check(.placebo)?.outcome != .pass, "\(v.card)")
    }

    @Test("Not enough evidence is its own outcome: two years, no ledger, a universe cut by a limit")
    func insufficientEvidence() throws {
        var options = VerdictOptions()
        options.permutations = 40
        let short = Self.momentum.with { $0.startYear = 2019; $0.endYear = 2020 }
        let v = try VerdictRunner(config: short, dataset: Self.planted, options: options).run().verdict
        #expect(v.check(.stability)?.outcome == .insufficient && v.check(.stability)!.figure.contains("2 calendar years"), "\(v.card)")
        #expect(v.check(.selection)?.outcome == .insufficient)
        #expect(v.headline != .credible && v.card.contains("insufficient"), "\(v.card)")
        // The same market cut to its first 40 tickers by a limit: the index's members are missing for the limit's sake.
        let market = try SyntheticMarket.market()
        let full = market.dataset()
        let kept = Array(full.panel.universe.prefix(40)) + [full.panel.benchmark!]
        let cut = Dataset(panel: full.panel.selecting(tickers: kept), memberships: Array(full.memberships.values),
                          limit: TickerLimit(kept: 40, available: full.panel.universe.count))
        let limited = try VerdictRunner(config: short.with { $0.universe = "index" }, dataset: cut, options: options).run().verdict
        #expect(limited.check(.universe)?.outcome == .insufficient && limited.check(.universe)!.figure.contains("--limit kept 40 of"), "\(limited.card)")
        #expect(limited.card.contains("--limit kept 40 of \(full.panel.universe.count) tickers"), "\(limited.card)")
    }

    @Test("Calibration on seeds the benchmark never uses: credible on few null markets, on most planted ones with a strong edge")
    func calibration() throws {
        var options = VerdictCalibration.Options()
        options.permutations = 100
        options.familyResamples = 100
        let calibration = VerdictCalibration(options: options)
        let seeds: [UInt64] = (0..<12).map { 9000 + UInt64($0) }
        let null = try seeds.map { try calibration.outcome(.null, seed: $0) }
        let planted = try seeds.map { try calibration.outcome(.planted, seed: $0) }
        for o in null + planted { print("\(o.truth) \(o.seed): \(o.headline) t \(o.excessTStat) placebo p \(o.placeboPValue)") }
        let falseCredible = VerdictCalibration.rate(null) { $0.headline == .credible }
        let strong = planted.filter { $0.excessTStat > 3 }
        let weak = planted.filter { $0.excessTStat < 2 }
        // Size: at most 1 of 12 null markets credible (the target is 5%). Power: every planted
        // market with t > 3 credible (90%), at most 1 of those with t < 2 (20%); each group
        // must hold several markets, or the rates would say nothing.
        #expect(falseCredible.hits <= 1, "credible on \(falseCredible) null markets")
        #expect(strong.count >= 2 && VerdictCalibration.rate(strong) { $0.headline == .credible }.rate >= 0.9,
                "credible on \(VerdictCalibration.rate(strong) { $0.headline == .credible }) planted markets with t > 3")
        #expect(weak.count >= 5 && VerdictCalibration.rate(weak) { $0.headline == .credible }.hits <= 1,
                "credible on \(VerdictCalibration.rate(weak) { $0.headline == .credible }) planted markets with t < 2")
    }

    @Test("Real data, first 100 tickers in 2020: the seed's signal inversion under same-day timing is an artefact of its timing",
          .needsSharedData)
    func seedInversion() throws {
        let config = ExperimentConfig.phaseOne[1].with { $0.startYear = 2020; $0.endYear = 2020; $0.retrainWeeks = 4; $0.signalTiming = .sameDayClose }
        let (v, _) = try VerdictRunner(config: config, dataset: PhaseOneRealDataTests.dataset).run()
        print(v.card)
        #expect(v.headline == .artefact && v.reasons == [.timing], "\(v.card)")
        let honest = try #require(v.twins.first { $0.label == "timing: prior_close" })
        #expect(v.twins[0].excessReturn > 0.5 && honest.excessReturn < 0, "same-day \(v.twins[0].excessReturn), honest \(honest.excessReturn)")
        // 100 of today's S&P 500 members, none of which left: 'all' is a list of survivors, and
        // without a point-in-time universe the bias cannot be measured.
        #expect(v.evidence?.leavers == 0 && v.check(.universe)?.outcome == .insufficient, "no membership loaded: said so, not passed")
        #expect(v.twins.dropFirst().allSatisfy { $0.newTrainings == 0 }, "the twins share the run's trainings")
    }

    /// 12-1 momentum drowned in fresh noise every period: a sliver of edge, most of the book replaced each week.
    static func noisyMomentum(signal: Double) -> () -> any Scorer {
        {
            FunctionScorer(label: "noisy momentum") { context in
                let momentum = try context.feature("MOM_12_1")
                var random = RandomSource(seed: 99 &+ UInt64(context.period))
                return momentum.map { $0.isFinite ? signal * $0 + random.normal() : .nan }
            }
        }
    }

    @Test("A strategy that trades about 160% a week on a thin gross edge is flagged by costs")
    func costsEatTheEdge() throws {
        let config = Self.momentum.with { $0.startYear = 2010; $0.endYear = 2020 }
        let (v, result) = try VerdictRunner(config: config, dataset: Self.planted, scorer: Self.noisyMomentum(signal: 1)).run()
        print(v.card)
        #expect(result.turnover > 1.4 && result.turnover < 1.8, "turnover \(result.turnover)")
        #expect(v.costs[0].excessReturn > 0, "a gross edge: \(v.costs[0].excessReturn)")
        #expect(v.check(.costs)?.outcome == .fail, "\(v.check(.costs)!.figure)")
        #expect(v.headline != .credible && v.reasons.contains(.costs))
    }
}

/// `alphalab verdict` from the command line: the card, the page, the run and its verdict
/// in the store, and clear messages for bad input.
@Suite("Verdict from the command line", .serialized)
struct VerdictCommandLineTests {
    static let environment = ["ALPHALAB_RUNS": "", "XDG_DATA_HOME": Fixtures.temporaryFolder("verdict-home")]

    @Test("--config prints the card, writes the page and keeps run and verdict in the store; --run judges a stored run again")
    func configAndRun() throws {
        let work = Fixtures.temporaryFolder()
        let config = Fixtures.write("""
            {"name": "mom", "strategy": "momentum_12_1", "rebalance": "monthly", "start_year": 2012, "end_year": 2016}
            """, to: work + "/mom.json")
        let common = ["--tickers", "40", "--permutations", "20", "--runs", work + "/runs.db", "--cache", ""]
        let r = try Fixtures.alphalab(["verdict", "--config", config, "--html", work + "/v.html"] + common, environment: Self.environment)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("VERDICT  mom: ") && r.out.contains("placebo") && r.out.contains("20 placebos"), "\(r.out)")
        let page = try String(contentsOfFile: work + "/v.html", encoding: .utf8)
        #expect(page.contains("Verdict: mom") && page.components(separatedBy: "<svg").count - 1 == 4, "equity, costs, placebo, years")
        #expect(r.err.contains("recorded the verdict with run 1 in \(work)/runs.db"), "\(r.err)")
        let store = try SQLiteRunStore(path: work + "/runs.db")
        let kept = try #require(try store.verdict(id: 1))
        #expect(r.out.contains(kept.headline.rawValue.uppercased()) && kept.placebo.permutations == 20)

        let again = try Fixtures.alphalab(["verdict", "--run", "1"] + common, environment: Self.environment)
        #expect(again.status == 0 && again.err.contains("recorded the verdict with run 1"), "\(again.err)")
        #expect(try store.count() == 1, "the same data: the verdict stays with run 1")
        let other = try Fixtures.alphalab(["verdict", "--run", "1", "--tickers", "30", "--permutations", "20", "--runs", work + "/runs.db",
                                           "--cache", ""], environment: Self.environment)
        #expect(other.status == 0 && other.err.contains("ran on other data: the verdict is kept with a new run"), "\(other.err)")
        #expect(try store.count() == 2 && (try store.verdict(id: 2)) != nil)
    }

    @Test("Bad input: no config, both, an unknown rule, a missing run, a broken config file: each named, nothing recorded")
    func badInput() throws {
        let work = Fixtures.temporaryFolder()
        let broken = Fixtures.write("{\"name\": \"x\", \"top_nn\": 3}", to: work + "/broken.json")
        let runs = ["--runs", work + "/runs.db", "--tickers", "20", "--permutations", "5", "--cache", ""]
        let cases: [([String], String)] = [
            ([], "verdict needs --config FILE or --run ID"),
            (["--config", broken, "--run", "1"], "not both"),
            (["--config", broken], "top_nn"),
            (["--run", "7"], "no run with id 7"),
            (["--config", broken, "--rules", "placebo_pass"], "--rules: 'placebo_pass' is not rule=number"),
        ]
        for (arguments, message) in cases {
            let r = try Fixtures.alphalab(["verdict"] + arguments + runs, environment: Self.environment)
            #expect(r.status != 0 && r.err.contains(message), "\(arguments): \(r.err)")
            #expect(!r.err.contains("stack traceback"), "\(r.err)")
        }
        let config = Fixtures.write("{\"name\": \"x\", \"strategy\": \"momentum_12_1\", \"start_year\": 2012, \"end_year\": 2013}", to: work + "/x.json")
        let rule = try Fixtures.alphalab(["verdict", "--config", config, "--rules", "placebo_pas=0.1"] + runs, environment: Self.environment)
        #expect(rule.status != 0 && rule.err.contains("unknown verdict rule 'placebo_pas' (did you mean 'placebo_pass'?)"), "\(rule.err)")
        #expect(try SQLiteRunStore(path: work + "/runs.db").count() == 0)
    }
}
