import AlphaLab
import Foundation

// Benchmarks print figures; they are never timed tests. `alphalab-bench --help` lists them;
// `alphalab-bench NAME --help` says what one measures.

/// One benchmark: its name, its arguments, what it measures, and how it runs.
struct Benchmark {
    var name: String
    var usage: String = ""
    var summary: String
    var run: ([String]) throws -> Void

    /// The argument at `index` (after the benchmark's name), or `fallback`.
    static func argument(_ arguments: [String], _ index: Int, _ fallback: String) -> String {
        index < arguments.count ? arguments[index] : fallback
    }
}

let benchmarks: [Benchmark] = [
    Benchmark(name: "data", usage: "[DATA_DIR]", summary: """
        import of DATA_DIR/sp500 (default ../shared/data) into a new store against sqlite3's own .import of \
        the same rows, then load time and peak memory of the whole store
        """) { try dataBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data")) },
    Benchmark(name: "models", usage: "[DATA_DIR]", summary: """
        both feature sets on all of sp500, and one full ensemble training for a decision date in 2020
        """) { try modelsBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data")) },
    Benchmark(name: "backtest", usage: "[DATA_DIR]", summary: """
        the rule-based 12-1 momentum run over 2005-2021, then the seed's eight Phase 1 experiments on all \
        of sp500 (2020, monthly retraining): wall time, peak memory and the share of time in XGBoost \
        training, cold, then warm (the trainings from the disk cache of the cold run)
        """) { try backtestBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data")) },
    Benchmark(name: "factors", usage: "[DATA_DIR]", summary: """
        every feature's factor report (IC, quantiles) on all of sp500, weekly 2001-2021
        """) { try factorsBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data")) },
    Benchmark(name: "startup", summary: "start-up time of `alphalab -e ''` (the binary beside this one)") { _ in
        startupBenchmark()
    },
    Benchmark(name: "cluster", usage: "[DATA_DIR] [TICKERS]", summary: """
        a Phase 2-style run (weekly retraining 2017-2020 of the ensemble and the momentum model): its plan \
        on all of sp500 and the balance of 2..16 shards, then on the first TICKERS (default 25) the wall \
        time of one process against a 2-shard array job on a one-node Slurm cluster started here (run from \
        the repository: it uses scripts/ and tools/slurm/)
        """) { try clusterBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data"), tickers: Int(Benchmark.argument($0, 1, "25")) ?? 25) },
    Benchmark(name: "sandbox", summary: """
        a Lua workload (allocation and arithmetic) and start-up, plain against --sandbox (its prelude, the \
        counting allocator's cap and the CPU-limit hook): the overhead ratio
        """) { _ in try sandboxBenchmark() },
    Benchmark(name: "phase2", usage: "[DATA_DIR] [TICKERS]", summary: """
        the seed's Phase 2 (experiments 0, 2 and 4, weekly retraining, 2017-2025) on the first TICKERS \
        (default 500) tickers of DATA_DIR/sp500, cold, in one process, with retrain_mode = warm: wall \
        time, XGBoost time, trainings of each kind, peak memory; then full retraining measured cold on \
        2017's first quarter and projected over the run by the plans' rows x trees (said as such), and \
        the ratio of the two
        """) { try phaseTwoBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data"), tickers: Int(Benchmark.argument($0, 1, "500")) ?? 500) },
    Benchmark(name: "store", summary: """
        both run stores, SQLite and PostgreSQL (a throwaway server it starts with \
        tools/postgres/local-server.sh, so run it from the repository; or the server in \
        $ALPHALAB_BENCH_POSTGRES): saving 1,000 runs, listing the 50 most recent of 10,000, a run's \
        deflated ratio against a family of 10,000 trials, and the ledger's cost on one backtest; each \
        figure beside its target. Its scratch folder, server and database are removed however it ends
        """) { _ in try storeBenchmark() },
    Benchmark(name: "serve", summary: """
        the run browser (alphalab-serve) on 10,000 runs: page latencies at 32 concurrent connections, \
        page sizes, and requests per second
        """) { _ in try serveBenchmark() },
    Benchmark(name: "verdict", usage: "[DATA_DIR]", summary: """
        the family tests on 1,000 trials x 800 periods (1,000 resamples), then the verdict of 12-1 \
        momentum (weekly 2005-2020, all of sp500, the point-in-time S&P 500 loaded), then of the Phase 1 \
        baseline on the default market with a warm cache (twins needing trainings named)
        """) { try verdictBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data")) },
    Benchmark(name: "family", summary: """
        the family's multiple-testing tests alone (1,000 trials x 800 periods, 1,000 resamples), as \
        `verdict` starts with
        """) { _ in familyTestsBenchmark() },
    Benchmark(name: "calibration", usage: "[--seeds N] [--first SEED]", summary: """
        the verdict as a statistical test: N null and N planted synthetic markets (200 each): each \
        headline's rate with its 95% interval against the size and power targets
        """) { try calibrationBenchmark($0) },
    Benchmark(name: "optimizer", usage: "[DATA_DIR] [RUNS]", summary: """
        portfolio construction: the risk model for all of sp500 at every weekly scoring close 2005-2020, \
        then one rebalance of every sp500 name under sector, beta, position, turnover and tracking-error \
        constraints, and one of 3,000 names on a synthetic market (medians of RUNS, default 5)
        """) { try optimizerBenchmark(dataDir: Benchmark.argument($0, 0, "../shared/data"), runs: Int(Benchmark.argument($0, 1, "5")) ?? 5) },
    Benchmark(name: "fuzz", usage: "[--cases N]", summary: """
        the CSV importers' properties on N mutated seed files (10,000): violations, refusals and cases \
        a second (run from the repository)
        """) { arguments in
        let flag = arguments.firstIndex(of: "--cases")
        try fuzzBenchmark(cases: flag.flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 10_000, dataDir: "../shared/data")
    },
    Benchmark(name: "kernel", usage: "[STARTS] [REQUESTS]", summary: """
        the Jupyter kernel through jupyter_client: start to kernel_info reply (10 starts) and print(1) \
        round trips (p50 of 1,000), with alphalab's own start-up for scale (run from the repository \
        after tools/test.sh, whose virtual environment has jupyter_client)
        """) { try kernelBenchmark(starts: Int(Benchmark.argument($0, 0, "10")) ?? 10, requests: Int(Benchmark.argument($0, 1, "1000")) ?? 1000) },
]

/// `summary` wrapped to 80 columns under a 2-space indent.
func wrapped(_ summary: String, indent: Int = 2) -> String {
    var lines: [String] = [], line = ""
    for word in summary.split(separator: " ") {
        if !line.isEmpty && indent + line.count + 1 + word.count > 80 { lines.append(line); line = "" }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.map { String(repeating: " ", count: indent) + $0 }.joined(separator: "\n")
}

func help(_ benchmark: Benchmark) -> String {
    "alphalab-bench \(benchmark.name)\(benchmark.usage.isEmpty ? "" : " " + benchmark.usage)\n" + wrapped(benchmark.summary)
}

let usage = "usage: alphalab-bench NAME [ARGUMENTS] (alphalab-bench --help lists the benchmarks; NAME --help says what one measures)"

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


let arguments = Array(CommandLine.arguments.dropFirst())
let wantsHelp = arguments.contains { ["--help", "-h", "help"].contains($0) }
if arguments.first == "load", arguments.count == 2 {
    // (internal) a store loaded into a panel in a fresh process, so that peak memory is the load's alone.
    let clock = Stopwatch()
    let panel = try PriceStore(readingExisting: arguments[1]).loadPanel()
    let seconds = clock.seconds
    print("\(seconds) \(peakResidentMemory()) \(panel.tickerCount) \(panel.dayCount) \(panel.barCount)")
} else if let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) {
    if wantsHelp {
        print(help(benchmark))
        exit(0)
    }
    do { try benchmark.run(Array(arguments.dropFirst())) } catch {
        print("alphalab-bench \(name): \(error)")
        exit(1)
    }
} else if wantsHelp {
    print("Benchmarks print figures beside their targets; they are never timed tests.\n\n" + usage + "\n")
    print(benchmarks.map(help).joined(separator: "\n\n"))
} else {
    FileHandle.standardError.write(Data(((arguments.first.map { "alphalab-bench: no benchmark named '\($0)'\n" } ?? "") + usage + "\n").utf8))
    exit(2)
}
