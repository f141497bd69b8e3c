import AlphaLab
import Foundation
import Testing

/// Today's picks: the walk-forward's decision for a day it has not reached.
@Suite("Picks")
struct PicksTests {
    static let market: Dataset = {
        var config = SyntheticMarketConfig()
        config.tickerCount = 30
        return try! SyntheticMarket.market(config).dataset()
    }()

    static let ensemble = ExperimentConfig.phaseOne[0].with {
        $0.startYear = 2016; $0.endYear = 2016; $0.retrainWeeks = 4; $0.trainingStartYear = 2013; $0.topN = 6; $0.minStocks = 4
    }
    static let momentum = ExperimentConfig("momentum") {
        $0.strategy = .momentum12_1; $0.startYear = 2016; $0.endYear = 2016; $0.topN = 6; $0.minStocks = 4
        $0.useMomentumFilter = true; $0.momentumThreshold = 0; $0.weighting = .inverseVolatility
    }

    @Test("The picks for a past date equal the backtest's picks decided that day (data cut at its scoring close), ensemble and 12-1 momentum",
          arguments: [0, 1])
    func picksEqualTheBacktest(which: Int) throws {
        let config = [Self.ensemble, Self.momentum][which]
        let run = try WalkForward(config: config, dataset: Self.market).run()
        // A retraining period and one that uses an earlier period's model.
        for p in [8, 6] {
            let period = run.periods[p]
            try #require(period.cashReason == nil)
            let target = try TargetPortfolio.compute(config: config, dataset: Self.market, date: period.date, capital: 1_000_000)
            #expect(target.decisionDate == period.date && target.scoringDate == period.scoringDate)
            #expect(target.positions.map(\.ticker) == period.picks.map(\.ticker), "period \(p)")
            #expect(target.positions.map(\.score) == period.picks.map(\.score), "period \(p)")
            #expect(target.positions.map(\.weight) == period.picks.map(\.weight), "period \(p)")
            if config.strategy == .ml {
                #expect(target.trainedFor == run.periods[p - p % config.retrainWeeks].date)
            }
            for position in target.positions {
                #expect(position.shares == Int((position.weight * 1_000_000 / position.close).rounded(.down)))
            }
        }
    }

    @Test("Without a date the picks are for the next trading day after the last bar, scored at the last close")
    func nextTradingDay() throws {
        let cut = Dataset(panel: Self.market.panel.sliced(from: Day("2005-01-01")!, through: Day("2016-12-30")!))
        let target = try TargetPortfolio.compute(config: Self.momentum, dataset: cut, capital: 50_000)
        #expect(target.scoringDate == Day("2016-12-30")!)
        #expect(target.decisionDate == Day("2017-01-03")!) // January 2 2017 is the observed New Year holiday
        #expect(!target.positions.isEmpty && abs(target.positions.reduce(0) { $0 + $1.weight } - 1) < 1e-12)
    }

    @Test("Orders from holdings, by hand: sells, trims, then buys")
    func orders() throws {
        let folder = Fixtures.temporaryFolder()
        let holdings = try Holding.read(path: Fixtures.write("Ticker,Shares\nAAA,100\nBBB,50\nCCC,10\n", to: folder + "/held.csv"))
        #expect(holdings == [Holding(ticker: "AAA", shares: 100), Holding(ticker: "BBB", shares: 50), Holding(ticker: "CCC", shares: 10)])
        let target = try TargetPortfolio.compute(config: Self.momentum, dataset: Self.market, date: Day("2016-06-06")!, capital: 100_000)
        let first = target.positions[0], second = target.positions[1]
        let mine = [Holding(ticker: first.ticker, shares: first.shares + 7), Holding(ticker: second.ticker, shares: 1),
                    Holding(ticker: "GONE", shares: 20), Holding(ticker: target.positions[2].ticker, shares: target.positions[2].shares)]
        let orders = target.orders(from: mine)
        #expect(orders.first == Order(action: .sell, ticker: "GONE", shares: 20, from: 20, to: 0))
        #expect(orders[1] == Order(action: .trim, ticker: first.ticker, shares: 7, from: first.shares + 7, to: first.shares))
        #expect(orders.contains(Order(action: .buy, ticker: second.ticker, shares: second.shares - 1, from: 1, to: second.shares)))
        #expect(!orders.contains { $0.ticker == target.positions[2].ticker }) // already at its target
        #expect(orders.filter { $0.action == .buy }.count == target.positions.count - 2)
    }

