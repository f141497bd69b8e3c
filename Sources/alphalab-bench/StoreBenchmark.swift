import AlphaLab
import Foundation

/// `alphalab-bench store`: both run-store backends, SQLite and PostgreSQL (a throwaway
/// server started with tools/postgres/local-server.sh, or `$ALPHALAB_BENCH_POSTGRES`):
/// saving 1,000 runs, listing the 50 most recent of 10,000, a run's deflated Sharpe ratio
/// against a family of 10,000 trials, and what the ledger adds to one backtest.
func storeBenchmark() throws {
    let folder = try scratchFolder("store")
    let ownServer = ProcessInfo.processInfo.environment["ALPHALAB_BENCH_POSTGRES"] == nil
    let server = try ProcessInfo.processInfo.environment["ALPHALAB_BENCH_POSTGRES"] ?? startServer(folder + "/pg")
    let database = "alphalab_bench_\(getpid())"
    // However it ends: the database, the server it started and the scratch folder go.
    let cleanUp: @Sendable () -> Void = {
        if ownServer {
            _ = try? shell(["tools/postgres/local-server.sh", "stop", folder + "/pg"])
        } else {
            _ = try? shell(["psql", server, "-q", "-c", "DROP DATABASE IF EXISTS \(database)"])
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
    defer { cleanUp() }
    let interrupts = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            cleanUp()
            exit(128 + number)
        }
        source.resume()
        return source
    }
    defer { interrupts.forEach { $0.cancel() } }
    let (result, backtestSeconds) = try smallMomentumRun()
    _ = try shell(["psql", server, "-q", "-c", "CREATE DATABASE \(database)"])
    var url = URLComponents(string: server)!
    url.path = "/" + database
    let stores: [(String, any RunStore)] = [("SQLite", try SQLiteRunStore(path: folder + "/runs.db")), ("PostgreSQL", try RunStores.open(url.string!))]
    print("store: a momentum run (\(result.periods.count) periods) saved, listed and judged; both backends on this machine")
    var saveTimes: [Double] = []
    for (name, store) in stores {
        let save = Stopwatch()
        for _ in 0..<1000 { try store.save(result, seconds: 0) }
        saveTimes.append(save.seconds)
        figure("store \(name): save 1,000 runs", String(format: "%.2f s (%.2f ms a run)", save.seconds, save.seconds))
        for _ in 0..<9000 { try store.save(result, seconds: 0) }
        let list = try median(20) { _ = try store.list(RunFilter(limit: 50)) }
        figure("store \(name): list 50 most recent of 10,000", String(format: "%.1f ms", list * 1000), target: "target < 50 ms")
        try fillFamily(store, like: result)
        let trial = Trial(result: result, scriptHash: nil, user: "bench", host: "bench")
        let judge = try median(5) { _ = try store.judge(trial.sample, family: trial.family.key) }
        figure("store \(name): DSR against a family of 10,000 trials (running sums)", String(format: "%.1f ms", judge * 1000), target: "target < 50 ms")
        let full = try median(3) { _ = TrialVerdict(trial, samples: try store.samples(family: trial.family.key)) }
        let (fast, slow) = (try store.judge(trial.sample, family: trial.family.key), TrialVerdict(trial, samples: try store.samples(family: trial.family.key)))
        figure("store \(name): the same from every trial's returns", String(format: "%.1f ms (%.0fx the running sums; DSR %.6f both ways, |difference| %.1e)",
                                                                            full * 1000, full / judge, fast.deflated, abs(fast.deflated - slow.deflated)))
    }
    figure("store: save, PostgreSQL / SQLite", String(format: "%.2fx", saveTimes[1] / saveTimes[0]))

    // The ledger's cost on a backtest: making the trial and appending it (a new config each time).
    let ledger = try SQLiteRunStore(path: folder + "/ledger.db")
    var costs: [Double] = []
    for k in 0..<100 {
        var varied = result
        varied.config.topN = 100 + k
        let clock = Stopwatch()
        try ledger.record(Trial(result: varied, scriptHash: nil, user: "bench", host: "bench"))
        costs.append(clock.seconds)
    }
    costs.sort()
    figure("ledger (SQLite): cost per backtest (median of 100)", String(format: "%.2f ms", costs[50] * 1000), target: "target < 5 ms")
    figure("ledger: cost / the backtest's own time", String(format: "%.3fx (backtest %.0f ms)", costs[50] / backtestSeconds, backtestSeconds * 1000))
}

/// 10,000 trials in the family of `result`: its returns with noise, each a distinct config.
private func fillFamily(_ store: any RunStore, like result: ExperimentResult) throws {
    var random = RandomSource(seed: 9)
    let base = Trial(result: result, scriptHash: nil, user: "bench", host: "bench")
    for k in 0..<10_000 {
        let noise = base.returns.map { _ in 0.01 * random.normal() }
        try store.record(Trial(configHash: String(format: "%016x", k), family: base.family, name: base.name,
                               returns: zip(base.returns, noise).map(+), activeReturns: zip(base.activeReturns, noise).map(+),
                               claim: base.claim, riskFree: base.riskFree, scriptHash: nil, user: "bench", host: "bench",
                               recordedAt: base.recordedAt))
    }
}

/// The median wall time of `count` calls of `body`, in seconds.
private func median(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<count {
        let clock = Stopwatch()
        try body()
        times.append(clock.seconds)
    }
    return times.sorted()[count / 2]
}

/// A throwaway server (run from the repository); its URL.
private func startServer(_ folder: String) throws -> String {
    try shell(["tools/postgres/local-server.sh", "start", folder]).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs a command (through /usr/bin/env) and returns its output, failing on a non-zero exit.
func shell(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchmarkFailure(description: "\(arguments.joined(separator: " ")) failed") }
    return text
}

