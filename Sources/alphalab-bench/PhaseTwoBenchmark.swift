import AlphaLab
import Foundation

/// `alphalab-bench phase2`: the seed's Phase 2 (experiments 0, 2 and 4 of Phase 1, weekly
/// retraining, 2017-2025) on the first TICKERS tickers of the shared S&P 500 data, cold
/// and in one process, with warm retraining (a full training every 13 weeks, updates in
/// between); then full retraining measured on a prefix (2017's first quarter, cold) and
/// projected over the whole run by the plans' rows x trees model.
func phaseTwoBenchmark(dataDir: String, tickers: Int) throws {
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let spy = try PriceImporter(format: .yahoo).read(source: dataDir + "/benchmarks/SPY.csv")
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    let chosen = Set(batch.bars.map(\.ticker).sorted().prefix(tickers))
    let panel = Panel(series: (batch.bars.filter { chosen.contains($0.ticker) } + spy.bars).map(PriceSeries.init(adjusting:)), info: info)
    let configs = [0, 2, 4].map { i in
        ExperimentConfig.phaseOne[i].with { $0.startYear = 2017; $0.endYear = 2025; $0.retrainWeeks = 1; $0.retrainMode = .warm }
    }
    print("phase2: experiments 0, 2 and 4 weekly 2017-2025 on the first \(chosen.count) tickers "
          + "(stocks end \(panel.calendar[panel.stocksLastBar])), cold, one process, \(ProcessInfo.processInfo.activeProcessorCount) cores")

    // The plans of both modes: trainings by kind and their rows x trees.
    func plan(_ configs: [ExperimentConfig]) throws -> TrainingPlan {
        let plan = TrainingPlan()
        let dataset = Dataset(panel: panel, trainingCache: TrainingCache(plan: plan))
        for config in configs { _ = try WalkForward(config: config, dataset: dataset).run() }
        return plan
    }
    let warmPlan = try plan(configs), fullPlan = try plan(configs.map { $0.with { $0.retrainMode = .full } })
    let warmUpdates = warmPlan.entries.filter { $0.kind == RetrainKind.update.rawValue }.count
    figure("plan, full retraining", String(format: "%d trainings, %.3g rows x trees", fullPlan.entries.count, fullPlan.totalCost))
    figure("plan, warm retraining", String(format: "%d full + %d updates, %.3g rows x trees", warmPlan.entries.count - warmUpdates, warmUpdates,
                                           warmPlan.totalCost))

    // Full retraining on a prefix (the data cut after 2017's first quarter: the run ends
    // at the stocks' last bar), cold, and its projection.
    let prefixPanel = panel.sliced(from: panel.calendar[0], through: Day("2017-03-31")!)
    let prefix = configs.map { $0.with { $0.retrainMode = .full } }
    let prefixPlan = TrainingPlan()
    for config in prefix {
        _ = try WalkForward(config: config, dataset: Dataset(panel: prefixPanel, trainingCache: TrainingCache(plan: prefixPlan))).run()
    }
    let prefixCache = TrainingCache()
    let prefixData = Dataset(panel: prefixPanel, trainingCache: prefixCache)
    let prefixClock = Stopwatch()
    for config in prefix { _ = try WalkForward(config: config, dataset: prefixData).run() }
    let prefixSeconds = prefixClock.seconds
    let projected = prefixSeconds * fullPlan.totalCost / prefixPlan.totalCost
    figure("full retraining, 2017 Q1 measured (cold)", String(format: "%.0f s, %d trainings (%.0f s XGBoost)", prefixSeconds, prefixCache.trainings,
                                                              prefixCache.trainingSeconds))
    figure("full retraining, 2017-2025 projected", String(format: "%.0f s (prefix x plan cost ratio %.2f; a projection, not a run)", projected,
                                                          fullPlan.totalCost / prefixPlan.totalCost))
    let cache = TrainingCache()
    let dataset = Dataset(panel: panel, trainingCache: cache)
    let clock = Stopwatch()
    for config in configs {
        let run = Stopwatch()
        let r = try WalkForward(config: config, dataset: dataset).run()
        figure("  \(config.name)", String(format: "%.0f s, %d weeks, excess %+.1f%%", run.seconds, r.periods.count, r.excessReturn * 100))
    }
    let wall = clock.seconds
    figure("warm retraining: wall time (cold)", String(format: "%.0f s", wall), target: "target < 600 s")
    figure("  XGBoost training", String(format: "%.0f s (%.0f%% of the wall time)", cache.trainingSeconds, cache.trainingSeconds / wall * 100))
    figure("  trainings", "\(cache.trainings - cache.updates) full, \(cache.updates) updates")
    figure("  peak memory", megabytes(peakResidentMemory()), target: "target < 4 GB")

    figure("warm / full (projected)", String(format: "%.2fx", wall / projected))
}
