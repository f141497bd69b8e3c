import AlphaLab
import Foundation
import Testing

/// Point-in-time universes: membership files, decisions and training on members only,
/// cross-sectional features within the day's members, delisting returns.
@Suite("Universes")
struct UniverseTests {
    /// A1 a member throughout; A2 until February 29, 2024; A3 from March 1, 2024; A5 and
    /// A6 throughout; A4 never (although it scores best).
    static let membership = Membership(name: "tiny", spells: [
        .init(ticker: "A1", start: Day("2020-01-01")!, end: nil),
        .init(ticker: "A2", start: Day("2020-01-01")!, end: Day("2024-02-29")!),
        .init(ticker: "A3", start: Day("2024-03-01")!, end: nil),
        .init(ticker: "A5", start: Day("2020-01-01")!, end: nil),
        .init(ticker: "A6", start: Day("2020-01-01")!, end: nil),
    ])
    let scores: [String: Double] = ["A4": 9, "A1": 6, "A2": 5, "A3": 4, "A5": 2, "A6": 1]

    @Test("A non-member is never bought; a leaver is sold at the next decision; a joiner can be bought")
    func decisionsFollowMembership() throws {
        var market = TinyMarket()
        market.memberships = [Self.membership]
        for execution in ExecutionModel.allCases {
            let r = try market.run(scores) { $0.topN = 2; $0.universe = "tiny"; $0.execution = execution }
            #expect(r.periods.allSatisfy { !$0.picks.contains { $0.ticker == "A4" } }, "\(execution)")
            #expect(r.period("2024-02-26").picks.map(\.ticker) == ["A1", "A2"])
            // March 4 scores at the close of Friday, March 1: A2 has left, A3 has joined.
            #expect(r.period("2024-03-04").picks.map(\.ticker) == ["A1", "A3"])
            if execution == .rebalance {
                #expect(r.period("2024-02-26").traded == 0 && r.period("2024-03-04").traded > 0)
            }
        }
        let everyone = try market.run(scores) { $0.topN = 2 }
        #expect(everyone.periods.allSatisfy { $0.picks.map(\.ticker) == ["A4", "A1"] })
        #expect(throws: BacktestError.self) { try market.run(scores) { $0.universe = "tinny" } }
        do { _ = try market.run(scores) { $0.universe = "tinny" } } catch {
            #expect("\(error)".contains("'tinny' is not a universe of this data (did you mean 'tiny'?); it has: all, survivors, tiny"))
        }
    }

    @Test("A held ticker that delists realises its delisting return")
    func delistingReturnIsRealised() throws {
        var market = TinyMarket()
        market.set("A1", "2024-03-05", open: 100, close: 40) // the collapse
        market.end("A1", from: "2024-03-06")
        market.delistings = ["A1": -0.5]
        for execution in ExecutionModel.allCases {
            let r = try market.run(scores) { $0.topN = 2; $0.slippageBps = 0; $0.excludeTickers = ["A4"]; $0.execution = execution }
            let a1 = r.period("2024-03-04").picks.first { $0.ticker == "A1" }!
            #expect(abs(a1.netReturn - (40.0 * 0.5 / 100 - 1)) < 1e-12, "\(execution): \(a1.netReturn)")
        }
        // Without the delisting return, the position would have been worth its last close.
        market.delistings = [:]
        let plain = try market.run(scores) { $0.topN = 2; $0.slippageBps = 0; $0.excludeTickers = ["A4"] }
        #expect(abs(plain.period("2024-03-04").picks.first { $0.ticker == "A1" }!.netReturn - (-0.6)) < 1e-12)
    }

