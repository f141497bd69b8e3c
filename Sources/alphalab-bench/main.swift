import AlphaLab
import Foundation

// Benchmarks print figures; they are never timed tests.
//
//   alphalab-bench data [DATA_DIR]    import of ../shared/data/sp500 into a new store against
//                                     sqlite3's own .import of the same rows, then load time
//                                     and peak memory of the whole store
//   alphalab-bench models [DATA_DIR]  both feature sets on all of sp500, and one full
//                                     ensemble training for a decision date in 2020
//   alphalab-bench backtest [DATA_DIR]
//                                     the rule-based 12-1 momentum run over 2005-2021, then
//                                     the seed's eight Phase 1 experiments on all of sp500
//                                     (2020, monthly retraining): wall time, peak memory and
//                                     the share of time in XGBoost training, cold, then warm
//                                     (the trainings from the disk cache of the cold run)
//   alphalab-bench startup            start-up time of `alphalab -e ''` (the binary beside this one)
//   alphalab-bench cluster [DATA_DIR] [TICKERS]
//                                     a Phase 2-style run (weekly retraining 2017-2020 of the
//                                     ensemble and the momentum model): its plan on all of sp500
//                                     and the balance of 2..16 shards, then on the first TICKERS
//                                     (default 25) the wall time of one process against a 2-shard
//                                     array job on a one-node Slurm cluster started here (run
//                                     from the repository: it uses scripts/ and tools/slurm/)
//   alphalab-bench sandbox            a Lua workload (allocation and arithmetic) and start-up,
//                                     plain against --sandbox (its prelude, the counting
//                                     allocator's cap and the CPU-limit hook): the overhead ratio
//   alphalab-bench phase2 [DATA_DIR] [TICKERS]
//                                     the seed's Phase 2 (experiments 0, 2, 4 weekly 2017-2025) on
//                                     the first TICKERS (500) tickers with warm retraining, cold; full
//                                     retraining measured on 2017 Q1 and projected by rows x trees
//   alphalab-bench store              both run stores (SQLite; PostgreSQL on a throwaway server, run
//                                     from the repository): saving 1,000 runs, listing 50 of 10,000,
//                                     a DSR against 10,000 trials, the ledger's cost on a backtest
//   alphalab-bench serve              the run browser (alphalab-serve) on 10,000 runs: page latencies
//                                     and requests per second from 8 clients
//   alphalab-bench verdict [DATA_DIR]
//                                     the family tests on 1,000 trials x 800 periods (1,000
//                                     resamples), then the verdict of 12-1 momentum (weekly 2005-2020, all of sp500,
//                                     the point-in-time S&P 500 loaded), then of the Phase 1 baseline
//                                     on the default market with a warm cache (twins needing trainings named)
//   alphalab-bench family             the family's multiple-testing tests alone (1,000 trials x
//                                     800 periods, 1,000 resamples), as `verdict` starts with
//   alphalab-bench calibration [--seeds N] [--first SEED]
//                                     the verdict as a statistical test: N null and N planted
//                                     synthetic markets (200 each): each headline's rate with its
//                                     95% interval against the size and power targets
//   alphalab-bench fuzz [--cases N]   the CSV importers' properties on N mutated seed files (10,000):
//                                     violations, refusals and cases a second (run from the repository)
//   alphalab-bench kernel [STARTS] [REQUESTS]
//                                     the Jupyter kernel through jupyter_client: start to kernel_info
//                                     reply (10 starts) and print(1) round trips (p50 of 1,000), with
//                                     alphalab's own start-up for scale (run from the repository after
//                                     tools/test.sh, whose virtual environment has jupyter_client)
//   alphalab-bench load STORE         (internal) load a store into a panel in a fresh process

let arguments = CommandLine.arguments
let command = arguments.count > 1 ? arguments[1] : "data"

