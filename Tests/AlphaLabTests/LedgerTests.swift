import AlphaLab
import Foundation
import Testing

/// The deflated Sharpe ratio and the ledger of trials: the formulas by hand and against
/// Bailey and López de Prado's worked example, the ledger's bookkeeping in both backends,
/// and what deflation does on a null and on a planted market.
@Suite("Ledger of trials", .serialized)
struct LedgerTests {
    @Test("PSR, the expected maximum and the DSR by hand; Bailey and López de Prado's example (N = 100, T = 1,250, skew -3, kurtosis 10): 0.90")
    func formulas() {
        // PSR against 0 of a normal series: Phi(SR sqrt(T - 1) / sqrt(1 + SR^2 / 2)).
        let psr = DeflatedSharpe.probabilistic(sharpe: 0.1, periods: 101, skew: 0, kurtosis: 3)
        #expect(abs(psr - DeflatedSharpe.normalCDF(0.1 * 10 / (1 + 0.5 * 0.01).squareRoot())) < 1e-15)
        #expect(abs(DeflatedSharpe.normalCDF(1.959963984540054) - 0.975) < 1e-12)
        #expect(abs(DeflatedSharpe.normalQuantile(0.01) + 2.326347874040841) < 1e-12)
        // One trial: nothing to deflate by.
        #expect(DeflatedSharpe.expectedMaximum(trials: 1, variance: 0.5) == 0)
        // The paper's example: annualised SR 2.5 (daily 2.5 / sqrt 250), V = 0.5 / 250.
        let example = DeflatedSharpe.deflated(sharpe: 2.5 / 250.0.squareRoot(), trials: 100, variance: 0.5 / 250, periods: 1250,
                                              skew: -3, kurtosis: 10)
        #expect(abs(example.sr0 - 0.1132) < 5e-5, "\(example.sr0)")
        #expect(abs(example.dsr - 0.9004) < 5e-4, "\(example.dsr)")
        // By hand: sr0 = sqrt(V) ((1 - g) Z(1 - 1/N) + g Z(1 - 1/(N e))).
        let g = DeflatedSharpe.eulerGamma
        let hand = (0.5 / 250).squareRoot() * ((1 - g) * DeflatedSharpe.normalQuantile(0.99) + g * DeflatedSharpe.normalQuantile(1 - 1 / (100 * M_E)))
        #expect(abs(hand - example.sr0) < 1e-15)
    }

    @Test("The effective number of trials: N for uncorrelated series, 1 for copies, ρ the mean pairwise correlation")
    func effectiveTrials() {
        var random = RandomSource(seed: 5)
        let series = (0..<12).map { _ in (0..<300).map { _ in random.normal() } }
        var sum = 0.0, pairs = 0.0
        for i in series.indices { for j in series.indices where j > i { sum += Statistics.correlation(series[i], series[j]); pairs += 1 } }
        let effective = DeflatedSharpe.effectiveTrials(series)
        #expect(abs(effective.meanCorrelation - sum / pairs) < 1e-12)
        // Independent noise: a mean correlation near zero, so close to all 12 count (never more).
        #expect(abs(effective.effective - min(12, sum / pairs + (1 - sum / pairs) * 12)) < 1e-9 && effective.effective > 11)
        #expect(abs(DeflatedSharpe.effectiveTrials(Array(repeating: series[0], count: 8)).effective - 1) < 1e-9)
        // Half the series copies of one: rho + (1 - rho) N, between 1 and N.
        let mixed = DeflatedSharpe.effectiveTrials(Array(series[0..<6]) + Array(repeating: series[0], count: 6))
        #expect(mixed.meanCorrelation > 0.2 && mixed.effective > 1 && mixed.effective < 12)
        let orthogonal: [[Double]] = [[1, -1, 0, 0], [0, 0, 1, -1], [1, 1, -1, -1]]
        #expect(abs(DeflatedSharpe.effectiveTrials(orthogonal).effective - 3) < 1e-12)
    }

    /// A momentum run of `config` on `market`, 2006-2020 weekly.
    static func run(_ config: ExperimentConfig, _ market: Dataset) throws -> ExperimentResult {
        try WalkForward(config: config, dataset: market).run()
    }

