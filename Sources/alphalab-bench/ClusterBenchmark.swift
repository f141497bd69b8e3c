import AlphaLab
import Foundation

/// `alphalab-bench cluster`: the plan of a Phase 2-style run on all of sp500 and its
/// balance over shards, then one process against a 2-shard Slurm array job on a subset.
func clusterBenchmark(dataDir: String, tickers: Int) throws {
    let binary = RunningProgram.sibling("alphalab")
    let folder = try scratchFolder("cluster")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // The runs happen in a scratch folder: paths are made absolute from the repository.
    let repository = FileManager.default.currentDirectoryPath
    let dataDir = dataDir.hasPrefix("/") ? dataDir : repository + "/" + dataDir
    let data = ["--csv", dataDir + "/sp500/daily_adjusted", "--sectors", dataDir + "/sp500/constituents.csv",
                "--benchmark", dataDir + "/benchmarks/SPY.csv"]
    let script = [repository + "/scripts/phase2_validation.lua", "--only", "0,2", "--start", "2017", "--end", "2020", "--retrain-weeks", "1"] + data

    print("cluster: Phase 2-style run, weekly retraining 2017-2020 of the ensemble and the momentum model, "
          + "on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let clock = Stopwatch()
    let planned = try run(binary, ["plan", "--json", "--shards", "8"] + script + ["--cache", folder + "/plan-cache"], in: folder)
    let planSeconds = clock.seconds
    struct Plan: Decodable { var trainings: [TrainingPlan.Entry] }
    let entries = try JSONDecoder().decode(Plan.self, from: Data(planned.utf8)).trainings
    let costs = entries.map(\.cost)
    figure("all of sp500: planned trainings", "\(costs.count)")
    figure("  estimated cost (rows x trees)", String(format: "%.3g", costs.reduce(0, +)))
    figure("  plan (dry run, CSV import included)", String(format: "%.1f s", planSeconds))
    for count in [2, 4, 8, 16] {
        figure("  \(count) shards: largest / mean estimated cost", String(format: "%.3fx", ShardAssignment(entries, count: count).imbalance),
               target: count == 8 ? "target <= 1.2x" : "")
    }

    let subset = script + ["--limit", String(tickers), "--quiet"]
    let subsetPlan = try JSONDecoder().decode(Plan.self, from: Data(try run(binary, ["plan", "--json"] + subset + ["--cache", folder + "/c0"], in: folder).utf8))
    print("first \(tickers) tickers: \(subsetPlan.trainings.count) trainings")
    let single = Stopwatch()
    let log = try run(binary, subset.filter { $0 != "--quiet" } + ["--cache", folder + "/single-cache", "--out", folder + "/single", "--runs", folder + "/single.db"],
                      in: folder, stderr: true)
    let singleSeconds = single.seconds
    let training = log.split(separator: "\n").first { $0.hasPrefix("trainings:") }.map(String.init) ?? "?"
    figure("  1 process, cold", String(format: "%.1f s", singleSeconds))
    figure("    its " + training.replacingOccurrences(of: "trainings: ", with: ""), "")

    let arraySeconds = try slurmArray(subset: subset, binary: binary, repository: repository, folder: folder)
    figure("  array / 1 process", String(format: "%.2fx", arraySeconds / singleSeconds))
    let identical = FileManager.default.contents(atPath: folder + "/single/phase2_results.json")
        == FileManager.default.contents(atPath: folder + "/array/phase2_results.json")
    figure("  results identical to the 1-process run", identical ? "yes" : "NO")
}

/// Runs `subset` as a 2-shard array job (and its final job) on a one-node Slurm cluster
/// started for it; prints each shard's summary and returns the wall time.
private func slurmArray(subset: [String], binary: String, repository: String, folder: String) throws -> Double {
    let tools = repository + "/tools/slurm"
    let cluster = folder + "/slurm"
    let started = try run("/bin/bash", [tools + "/local-cluster.sh", "start", cluster], in: folder)
    defer { _ = try? run("/bin/bash", [tools + "/local-cluster.sh", "stop", cluster], in: folder) }
    setenv("SLURM_CONF", cluster + "/slurm.conf", 1)
    setenv("ALPHALAB", binary, 1)
    print("  slurm: " + started.trimmingCharacters(in: .whitespacesAndNewlines))
    let array = Stopwatch()
    _ = try run("/bin/bash", [tools + "/submit.sh", "--shards", "2", "--wait"] + subset
                + ["--cache", folder + "/shared-cache", "--out", folder + "/array", "--runs", folder + "/array.db"], in: folder)
    let arraySeconds = array.seconds
    let shardLogs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("alphalab-shard-") }.sorted()
    figure("  2-shard Slurm array + final job, cold", String(format: "%.1f s", arraySeconds))
    for name in shardLogs {
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        if let summary = text.split(separator: "\n").last(where: { $0.hasPrefix("shard ") }) { print("    " + summary) }
    }
    return arraySeconds
}

/// Runs `executable` and returns its standard output (or standard error), failing on a non-zero exit.
private func run(_ executable: String, _ arguments: [String], in directory: String, stderr: Bool = false) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = directory + "/.out-\(UUID().uuidString)", err = directory + "/.err-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try process.run()
    process.waitUntilExit()
    let output = try String(contentsOfFile: stderr ? err : out, encoding: .utf8)
    guard process.terminationStatus == 0 else {
        throw BenchmarkFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed: " + (try String(contentsOfFile: err, encoding: .utf8)))
    }
    return output
}

