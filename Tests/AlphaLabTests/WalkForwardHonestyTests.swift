import AlphaLab
import Foundation
import Testing

/// No look-ahead, proved on synthetic markets: on the null market nothing is
/// predictable, so an honest run shows no edge; the seed's same-day-close timing must
/// show the leak; on the planted-momentum market momentum strategies earn.
@Suite("Walk-forward honesty", .serialized)
struct WalkForwardHonestyTests {
    /// 100 tickers keep the trainings small; the years are many.
    static func market(_ config: SyntheticMarketConfig) -> Dataset {
        var config = config
        config.tickerCount = 100
        return Dataset(panel: try! SyntheticMarket.generate(config))
    }

    static let null = market(.null())
    static let planted = market(SyntheticMarketConfig())

    /// The seed's experiments 0, 1, 2 and 7 over 2013-2018, retraining twice a year.
    /// Under `round_trip` slippage is off: its drag alone (20 bps a week) would read as a
    /// negative edge. Under `rebalance` the seed's 10 bps are paid on what is traded.
    static func seedExperiments(timing: SignalTiming, execution: ExecutionModel = .roundTrip) -> [ExperimentConfig] {
        ExperimentConfig.phaseOne.filter { ["0", "1", "2", "7"].contains($0.name.prefix(1)) }.map {
            var c = $0
            c.startYear = 2013
            c.endYear = 2018
            c.retrainWeeks = 26
            c.execution = execution
            c.slippageBps = execution == .roundTrip ? 0 : 10
            c.signalTiming = timing
            return c
        }
    }

    /// The short-term reversal probe: minus the 1-day return as of the scoring close.
    static var reversalProbe: FunctionScorer { FunctionScorer(label: "reversal probe") { context in try context.feature("RET_1D").map { -$0 } } }

    static func probeConfig(_ timing: SignalTiming, execution: ExecutionModel = .roundTrip) -> ExperimentConfig {
        ExperimentConfig("reversal_probe") {
            $0.startYear = 2013; $0.endYear = 2018; $0.signalTiming = timing; $0.execution = execution
            $0.slippageBps = execution == .roundTrip ? 0 : 10
        }
    }

    @Test("Null market, honest timing: no experiment and no probe shows an edge (|t| < 3) under either execution model",
          arguments: [ExecutionModel.roundTrip, .rebalance])
    func nullMarketHonest(execution: ExecutionModel) throws {
        var results = try Self.seedExperiments(timing: .priorClose, execution: execution).map { try WalkForward(config: $0, dataset: Self.null).run() }
        results.append(try WalkForward(config: Self.probeConfig(.priorClose, execution: execution), dataset: Self.null).run(scorer: Self.reversalProbe))
        var momentum = ExperimentConfig.momentum12_1(startYear: 2013, endYear: 2018)
        momentum.execution = execution
        momentum.slippageBps = execution == .roundTrip ? 0 : 10
        results.append(try WalkForward(config: momentum, dataset: Self.null).run())
        for r in results {
            print("null/prior_close/\(execution.rawValue) \(r.name): excess t \(r.excessTStat), IC \(r.quality.meanIC) (t \(r.quality.icTStat)), cost drag \(r.costDrag)")
            #expect(r.periods.count > 250 || r.config.rebalance == .monthly)
            #expect(abs(r.excessTStat) < 3, "\(r.name): t = \(r.excessTStat)")
        }
    }

    @Test("Null market, the seed's same-day-close timing: the leak shows (|t| far above 3) under either execution model")
    func nullMarketLeakDetected() throws {
        let probe = try WalkForward(config: Self.probeConfig(.sameDayClose), dataset: Self.null).run(scorer: Self.reversalProbe)
        let rebalanced = try WalkForward(config: Self.probeConfig(.sameDayClose, execution: .rebalance), dataset: Self.null).run(scorer: Self.reversalProbe)
        print("null/same_day_close probe: excess t \(probe.excessTStat) round_trip, \(rebalanced.excessTStat) rebalance")
        #expect(rebalanced.excessTStat < -6, "rebalance: t = \(rebalanced.excessTStat)")
        #expect(probe.excessTStat < -6, "the probe buys the decision day's losers at its open: t = \(probe.excessTStat)")
        let results = try Self.seedExperiments(timing: .sameDayClose).map { try WalkForward(config: $0, dataset: Self.null).run() }
        for r in results {
            print("null/same_day_close \(r.name): excess t \(r.excessTStat)")
            #expect(!r.warnings.isEmpty)
        }
    }

    /// The ML model trades weekly, so it is judged gross of slippage: 20 bps a week of
    /// round trips is a 10% yearly drag that says nothing about what the model learned.
    @Test("Planted momentum: the 12-1 momentum strategy and the momentum ML model earn a clearly positive excess return")
    func plantedMomentumEarns() throws {
        let momentum = try WalkForward(config: .momentum12_1(startYear: 2013, endYear: 2018), dataset: Self.planted).run()
        let ml = try WalkForward(config: Self.seedExperiments(timing: .priorClose).first { $0.name.hasPrefix("2") }!.with { $0.slippageBps = 0 },
                                 dataset: Self.planted).run()
        for r in [momentum, ml] {
            print("planted \(r.name): excess \(r.excessReturn) t \(r.excessTStat) IC \(r.quality.meanIC)")
            #expect(r.excessReturn > 0.5 && r.excessTStat > 2, "\(r.name): excess \(r.excessReturn), t \(r.excessTStat)")
        }
    }

    /// Weekly decisions with the seed's 10 bps: round trips of the whole book cost about
    /// 10% a year, while a portfolio that keeps what stays trades a fraction of that.
    @Test("Planted momentum, weekly with 10 bps: rebalance keeps the edge that round trips pay away")
    func weeklyMomentumWithCosts() throws {
        func weekly(_ execution: ExecutionModel) throws -> ExperimentResult {
            var config = ExperimentConfig.momentum12_1(startYear: 2013, endYear: 2018)
            config.rebalance = .weekly
            config.execution = execution
            return try WalkForward(config: config, dataset: Self.planted).run()
        }
        let rebalanced = try weekly(.rebalance), seed = try weekly(.roundTrip)
        for r in [rebalanced, seed] {
            print("planted weekly momentum \(r.config.execution.rawValue): excess \(r.excessReturn) t \(r.excessTStat), turnover \(r.turnover), cost drag \(r.costDrag), held \(r.holdingDays) days")
        }
        #expect(rebalanced.excessReturn > 0 && rebalanced.excessTStat > 2, "excess \(rebalanced.excessReturn), t \(rebalanced.excessTStat)")
        #expect(rebalanced.costDrag < seed.costDrag / 3 && rebalanced.holdingDays > 3 * seed.holdingDays)
        #expect(seed.excessTStat < rebalanced.excessTStat)
    }
}

