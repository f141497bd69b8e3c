import AlphaLab
import Foundation

/// `alphalab-bench models`: both feature sets on all of sp500, and one full ensemble training.
func modelsBenchmark(dataDir: String) throws {
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let panel = Panel(series: batch.bars.map(PriceSeries.init(adjusting:)))
    print("features and models: \(panel.tickerCount) tickers x \(panel.dayCount) days on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let clock = Stopwatch()
    let legacy = try FeatureMatrix(set: FeatureCatalog.legacy, panel: panel)
    let legacySeconds = clock.seconds
    let momentum = try FeatureMatrix(set: FeatureCatalog.momentum, panel: panel)
    let both = clock.seconds
    figure("features: legacy (15)", String(format: "%.3f s", legacySeconds))
    figure("features: momentum (10)", String(format: "%.3f s", both - legacySeconds))
    figure("features: both sets", String(format: "%.3f s", both), target: "target < 1 s")
    _ = momentum

    let universe = Array(panel.tickers.indices)
    let decision = panel.calendar.firstIndex(onOrAfter: Day("2020-06-01")!)
    let train = Stopwatch()
    let ensemble = try TrainedEnsemble.train(spec: .seedEnsemble, matrix: legacy, panel: panel, tickers: universe, decisionDay: decision)
    let seconds = train.seconds
    let rows = ensemble.members.reduce(0) { $0 + $1.trainingRows }
    // Per horizon: 50 selection trees on all features + noise, then 100 final trees.
    let trees = ensemble.members.count * (EnsembleSpec.seedEnsemble.selection!.model.trees + XGBoostParameters().trees)
    figure("ensemble: one training (2020-06-01)", String(format: "%.1f s", seconds))
    figure("ensemble: rows (3 horizons)", "\(rows)")
    figure("ensemble: kept features", ensemble.members.map { "h\($0.horizon):\($0.columns.count)" }.joined(separator: " "))
    figure("ensemble: trees per second", String(format: "%.1f", Double(trees) / seconds))
    figure("ensemble: rows x trees per second", String(format: "%.2e", Double(rows / 3) * Double(trees) / seconds))
    figure("peak memory", megabytes(peakResidentMemory()))
}

/// `alphalab-bench backtest`: 12-1 momentum under each execution model, on the point-in-time
/// S&P 500, then the seed's eight Phase 1 experiments cold and warm.
func backtestBenchmark(dataDir: String) throws {
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let spy = try PriceImporter(format: .yahoo).read(source: dataDir + "/benchmarks/SPY.csv")
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    let panel = Panel(series: (batch.bars + spy.bars).map(PriceSeries.init(adjusting:)), info: info)
    print("walk-forward: \(panel.tickerCount) tickers x \(panel.dayCount) days on \(ProcessInfo.processInfo.activeProcessorCount) cores")

    // The rule-based run under each execution model (the first pays for the 12-1 matrix
    // both share), then weekly, where the difference in costs is largest.
    let momentumData = Dataset(panel: panel)
    for (execution, rebalance) in [(ExecutionModel.roundTrip, Rebalance.monthly), (.rebalance, .monthly), (.rebalance, .weekly), (.roundTrip, .weekly)] {
        var config = ExperimentConfig.momentum12_1(startYear: 2005, endYear: 2021)
        config.execution = execution
        config.rebalance = rebalance
        let clock = Stopwatch()
        let r = try WalkForward(config: config, dataset: momentumData).run()
        let label = "momentum 12-1, 2005-2021, \(rebalance.rawValue), \(execution.rawValue)"
        figure(label, String(format: "%.3f s", clock.seconds), target: execution == .rebalance && rebalance == .monthly ? "target < 1 s" : "")
        figure("  periods, return, turnover, cost drag", String(format: "%d, %+.0f%%, %.0f%%, %.2f%%/yr", r.periods.count,
                                                                r.metrics.totalReturn * 100, r.turnover * 100, r.costDrag * 100))
    }
    // The same monthly run on the point-in-time S&P 500 (a fresh dataset each, so both
    // compute the 12-1 matrix, and the second also lays the membership onto the calendar).
    let membership = try MembershipFile.read(path: dataDir + "/sp500/membership/sp500_ticker_start_end.csv", name: "sp500")
    var times: [String: Double] = [:], returns: [String: Double] = [:]
    for universe in ["all", "sp500", "all", "sp500", "all", "sp500"] {
        let data = Dataset(panel: panel, memberships: [membership])
        var config = ExperimentConfig.momentum12_1(startYear: 2005, endYear: 2021)
        config.universe = universe
        let clock = Stopwatch()
        returns[universe] = try WalkForward(config: config, dataset: data).run().metrics.totalReturn
        times[universe] = min(times[universe] ?? .infinity, clock.seconds)
    }
    figure("momentum 12-1, monthly, universe all", String(format: "%.3f s (best of 3), %+.0f%%", times["all"]!, returns["all"]! * 100))
    figure("momentum 12-1, monthly, universe sp500", String(format: "%.3f s (%+.0f%%), %+.0f%%", times["sp500"]!,
                                                          (times["sp500"]! / times["all"]! - 1) * 100, returns["sp500"]! * 100),
           target: "target < +10%")

    // Cold: every training done (and stored in a fresh disk cache). Warm: a new dataset
    // on the same cache folder, as a re-run after a change that does not touch training.
    let cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-cache-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: cacheFolder) }
    func suite(_ dataset: Dataset, show: Bool) throws -> Double {
        let clock = Stopwatch()
        for config in ExperimentConfig.phaseOne {
            var config = config
            config.startYear = 2020
            config.endYear = 2020
            config.retrainWeeks = 4
            let r = try WalkForward(config: config, dataset: dataset).run()
            if show { figure("  " + r.name, String(format: "%+.1f%%  Sharpe %+.2f", r.metrics.totalReturn * 100, r.metrics.sharpe)) }
        }
        return clock.seconds
    }
    let dataset = Dataset(panel: panel, trainingCache: TrainingCache(directory: cacheFolder))
    let wall = try suite(dataset, show: true), training = dataset.trainingCache.trainingSeconds
    figure("phase 1 suite: wall time (cold)", String(format: "%.1f s", wall))
    figure("phase 1 suite: trainings", "\(dataset.trainingCache.trainings) (\(dataset.trainingCache.memoryHits) shared)")
    figure("phase 1 suite: XGBoost training", String(format: "%.1f s (%.1f%%)", training, training / wall * 100))
    figure("phase 1 suite: everything else", String(format: "%.1f s (%.1f%%)", wall - training, (wall - training) / wall * 100), target: "target < 5%")
    let warmDataset = Dataset(panel: panel, trainingCache: TrainingCache(directory: cacheFolder))
    let warm = try suite(warmDataset, show: false)
    figure("phase 1 suite: wall time (warm)", String(format: "%.1f s (%d trainings, %d from disk)", warm,
                                                      warmDataset.trainingCache.trainings, warmDataset.trainingCache.diskHits), target: "target < 30 s")
    figure("peak memory", megabytes(peakResidentMemory()), target: "target < 1.5 GB")
}

/// `alphalab-bench factors`: every feature's factor report, weekly 2001-2021.
func factorsBenchmark(dataDir: String) throws {
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    let data = Dataset(panel: Panel(series: batch.bars.map(PriceSeries.init(adjusting:)), info: info))
    print("factor research: \(data.panel.tickerCount) tickers x \(data.panel.dayCount) days on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let clock = Stopwatch()
    let days = FactorSignal.scoringDays(data.panel, cadence: .weekly, from: Day("2001-01-01")!, through: Day("2021-12-31")!)
    let universe = try data.universe(named: "all")
    let names = FeatureCatalog.names
    let reports = try FactorAnalysis.analyze(features: names, dataset: data, days: days, universe: universe)
    let seconds = clock.seconds
    figure("every feature (\(names.count)), weekly 2001-2021, 1/5/20 days", String(format: "%.2f s", seconds), target: "target < 10 s")
    figure("  dates, feature matrices included", "\(days.count)")
    let strongest = reports.max { abs($0.horizon(20)!.icT) < abs($1.horizon(20)!.icT) }!
    figure("  strongest at 20 days", String(format: "%@ IC %+.3f (t %+.2f)", strongest.name, strongest.horizon(20)!.meanIC, strongest.horizon(20)!.icT))
}