    @Test("One config on one dataset is one trial however often it runs; the ledger answers alike in both backends")
    func bookkeeping() throws {
        var small = SyntheticMarketConfig()
        small.tickerCount = 30
        let market = try SyntheticMarket.market(small).dataset()
        let base = ExperimentConfig.momentum12_1(startYear: 2012, endYear: 2015)
        let a = try Self.run(base, market), renamed = try Self.run(base.with { $0.name = "renamed"; $0.explain = true }, market)
        let b = try Self.run(base.with { $0.topN = 5 }, market)
        let weekly = try Self.run(base.with { $0.rebalance = .weekly }, market)
        let url = try Postgres.newDatabase()
        let role = try Postgres.psql(url, "SELECT current_user")
        for (store, recorded) in [(try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/ledger.db") as any RunStore, "ana"), (try RunStores.open(url), role)] {
            func trial(_ r: ExperimentResult) -> Trial { Trial(result: r, scriptHash: "h", user: "ana", host: "desk") }
            #expect(try store.record(trial(a)))
            #expect(!(try store.record(trial(renamed))), "a renamed run of the same config is the same trial")
            #expect(try store.record(trial(b)))
            #expect(try store.record(trial(weekly)), "another rebalance frequency is another family")
            let families = try store.families()
            #expect(families.count == 2 && families.map(\.trials).sorted() == [1, 2])
            let family = try store.trials(family: trial(a).family.key)
            #expect(family.map(\.configHash) == [trial(a).configHash, trial(b).configHash])
            // SQLite keeps the user it is told; PostgreSQL the session's role, whatever the client says.
            #expect(family[0].returns == a.periods.map(\.netReturn) && family[0].user == recorded && family[0].host == "desk")
            let verdict = TrialVerdict(trial(a), family: family)
            #expect(verdict.trials == 2 && verdict.deflated <= verdict.probabilistic)
        }
    }

    /// 200 configs of 12-1 momentum drawn at random from the config fields (holdings, sector
    /// cap, weighting, price floor, costs, no-trade band, execution, stop-loss, excluded sectors).
    static func drawConfigs(sectors: [String]) -> [ExperimentConfig] {
        var random = RandomSource(seed: 2)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.uniform() * Double(choices.count))] }
        return (0..<200).map { i in
            var c = ExperimentConfig.momentum12_1(name: "trial_\(i)", startYear: 2006, endYear: 2020, topN: 1 + Int(random.uniform() * 6))
            c.rebalance = .weekly
            c.maxSectorPct = pick([0.2, 0.5, 1])
            // The family drawn before the optimizer joined the weightings: its draws stay the same.
            c.weighting = pick([.equal, .inverseVolatility, .scoreRank])
            c.minPrice = pick([0, 5, 10, 20])
            c.slippageBps = pick([0, 5, 10])
            c.noTradeBand = pick([0, 0.25])
            c.execution = pick(ExecutionModel.allCases)
            c.minStocks = 1
            c.useStopLoss = random.uniform() < 0.3
            c.stopLossPct = pick([0.05, 0.1, 0.2])
            c.excludeSectors = sectors.filter { _ in random.uniform() < 0.3 }
            return c
        }
    }

    /// The best of the 200 trials on `market` and 12-1 momentum itself, each judged against the family in a ledger.
    static func judge(_ market: Dataset) throws -> (best: TrialVerdict, momentum: TrialVerdict) {
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/ledger.db")
        let sectors = Array(Set(market.panel.tickers.indices.map { market.panel.sector(ofTicker: $0) }.filter { !$0.isEmpty })).sorted()
        let trials = try drawConfigs(sectors: sectors).map { Trial(result: try run($0, market), scriptHash: nil, user: "t", host: "t") }
        for t in trials { try store.record(t) }
        let momentum = Trial(result: try run(.momentum12_1(startYear: 2006, endYear: 2020).with { $0.rebalance = .weekly }, market),
                             scriptHash: nil, user: "t", host: "t")
        try store.record(momentum)
        let family = try store.trials(family: momentum.family.key)
        #expect(family.count == 201)
        let best = trials.max { $0.sharpe < $1.sharpe }!
        return (TrialVerdict(best, family: family), TrialVerdict(momentum, family: family))
    }

    static func market(_ config: SyntheticMarketConfig) throws -> Dataset {
        var config = config
        config.tickerCount = 100
        config.start = Day("2004-01-02")!
        config.end = Day("2020-12-31")!
        return try SyntheticMarket.market(config).dataset()
    }

    @Test("Null market, 200 random configs: the best looks significant (PSR vs 0 > 0.95) but its DSR against the ledger is not")
    func nullMarket() throws {
        let verdict = try Self.judge(try Self.market(.null())).best
        #expect(verdict.probabilistic > 0.95, "\(verdict)")
        #expect(verdict.deflated < 0.95, "\(verdict)")
        #expect(verdict.effectiveTrials > 10 && verdict.effectiveTrials < 200, "\(verdict)")
    }

    @Test("Planted market: 12-1 momentum keeps a DSR above 0.95 after the same 200 trials")
    func plantedMarket() throws {
        var planted = SyntheticMarketConfig()
        planted.momentumPremium = 0.3
        let verdict = try Self.judge(try Self.market(planted)).momentum
        #expect(verdict.deflated > 0.95, "\(verdict)")
        #expect(verdict.trials == 201)
    }
}

