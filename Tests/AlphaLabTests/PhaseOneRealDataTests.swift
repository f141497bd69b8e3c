import AlphaLab
import Foundation
import Testing

/// The seed's eight Phase 1 experiments on the real S&P 500 data for 2020 with
/// monthly retraining, on the first 100 tickers (as the seed's own check ran them).
@Suite("Phase 1 on real data", .needsSharedData, .serialized)
struct PhaseOneRealDataTests {
    static let dataset: Dataset = {
        let panel = Fixtures.realStore.panel
        return Dataset(panel: panel.selecting(tickers: Array(panel.universe.prefix(100)) + ["SPY"]))
    }()

    /// The suite as the seed traded it (`round_trip`), unless `execution` says otherwise.
    static func suite(_ timing: SignalTiming, execution: ExecutionModel = .roundTrip) -> [ExperimentConfig] {
        ExperimentConfig.phaseOne.map {
            $0.with { $0.startYear = 2020; $0.endYear = 2020; $0.retrainWeeks = 4; $0.signalTiming = timing; $0.execution = execution }
        }
    }

    @Test("The eight experiments run; those differing only in selection, stops or weights share trainings")
    func phaseOne() throws {
        // Counts are of the dataset's cache, which the verdict test shares: its trainings (the
        // legacy ensemble's for 2020) are among these 26, whichever test asks first.
        let honest = try Self.suite(.priorClose).map { try WalkForward(config: $0, dataset: Self.dataset).run() }
        // 2020 has 52 week starts, January 6 to December 28 (Thursday, January 2 belongs to a
        // week that started in 2019), the last only an exit: 51 periods, 13 retrains for each
        // of two models, the legacy ensemble (experiments 0, 1, 3, 4, 5, 6) and the momentum model (2, 7).
        #expect(honest.allSatisfy { $0.periods.count == 51 && $0.retrains == 13 })
        #expect(honest[0].periods.first!.date == Day("2020-01-06")! && honest[0].periods.last!.exitDate == Day("2020-12-28")!)
        #expect(Self.dataset.trainingCache.trainings == 26)
        let seedTiming = try Self.suite(.sameDayClose).map { try WalkForward(config: $0, dataset: Self.dataset).run() }
        #expect(Self.dataset.trainingCache.trainings == 26) // timing changes scoring, not training

        for (h, s) in zip(honest, seedTiming) {
            print(String(format: "%-26@ prior_close %+7.1f%% (Sharpe %+.2f)   same_day_close %+7.1f%% (Sharpe %+.2f, win %.0f%%)",
                         h.name, h.metrics.totalReturn * 100, h.metrics.sharpe, s.metrics.totalReturn * 100, s.metrics.sharpe, s.metrics.winRate * 100))
            #expect(h.spyReturn == s.spyReturn && abs(h.spyReturn - 0.17) < 0.03) // SPY, first to last Monday open of 2020
            let json = try JSONSerialization.jsonObject(with: try h.json()) as! [String: Any]
            for key in ["name", "total_return", "cagr", "sharpe", "max_drawdown", "win_rate", "spy_return", "excess_return", "weeks_traded", "final_value"] {
                #expect(json[key] != nil, "\(key) missing from the JSON")
            }
        }
        // The seed's headline finding flips with the timing: with its look-ahead, inversion
        // beats the baseline by far more than the decision matrix's 20 points; honestly, the
        // baseline beats inversion.
        #expect(seedTiming[1].metrics.totalReturn - seedTiming[0].metrics.totalReturn > 0.2)
        #expect(honest[0].metrics.totalReturn > honest[1].metrics.totalReturn)
        #expect(honest[1].metrics.totalReturn < 0.05 && seedTiming[1].metrics.totalReturn > 0.5)

        // A portfolio that keeps what stays trades on the same scores with the same
        // trainings, and pays less for it than the seed's weekly round trips.
        let rebalanced = try Self.suite(.priorClose, execution: .rebalance).map { try WalkForward(config: $0, dataset: Self.dataset).run() }
        #expect(Self.dataset.trainingCache.trainings == 26)
        for (r, h) in zip(rebalanced, honest) {
            print(String(format: "%-26@ rebalance %+7.1f%% (Sharpe %+.2f, turnover %.0f%%, cost drag %.1f%%)   round_trip cost drag %.1f%%",
                         r.name, r.metrics.totalReturn * 100, r.metrics.sharpe, r.turnover * 100, r.costDrag * 100, h.costDrag * 100))
            #expect(r.costDrag < h.costDrag && r.turnover < h.turnover, "\(r.name)")
            #expect(r.periods.map(\.picks).map { $0.map(\.ticker) } == h.periods.map(\.picks).map { $0.map(\.ticker) }) // the same decisions
        }
    }
}
