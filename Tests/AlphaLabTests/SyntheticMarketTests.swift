import AlphaLab
import Foundation
import Testing

@Suite struct SyntheticMarketTests {
    /// 300 tickers: the effects' t-statistics grow with the cross-section.
    static let market = try! SyntheticMarket.generate(wide(SyntheticMarketConfig()))
    static let null = try! SyntheticMarket.generate(wide(.null()))

    static func wide(_ config: SyntheticMarketConfig) -> SyntheticMarketConfig {
        var config = config
        config.tickerCount = 300
        return config
    }

    func bits(_ panel: Panel, _ field: PriceField) -> [UInt64] {
        (0..<panel.tickerCount).flatMap { panel.series(field, ticker: $0).map(\.bitPattern) }
    }

    @Test func sameSeedSameMarketBitForBit() throws {
        var small = SyntheticMarketConfig()
        small.tickerCount = 40
        let a = try SyntheticMarket.generate(small), b = try SyntheticMarket.generate(small)
        for field in PriceField.allCases { #expect(bits(a, field) == bits(b, field)) }
        small.seed = 7
        let c = try SyntheticMarket.generate(small)
        #expect(bits(a, .close) != bits(c, .close))
    }

    @Test func defaultMarketShape() {
        let m = Self.market
        #expect(m.tickerCount == 301)
        #expect(m.benchmark == "SPY")
        #expect(m.calendar.first == Day("2005-01-03"))
        #expect(m.calendar.last == Day("2025-12-31"))
        #expect(m.calendar.days == NYSEHolidays.tradingDays(from: Day("2005-01-01")!, through: Day("2025-12-31")!))
        #expect(Set(m.universe.map { m.info[m.tickerIndex[$0]!].sector }).count == 10)
        // Some tickers list late, some leave: each has one unbroken run of bars.
        let late = (0..<m.tickerCount).filter { m.value(.close, ticker: $0, day: 0).isNaN }
        #expect(late.count > 10 && late.count < 60)
        for t in 0..<m.tickerCount {
            let s = Array(m.series(.close, ticker: t))
            let first = s.firstIndex { !$0.isNaN }!, last = s.lastIndex { !$0.isNaN }!
            #expect(s[first...last].allSatisfy { !$0.isNaN } && last == m.lastBar[t])
        }
    }

    @Test("Bankruptcies and acquisitions end tickers' bars with a delisting return; the index is their top by capitalisation")
    func delistingsAndTheIndex() throws {
        let market = try SyntheticMarket.market(Self.wide(SyntheticMarketConfig()))
        let m = market.panel
        let ended = (0..<m.tickerCount).filter { m.lastBar[$0] < m.dayCount - 1 }
        let bankrupt = ended.filter { m.delistingReturns[$0] <= -0.3 }
        let acquired = ended.filter { abs(m.delistingReturns[$0]) < 0.05 }
        // About 1% a year each over 21 years.
        let (bankruptCount, acquiredCount) = (bankrupt.count, acquired.count)
        #expect(bankruptCount > 20 && bankruptCount < 90, "\(bankruptCount) bankruptcies")
        #expect(acquiredCount > 20 && acquiredCount < 90, "\(acquiredCount) acquisitions")
        #expect(ended.allSatisfy { m.delistingReturns[$0].isFinite } && bankrupt.count + acquired.count == ended.count)
        for t in bankrupt {
            let d = m.lastBar[t]
            let crash = m.value(.close, ticker: t, day: d) / m.value(.close, ticker: t, day: d - 1) - 1
            #expect(crash <= -0.5 + 1e-9 && crash >= -0.9 - 1e-9 && m.delistingReturns[t] >= -0.9 - 1e-9)
        }
        #expect((0..<m.tickerCount).filter { m.lastBar[$0] == m.dayCount - 1 }.allSatisfy { m.delistingReturns[$0].isNaN })

        // The index: two thirds of the listed tickers, spells that never overlap, members with bars.
        let index = Universe(market.index, panel: m)
        for year in [2006, 2012, 2018, 2024] {
            let d = m.calendar.firstIndex(onOrAfter: Day(year: year, month: 6, day: 1)!)
            let listed = (0..<m.tickerCount).filter { m.tickers[$0] != "SPY" && m.value(.close, ticker: $0, day: d).isFinite }
            let members = index.members(day: d)
            let expected: Double = 2.0 / 3 * Double(listed.count)
            let size = Double(members.count)
            #expect(abs(size - expected) <= 6, "\(year): \(size) of \(listed.count)")
            #expect(members.allSatisfy { m.value(.close, ticker: $0, day: d).isFinite })
        }
        for (a, b) in zip(market.index.spells, market.index.spells.dropFirst()) where a.ticker == b.ticker {
            #expect(a.end! < b.start)
        }
        // The null market keeps them.
        let null = try SyntheticMarket.market(.null())
        #expect((0..<null.panel.tickerCount).contains { null.panel.delistingReturns[$0].isFinite } && !null.index.spells.isEmpty)
    }

    @Test func barsAreConsistent() {
        let m = Self.market
        for t in 0..<m.tickerCount {
            for d in 0..<m.dayCount where !m.value(.close, ticker: t, day: d).isNaN {
                let o = m.value(.open, ticker: t, day: d), h = m.value(.high, ticker: t, day: d)
                let l = m.value(.low, ticker: t, day: d), c = m.value(.close, ticker: t, day: d)
                let v = m.value(.volume, ticker: t, day: d)
                if !(l > 0 && l <= min(o, c) && h >= max(o, c) && v >= 0) {
                    Issue.record("inconsistent bar \(m.tickers[t]) \(m.calendar[d]): \(o) \(h) \(l) \(c) \(v)")
                    return
                }
            }
        }
    }

    @Test func fatTailsAndVolatilityClustering() {
        // Daily market (SPY) returns: excess kurtosis well above a normal's 0, and
        // squared returns autocorrelated (volatility clusters).
        let spy = Array(Self.market.series(.close, "SPY")!)
        let r = (1..<spy.count).map { spy[$0] / spy[$0 - 1] - 1 }
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(r.count)
        let kurtosis = r.map { pow($0 - mean, 4) }.reduce(0, +) / Double(r.count) / (variance * variance) - 3
        #expect(kurtosis > 2)
        let sq = r.map { ($0 - mean) * ($0 - mean) }
        #expect(Statistics.correlation(Array(sq.dropLast()), Array(sq.dropFirst())) > 0.1)
        let annualVol = (variance * 252).squareRoot()
        #expect(annualVol > 0.10 && annualVol < 0.35)
    }

    /// Mean and t-statistic of the monthly Spearman correlation between 12-1 month momentum
    /// (as of the month's first close) and the next month's return.
    func momentumIC(_ m: Panel) -> (mean: Double, t: Double) {
        let starts = m.calendar.monthStarts(from: m.calendar[260], through: m.calendar[m.dayCount - 22])
        let ics = starts.compactMap { d -> Double? in
            var signal: [Double] = [], forward: [Double] = []
            for ticker in m.universe {
                let c = m.series(.close, ticker)!
                let base = c.startIndex
                let (p252, p21, p0, p21f) = (c[base + d - 252], c[base + d - 21], c[base + d], c[base + d + 21])
                guard !p252.isNaN, !p21.isNaN, !p0.isNaN, !p21f.isNaN else { continue } // listed for the year, not delisted
                signal.append(p21 / p252 - 1)
                forward.append(p21f / p0 - 1)
            }
            return signal.count > 20 ? Statistics.spearman(signal, forward) : nil
        }
        return Statistics.tStatistic(ics)
    }

    /// The same for the short-term reversal: minus the day's return against the next day's.
    func reversalIC(_ m: Panel) -> (mean: Double, t: Double) {
        let ics = stride(from: 300, to: m.dayCount - 2, by: 5).map { d -> Double in
            var signal: [Double] = [], forward: [Double] = []
            for ticker in m.universe {
                let c = m.series(.close, ticker)!
                let base = c.startIndex
                guard !c[base + d - 1].isNaN, !c[base + d].isNaN, !c[base + d + 1].isNaN else { continue }
                signal.append(-(c[base + d] / c[base + d - 1] - 1))
                forward.append(c[base + d + 1] / c[base + d] - 1)
            }
            return Statistics.spearman(signal, forward)
        }
        return Statistics.tStatistic(ics)
    }

    @Test func plantedMomentumIsVisibleAndAbsentFromTheNullMarket() {
        let planted = momentumIC(Self.market)
        #expect(planted.t > 4, "momentum IC \(planted)")
        #expect(planted.mean > 0.03)
        let null = momentumIC(Self.null)
        #expect(abs(null.t) < 3, "null momentum IC \(null)")
    }

    @Test func plantedReversalIsVisibleAndAbsentFromTheNullMarket() {
        let planted = reversalIC(Self.market)
        #expect(planted.t > 4, "reversal IC \(planted)")
        let null = reversalIC(Self.null)
        #expect(abs(null.t) < 3, "null reversal IC \(null)")
    }

    @Test func badKnobsAreRejectedByName() {
        var config = SyntheticMarketConfig()
        config.sectorCount = 12
        #expect(throws: SyntheticMarketError(message: "sectorCount must be in 1...11 (got 12)")) {
            try SyntheticMarket.generate(config)
        }
    }
}
