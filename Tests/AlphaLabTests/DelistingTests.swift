import AlphaLab
import Foundation
import Testing

/// Delistings on imported data: hand-built AlphaVantage files and a delisting file go
/// through the importers and the store, and a held ticker's exit pays what its holders
/// got, in both execution models and in factor analysis.
@Suite("Delistings")
struct DelistingTests {
    /// A1..A6 flat at 100 from 2023-06-01 through 2024-06-28, and SPY. A1 collapses to a
    /// close of 40 on 2024-03-05 and has no bars after it (bankrupt, -100%); A2's last bar
    /// is also 2024-03-05 at 100 (acquired for cash at a 30% premium).
    static func files(in folder: String) -> String {
        let header = "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
        let days = TradingCalendar.nyse(from: Day("2023-06-01")!, through: Day("2024-06-28")!).days
        let last = Day("2024-03-05")!
        for ticker in ["A1", "A2", "A3", "A4", "A5", "A6", "SPY"] {
            var text = header
            for day in days.reversed() {
                if ["A1", "A2"].contains(ticker) && day > last { continue }
                let close = ticker == "A1" && day == last ? 40.0 : 100.0
                text += "\(day),100,100,\(close),\(close),\(close),1000000,0.0,1.0\n"
            }
            Fixtures.write(text, to: folder + "/prices/\(ticker).csv")
        }
        return Fixtures.write("ticker,date,return\nA1,2024-03-06,-1\nA2,2024-03-06,0.30\n", to: folder + "/delistings.csv")
    }

    /// A store holding the files' prices and delistings.
    static func store() throws -> (store: PriceStore, folder: String) {
        let folder = Fixtures.temporaryFolder()
        let delistings = files(in: folder)
        let store = try PriceStore(path: folder + "/market.db")
        try store.write(try PriceImporter(format: .alphavantage).read(source: folder + "/prices"))
        try store.write(try DelistingFile.read(path: delistings), source: delistings)
        return (store, folder)
    }

    static let scores: [String: Double] = ["A1": 6, "A2": 5, "A3": 4, "A4": 3, "A5": 2, "A6": 1]

