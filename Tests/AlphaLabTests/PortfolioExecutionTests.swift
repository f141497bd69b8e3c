import AlphaLab
import Foundation
import Testing

/// The `rebalance` execution model pinned on hand-built tiny panels: a portfolio that
/// keeps what stays, trades the difference at the decision's open and pays costs on
/// what it trades. Each figure is computed by hand.
@Suite("Portfolio execution")
struct PortfolioExecutionTests {
    let ranked: [String: Double] = ["A1": 6, "A2": 5, "A3": 4, "A4": 3, "A5": 2, "A6": 1]
    let slip = 0.001

    /// Sample standard deviation, written out here so the test does not lean on the engine's.
    static func sampleSD(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
    }

    /// The daily returns of a `zigzag` ending with the close of the day before `index`.
    static func zigzagReturns(swing: Double, count: Int, lastIndex: Int) -> [Double] {
        ((lastIndex - count + 1)...lastIndex).map { i in i % 2 == 1 ? swing : 1 / (1 + swing) - 1 }
    }

    @Test("Picks that never change pay the entry costs once and nothing after, until the final sale")
    func unchangedPicksPayOnce() throws {
        let r = try TinyMarket().run(ranked) { $0.topN = 2 }
        #expect(r.config.execution == .rebalance)
        // 100,000 buys two halves at 100 x 1.001: all the cash, 100,000 / 1.001 of stock at mid prices.
        let invested = 100_000 / (1 + slip)
        #expect(abs(r.periods[0].costs - invested * slip) < 1e-9)
        #expect(abs(r.periods[0].traded - invested) < 1e-9)
        #expect(r.periods.dropFirst().dropLast().allSatisfy { $0.traded == 0 && $0.costs == 0 })
        #expect(abs(r.periods.last!.costs - invested * slip) < 1e-9) // the last exit sells everything
        #expect(abs(r.finalValue - invested * (1 - slip)) < 1e-6)
        #expect(abs(r.costsPaid - 2 * invested * slip) < 1e-9)
        let calendar = TinyMarket().calendar
        #expect(r.holdingDays == Double(calendar.index(of: Day("2024-06-24")!)! - calendar.index(of: Day("2024-01-02")!)!)) // 119 trading days
        let seed = try TinyMarket().run(ranked) { $0.topN = 2; $0.execution = .roundTrip }
        #expect(seed.costsPaid > 20 * r.costsPaid) // the round trip pays every week
        #expect(abs(seed.finalValue - 100_000 * pow((1 - slip) / (1 + slip), Double(seed.periods.count))) < 1e-6)
    }

    @Test("Picks that all change every period pay exactly what round_trip pays")
    func completeTurnoverEqualsRoundTrip() throws {
        var market = TinyMarket()
        market.flat("A1", 110, from: "2024-01-09")
        market.flat("A3", 95, from: "2024-02-01")
        market.flat("A2", 104, from: "2024-03-05")
        market.flat("A4", 120, from: "2024-04-03")
        market.flat("A1", 90, from: "2024-05-07")
        // Even periods hold A1 and A2, odd periods A3 and A4.
        let alternating: (ScoringContext) -> [String: Double] = { context in
            context.period % 2 == 0 ? ["A1": 4, "A2": 3, "A3": 2, "A4": 1] : ["A1": 1, "A2": 2, "A3": 3, "A4": 4]
        }
        let rebalanced = try market.run(scoring: alternating) { $0.topN = 2 }
        let seed = try market.run(scoring: alternating) { $0.topN = 2; $0.execution = .roundTrip }
        #expect(rebalanced.periods.map { $0.picks.map(\.ticker) } == seed.periods.map { $0.picks.map(\.ticker) })
        #expect(abs(rebalanced.finalValue / seed.finalValue - 1) < 1e-12, "\(rebalanced.finalValue) vs \(seed.finalValue)")
        #expect(abs(rebalanced.costsPaid / seed.costsPaid - 1) < 1e-9, "\(rebalanced.costsPaid) vs \(seed.costsPaid)")
        #expect(abs(rebalanced.turnover - seed.turnover) < 1e-3 && rebalanced.holdingDays == seed.holdingDays)
    }

    @Test("A trim or top-up inside the no-trade band is skipped; with no band it trades")
    func noTradeBand() throws {
        var market = TinyMarket()
        market.flat("A1", 110, from: "2024-01-09") // A1 drifts to 110 / 210 = 52.4% of the book
        let banded = try market.run(ranked) { $0.topN = 2 }
        #expect(banded.period("2024-01-16").traded == 0)
        let tight = try market.run(ranked) { $0.topN = 2; $0.noTradeBand = 0 }
        // Trim A1 and top up A2 by half the gap of 10% of the first position each.
        let shares = 50_000 / (1 + slip) / 100, gap = shares * 10 / 2
        #expect(abs(tight.period("2024-01-16").traded - 2 * gap) < 0.01 * gap, "\(tight.period("2024-01-16").traded)")
    }

