import AlphaLab
import Foundation
import Testing

/// The walk-forward's mechanics under the seed's `round_trip` execution, pinned on
/// hand-built tiny panels, each figure computed by hand.
@Suite("Backtest mechanics")
struct BacktestMechanicsTests {
    let ranked: [String: Double] = ["A1": 6, "A2": 5, "A3": 4, "A4": 3, "A5": 2, "A6": 1]
    let slip = 0.001 // the seed's 10 bps

    @Test("Decision dates are the first trading day of each week; a Monday holiday moves it to Tuesday")
    func mondayHoliday() throws {
        let r = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 1 }
        let dates = r.periods.map(\.date.description)
        #expect(dates.contains("2024-01-16")) // Monday 15th is Martin Luther King Day
        #expect(!dates.contains("2024-01-15"))
        #expect(r.period("2024-01-08").exitDate == Day("2024-01-16")!)
        #expect(r.period("2024-01-16").scoringDate == Day("2024-01-12")!) // the close before: Friday
        #expect(r.periods.first!.date == Day("2024-01-02")!) // New Year's Day
        #expect(r.periods.count == 25) // 26 week starts up to June 24, the last only an exit
    }

    @Test("Slippage: buy at the open x 1.001, sell at the next decision's open x 0.999; transaction costs on top")
    func slippageArithmetic() throws {
        var market = TinyMarket()
        market.flat("A1", 110, from: "2024-01-09")
        let r = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 1 }
        let expected = 110 * (1 - slip) / (100 * (1 + slip)) - 1
        #expect(abs(r.period("2024-01-08").netReturn - expected) < 1e-12)
        // A flat week loses the round trip of slippage.
        #expect(abs(r.period("2024-01-22").netReturn - ((1 - slip) / (1 + slip) - 1)) < 1e-12)
        let costly = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 1; $0.transactionCostBps = 5 }
        #expect(abs(costly.period("2024-01-08").netReturn - (expected - 2 * 0.0005)) < 1e-12)
    }

    @Test("Stop-loss: an intraweek low below the stop exits at the stop; a gap below it exits at that day's open")
    func stopLoss() throws {
        var market = TinyMarket()
        market.set("A1", "2024-02-07", open: 100, low: 90, close: 99)   // Wednesday: breaches 92.09
        market.set("A2", "2024-02-07", open: 100, low: 93, close: 95)   // above the stop
        market.set("A2", "2024-02-08", open: 85, low: 84, close: 86)    // Thursday: opens below it
        market.set("A3", "2024-02-08", open: 100, low: 92.5, close: 100) // 92.5 > 92.092: no stop
        let r = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 3; $0.useStopLoss = true; $0.stopLossPct = 0.08 }
        let week = r.period("2024-02-05")
        let entry = 100 * (1 + slip), level = entry * 0.92
        let a1 = week.picks.first { $0.ticker == "A1" }!, a2 = week.picks.first { $0.ticker == "A2" }!, a3 = week.picks.first { $0.ticker == "A3" }!
        #expect(a1.stopped && abs(a1.netReturn - (level * (1 - slip) / entry - 1)) < 1e-12)
        #expect(a2.stopped && abs(a2.netReturn - (85 * (1 - slip) / entry - 1)) < 1e-12)
        #expect(!a3.stopped && abs(a3.netReturn - ((1 - slip) / (1 + slip) - 1)) < 1e-12)
        #expect(abs(week.netReturn - (a1.netReturn + a2.netReturn + a3.netReturn) / 3) < 1e-15)
        // Without the stop, A1 rides the week out.
        let held = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 3 }
        #expect(held.period("2024-02-05").picks.allSatisfy { !$0.stopped })
    }

    @Test("Inversion buys the lowest scores")
    func inversion() throws {
        let r = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 2; $0.invertSignal = true }
        #expect(r.periods.allSatisfy { $0.picks.map(\.ticker) == ["A6", "A5"] })
        let straight = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 2 }
        #expect(straight.periods.allSatisfy { $0.picks.map(\.ticker) == ["A1", "A2"] })
    }

    @Test("The sector cap limits picks per sector to max_sector_pct of top_n")
    func sectorCap() throws {
        let r = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 4; $0.maxSectorPct = 0.5 }
        #expect(r.periods.allSatisfy { $0.picks.map(\.ticker) == ["A1", "A2", "A5", "A6"] })
        let uncapped = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 4 }
        #expect(uncapped.periods.allSatisfy { $0.picks.map(\.ticker) == ["A1", "A2", "A3", "A4"] })
    }

    @Test("The momentum filter drops candidates whose 12-1 momentum is below the threshold")
    func momentumFilter() throws {
        var market = TinyMarket()
        market.flat("A1", 200, from: "2022-01-03", through: "2023-05-31") // falls to 100: 12-1 momentum -0.5
        market.flat("A3", 50, from: "2022-01-03", through: "2023-05-31")  // rises to 100: +1
        let r = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 2; $0.useMomentumFilter = true; $0.momentumThreshold = 0 }
        #expect(r.period("2024-03-04").picks.map(\.ticker) == ["A2", "A3"])
        let strict = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 2; $0.useMomentumFilter = true; $0.momentumThreshold = 0.5 }
        #expect(strict.period("2024-03-04").picks.map(\.ticker) == ["A3"])
    }

    @Test("Fewer than min_stocks / 2 picks hold cash")
    func tooFewPicks() throws {
        let r = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.minStocks = 10; $0.excludeTickers = ["A5", "A6"] }
        #expect(r.periods.allSatisfy { $0.cashReason == .tooFewPicks && $0.netReturn == 0 && $0.picks.count == 4 })
        #expect(r.weeksTraded == 0 && r.finalValue == 100_000)
        let enough = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.minStocks = 10 }
        #expect(enough.periods.allSatisfy { $0.cashReason == nil && $0.picks.count == 6 })
    }

    @Test("The circuit breaker goes to cash after the drawdown and comes back after its weeks")
    func circuitBreaker() throws {
        var market = TinyMarket()
        for s in ["A1", "A2"] { market.flat(s, 80, from: "2024-01-09") }
        let r = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 2; $0.circuitBreakerDrawdown = 0.1; $0.circuitBreakerWeeks = 2 }
        #expect(r.period("2024-01-08").cashReason == nil)
        #expect(r.period("2024-01-16").cashReason == .circuitBreaker && r.period("2024-01-16").netReturn == 0)
        #expect(r.period("2024-01-22").cashReason == .circuitBreaker)
        #expect(r.period("2024-01-29").cashReason == nil)
        #expect(r.period("2024-02-05").cashReason == nil) // the old peak is not held against it again
        let off = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 2 }
        #expect(off.periods.allSatisfy { $0.cashReason == nil })
    }

    @Test("Result metrics equal hand computations: total, SPY, excess, yearly, weeks traded, turnover, IC, hit rate")
    func metricsByHand() throws {
        var market = TinyMarket()
        market.flat("A1", 110, from: "2024-01-09")            // +10% in the week of Jan 8
        market.flat("A6", 120, from: "2024-01-09")            // the lowest score earns the most
        market.flat("SPY", 105, from: "2024-01-09")
        let r = try market.run(ranked) { $0.execution = .roundTrip; $0.topN = 1; $0.slippageBps = 0; $0.startYear = 2024; $0.endYear = 2024 }
        #expect(abs(r.metrics.totalReturn - 0.1) < 1e-12)
        #expect(abs(r.spyReturn - 0.05) < 1e-12)
        #expect(abs(r.excessReturn - 0.05) < 1e-12)
        #expect(abs(r.yearlyReturns[2024]! - 0.1) < 1e-12)
        #expect(r.weeksTraded == 25 && abs(r.finalValue - 110_000) < 1e-6)
        #expect(abs(r.nameTurnover - 1.0 / 25) < 1e-12) // A1 every week: only the first week buys new names
        #expect(abs(r.turnover - 2) < 0.01) // but the round trip trades the whole book twice a week
        #expect(abs(r.metrics.winRate - 1.0 / 25) < 1e-12)
        // In the week of Jan 8 realised returns are A1 +10%, A6 +20%, the rest 0: by hand,
        // the Spearman correlation of scores 6..1 with ranks (5, 2.5, 2.5, 2.5, 2.5, 6).
        let ic = Statistics.correlation([6, 5, 4, 3, 2, 1], [5, 2.5, 2.5, 2.5, 2.5, 6])
        #expect(abs(r.period("2024-01-08").ic - ic) < 1e-12)
        // Flat weeks have no IC (constant returns); the mean is the single week's.
        #expect(r.quality.periods == 1 && abs(r.quality.meanIC - ic) < 1e-12)
        // A1 beat the median (0) in the one week with moves, and no other week had a winner.
        #expect(abs(r.quality.hitRate - 1.0 / 25) < 1e-12)
        let equity = r.equityCurve
        #expect(equity.count == 26 && equity[0].value == 100_000 && equity[1].value == 100_000) // Jan 2 was flat
        #expect(abs(equity[2].value - 110_000) < 1e-6 && equity[2].date == Day("2024-01-16")!)
    }

    @Test("Same-day-close timing scores with the decision day's close and says so loudly")
    func sameDayTiming() throws {
        let r = try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 1; $0.signalTiming = .sameDayClose }
        #expect(r.period("2024-01-16").scoringDate == Day("2024-01-16")!)
        #expect(r.warnings == [SignalTiming.lookAheadWarning] && r.summary.hasPrefix("!! LOOK-AHEAD"))
        let json = String(decoding: try r.json(), as: UTF8.self)
        #expect(json.contains("LOOK-AHEAD") && json.contains("\"signal_timing\" : \"same_day_close\""))
        #expect(try TinyMarket().run(ranked) { $0.execution = .roundTrip; $0.topN = 1 }.warnings.isEmpty)
    }
}
