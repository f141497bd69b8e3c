import AlphaLab
import Foundation
import Testing

/// `hold_buffer`: under `rebalance`, a held name stays while its rank among the candidates
/// is within hold_buffer x top_n, and new names fill the free slots by rank. Pinned by hand
/// on a ranked list and on the tiny market, then on the synthetic market's turnover.
@Suite("Rank buffer")
struct RankBufferTests {
    /// Twenty candidates: ticker i ranks i + 1 (score 20 - i); Tech for even tickers, Energy for odd.
    static let candidates = (0..<20).map { i in
        Selection.Candidate(ticker: i, score: Double(20 - i), sector: i % 2 == 0 ? "Tech" : "Energy")
    }

    @Test("A held name fallen to rank 12 of a top 10 stays with buffer 1.5 (and 1.2), goes at 1.0 (and 1.1)")
    func heldNameWithinTheBuffer() {
        let held: Set<Int> = [11, 3]
        func picks(_ buffer: Double) -> [Int] { Selection(topN: 10, holdBuffer: buffer).pick(Self.candidates, held: held).map(\.ticker) }
        #expect(picks(1.0) == Array(0..<10))
        #expect(picks(1.1) == Array(0..<10), "reach 11: rank 12 is out")
        #expect(picks(1.2) == Array(0..<9) + [11], "reach 12: rank 12 stays, the 10th best gives way")
        #expect(picks(1.5) == Array(0..<9) + [11])
        // Without holdings a buffer keeps nothing: the plain top 10, best first.
        #expect(Selection(topN: 10, holdBuffer: 2).pick(Self.candidates).map(\.ticker) == Array(0..<10))
        // A held name beyond the buffer's reach goes even with a buffer.
        #expect(Selection(topN: 10, holdBuffer: 1.5).pick(Self.candidates, held: [17]).map(\.ticker) == Array(0..<10))
    }

    @Test("Kept names still pass the momentum filter and the sector cap; the picks come back best first")
    func keptNamesObeyTheFilters() {
        var candidates = Self.candidates
        candidates[11].momentum = -0.5
        for i in candidates.indices where i != 11 { candidates[i].momentum = 0.1 }
        let filtered = Selection(topN: 10, momentumThreshold: 0, holdBuffer: 1.5).pick(candidates, held: [11])
        #expect(filtered.map(\.ticker) == Array(0..<10), "rank 12 fails the momentum filter: not kept")
        // A cap of 5 a sector: held 13 and 15 (Energy, ranks 14 and 16) stay and take two of Energy's five slots.
        let capped = Selection(topN: 10, sectorLimit: 5, holdBuffer: 2).pick(Self.candidates, held: [13, 15]).map(\.ticker)
        #expect(capped == [0, 1, 2, 3, 4, 5, 6, 8, 13, 15])
    }

    @Test("In a walk-forward: the held name stays under rebalance with buffer 1.5; round_trip holds nothing, so the buffer changes nothing there")
    func walkForwardKeepsTheHeldName() throws {
        // A1 leads, A2 second until March, then A3 overtakes A2 (A2 third of a top 2).
        let scoring: (ScoringContext) -> [String: Double] = { context in
            context.decisionDate < Day("2024-03-01")! ? ["A1": 5, "A2": 4, "A3": 3, "A4": 1] : ["A1": 5, "A2": 3, "A3": 4, "A4": 1]
        }
        let plain = try TinyMarket().run(scoring: scoring) { $0.topN = 2 }
        let buffered = try TinyMarket().run(scoring: scoring) { $0.topN = 2; $0.holdBuffer = 1.5 }
        let march = plain.periods.firstIndex { $0.date >= Day("2024-03-01")! }!
        #expect(plain.periods[march].picks.map(\.ticker) == ["A1", "A3"])
        #expect(buffered.periods[march].picks.map(\.ticker) == ["A1", "A2"], "A2 ranks 3rd, within 1.5 x 2")
        #expect(buffered.periods.allSatisfy { $0.picks.map(\.ticker) == ["A1", "A2"] })
        #expect(buffered.costsPaid < plain.costsPaid)
        let seed = try TinyMarket().run(scoring: scoring) { $0.topN = 2; $0.execution = .roundTrip }
        let seedBuffered = try TinyMarket().run(scoring: scoring) { $0.topN = 2; $0.execution = .roundTrip; $0.holdBuffer = 1.5 }
        #expect(seedBuffered.periods.map { $0.picks.map(\.ticker) } == seed.periods.map { $0.picks.map(\.ticker) })
        #expect(seedBuffered.finalValue == seed.finalValue)
    }

    @Test("On the synthetic market a buffer cuts 12-1 momentum's weekly turnover; 1.0 is the default and a buffer below 1 is refused")
    func bufferCutsTurnover() throws {
        var market = SyntheticMarketConfig()
        market.tickerCount = 60
        let dataset = Dataset(panel: try SyntheticMarket.generate(market))
        func run(_ buffer: Double) throws -> ExperimentResult {
            var config = ExperimentConfig.momentum12_1(startYear: 2015, endYear: 2017)
            config.rebalance = .weekly
            config.holdBuffer = buffer
            return try WalkForward(config: config, dataset: dataset).run()
        }
        let base = try run(1.0), wide = try run(1.5), wider = try run(2.0)
        #expect(ExperimentConfig().holdBuffer == 1.0)
        #expect(wide.turnover < base.turnover && wider.turnover < wide.turnover, "\(base.turnover) \(wide.turnover) \(wider.turnover)")
        #expect(wide.periods.allSatisfy { $0.picks.count == base.config.topN || $0.cashReason != nil })
        #expect(throws: ConfigError.self) { try ExperimentConfig(values: ["hold_buffer": .number(0.5)]) }
    }
}