    @Test("Held at the bankruptcy (-100%) and the acquisition (+30%): each position returns its delisting return, under both execution models")
    func heldPositionsRealiseTheirDelistingReturns() throws {
        let (store, _) = try Self.store()
        #expect(try store.delistings() == [Delisting(ticker: "A1", day: Day("2024-03-06")!, delistingReturn: -1),
                                           Delisting(ticker: "A2", day: Day("2024-03-06")!, delistingReturn: 0.3)])
        let dataset = Dataset(panel: try store.loadPanel())
        for execution in ExecutionModel.allCases {
            let config = ExperimentConfig("delisted") {
                $0.startYear = 2024; $0.endYear = 2024; $0.minStocks = 0; $0.topN = 2; $0.slippageBps = 0; $0.execution = execution
            }
            let r = try WalkForward(config: config, dataset: dataset).run(scorer: FunctionScorer(label: "fixed") { context in
                context.symbols.map { Self.scores[$0] ?? .nan }
            })
            let period = r.period("2024-03-04")
            // Bought at the open of March 4 at 100: A1 is worth 40 x (1 - 1) = 0, A2 100 x 1.3 = 130.
            #expect(abs(try #require(period.picks.first { $0.ticker == "A1" }).netReturn - -1) < 1e-12, "\(execution)")
            #expect(abs(try #require(period.picks.first { $0.ticker == "A2" }).netReturn - 0.3) < 1e-12, "\(execution)")
            #expect(abs(period.netReturn - (-1 + 0.3) / 2) < 1e-12, "\(execution): \(period.netReturn)")
            // After the exit both are gone from the candidates.
            #expect(r.period("2024-03-11").picks.map(\.ticker) == ["A3", "A4"], "\(execution)")
        }
    }

    @Test("A factor's forward return includes the delisting return: by hand, and in the top quantile's mean")
    func factorForwardReturnsIncludeDelistings() throws {
        let (store, _) = try Self.store()
        let panel = try store.loadPanel()
        let calendar = panel.calendar
        let scoring = try #require(calendar.index(of: Day("2024-02-29")!))
        func forward(_ ticker: String) -> Double {
            ForwardReturn.openToOpen(panel, ticker: panel.tickerIndex[ticker]!, scoringDay: scoring, horizon: 5)
        }
        // Entry at the open of March 1 (100), exit at the open of March 8, after both left.
        #expect(forward("A1") == -1)
        #expect(abs(forward("A2") - 0.3) < 1e-12)
        #expect(forward("A3") == 0)
        // A horizon that ends before the exit is the plain open-to-open return.
        #expect(ForwardReturn.openToOpen(panel, ticker: panel.tickerIndex["A1"]!, scoringDay: scoring, horizon: 2) == 0)
        // Without the delisting file the two drop out of that horizon (NaN), as alphalens drops them.
        let plain = Panel(series: try PriceImporter(format: .marketdb).read(source: store.path).bars.map(PriceSeries.init(adjusting:)))
        #expect(ForwardReturn.openToOpen(plain, ticker: plain.tickerIndex["A1"]!, scoringDay: scoring, horizon: 5).isNaN)

        let tickers = ["A1", "A2", "A3", "A4", "A5", "A6"].map { panel.tickerIndex[$0]! }
        let days = [scoring, scoring + 1]
        let signal = FactorSignal(name: "fixed", days: days, tickers: tickers,
                                  values: days.map { _ in tickers.map { Self.scores[panel.tickers[$0]]! } })
        var options = FactorOptions()
        options.horizons = [5]
        options.quantiles = 2
        options.minimumTickers = 6
        let report = try FactorAnalysis.analyze(signal, panel: panel, options: options)
        let top = try #require(report.horizon(5)?.quantileReturns.last)
        // The top half is A1, A2 and A3 on both dates: (-1 + 0.3 + 0) / 3.
        #expect(abs(top - (-0.7 / 3)) < 1e-12, "\(top)")
    }

    @Test("On a 60-ticker synthetic market, the 20-day forward returns alphalens drops (the ticker delisted within the horizon) are settled, and they lose")
    func syntheticRowsThatAlphalensDrops() throws {
        var config = SyntheticMarketConfig()
        config.tickerCount = 60
        let panel = try SyntheticMarket.generate(config)
        let days = FactorSignal.scoringDays(panel, cadence: .weekly, from: panel.calendar.days.first!, through: panel.calendar.days.last!)
        var all = 0, settled: [Double] = []
        for s in days {
            for t in panel.tickers.indices where t != panel.tickerIndex["SPY"] {
                let r = ForwardReturn.openToOpen(panel, ticker: t, scoringDay: s, horizon: 20)
                guard r.isFinite else { continue }
                all += 1
                let exit = s + 21
                if panel.value(.open, ticker: t, day: exit).isNaN {
                    // Settled: bought at the open after the scoring close, paid last close x (1 + return).
                    let last = panel.lastBar[t]
                    let expected = panel.value(.close, ticker: t, day: last) * (1 + panel.delistingReturns[t]) / panel.value(.open, ticker: t, day: s + 1) - 1
                    #expect(last < exit && abs(r - expected) < 1e-12)
                    settled.append(r)
                }
            }
        }
        let mean = settled.reduce(0, +) / Double(settled.count)
        print("synthetic 60 tickers, 20 days: \(settled.count) of \(all) rows settled by a delisting, mean \(mean)")
        #expect(settled.count > 20 && mean < -0.05, "\(settled.count) rows, mean \(mean)")
    }

    @Test("alphalab import delistings: stored with the prices, shown by alphalab info; a delisting before the last bar, or prices after a delisting, are refused and change nothing")
    func importCommandAndConflicts() throws {
        let folder = Fixtures.temporaryFolder()
        let delistings = Self.files(in: folder)
        let db = folder + "/market.db"
        #expect(try Fixtures.alphalab(["import", "alphavantage", folder + "/prices", "--db", db]).status == 0)
        let imported = try Fixtures.alphalab(["import", "delistings", delistings, "--db", db])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("imported 2 delistings into \(db)"), "\(imported.out)")
        let info = try Fixtures.alphalab(["info", "--db", db])
        #expect(info.out.contains("delistings   2, 2 with prices, mean return -35.0%"), "\(info.out)")

        // A3 still has bars in June: a delisting in March contradicts them.
        let early = Fixtures.write("ticker,date,return\nA4,2024-06-28,-0.3\nA3,2024-03-01,-0.3\n", to: folder + "/early.csv")
        let refused = try Fixtures.alphalab(["import", "delistings", early, "--db", db])
        #expect(refused.status != 0)
        #expect(refused.err.contains("A3 has bars after its delisting on 2024-03-01 (last bar 2024-06-28)"), "\(refused.err)")
        #expect(try PriceStore(readingExisting: db).delistings().map(\.ticker) == ["A1", "A2"])

        // New A1 bars after its delisting: the whole price import is refused.
        let before = try PriceStore(readingExisting: db).summary()
        Fixtures.write("timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
                       + "2024-04-01,10,10,10,10,10,100,0.0,1.0\n", to: folder + "/later/A1.csv")
        Fixtures.write("timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
                       + "2024-07-01,10,10,10,10,10,100,0.0,1.0\n", to: folder + "/later/A5.csv")
        let later = try Fixtures.alphalab(["import", "alphavantage", folder + "/later", "--db", db])
        #expect(later.status != 0)
        #expect(later.err.contains("A1 has bars after its delisting on 2024-03-06 (last bar 2024-04-01)"), "\(later.err)")
        #expect(try PriceStore(readingExisting: db).summary() == before)
    }

    @Test("A delisting file with a problem names the line and is read not at all", arguments: [
        ("ticker,date\nA1,2024-03-06\n", 1, "expected a header ticker,date,return (or CRSP's tic,dlstdt,dlret)"),
        ("ticker,date,return\nA1,2024-03-06,\n", 2, "A1: empty return; write the value to use"),
        ("ticker,date,return\nA1,2024-03-06,-1.5\n", 2, "A1: return -1.5 is below -100%"),
        ("ticker,date,return\nA1,2024-03-06,30\n", 2, "percent written as a decimal?"),
        ("ticker,date,return\nA1,03/06/2024,-1\n", 2, "unparsable date '03/06/2024' (expected YYYY-MM-DD"),
        ("ticker,date,return\nA1,2024-03-06,-1\nA2,2024-03-06,x\n", 3, "A2: unparsable return 'x'"),
        ("ticker,date,return\nA1,2024-03-06,-1\na1,2024-03-07,0\n", 3, "A1 is listed twice (lines 2 and 3)"),
        ("ticker,date,return\nA1,2024-03-06,-1,9\n", 2, "expected 3 fields, found 4"),
        // Found by the fuzzer: a quoted field held a comma and a quote, and was taken for a ticker.
        ("ticker,date,return\n\"a,\"\"b\",2024-03-06,-1\n", 2, "ticker 'A,\"B' holds ',': a ticker has letters, digits and"),
    ])
    func badFiles(_ text: String, line: Int, message: String) throws {
        let path = Fixtures.write(text, to: Fixtures.temporaryFolder() + "/delistings.csv")
        #expect(throws: DataFileError.self) { try DelistingFile.read(path: path) }
        do { _ = try DelistingFile.read(path: path) } catch {
            #expect(error.line == line && error.message.contains(message), "\(error)")
        }
    }

    @Test("CRSP's columns and conventions read: tic, dlstdt, dlret, percent, other columns ignored")
    func crspColumns() throws {
        let path = Fixtures.write("permno,dlstdt,tic,dlret\n10001,20100503,abc,-0.3\n10002,20110104,XYZ,25%\n",
                                  to: Fixtures.temporaryFolder() + "/crsp.csv")
        let read = try DelistingFile.read(path: path, dateFormat: try DateFormat("YYYYMMDD"))
        #expect(read == [Delisting(ticker: "ABC", day: Day("2010-05-03")!, delistingReturn: -0.3),
                         Delisting(ticker: "XYZ", day: Day("2011-01-04")!, delistingReturn: 0.25)])
    }

    @Test("Lua: lab.read_csv takes delistings; ds:delistings() and ds:bars show them; a contradicting file is an error naming it")
    func luaSeesDelistings() throws {
        let folder = Fixtures.temporaryFolder()
        let delistings = Self.files(in: folder)
        let script = """
            local ds = lab.read_csv("\(folder)/prices", { delistings = "\(delistings)" })
            for _, d in ipairs(ds:delistings()) do print(d.ticker, d.last_bar, d.date, d["return"]) end
            local bars = ds:bars("A2", "2024-03-01", "2024-03-08")
            print(#bars.date, bars.close[3], bars.close[4], bars.delisting.date, bars.delisting["return"])
            print(ds:bars("A3").delisting)
            """
        let run = try Fixtures.alphalab(["-e", script])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "A1\t2024-03-05\t2024-03-06\t-1.0\nA2\t2024-03-05\t2024-03-06\t0.3\n6\t100.0\tnil\t2024-03-06\t0.3\nnil\n", "\(run.out)")
        let wrong = Fixtures.write("ticker,date,return\nA3,2024-01-02,0\n", to: folder + "/wrong.csv")
        let refused = try Fixtures.alphalab(["-e", "lab.read_csv('\(folder)/prices', { delistings = '\(wrong)' })"])
        #expect(refused.status != 0)
        #expect(refused.err.contains("\(wrong): A3 has bars after its delisting on 2024-01-02"), "\(refused.err)")
    }
}