func figure(_ name: String, _ value: String, target: String = "") {
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
    print(pad(name, 50) + pad(value, 16) + target)
    fflush(nil) // each figure as it is measured, even into a pipe
}

func megabytes(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1_048_576) }

/// A benchmark that could not run, with the reason.
struct BenchmarkFailure: Error, CustomStringConvertible { var description: String }

/// A new scratch folder `alphalab-bench-NAME-PID` under the temporary directory (the caller removes it).
func scratchFolder(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-\(name)-\(getpid())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// The small run the store and serve benchmarks save by the thousand: 12-1 momentum,
/// 2012-2015, on a 30-ticker synthetic market; and the seconds it took.
func smallMomentumRun() throws -> (result: ExperimentResult, seconds: Double) {
    var market = SyntheticMarketConfig()
    market.tickerCount = 30
    let dataset = Dataset(panel: try SyntheticMarket.generate(market))
    let clock = Stopwatch()
    let result = try WalkForward(config: .momentum12_1(startYear: 2012, endYear: 2015), dataset: dataset).run()
    return (result, clock.seconds)
}

/// The wall times in milliseconds, sorted, of `count` runs of the `alphalab` beside this
/// binary with `options`. posix_spawn and waitpid: Foundation's Process adds tens of
/// milliseconds of its own.
func alphalabRuns(_ options: [String], count: Int) -> [Double] {
    let binary = RunningProgram.sibling("alphalab")
    var times: [Double] = []
    for _ in 0..<count {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + options).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let clock = Stopwatch()
        guard posix_spawn(&pid, binary, nil, nil, argv, environ) == 0 else { fatalError("cannot start \(binary)") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        times.append(clock.seconds * 1000)
        guard status == 0 else { fatalError("alphalab \(options.joined(separator: " ")) failed") }
    }
    return times.sorted()
}

switch command {
case "load":
    // Run in its own process so that peak memory is the load's alone.
    let clock = Stopwatch()
    let panel = try PriceStore(readingExisting: arguments[2]).loadPanel()
    let seconds = clock.seconds
    print("\(seconds) \(peakResidentMemory()) \(panel.tickerCount) \(panel.dayCount) \(panel.barCount)")

case "family":
    familyTestsBenchmark()

case "calibration":
    try calibrationBenchmark(Array(arguments.dropFirst(2)))

case "data":
    try dataBenchmark(dataDir: arguments.count > 2 ? arguments[2] : "../shared/data")

case "models":
    let dataDir = arguments.count > 2 ? arguments[2] : "../shared/data"
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

case "backtest":
    let dataDir = arguments.count > 2 ? arguments[2] : "../shared/data"
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

case "factors":
    let dataDir = arguments.count > 2 ? arguments[2] : "../shared/data"
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

case "startup":
    let times = alphalabRuns(["-e", ""], count: 30)
    figure("start-up: alphalab -e '' (median)", String(format: "%.1f ms", times[times.count / 2]), target: "target < 50 ms")
    figure("start-up: fastest, slowest of 30", String(format: "%.1f ms, %.1f ms", times[0], times[times.count - 1]))

case "sandbox":
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-sandbox-\(getpid()).lua").path
    defer { try? FileManager.default.removeItem(atPath: script) }
    try """
    local keep = {}
    for i = 1, 2000000 do keep[i % 1000 + 1] = { i, tostring(i), { x = i } } end
    local s = 0
    for i = 1, 30000000 do s = s + i % 7 end
    local parts = {}
    for i = 1, 200000 do parts[#parts + 1] = string.format("%d:%s", i, ("x"):rep(i % 17)) end
    assert(#table.concat(parts) > 0)
    """.write(toFile: script, atomically: true, encoding: .utf8)
    func median(_ options: [String], count: Int) -> Double { alphalabRuns(options, count: count)[count / 2] }
    let sandboxed = ["--sandbox", "--cpu-limit", "10000"]
    let plainWork = median([script], count: 5), sandboxWork = median(sandboxed + [script], count: 5)
    figure("sandbox: Lua workload, plain (median of 5)", String(format: "%.0f ms", plainWork))
    figure("sandbox: Lua workload, --sandbox", String(format: "%.0f ms", sandboxWork))
    figure("sandbox: overhead ratio", String(format: "%.3fx", sandboxWork / plainWork))
    let plainStart = median(["-e", ""], count: 21), sandboxStart = median(sandboxed + ["-e", ""], count: 21)
    figure("sandbox: start-up plain, --sandbox (median of 21)", String(format: "%.1f ms, %.1f ms", plainStart, sandboxStart))

case "cluster":
    let dataDir = arguments.count > 2 ? arguments[2] : "../shared/data"
    let tickers = arguments.count > 3 ? Int(arguments[3]) ?? 25 : 25
    do { try clusterBenchmark(dataDir: dataDir, tickers: tickers) } catch {
        print("alphalab-bench cluster: \(error)")
        exit(1)
    }

case "phase2":
    if arguments.dropFirst(2).contains(where: { $0 == "--help" || $0 == "-h" }) {
        print("""
            alphalab-bench phase2 [DATA_DIR] [TICKERS]
              The seed's Phase 2 (experiments 0, 2 and 4, weekly retraining, 2017-2025) on the first
              TICKERS (default 500) tickers of DATA_DIR/sp500 (default ../shared/data), cold, in one
              process, with retrain_mode = warm: wall time, XGBoost time, trainings of each kind, peak
              memory; then full retraining measured cold on 2017's first quarter and projected over
              the run by the plans' rows x trees (said as such), and the ratio of the two.
            """)
        exit(0)
    }
    do {
        try phaseTwoBenchmark(dataDir: arguments.count > 2 ? arguments[2] : "../shared/data", tickers: arguments.count > 3 ? Int(arguments[3]) ?? 500 : 500)
    } catch {
        print("alphalab-bench phase2: \(error)")
        exit(1)
    }

case "store":
    if arguments.dropFirst(2).contains(where: { $0 == "--help" || $0 == "-h" }) {
        print("""
            alphalab-bench store
              Both run stores, SQLite and PostgreSQL (a throwaway server it starts with
              tools/postgres/local-server.sh, so run it from the repository; or the server in
              $ALPHALAB_BENCH_POSTGRES): saving 1,000 runs, listing the 50 most recent of 10,000,
              a run's deflated ratio against a family of 10,000 trials, and the ledger's cost on
              one backtest; each figure beside its target. Its scratch folder, server and
              database are removed however it ends (an error, Ctrl-C, SIGTERM).
            """)
        exit(0)
    }
    do { try storeBenchmark() } catch {
        print("alphalab-bench store: \(error)")
        exit(1)
    }

case "serve":
    do { try serveBenchmark() } catch {
        print("alphalab-bench serve: \(error)")
        exit(1)
    }

case "fuzz":
    let casesFlag = arguments.firstIndex(of: "--cases")
    let cases = casesFlag.flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 10_000
    do { try fuzzBenchmark(cases: cases, dataDir: "../shared/data") } catch {
        print("alphalab-bench fuzz: \(error)")
        exit(1)
    }

case "kernel":
    do {
        try kernelBenchmark(starts: arguments.count > 2 ? Int(arguments[2]) ?? 10 : 10, requests: arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000)
    } catch {
        print("alphalab-bench kernel: \(error)")
        exit(1)
    }

case "verdict":
    do { try verdictBenchmark(dataDir: arguments.count > 2 ? arguments[2] : "../shared/data") } catch {
        print("alphalab-bench verdict: \(error)")
        exit(1)
    }

default:
    print("usage: alphalab-bench [data|models|backtest|factors|cluster|verdict|phase2 [DATA_DIR]] | startup | sandbox | store | serve")
    exit(2)
}