    @Test("A bad holdings file names the file, the line and the problem")
    func badHoldings() throws {
        let folder = Fixtures.temporaryFolder()
        func problem(_ text: String) -> String {
            do { _ = try Holding.read(path: Fixtures.write(text, to: folder + "/h.csv")); return "no error" } catch { return error.description }
        }
        #expect(problem("ticker,qty\nAAA,1\n") == "\(folder)/h.csv:1: expected a header with ticker (or symbol) and shares columns, got 'ticker,qty' (file rejected)")
        #expect(problem("ticker,shares\nAAA,1.5\n") == "\(folder)/h.csv:2: shares '1.5' of AAA is not a whole number of zero or more (file rejected)")
        #expect(problem("ticker,shares\nAAA,1\nAAA,2\n") == "\(folder)/h.csv:3: AAA again (first on line 2) (file rejected)")
        #expect(problem("") == "\(folder)/h.csv: empty file (expected a header with ticker and shares) (file rejected)")
        #expect(throws: ImportError.unreadable(path: folder + "/missing.csv")) { try Holding.read(path: folder + "/missing.csv") }
    }

    @Test("alphalab picks: a recorded run promoted to a config file; the table, the orders, and the CSV and JSON written")
    func picksCommand() throws {
        let folder = Fixtures.temporaryFolder()
        let recorded = try Fixtures.alphalab(["-e", """
            local r = lab.run({ name = "mom", strategy = "momentum_12_1", start_year = 2016, end_year = 2016, top_n = 5, min_stocks = 4 },
                              lab.synthetic{ tickers = 30 })
            local store = lab.runs("\(folder)/runs.db")
            store:save(r)
            require("runs").promote(1, "\(folder)/live.json", store)
            """])
        #expect(recorded.status == 0, "\(recorded.err)")
        Fixtures.write("ticker,shares\nGONE,3\n", to: folder + "/held.csv")
        let picks = try Fixtures.alphalab(["picks", "--config", folder + "/live.json", "--tickers", "30", "--cache", "", "--date", "2016-06-06",
                                           "--holdings", folder + "/held.csv", "--capital", "10000", "--out", folder + "/out"])
        #expect(picks.status == 0, "\(picks.err)")
        #expect(picks.out.hasPrefix("picks for 2016-06-06 (scored at the close of 2016-06-03, capital 10000.00)"), "\(picks.out)")
        #expect(picks.out.contains("  sell  3 GONE (3 -> 0)"))
        let csv = try String(contentsOfFile: folder + "/out/picks-2016-06-06.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "ticker,sector,score,weight,close,shares" && csv.count == 6)
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: folder + "/out/picks-2016-06-06.json"))) as! [String: Any]
        #expect((json["positions"] as! [Any]).count == 5 && (json["orders"] as! [Any]).count == 6)
        // The same picks as the backtest's period on that date.
        let run = try WalkForward(config: try JSONDecoder().decode(ExperimentConfig.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/live.json"))),
                                  dataset: try SyntheticMarket.market({ var c = SyntheticMarketConfig(); c.tickerCount = 30; return c }()).dataset()).run()
        let period = try #require(run.periods.first { $0.date == Day("2016-06-06")! })
        #expect(csv.dropFirst().map { String($0.split(separator: ",")[0]) } == period.picks.map(\.ticker))

        let neither = try Fixtures.alphalab(["picks", "--tickers", "30"])
        #expect(neither.status == 1 && neither.err.hasPrefix("alphalab: picks needs --config FILE or --run ID"))
    }

    @Test("Conditional picks against the backtest: with the run's equity marks, tripped and resuming match its cash periods, and an armed breaker's level is where it goes to cash",
          arguments: [0.0, 0.05])
    func breakerOutlookMatchesTheBacktest(recovery: Double) throws {
        let config = Self.momentum.with {
            $0.circuitBreakerDrawdown = 0.04; $0.circuitBreakerWeeks = 3; $0.circuitBreakerRecovery = recovery; $0.useMomentumFilter = false
        }
        let run = try WalkForward(config: config, dataset: Self.market).run()
        let marks = run.periods.map { EquityMark(date: $0.exitDate, equity: $0.equity, picksReturn: $0.picksReturn) }
        var seen: [String: Int] = [:]
        for (p, period) in run.periods.enumerated() where p > 0 && period.cashReason != .tooFewPicks {
            let target = try TargetPortfolio.compute(config: config, dataset: Self.market, date: period.date, capital: 100_000, equityMarks: marks)
            let inCash = period.cashReason == .circuitBreaker
            switch try #require(target.breaker) {
            case .tripped(let left):
                seen["tripped", default: 0] += 1
                // With an early recovery, the picks' return up to this open (unknown before it) may end the cash periods first.
                #expect(inCash || recovery > 0, "\(period.date)")
                #expect(target.positions.isEmpty && target.cashReason == "the circuit breaker is tripped", "\(period.date)")
                #expect(left >= 1 && left < config.circuitBreakerWeeks)
            case .resuming:
                seen["resuming", default: 0] += 1
                #expect(!inCash, "\(period.date)")
            case .armed(let level, let peak):
                seen["armed", default: 0] += 1
                // The mark at this decision's open is the previous period's closing equity.
                let open = run.periods[p - 1].equity
                #expect(inCash == (open <= level), "\(period.date): open \(open), level \(level), peak \(peak)")
                #expect(abs(level - peak * (1 - config.circuitBreakerDrawdown)) < 1e-9)
                if !inCash { #expect(target.positions.map(\.ticker) == period.picks.map(\.ticker)) }
            case .off:
                Issue.record("a configured breaker is never off")
            }
        }
        // The trip itself is an armed breaker whose level the open fell through, then tripped periods follow.
        #expect(seen["tripped", default: 0] >= 1 && seen["armed", default: 0] >= 10, "\(seen)")
        #expect(run.periods.contains { $0.cashReason == .circuitBreaker })
    }

    @Test("Stops in the table, CSV and JSON; a breaker without a history says what it needs; a bad equity file names its line")
    func stopsAndBreakerInTheCommand() throws {
        let folder = Fixtures.temporaryFolder()
        Fixtures.write(#"{"name": "guarded", "strategy": "momentum_12_1", "start_year": 2016, "end_year": 2016, "top_n": 5, "min_stocks": 4, "use_stop_loss": true, "stop_loss_pct": 0.1, "circuit_breaker_drawdown": 0.1}"#,
                       to: folder + "/live.json")
        let base = ["picks", "--config", folder + "/live.json", "--tickers", "30", "--cache", "", "--date", "2016-06-06", "--out", folder + "/out"]
        let bare = try Fixtures.alphalab(base)
        #expect(bare.status == 0, "\(bare.err)")
        #expect(bare.out.contains("breaker: the config has a circuit breaker: give the account's equity history (--equity CSV, or --run ID)"), "\(bare.out)")
        #expect(bare.out.contains("Shares   Stop") && bare.out.contains("stops: close x (1 - stop_loss_pct)"))
        let csv = try String(contentsOfFile: folder + "/out/picks-2016-06-06.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "ticker,sector,score,weight,close,shares,stop" && csv.count == 6)
        for row in csv.dropFirst() {
            let f = row.split(separator: ",").map(String.init)
            #expect(abs(Double(f[6])! - Double(f[4])! * 0.9) < 1e-9, "\(row)")
        }
        Fixtures.write("date,equity\n2016-05-02,100000\n2016-05-09,104000\n2016-05-31,92000\n", to: folder + "/account.csv")
        let tripped = try Fixtures.alphalab(base + ["--equity", folder + "/account.csv"])
        #expect(tripped.out.contains("cash: the circuit breaker is tripped") && tripped.out.contains("breaker: tripped: cash at this decision"),
                "\(tripped.out)\(tripped.err)")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: folder + "/out/picks-2016-06-06.json"))) as! [String: Any]
        #expect((json["breaker"] as? [String: Any])?["state"] as? String == "tripped" && (json["positions"] as! [Any]).isEmpty)
        Fixtures.write("date,equity\n2016-05-02,100000\n2016-05-09,104000\n", to: folder + "/calm.csv")
        let armed = try Fixtures.alphalab(base + ["--equity", folder + "/calm.csv"])
        #expect(armed.out.contains("breaker: armed: cash instead if equity at the open is at or below 93600.00 (peak 104000.00)"), "\(armed.out)")
        Fixtures.write("date,equity\n2016-05-09,100000\n2016-05-02,99000\n", to: folder + "/backwards.csv")
        let bad = try Fixtures.alphalab(base + ["--equity", folder + "/backwards.csv"])
        #expect(bad.status == 1 && bad.err.contains("backwards.csv:3: 2016-05-02 does not follow 2016-05-09"), "\(bad.err)")
    }
}
