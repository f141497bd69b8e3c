import Foundation
import Testing

/// Every script in scripts/ run as an analyst runs it, on a small synthetic market, and
/// unchanged under `--sandbox` (its output folder this suite's folder): the sandbox
/// allows what the scripts do.
@Suite("Scripts", .serialized)
struct ScriptTests {
    static let folder = Fixtures.temporaryFolder("scripts")
    static let out = folder + "/results"
    /// 30 tickers, 2016, retraining twice a year: seconds, not minutes.
    static let small = ["--tickers", "30", "--out", out, "--cache", out + "/cache", "--quiet"]

    static func script(_ name: String, _ arguments: [String]) throws -> Outcome {
        try Fixtures.alphalab(["--sandbox", "--output", folder, Fixtures.root.appendingPathComponent("scripts/\(name)").path] + arguments,
                              directory: folder)
    }

    static func json(_ path: String) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [[String: Any]]
    }

    @Test("The construction audit: the ML baseline on the default market turns over less than half through the optimizer with a turnover penalty; costs and excess side by side")
    func constructionAudit() throws {
        let r = try Self.script("construction_audit.lua", ["--retrain-weeks", "13", "--penalties", "0,3", "--out", Self.out, "--cache", Self.out + "/cache", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let text = try String(contentsOfFile: Self.out + "/construction_audit.txt", encoding: .utf8)
        #expect(text.contains("equal top-N") && text.contains("optimized, penalty 0") && text.contains("CostDrag") && text.contains("NetExcess"))
        let ratio = try #require(text.firstMatch(of: /0_Baseline_Current, optimized, penalty 3: turnover ([0-9.]+) x equal top-N's/))
        #expect(Double(String(ratio.1))! < 0.5, "\(text)")
        let free = try #require(text.firstMatch(of: /optimized, penalty 0: turnover ([0-9.]+) x/))
        #expect(Double(String(free.1))! > Double(String(ratio.1))!, "a penalty trades less than none")
    }

    @Test("Scores to books: long only against SPY, long-short against cash; the beta-neutral book's realised beta is near zero")
    func portfolioBooks() throws {
        let r = try Self.script("portfolio_books.lua", ["--tickers", "40", "--start", "2015", "--end", "2016", "--cache", Self.out + "/cache", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        for book in ["equal top-N, long only", "optimized, long only, tracking error <= 10%", "equal, long-short", "optimized, long-short, beta-neutral"] {
            #expect(r.out.contains(book), "\(book): \(r.out)")
        }
        let beta = try #require(r.out.firstMatch(of: /optimized, long-short, beta-neutral +\S+ +\S+ +\S+ +\S+ +\S+ +([-+0-9.]+)/))
        #expect(abs(Double(String(beta.1))!) < 0.15, "\(r.out)")
    }

    static let names = ["0_Baseline_Current", "1_Signal_Inversion", "2_Momentum_Features", "3_Long_Horizon_Weights",
                        "4_ML_Momentum_Hybrid", "5_Stop_Loss", "6_Combined_Improvements", "7_Pure_Momentum_ML"]

    @Test("Every script in scripts/ has a test here")
    func everyScriptIsCovered() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Fixtures.root.appendingPathComponent("scripts").path).sorted()
        #expect(scripts == ["construction_audit.lua", "execution_audit.lua", "factor_tearsheet.lua", "lookahead_audit.lua", "ml_improvement_experiments.lua", "momentum_vs_spy.lua", "phase2_validation.lua",
                            "phase3_robustness.lua", "phase4_out_of_sample.lua", "portfolio_books.lua", "retraining_audit.lua", "survivorship_audit.lua", "turnover_audit.lua"])
    }

    @Test("Phase 1, then Phases 2-4 on its results; a re-run reuses the trainings from the disk cache")
    func phases() throws {
        let phase1 = try Self.script("ml_improvement_experiments.lua", Self.small + ["--start", "2016", "--end", "2016", "--retrain-weeks", "26"])
        #expect(phase1.status == 0, "\(phase1.err)")
        for name in Self.names { #expect(phase1.out.contains("\n" + name + " "), "row \(name)") }
        for header in ["Experiment", "Return", "vs SPY", "Sharpe", "MaxDD", "WinRate", "Execution", "Turnover", "CostDrag",
                       " Best Sharpe: ", " Best Return: ", "DECISION MATRIX"] {
            #expect(phase1.out.contains(header), "\(header)")
        }
        let results = try Self.json(Self.out + "/ml_experiments_results.json")
        #expect(results.map { $0["name"] as! String } == Self.names)
        for key in ["total_return", "cagr", "sharpe", "max_drawdown", "win_rate", "spy_return", "excess_return", "weeks_traded", "final_value",
                    "execution", "turnover", "cost_drag", "holding_days"] {
            #expect(results.allSatisfy { $0[key] != nil }, "\(key)")
        }
        #expect(results.allSatisfy { $0["execution"] as? String == "rebalance" })
        for name in Self.names { #expect(phase1.out.contains("\n" + name + " ") && phase1.out.contains(" rebalance "), "row \(name)") }
        let report = try String(contentsOfFile: Self.out + "/ml_experiments_report.html", encoding: .utf8)
        #expect(report.components(separatedBy: "<svg").count == 4 && !report.contains("<script"))
        for part in ["Cumulative return", "Drawdown", "Yearly returns", ">SPY</text>", "6_Combined_Improvements</td>", "Best Sharpe:"] {
            #expect(report.contains(part), "\(part)")
        }
        let log = try String(contentsOfFile: Self.out + "/ml_experiments_log.txt", encoding: .utf8)
        #expect(log.contains("trainings: 4 done, 0 from the disk cache") && log.contains("EXPERIMENT RESULTS SUMMARY"))

        // A change that does not touch training (a stop, a weight) trains nothing.
        let rerun = Self.folder + "/rerun"
        let again = try Self.script("ml_improvement_experiments.lua", ["--tickers", "30", "--out", rerun, "--cache", Self.out + "/cache", "--quiet",
                                                                       "--start", "2016", "--end", "2016", "--retrain-weeks", "26", "--only", "3,5"])
        #expect(again.status == 0)
        let againLog = try String(contentsOfFile: rerun + "/ml_experiments_log.txt", encoding: .utf8)
        #expect(againLog.contains("trainings: 0 done, 2 from the disk cache"), "\(againLog)")

        let phase2 = try Self.script("phase2_validation.lua", Self.small + ["--from", Self.out + "/ml_experiments_results.json",
                                                                              "--top", "2", "--start", "2016", "--end", "2017", "--retrain-weeks", "26"])
        #expect(phase2.status == 0, "\(phase2.err)")
        #expect(phase2.out.contains("PHASE 2: FULL VALIDATION 2016-2017"))
        let validated = try Self.json(Self.out + "/phase2_results.json")
        #expect(validated.count == 2)
        let bestSharpe = results.map { $0["sharpe"] as! Double }.max()!
        #expect(results.first { $0["sharpe"] as! Double == bestSharpe }!["name"] as! String == validated[0]["name"] as! String)

        let phase3 = try Self.script("phase3_robustness.lua", Self.small + ["--from", Self.out + "/phase2_results.json",
                                                                              "--grid", "{top_n = {5, 10}, stop_loss_pct = {0.05, 0.1}}", "--blocks", "4"])
        #expect(phase3.status == 0, "\(phase3.err)")
        #expect(phase3.out.contains("PHASE 3: ROBUSTNESS GRID") && phase3.out.contains("top_n=5"))
        #expect(phase3.out.contains("Deflated Sharpe Ratio: 0.") || phase3.out.contains("Deflated Sharpe Ratio: 1."))
        #expect(phase3.out.contains("Probability of Backtest Overfitting: ") && phase3.out.contains("(CSCV, 4 blocks, 6 combinations)"))
        #expect(try Self.json(Self.out + "/phase3_results.json").count == 4)
        let heatmap = try String(contentsOfFile: Self.out + "/phase3_report.html", encoding: .utf8)
        #expect(heatmap.contains("Grid: sharpe by stop_loss_pct and top_n") && heatmap.contains("aria-label=\"Grid heatmap\""))

        let phase4 = try Self.script("phase4_out_of_sample.lua", Self.small + ["--from", Self.out + "/phase2_results.json",
                                                                                 "--train-start", "2012", "--train-end", "2016", "--test-end", "2017"])
        #expect(phase4.status == 0, "\(phase4.err)")
        #expect(phase4.out.contains("PHASE 4: OUT OF SAMPLE") && phase4.out.contains("tested 2017-2017 without retraining"))
        let outOfSample = try Self.json(Self.out + "/phase4_results.json")
        #expect(outOfSample[0]["retrains"] as! Int == 1)
    }

    @Test("The look-ahead audit shows both timings side by side and the conclusions that change")
    func audit() throws {
        let r = try Self.script("lookahead_audit.lua", Self.small + ["--start", "2016", "--end", "2016", "--retrain-weeks", "26"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("same_day_close") && r.out.contains("prior_close") && r.out.contains("Difference"))
        for name in Self.names { #expect(r.out.contains("\n" + name + " "), "row \(name)") }
        #expect(r.out.contains("DECISION MATRIX under each timing") && r.out.contains("conclusions change with the timing"))
        #expect(FileManager.default.fileExists(atPath: Self.out + "/lookahead_audit.txt"))
    }

    @Test("The execution audit shows round trips and the held portfolio side by side, with turnover, cost drag and changed conclusions")
    func executionAudit() throws {
        let r = try Self.script("execution_audit.lua", Self.small + ["--start", "2016", "--end", "2016", "--retrain-weeks", "26"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("EXECUTION AUDIT") && r.out.contains("round_trip") && r.out.contains("rebalance"))
        #expect(r.out.contains("Turnover") && r.out.contains("CostDrag") && r.out.contains("Difference"))
        for name in Self.names { #expect(r.out.contains("\n" + name + " "), "row \(name)") }
        #expect(r.out.contains("DECISION MATRIX under each execution") && r.out.contains("conclusions change with the execution"))
        #expect(r.out.contains("Mean cost drag: ") && r.out.contains("Verdict: "))
        // Round trips of the whole book cost far more a year than trading the difference.
        let drags = r.out.components(separatedBy: "Mean cost drag: ")[1].components(separatedBy: "%").compactMap { Double($0.components(separatedBy: " ").last!) }
        #expect(drags.count >= 2 && drags[0] > 2 * drags[1], "\(drags)")
        #expect(FileManager.default.fileExists(atPath: Self.out + "/execution_audit.txt"))
        let only = try Self.script("execution_audit.lua", Self.small + ["--start", "2016", "--end", "2016", "--retrain-weeks", "26", "--only", "0,5"])
        #expect(only.status == 0 && only.out.contains("\n5_Stop_Loss ") && !only.out.contains("\n1_Signal_Inversion "))
    }

    @Test("The turnover audit: rank buffers 1, 1.5 and 2 side by side; a wider buffer trades less; a bad buffer is refused")
    func turnoverAudit() throws {
        let r = try Self.script("turnover_audit.lua", Self.small + ["--start", "2016", "--end", "2016", "--retrain-weeks", "26", "--only", "0,7"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("TURNOVER AUDIT") && r.out.contains("NetExcess") && r.out.contains("\n0_Baseline_Current ")
                && r.out.contains("\n7_Pure_Momentum_ML "), "\(r.out)")
        // "  hold_buffer B: mean turnover T% a period, ...": T falls as the buffer widens.
        let turnovers = r.out.components(separatedBy: "mean turnover ").dropFirst().compactMap { Double($0.prefix { $0 != "%" }) }
        #expect(turnovers.count == 3 && turnovers[0] > turnovers[1] && turnovers[1] > turnovers[2], "\(turnovers)")
        #expect(FileManager.default.fileExists(atPath: Self.out + "/turnover_audit.txt"))
        let bad = try Self.script("turnover_audit.lua", Self.small + ["--buffers", "1,0.5"])
        #expect(bad.status == 1 && bad.err.contains("--buffers: '0.5' is not a hold_buffer (a number of at least 1)"), "\(bad.err)")
    }

    @Test("The retraining audit: warm against full retraining, weekly, per experiment: IC, picks both held, excess difference and its error, trainings; with --floor, full against a one-day shorter window")
    func retrainingAudit() throws {
        let r = try Self.script("retraining_audit.lua", Self.small + ["--start", "2016", "--end", "2016", "--only", "2", "--full-refit-weeks", "8", "--floor"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("RETRAINING AUDIT: warm (full refit every 8 weeks) against full retraining") && r.out.contains("\n2_Momentum_Features "),
                "\(r.out)")
        // The warm run's new trainings are its 44 updates: its 7 full refits are the full run's
        // (which other tests may have put in the shared cache already).
        #expect(r.out.contains(" / 44 "), "\(r.out)")
        #expect(r.out.contains("experiments decide the same under warm retraining"))
        let text = try String(contentsOfFile: Self.out + "/retraining_audit.txt", encoding: .utf8)
        #expect(text.contains("score rank correlation per period: mean "))
        #expect(text.contains("FLOOR: full retraining against full retraining on a window one trading day shorter") && text.contains("floor (full retraining"),
                "\(text)")
    }

    @Test("The survivorship audit: survivors against point-in-time members, on the synthetic market")
    func survivorshipAudit() throws {
        let synthetic = try Self.script("survivorship_audit.lua", Self.small + ["--start", "2012", "--end", "2014", "--only", "0,2",
                                                                                 "--retrain-weeks", "26"])
        #expect(synthetic.status == 0, "\(synthetic.err)")
        for part in ["SURVIVORSHIP AUDIT", "survivors", "index", "\nMomentum_12_1 ", "\n0_Baseline_Current ", "\n2_Momentum_Features ",
                     "DECISION MATRIX under each universe", "12-1 momentum: ", "this is the whole survivorship bias"] {
            #expect(synthetic.out.contains(part), "\(part)")
        }
        #expect(FileManager.default.fileExists(atPath: Self.out + "/survivorship_audit.txt"))
    }

    @Test("The survivorship audit on the real data: the sp500 point-in-time universe, and a clear error without one", .needsSharedData)
    func survivorshipAuditOnRealData() throws {
        let membership = Fixtures.sharedData.appendingPathComponent("sp500/membership/sp500_ticker_start_end.csv").path
        let real = try Self.script("survivorship_audit.lua", ["--csv", Fixtures.sp500Folder, "--benchmark", Fixtures.spyCSV,
                                                              "--membership", membership, "--universe", "sp500", "--start", "2005", "--end", "2020",
                                                              "--out", Self.out, "--quiet"])
        #expect(real.status == 0, "\(real.err)")
        #expect(real.out.contains("(sp500)") && real.out.contains("this measures inclusion bias only"))
        let none = try Self.script("survivorship_audit.lua", ["--csv", Fixtures.sp500Folder, "--limit", "5", "--out", Self.out, "--quiet"])
        #expect(none.status != 0 && none.err.contains("the data has no point-in-time universe"))
    }

    @Test("The factor tear sheet ranks every feature, answers the seed's claims and draws the strongest; --model analyses each horizon")
    func factorTearsheet() throws {
        let r = try Self.script("factor_tearsheet.lua", ["--tickers", "40", "--start", "2012", "--end", "2015", "--model", "--out", Self.out,
                                                         "--cache", Self.out + "/cache", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        for part in ["FACTOR RANKING by |IC t| at 20 days", "35 features x 3 horizons = 105 tests", "\nMOM_12_1 ", "\nRET_1D ",
                     "THE SEED'S CLAIMS", "mean IC t of the 'mean-reversion' (legacy) features", "1-day return at 1 day: IC t",
                     "0_Baseline_Current h1", "0_Baseline_Current h20", "what drives the 20-day model at its last retraining (mean |SHAP|): "] {
            #expect(r.out.contains(part), "\(part)")
        }
        let html = try String(contentsOfFile: Self.out + "/factor_tearsheet.html", encoding: .utf8)
        #expect(html.contains("IC decay") && html.contains("Cumulative top-minus-bottom spread") && !html.contains("<script"))
    }

    @Test("Momentum against SPY prints both and the years")
    func momentumVersusSpy() throws {
        let r = try Self.script("momentum_vs_spy.lua", ["--tickers", "30", "--start", "2010", "--end", "2015", "--out", Self.out])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("MOMENTUM 12-1 (top 10, monthly) vs SPY") && r.out.contains("\nSPY "))
        #expect(r.out.contains("rebalance execution: turnover "))
        let seed = try Self.script("momentum_vs_spy.lua", ["--tickers", "30", "--start", "2010", "--end", "2015", "--out", Self.out, "--execution", "round_trip"])
        #expect(seed.status == 0 && seed.out.contains("round_trip execution: turnover "))
        for year in 2010...2015 { #expect(r.out.contains("\n\(year) ")) }
    }

    @Test("Progress: a bar redrawn in place on a terminal, plain lines in a pipe, nothing with --quiet")
    func progress() throws {
        let arguments = ["--tickers", "20", "--start", "2016", "--end", "2016", "--retrain-weeks", "26", "--only", "0,5",
                         "--out", Self.folder + "/progress", "--cache", Self.out + "/cache", "--runs", ""]
        let piped = try Self.script("ml_improvement_experiments.lua", arguments)
        #expect(piped.status == 0)
        #expect(piped.err.contains("  [1/2] 0_Baseline_Current: week 51/51, retrains 2, 0 left, ") && !piped.err.contains("\r"), "\(piped.err)")
        let quiet = try Self.script("ml_improvement_experiments.lua", arguments + ["--quiet"])
        #expect(quiet.status == 0 && quiet.err.isEmpty)

        let tty = try PseudoTerminal(Fixtures.products.appendingPathComponent("alphalab").path,
                                     arguments: [Fixtures.root.appendingPathComponent("scripts/ml_improvement_experiments.lua").path] + arguments,
                                     environment: [:])
        let bar = tty.expect("Best Return", timeout: 120)
        #expect(bar.contains("\r\u{1b}[K[2/2] 5_Stop_Loss") && bar.contains("] week 51/51  retrains 2, 0 left  ") && bar.contains("left in this run"))
        #expect(bar.contains("########################"))
        #expect(tty.exitStatus() == 0)
    }

    @Test("A mistyped option is an error that suggests the right one")
    func badOption() throws {
        let r = try Self.script("ml_improvement_experiments.lua", ["--retrain-week", "4"])
        #expect(r.status == 1 && r.err.contains("unknown option --retrain-week (did you mean --retrain-weeks?)"))
    }
}
