import AlphaLab
import Foundation
import Testing

/// Config validation, determinism, progress, cancellation and the result's JSON.
@Suite("Walk-forward runs", .serialized)
struct WalkForwardRunTests {
    static let panel: Panel = {
        var config = SyntheticMarketConfig()
        config.tickerCount = 40
        return try! SyntheticMarket.generate(config)
    }()

    static let baseline = ExperimentConfig.phaseOne[0].with { $0.startYear = 2016; $0.endYear = 2016; $0.retrainWeeks = 13 }

    @Test("An unknown key suggests the valid one; wrong types and ranges name the field")
    func configValidation() throws {
        #expect(throws: ConfigError.self) { try ExperimentConfig(values: ["invert_sinal": .bool(true)]) }
        do {
            _ = try ExperimentConfig(values: ["invert_sinal": .bool(true)])
        } catch {
            #expect(error.key == "invert_sinal")
            #expect(error.description.contains("did you mean 'invert_signal'?"))
            #expect(error.description.contains("top_n") && error.description.contains("circuit_breaker_drawdown"))
        }
        func problem(_ values: [String: ConfigValue]) -> String {
            do { _ = try ExperimentConfig(values: values); return "" } catch { return error.description }
        }
        #expect(problem(["top_n": .string("10")]) == "config field 'top_n': expected an integer, got string")
        #expect(problem(["top_n": .number(2.5)]) == "config field 'top_n': expected an integer, got 2.5")
        #expect(problem(["stop_loss_pct": .number(1.5)]) == "config field 'stop_loss_pct': must be in (0, 1), got 1.5")
        #expect(problem(["start_year": .number(2025), "end_year": .number(2024)]) == "config field 'end_year': 2024 is before start_year 2025")
        #expect(problem(["signal_timing": .string("prior_clse")]).contains("did you mean 'prior_close'?"))
        #expect(problem(["horizon_weights": .map(["x": .number(1)])]) == "config field 'horizon_weights': key 'x' is not a horizon in days")
        #expect(problem(["use_stop_loss": .number(1)]) == "config field 'use_stop_loss': expected a boolean, got number")

        let config = try ExperimentConfig(values: ["name": .string("6"), "invert_signal": .bool(true),
                                                   "horizon_weights": .map(["1": .number(0.2), "5": .number(0.3), "20": .number(0.5)])])
        #expect(config.invertSignal && config.horizonWeights == [1: 0.2, 5: 0.3, 20: 0.5] && config.topN == 10)
        #expect(try ExperimentConfig(values: config.values) == config)
        #expect(ExperimentConfig.phaseOne[6].values["horizon_weights"] == .map(["1": .number(0.2), "5": .number(0.3), "20": .number(0.5)]))
    }

    @Test("A period without data is an error naming the years and the data's span")
    func noPeriods() throws {
        let config = Self.baseline.with { $0.startYear = 2030; $0.endYear = 2031 }
        #expect(throws: BacktestError.noPeriods("0_Baseline_Current: 2030-2031 has 0 decision date(s) in the data (2005-01-03 .. 2025-12-31); a run needs at least two")) {
            try WalkForward(config: config, dataset: Dataset(panel: Self.panel)).run()
        }
    }

    @Test("Same config, same data: bit-identical JSON, also through a new cache on the same folder")
    func deterministic() throws {
        let folder = Fixtures.temporaryFolder()
        let a = try WalkForward(config: Self.baseline, dataset: Dataset(panel: Self.panel, trainingCache: TrainingCache(directory: folder))).run()
        let b = try WalkForward(config: Self.baseline, dataset: Dataset(panel: Self.panel)).run()
        let cached = Dataset(panel: Self.panel, trainingCache: TrainingCache(directory: folder))
        let c = try WalkForward(config: Self.baseline, dataset: cached).run()
        #expect(cached.trainingCache.trainings == 0 && cached.trainingCache.diskHits == 4)
        #expect(try a.json() == b.json())
        #expect(try a.json() == c.json())
        #expect(a.retrainPeriods.count == 4 && a.retrainPeriods.map(\.periods).reduce(0, +) == a.periods.count)
    }

    @Test("JSON round-trips to an equal result; missing figures are null")
    func jsonRoundTrip() throws {
        let r = try WalkForward(config: .momentum12_1(startYear: 2015, endYear: 2016), dataset: Dataset(panel: Self.panel)).run()
        let back = try ExperimentResult(json: try r.json())
        #expect(back.periods == r.periods && back.config == r.config && back.yearlyReturns == r.yearlyReturns)
        #expect(try back.json() == r.json())
        #expect(r.config.rebalance == .monthly && r.periods.count == 23)
        let text = String(decoding: try r.json(), as: UTF8.self)
        #expect(!text.contains("NaN") && text.contains("\"yearly_returns\""))
    }

    @Test("Progress is reported once per period; a cancellation stops the run cleanly")
    func progressAndCancellation() throws {
        var seen: [WalkForwardProgress] = []
        let config = ExperimentConfig.momentum12_1(startYear: 2015, endYear: 2015).with { $0.rebalance = .weekly }
        _ = try WalkForward(config: config, dataset: Dataset(panel: Self.panel)) { seen.append($0) }.run()
        #expect(seen.map(\.period) == Array(1...seen.count) && seen.allSatisfy { $0.total == seen.count && $0.experiment == config.name })
        #expect(seen.count == 51)

        // A token of this run's own: the other tests running in this process carry on.
        let token = CancellationToken()
        var reached = 0
        #expect(throws: CancellationError.self) {
            try Cancellation.with(token) {
                try WalkForward(config: config, dataset: Dataset(panel: Self.panel)) { p in
                    reached = p.period
                    if p.period == 5 { Cancellation.request() }
                }.run()
            }
        }
        #expect(reached == 5 && token.isRequested && !Cancellation.process.isRequested)
    }
}