    @Test("Training rows are only those of days on which the ticker was a member")
    func trainingRowsExcludeNonMembers() throws {
        let market = TinyMarket()
        let panel = market.panel
        let universe = Universe(Self.membership, panel: panel)
        let matrix = try FeatureMatrix(set: FeatureSet(name: "r", features: [FeatureCatalog.feature(named: "RET_1D")!]), panel: panel)
        let tradable = panel.tickers.indices.filter { panel.tickers[$0] != "SPY" }
        let decision = panel.calendar.index(of: Day("2024-06-03")!)!
        let window = TrainingWindow(decisionDay: decision, start: Day("2024-01-01")!)
        let all = TrainingSet.rows(matrix: matrix, panel: panel, tickers: tradable, columns: [0], horizon: 1, window: window)
        let members = TrainingSet.rows(matrix: matrix, panel: panel, tickers: tradable, columns: [0], horizon: 1, window: window, universe: universe)
        // By hand: days of rows are Jan 2 .. May 30 (the label of May 30 is the May 31 close).
        let days = window.dayRange(horizon: 1, calendar: panel.calendar)
        let february29 = panel.calendar.index(of: Day("2024-02-29")!)!
        let expected = days.reduce(0) { count, d in count + 3 + (d <= february29 ? 1 : 0) + (d > february29 ? 1 : 0) } // A1, A5, A6 + A2 or A3
        #expect(all.rows.rowCount == days.count * 6)
        #expect(members.rows.rowCount == expected && members.labels.count == expected)
        // And the ensemble trained for the run uses the members' rows only.
        let spec = EnsembleSpec.seedMomentumModel.with { $0.trainingStart = Day("2024-01-01")!; $0.selection = nil }
        let trained = try TrainedEnsemble.train(spec: spec, matrix: try FeatureMatrix(set: FeatureCatalog.momentum, panel: panel),
                                                panel: panel, tickers: tradable, decisionDay: decision, universe: universe)
        let unrestricted = try TrainedEnsemble.train(spec: spec, matrix: try FeatureMatrix(set: FeatureCatalog.momentum, panel: panel),
                                                     panel: panel, tickers: tradable, decisionDay: decision)
        #expect(trained.members[0].trainingRows < unrestricted.members[0].trainingRows)
    }

    @Test("RELATIVE_STRENGTH ranks within the day's members; non-members have none")
    func crossSectionalWithinMembers() throws {
        var market = TinyMarket()
        market.flat("A1", 150, from: "2023-06-01") // the strongest 12-1 momentum
        market.flat("A3", 120, from: "2023-06-01")
        let panel = market.panel
        let set = FeatureSet(name: "rs", features: [FeatureCatalog.feature(named: "RELATIVE_STRENGTH")!])
        let universe = Universe(Self.membership, panel: panel)
        let within = try FeatureMatrix(set: set, panel: panel, universe: universe)
        let everyone = try FeatureMatrix(set: set, panel: panel)
        let d = panel.calendar.index(of: Day("2024-04-01")!)!
        func value(_ m: FeatureMatrix, _ ticker: String) -> Float { m.value(feature: 0, ticker: panel.tickerIndex[ticker]!, day: d) }
        // Members on April 1: A1, A3, A5, A6. A1 is best of four, A3 second; A2 and A4 have no rank.
        #expect(value(within, "A1") == 1.0 && value(within, "A3") == 0.75)
        #expect(value(within, "A2").isNaN && value(within, "A4").isNaN)
        #expect(value(everyone, "A1") == 1.0 && abs(value(everyone, "A3") - Float(5.0 / 6)) < 1e-6)
    }

