import AlphaLab
import Foundation
import Testing

/// The whole of ../shared/data/sp500 and SPY, imported into a new store and loaded back.
@Suite(.needsSharedData) struct RealDataImportTests {
    let real = Fixtures.realStore

    @Test func everyGoodFileImportsAndTheBadOneIsNamed() throws {
        #expect(real.batch.filesRead == 505)
        #expect(real.batch.bars.count == 504)
        let rejected = real.batch.rejectedFiles
        #expect(rejected.count == 1)
        #expect(rejected.first?.file.hasSuffix("DA-BF.B-T-2021-04-21.csv") == true)
        #expect(rejected.first?.message.contains("missing columns timestamp") == true)
        let summary = try real.store.summary()
        #expect(summary.tickers == 505) // 504 stocks + SPY
        #expect(summary.rows == 2_402_891 + 7_832)
        #expect(summary.first == Day("1993-01-29"))
        #expect(summary.last == Day("2024-03-07"))
    }

    @Test func pricesMatchTheCSVOnAnOrdinaryDay() throws {
        let panel = real.panel
        let rows = Fixtures.csvRows(Fixtures.sp500File("MSFT"))
        let t = try #require(panel.tickerIndex["MSFT"])
        for date in ["2005-03-14", "2015-06-01", "2021-04-21"] {
            let f = try #require(rows[date]).map { Double($0) ?? .nan }
            let d = try #require(panel.calendar.index(of: Day(date)!))
            let factor = f[5] / f[4]
            #expect(abs(panel.value(.close, ticker: t, day: d) - f[5]) < 1e-9)
            #expect(abs(panel.value(.open, ticker: t, day: d) - f[1] * factor) < 1e-9)
            #expect(abs(panel.value(.high, ticker: t, day: d) - f[2] * factor) < 1e-9)
            #expect(abs(panel.value(.low, ticker: t, day: d) - f[3] * factor) < 1e-9)
        }
    }

    @Test func aaplStaysContinuousAcrossItsFourForOneSplit() throws {
        let panel = real.panel
        let t = try #require(panel.tickerIndex["AAPL"])
        let before = try #require(panel.calendar.index(of: Day("2020-08-28")!))
        let after = try #require(panel.calendar.index(of: Day("2020-08-31")!))
        #expect(after == before + 1)
        // Traded close 499.23 -> 129.04 (the split); adjusted 124.4058 -> 128.6247 (+3.4%).
        let move = panel.value(.close, ticker: t, day: after) / panel.value(.close, ticker: t, day: before) - 1
        #expect(abs(move - (128.624702503 / 124.405824223 - 1)) < 1e-12)
        #expect(abs(panel.value(.open, ticker: t, day: before) - 504.05 * 124.405824223 / 499.23) < 1e-9)
        // Volume before the split is scaled by the split ratio, so it stays comparable.
        #expect(panel.value(.volume, ticker: t, day: before) == 46_907_479 * 4)
        #expect(panel.value(.volume, ticker: t, day: after) == 223_505_733)
    }

    @Test func sectorsAndNamesComeFromTheConstituentsFile() throws {
        let panel = real.panel
        let aapl = try #require(panel.tickerIndex["AAPL"])
        #expect(panel.info[aapl].sector == "Information Technology")
        #expect(panel.info[aapl].name == "Apple Inc.")
        #expect(panel.info[try #require(panel.tickerIndex["MMM"])].sector == "Industrials")
        #expect(panel.info[try #require(panel.tickerIndex["BRK.B"])].sector == "Financials")
        let summary = try real.store.summary()
        #expect(summary.sectors.count == 11)
        #expect(summary.sectors["Information Technology"] == 74)
    }

    @Test func spyImportsFromYahooFormat() throws {
        let panel = real.panel
        #expect(panel.benchmark == "SPY")
        #expect(!panel.universe.contains("SPY"))
        let t = try #require(panel.tickerIndex["SPY"])
        // 2020-03-16,241.179993,256.899994,237.360001,239.850006,225.223221,297240000
        let d = try #require(panel.calendar.index(of: Day("2020-03-16")!))
        let factor = 225.223221 / 239.850006
        #expect(abs(panel.value(.close, ticker: t, day: d) - 225.223221) < 1e-9)
        #expect(abs(panel.value(.low, ticker: t, day: d) - 237.360001 * factor) < 1e-9)
        #expect(panel.value(.volume, ticker: t, day: d) == 297_240_000)
        // A ticker without a bar on a date holds NaN there (CARR listed in 2020).
        let carr = try #require(panel.tickerIndex["CARR"])
        #expect(panel.value(.close, ticker: carr, day: d).isNaN)
    }

    @Test func storeRowsKeepTheSeedSchema() throws {
        // A seed market.db and ours are interchangeable: the marketdb importer reads ours back.
        let batch = try PriceImporter(format: .marketdb).read(source: real.store.path)
        #expect(batch.rowCount == 2_402_891 + 7_832)
        #expect(batch.problems.isEmpty)
        let aapl = try #require(batch.bars.first { $0.ticker == "AAPL" })
        let i = try #require(aapl.days.firstIndex(of: Day("2020-08-31")!))
        #expect(aapl.close[i] == 129.04)
        #expect(aapl.adjClose[i] == 128.624702503)
    }

    @Test func truncationKeepsOnlyWhatWasKnown() throws {
        let panel = real.panel
        let cut = panel.truncated(through: Day("2020-03-15")!) // a Sunday
        #expect(cut.calendar.last == Day("2020-03-13"))
        #expect(cut.tickers == panel.tickers)
        let t = try #require(panel.tickerIndex["AAPL"])
        #expect(cut.series(.close, ticker: t).map(\.bitPattern) == panel.series(.close, ticker: t).prefix(cut.dayCount).map(\.bitPattern))
        let picked = panel.selecting(tickers: ["AAPL", "SPY", "NOPE"])
        #expect(picked.tickers == ["AAPL", "SPY"])
        #expect(picked.series(.close, "AAPL")!.map(\.bitPattern) == panel.series(.close, "AAPL")!.map(\.bitPattern))
    }
}