    @Test("Weights drift with prices between decisions")
    func drift() throws {
        var market = TinyMarket()
        market.flat("A1", 110, from: "2024-01-09")
        market.flat("A1", 121, from: "2024-01-17")
        let r = try market.run(ranked) { $0.topN = 2; $0.slippageBps = 0 }
        // 500 shares of each: A1 is 550 of 1,050 at the Jan 16 open and earns 10% more.
        #expect(abs(r.period("2024-01-16").netReturn - (110_500.0 / 105_000 - 1)) < 1e-12)
        #expect(abs(r.period("2024-01-08").netReturn - 0.05) < 1e-12)
        let seed = try market.run(ranked) { $0.topN = 2; $0.slippageBps = 0; $0.execution = .roundTrip }
        #expect(abs(seed.period("2024-01-16").netReturn - 0.05) < 1e-12) // equal weights again each week
    }

    @Test("A stop in a held position: sold at the stop, cash until the next decision, then bought again")
    func stopInHeldPosition() throws {
        var market = TinyMarket()
        market.set("A1", "2024-02-07", open: 100, low: 90, close: 99) // bought Jan 2 at 100: the stop is 92
        let r = try market.run(ranked) { $0.topN = 2; $0.slippageBps = 0; $0.useStopLoss = true; $0.stopLossPct = 0.08 }
        let week = r.period("2024-02-05")
        let a1 = week.picks.first { $0.ticker == "A1" }!
        #expect(a1.stopped && abs(a1.netReturn - (-0.08)) < 1e-12)
        #expect(abs(week.netReturn - (-0.04)) < 1e-12) // the proceeds sit in cash while A1 recovers to 100
        #expect(abs(week.traded - 500 * 92) < 1e-9)
        // Bought again on Feb 12 with all the cash (46,000 of a 48,000 target): A2 (50,000
        // against 48,000) stays inside the band, so nothing is sold to fund the rest.
        #expect(abs(r.period("2024-02-12").traded - 46_000) < 1e-9)
        #expect(r.period("2024-02-12").picks.allSatisfy { !$0.stopped })
    }

    @Test("A ticker whose bars end while held is sold at its last close")
    func barsEndWhileHeld() throws {
        var market = TinyMarket()
        market.set("A1", "2024-03-05", open: 95, close: 90)
        market.end("A1", from: "2024-03-06")
        let r = try market.run(ranked) { $0.topN = 2 }
        let a1 = r.period("2024-03-04").picks.first { $0.ticker == "A1" }!
        #expect(abs(a1.netReturn - (-0.1)) < 1e-12) // marked at its last close
        let next = r.period("2024-03-11")
        #expect(next.picks.map(\.ticker) == ["A2", "A3"])
        // The sale pays slippage on the last close; A3 is bought with its proceeds (A2 stays inside the band).
        let shares = 50_000 / (1 + slip) / 100, proceeds = shares * 90 * (1 - slip)
        #expect(abs(next.costs - (shares * 90 * slip + proceeds * slip / (1 + slip))) < 1e-6, "\(next.costs)")
    }

    @Test("max_adv_pct fills at most that fraction of 20-day dollar volume; the rest is counted unfilled")
    func partialFills() throws {
        // Dollar volume is 100 x 1,000,000 a day: 0.01% of it is 10,000 a trade.
        let r = try TinyMarket().run(ranked) { $0.topN = 2; $0.slippageBps = 0; $0.maxADVPct = 0.0001 }
        #expect(r.periods.prefix(4).map(\.unfilled) == [80_000, 60_000, 40_000, 20_000])
        #expect(r.periods.prefix(4).allSatisfy { $0.traded == 20_000 })
        #expect(r.periods[4].traded == 0) // 40,000 of a 50,000 target is inside the band
        #expect(abs(r.unfilledFraction - 200_000.0 / (200_000 + 80_000 + 80_000)) < 1e-12) // the final sale of 80,000 included
        #expect(throws: (any Error).self) { try TinyMarket().run(ranked) { $0.maxADVPct = 0.01; $0.execution = .roundTrip } }
    }