    @Test("Membership files: spells, Qlib instruments and snapshots read alike; errors name file and line")
    func membershipFiles() throws {
        let folder = Fixtures.temporaryFolder()
        let spells = Fixtures.write("ticker,start_date,end_date\nAAA,2020-01-02,2020-06-30\nBBB,2020-01-02,\nAAA,2021-01-04,\n", to: folder + "/spells.csv")
        let qlib = Fixtures.write("AAA\t2020-01-02\t2020-06-30\nBBB\t2020-01-02\t\nAAA\t2021-01-04\t\n", to: folder + "/qlib.txt")
        let snapshots = Fixtures.write("date,tickers\n2020-01-02,\"AAA,BBB\"\n2020-07-01,BBB\n2021-01-04,\"BBB,AAA\"\n", to: folder + "/snap.csv")
        let a = try MembershipFile.read(path: spells, name: "u"), b = try MembershipFile.read(path: qlib, name: "u")
        let c = try MembershipFile.read(path: snapshots, name: "u")
        #expect(a == b && a == c, "\(a.spells) \(c.spells)")
        #expect(a.members(on: Day("2020-06-30")!) == ["AAA", "BBB"] && a.members(on: Day("2020-07-01")!) == ["BBB"])
        #expect(a.isMember("AAA", on: Day("2025-01-02")!))
        let us = Fixtures.write("ticker,start_date,end_date\nAAA,01/02/2020,06/30/2020\n", to: folder + "/us.csv")
        #expect(try MembershipFile.read(path: us, name: "u", dateFormat: try DateFormat("MM/DD/YYYY")).spells.first?.end == Day("2020-06-30"))

        func failure(_ text: String, _ name: String) -> String {
            let path = Fixtures.write(text, to: folder + "/" + name)
            do { _ = try MembershipFile.read(path: path, name: "u"); return "accepted" } catch { return error.description }
        }
        #expect(failure("ticker,start_date,end_date\nAAA,2020-06-30,2020-01-02\n", "e1.csv").hasSuffix("e1.csv:2: AAA: end 2020-01-02 is before start 2020-06-30"))
        #expect(failure("ticker,start_date,end_date\nAAA,2020-01-02,2020-06-30\nBBB,2020-01-02,\nAAA,2020-06-01,\n", "e2.csv")
            .hasSuffix("e2.csv:4: spells of AAA overlap (lines 2 and 4)"))
        #expect(failure("ticker,start_date,end_date\nAAA,2020-01-02,\nBBB,01/02/2020,\n", "e3.csv")
            .hasSuffix("e3.csv:3: unparsable start date '01/02/2020' (expected YYYY-MM-DD; other formats with --date-format)"))
        #expect(failure("", "e4.csv").hasSuffix("e4.csv: empty file"))
        #expect(failure("date,tickers\n2020-01-02,AAA\n2020-01-02,BBB\n", "e5.csv").hasSuffix("e5.csv:3: date 2020-01-02 listed twice (lines 2 and 3)"))
        #expect(failure("name,from\nAAA,2020-01-02\n", "e6.csv").contains("e6.csv:1: expected a header ticker,start_date,end_date"))
    }

    @Test("alphalab import membership: stored beside the prices, listed by info; a bad file changes nothing")
    func importCommand() throws {
        let folder = Fixtures.temporaryFolder()
        let db = folder + "/market.db"
        let good = Fixtures.write("ticker,start_date,end_date\nAAA,2020-01-02,2020-06-30\nBBB,2020-01-02,\n", to: folder + "/good.csv")
        let ok = try Fixtures.alphalab(["import", "membership", good, "--universe", "idx", "--db", db])
        #expect(ok.status == 0 && ok.out.contains("imported universe idx: 2 spells of 2 tickers, 2020-01-02 .. open"), "\(ok.err)")
        let bad = Fixtures.write("ticker,start_date,end_date\nCCC,2020-01-02,\nCCC,2020-01-03,\n", to: folder + "/bad.csv")
        let refused = try Fixtures.alphalab(["import", "membership", bad, "--universe", "idx", "--db", db])
        #expect(refused.status != 0 && refused.err.contains("bad.csv:3: spells of CCC overlap (lines 2 and 3)"))
        #expect(try PriceStore(path: db).memberships() == [try MembershipFile.read(path: good, name: "idx")])
        let unnamed = try Fixtures.alphalab(["import", "membership", good, "--db", db])
        #expect(unnamed.status != 0 && unnamed.err.contains("needs --universe NAME"))
        let info = try Fixtures.alphalab(["info", "--db", db])
        #expect(info.out.contains("universes    1") && info.out.contains("idx: 2 spells of 2 tickers, 2020-01-02 .. open"))
    }
}

/// Coverage: how much of a point-in-time universe had prices when a run decided.
@Suite("Universe coverage")
struct CoverageTests {
    /// A1-A4 and ZZZ (no prices at all) are members throughout.
    static let membership = Membership(name: "cov", spells: ["A1", "A2", "A3", "A4", "ZZZ"].map {
        .init(ticker: $0, start: Day("2020-01-01")!, end: nil)
    })

