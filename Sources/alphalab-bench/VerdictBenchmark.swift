import AlphaLab
import Foundation

/// `alphalab-bench verdict`: a strategy's whole verdict (the run, its twins and 200
/// placebos). 12-1 momentum, weekly, 2005-2020 on all of sp500 with the point-in-time
/// S&P 500 loaded (so the universe twin runs too); then the seed's Phase 1 baseline on the
/// default synthetic market with a warm training cache, naming the twins that needed new
/// trainings; each against the time of the run alone.
func verdictBenchmark(dataDir: String) throws {
    familyTestsBenchmark()
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let spy = try PriceImporter(format: .yahoo).read(source: dataDir + "/benchmarks/SPY.csv")
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    let panel = Panel(series: (batch.bars + spy.bars).map(PriceSeries.init(adjusting:)), info: info)
    let membership = try MembershipFile.read(path: dataDir + "/sp500/membership/sp500_ticker_start_end.csv", name: "sp500")
    print("verdict: \(panel.tickerCount) tickers x \(panel.dayCount) days on \(ProcessInfo.processInfo.activeProcessorCount) cores")

    let momentum = ExperimentConfig.momentum12_1(name: "momentum", startYear: 2005, endYear: 2020).with { $0.rebalance = .weekly }
    let sp500 = Dataset(panel: panel, memberships: [membership])
    _ = try sp500.matrix(feature: "MOM_12_1") // the feature matrix both timings share, computed before the clocks
    let alone = Stopwatch()
    _ = try WalkForward(config: momentum, dataset: sp500).run()
    let runSeconds = alone.seconds
    let clock = Stopwatch()
    let (v, _) = try VerdictRunner(config: momentum, dataset: sp500).run()
    figure("12-1 momentum, weekly 2005-2020, all of sp500", String(format: "%.2f s (%.0fx the run alone, %.2f s)", clock.seconds,
                                                                   clock.seconds / runSeconds, runSeconds), target: "target < 10 s")
    figure("  headline, decided by", "\(v.headline.rawValue), \(v.reasons.map(\.rawValue).joined(separator: ", "))")

    // The Phase 1 baseline: one cold run fills a disk cache; the verdict runs on a new
    // dataset over the same folder, as a second session would.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-verdict-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let market = try SyntheticMarket.market()
    let baseline = ExperimentConfig.phaseOne[0]
    let cold = Stopwatch()
    _ = try WalkForward(config: baseline, dataset: market.dataset(trainingCache: TrainingCache(directory: folder))).run()
    let coldSeconds = cold.seconds
    // First verdict: the run's trainings are on disk, a twin that trains on other rows
    // (the point-in-time universe) trains now. Second: everything on disk.
    for pass in ["warm cache, first verdict", "warm cache, second verdict"] {
        let warm = market.dataset(trainingCache: TrainingCache(directory: folder))
        let clock = Stopwatch()
        let (b, _) = try VerdictRunner(config: baseline, dataset: warm).run()
        let trained = b.twins.filter { $0.newTrainings > 0 }
        figure("Phase 1 baseline, default market, \(pass)", String(format: "%.1f s (the cold run alone %.1f s)", clock.seconds, coldSeconds),
               target: "target < 30 s")
        figure("  twins needing new trainings", trained.isEmpty ? "none" : trained.map { "\($0.label): \($0.newTrainings)" }.joined(separator: ", "))
        figure("  XGBoost training in the verdict", String(format: "%.1f s", warm.trainingCache.trainingSeconds))
        figure("  headline, decided by", "\(b.headline.rawValue), \(b.reasons.map(\.rawValue).joined(separator: ", "))")
    }
}

/// The family's multiple-testing tests on 1,000 trials x 800 weekly periods (seeded noise
/// around a common factor) with 1,000 stationary-bootstrap resamples: SPA, Reality Check,
/// StepM, CSCV over 16 blocks and the haircut, as a verdict's selection check runs them.
func familyTestsBenchmark() {
    var random = RandomSource(seed: 1)
    let common = (0..<800).map { _ in random.normal() * 0.01 }
    let family = (0..<1000).map { i in
        let active = (0..<800).map { t in 0.5 * common[t] + random.normal() * 0.02 }
        return TrialSample(configHash: "trial\(i)", returns: active, activeReturns: active, claim: .active, riskFree: 0, periodsPerYear: 52)
    }
    let clock = Stopwatch()
    let tests = FamilyTests(sample: family[0], family: family, reps: 1000, seed: 1)
    figure("family tests: 1,000 trials x 800 periods, 1,000 resamples", String(format: "%.2f s", clock.seconds), target: "target < 5 s")
    figure("  SPA p, Reality Check p, PBO", String(format: "%.3f, %.3f, %.3f", tests.spaPValue, tests.realityCheckPValue, tests.overfitting?.probability ?? .nan))
}