/// The ledger from the command line: every completed backtest counts, dry runs do not,
/// `--no-ledger` says so, and `alphalab trials` lists the families.
@Suite("Ledger from the command line", .serialized)
struct LedgerCommandLineTests {
    static let backtest = """
        local d = lab.synthetic({ tickers = 30 })
        for k = 4, 6 do lab.run({ name = "m" .. k, strategy = "momentum_12_1", rebalance = "monthly", top_n = k, start_year = 2012, end_year = 2014 }, d) end
        local r = lab.run({ name = "again", strategy = "momentum_12_1", rebalance = "monthly", top_n = 4, start_year = 2012, end_year = 2014 }, d)
        local v = r:trials()
        print(v.trials, v.family_key, string.format("%.3f", v.dsr))
        """

    @Test("-e backtests record trials in the per-user ledger and no file in the working folder; the same config twice is one trial")
    func quickBacktest() throws {
        let home = Fixtures.temporaryFolder(), work = Fixtures.temporaryFolder()
        let environment = ["XDG_DATA_HOME": home + "/data", "ALPHALAB_RUNS": ""]
        let r = try Fixtures.alphalab(["-e", Self.backtest], environment: environment, directory: work)
        #expect(r.status == 0, "\(r.err)")
        let fields = r.out.split(separator: "\t")
        #expect(fields.first == "3", "three configs, four runs: \(r.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
        #expect(FileManager.default.fileExists(atPath: home + "/data/alphalab/ledger.db"))
        let listed = try Fixtures.alphalab(["trials"], environment: environment)
        #expect(listed.status == 0 && listed.out.contains("1 family of trials in \(home)/data/alphalab/ledger.db"), "\(listed.out)\(listed.err)")
        let family = String(fields[1])
        let detail = try Fixtures.alphalab(["trials", "--family", family], environment: environment)
        let rows = detail.out.split(separator: "\n").filter { $0.contains("@") && !$0.contains("User@host") }
        #expect(detail.status == 0 && detail.out.contains("3 trials") && !rows.contains { $0.contains(" again ") }, "the first name stays: \(detail.out)")
        #expect(rows.count == 3, "three trials: \(detail.out)")
        // Below them, the family's multiple-testing tests for the best trial.
        #expect(detail.out.contains("Hansen's SPA p = ") && detail.out.contains("probability of backtest overfitting"), "\(detail.out)")
    }

    @Test("--no-ledger records nothing and says so; a dry run (alphalab plan) records nothing")
    func offAndDryRuns() throws {
        let home = Fixtures.temporaryFolder()
        let environment = ["XDG_DATA_HOME": home, "ALPHALAB_RUNS": ""]
        let off = try Fixtures.alphalab(["--no-ledger", "-e", "lab.run({ strategy = 'momentum_12_1', rebalance = 'monthly', start_year = 2012, end_year = 2013 }, lab.synthetic({ tickers = 20 }))"],
                                        environment: environment)
        #expect(off.status == 0 && off.err.contains("--no-ledger: this process's backtests are not recorded as trials"), "\(off.err)")
        #expect(!FileManager.default.fileExists(atPath: home + "/alphalab/ledger.db"))
        let script = Fixtures.root.appendingPathComponent("scripts/momentum_vs_spy.lua").path
        let plan = try Fixtures.alphalab(["plan", script, "--tickers", "20", "--start", "2012", "--end", "2013"], environment: environment)
        #expect(plan.status == 0, "\(plan.err)")
        #expect(!FileManager.default.fileExists(atPath: home + "/alphalab/ledger.db"))
    }

    @Test("A script's --runs store (here PostgreSQL) is its ledger too, set once by cli.parse (lab.ledger); a script that takes no --runs records in the default ledger")
    func scriptStore() throws {
        let url = try Postgres.newDatabase()
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.write("""
            local cli = require "cli"
            local before = lab.ledger()
            cli.parse(arg, { runs = cli.runs_option() })
            print("ledger " .. (lab.ledger() ~= before and "moved" or "stayed"))
            lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 }, lab.synthetic({ tickers = 20 }))
            """, to: folder + "/run.lua")
        let r = try Fixtures.alphalab([script, "--runs", url], environment: ["XDG_DATA_HOME": folder + "/home"])
        #expect(r.status == 0 && r.out.contains("ledger moved"), "\(r.err)")
        #expect(try Postgres.psql(url, "SELECT count(*) FROM trials") == "1")
        #expect(!FileManager.default.fileExists(atPath: folder + "/home/alphalab/ledger.db"))
        // A --runs the script does not declare is not read behind its back: its trials go to the default ledger.
        let plain = Fixtures.write("""
            lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 }, lab.synthetic({ tickers = 20 }))
            """, to: folder + "/plain.lua")
        let other = try Postgres.newDatabase()
        let q = try Fixtures.alphalab([plain, "--runs", other], environment: ["XDG_DATA_HOME": folder + "/home"])
        #expect(q.status == 0, "\(q.err)")
        #expect(FileManager.default.fileExists(atPath: folder + "/home/alphalab/ledger.db"))
        #expect(try Postgres.psql(other, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'trials'") == "0")
    }
}