    @Test("A run on a universe records its coverage by year (result, JSON, store, report, Lua) and warns below 95%, naming the worst year")
    func runRecordsCoverage() throws {
        var market = TinyMarket()
        market.memberships = [Self.membership]
        let r = try market.run(["A1": 4, "A2": 3, "A3": 2, "A4": 1]) { $0.topN = 2; $0.universe = "cov" }
        let coverage = try #require(r.coverage)
        #expect(coverage.universe == "cov" && coverage.years.map(\.year) == [2024])
        #expect(coverage.years[0].memberDays == 5 * r.periods.count && coverage.years[0].covered == 4 * r.periods.count)
        #expect(r.warnings.contains { $0.hasPrefix("coverage: in 2024 only 80.0% of cov's members had a bar on the decision days (below 95% in 1 of 1 years)") },
                "\(r.warnings)")
        #expect(r.summary.contains("!! coverage: in 2024 only 80.0%"))
        #expect(r.summary.contains("  universe cov: 4 members at a decision on average, 4 tickers over the run\n"), "\(r.summary)")
        let again = try JSONDecoder().decode(ExperimentResult.self, from: try r.json())
        #expect(again.coverage == coverage && again.warnings == r.warnings && again.universeSize == r.universeSize && r.universeSize != nil)
        // Under --limit the warning blames the cut, and the card and the report's table name it.
        market.limit = TickerLimit(kept: 4, available: 9)
        let limited = try market.run(["A1": 4, "A2": 3, "A3": 2, "A4": 1]) { $0.topN = 2; $0.universe = "cov" }
        #expect(limited.warnings.contains { $0.hasSuffix("--limit kept 4 of 9 tickers, so most members are missing for the limit's sake") }, "\(limited.warnings)")
        #expect(limited.summary.contains("tickers over the run; --limit kept 4 of 9 tickers"), "\(limited.summary)")
        #expect(HTMLReport(title: "t", results: [limited]).summaryTable().contains("<td>cov (4; limit 4 of 9)</td>"))
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/runs.db")
        let id = try store.save(r, seconds: 0, provenance: nil)
        #expect(try store.load(id: id).coverage == coverage)
        let page = HTMLReport(title: "t", results: [r]).render()
        #expect(page.contains("<h2>Universe coverage</h2>") && page.contains("80.0%"))
        // On every ticker (no stored universe) nothing is recorded and nothing warned.
        let everyone = try market.run(["A1": 4, "A2": 3, "A3": 2, "A4": 1]) { $0.topN = 2 }
        #expect(everyone.coverage == nil && everyone.warnings.isEmpty)
    }

    @Test("Lua reads r.coverage; alphalab info shows each universe's coverage by year with its worst")
    func luaAndInfo() throws {
        let lua = try Fixtures.alphalab(["-e", """
            local d = lab.synthetic{ tickers = 30 }
            local r = lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2015, end_year = 2016, universe = "index" }, d)
            local c = r.coverage
            print(c.universe, #c.years, c.years[1].year, c.worst_share > 0.9, c.worst_share <= 1)
            print(lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2015, end_year = 2015 }, d).coverage)
            """])
        #expect(lua.out == "index\t2\t2015\ttrue\ttrue\nnil\n", "\(lua.out)\(lua.err)")
        let folder = Fixtures.temporaryFolder()
        let db = folder + "/market.db"
        // The stocks trade through 2020; the benchmark goes on to 2022; the universe starts in 2018.
        let prices = Fixtures.write("date,open,high,low,close,volume,ticker\n2020-01-02,10,11,9,10,1000,AAA\n2020-12-31,10,11,9,10,1000,AAA\n"
                                    + "2017-01-03,10,11,9,10,1000,SPY\n2022-06-30,10,11,9,10,1000,SPY\n", to: folder + "/prices.csv")
        #expect(try Fixtures.alphalab(["import", "long", prices, "--db", db]).status == 0)
        let members = Fixtures.write("ticker,start_date,end_date\nAAA,2018-01-02,\nBBB,2018-01-02,\n", to: folder + "/members.csv")
        #expect(try Fixtures.alphalab(["import", "membership", members, "--universe", "idx", "--db", db]).status == 0)
        let info = try Fixtures.alphalab(["info", "--db", db])
        for line in ["stocks       2020-01-02 .. 2020-12-31", "benchmark    SPY 2017-01-03 .. 2022-06-30",
                     "members on January 1 (with prices that day): 2018 2 (no stock prices), 2022 2 (no stock prices)",
                     "    coverage (members with prices spanning each Wednesday, 2020-01-02 .. 2020-12-31): 2020 50.0%; worst 2020 50.0% (below 95%: members without prices, survivorship left in)",
                     "    no stock prices in the data before 2020-01-02 or after 2020-12-31 (the benchmark's bars go on to 2022-06-30): not counted"] {
            #expect(info.out.contains(line), "\(line)\n\(info.out)\(info.err)")
        }
    }
}

extension EnsembleSpec {
    /// A copy with `body` applied.
    func with(_ body: (inout EnsembleSpec) -> Void) -> EnsembleSpec {
        var copy = self
        body(&copy)
        return copy
    }
}