    @Test("Weighting: equal, score_rank by rank among the picks, inverse_volatility by 60-day volatility")
    func weighting() throws {
        let equal = try TinyMarket().run(ranked) { $0.topN = 3 }
        let third: Double = 1.0 / 3
        let equalWeights: [Double] = equal.periods[0].picks.map(\.weight)
        #expect(equalWeights == [third, third, third])
        let rank = try TinyMarket().run(ranked) { $0.topN = 3; $0.weighting = .scoreRank }
        let rankWeights: [Double] = rank.periods[0].picks.map(\.weight)
        let byRank: [Double] = [3.0 / 6, 2.0 / 6, 1.0 / 6]
        #expect(rankWeights == byRank)

        var market = TinyMarket()
        market.zigzag("A1", 100, swing: 0.02, through: "2024-01-02")
        market.zigzag("A2", 100, swing: 0.01, through: "2024-01-02")
        let r = try market.run(ranked) { $0.topN = 2; $0.weighting = .inverseVolatility }
        let last = market.calendar.index(of: Day("2023-12-29")!)!
        let v1 = Self.sampleSD(Self.zigzagReturns(swing: 0.02, count: 60, lastIndex: last))
        let v2 = Self.sampleSD(Self.zigzagReturns(swing: 0.01, count: 60, lastIndex: last))
        let w: [Double] = r.periods[0].picks.map(\.weight)
        let expected: Double = (1 / v1) / (1 / v1 + 1 / v2)
        #expect(abs(w[0] - expected) < 1e-12)
        #expect(abs(w[0] + w[1] - 1) < 1e-12 && w[0] < w[1])
        let ratio: Double = w[0] / w[1]
        #expect(abs(ratio - v2 / v1) < 1e-12)
    }

    @Test("The square-root cost model: half-spread plus k x daily volatility x sqrt(traded / dollar volume)")
    func squareRootCost() throws {
        var market = TinyMarket()
        market.zigzag("A1", 100, swing: 0.02, through: "2024-01-02")
        market.zigzag("A2", 100, swing: 0.01, through: "2024-01-02")
        let r = try market.run(ranked) {
            $0.topN = 2; $0.costModelKind = .squareRoot; $0.halfSpreadBps = 2; $0.impactCoefficient = 1
        }
        let last = market.calendar.index(of: Day("2023-12-29")!)!
        let fractions = [0.02, 0.01].map { swing in
            let dollarVolume = (100 + 100 * (1 + swing)) / 2 * 1_000_000 // 20 closes alternating 100 and 100 x (1 + swing)
            return 0.0002 + Self.sampleSD(Self.zigzagReturns(swing: swing, count: 20, lastIndex: last)) * (50_000 / dollarVolume).squareRoot()
        }
        // Both buys of 50,000 scaled down together to fit 100,000 with their costs.
        let scale = 100_000 / fractions.reduce(0) { $0 + 50_000 * (1 + $1) }
        let expected = fractions.reduce(0) { $0 + 50_000 * scale * $1 }
        #expect(abs(r.periods[0].costs - expected) < 1e-9, "\(r.periods[0].costs) vs \(expected)")
        #expect(fractions[0] > 0.0002 + 0.0001) // impact is not negligible at this size
    }

    @Test("Too few picks and a tripped circuit breaker sell the book and hold cash; the rules of selection are the same")
    func cashRules() throws {
        let few = try TinyMarket().run(ranked) { $0.minStocks = 10; $0.excludeTickers = ["A5", "A6"] }
        #expect(few.periods.allSatisfy { $0.cashReason == .tooFewPicks && $0.traded == 0 && $0.netReturn == 0 })
        #expect(few.finalValue == 100_000)

        var market = TinyMarket()
        for s in ["A1", "A2"] { market.flat(s, 80, from: "2024-01-09") }
        let r = try market.run(ranked) { $0.topN = 2; $0.slippageBps = 0; $0.circuitBreakerDrawdown = 0.1; $0.circuitBreakerWeeks = 2 }
        #expect(r.periods.prefix(5).map(\.cashReason) == [nil, nil, .circuitBreaker, .circuitBreaker, nil])
        #expect(abs(r.period("2024-01-08").netReturn - (-0.2)) < 1e-12)
        // The Jan 8 week trips it: sold at the Jan 16 open, cash through Jan 22, bought again Jan 29.
        #expect(abs(r.period("2024-01-16").traded - 80_000) < 1e-9 && r.period("2024-01-22").traded == 0)
        #expect(abs(r.period("2024-01-29").traded - 80_000) < 1e-9)

        // Selection does not depend on execution.
        let capped = try TinyMarket().run(ranked) { $0.topN = 4; $0.maxSectorPct = 0.5 }
        #expect(capped.periods.allSatisfy { $0.picks.map(\.ticker) == ["A1", "A2", "A5", "A6"] })
        let inverted = try TinyMarket().run(ranked) { $0.topN = 2; $0.invertSignal = true }
        #expect(inverted.periods.allSatisfy { $0.picks.map(\.ticker) == ["A6", "A5"] })
    }
}
