import AlphaLab
import AlphaLabLua
import Foundation

/// `alphalab SCRIPT [options] --sweep-shard I/N`: one worker of a sweep (a Phase 3 grid,
/// say) spread over a cluster. The script runs silenced and writes nothing; of its runs
/// that can be stored (those with the config's own scorer, on a dataset with a disk
/// cache), every N-th from the I-th runs for real and its result goes to the cache's
/// `results/` folder; the others run on stand-in models. The script's ordinary run
/// afterwards finds every result, runs nothing, and writes and records them.
struct SweepWorker {
    let script: String
    let arguments: [String]
    let shard: Shard

    func run() throws {
        guard FileManager.default.fileExists(atPath: script) else { throw CommandFailure(description: "cannot open \(script)") }
        let host = LuaHost(scriptFolder: URL(fileURLWithPath: script).deletingLastPathComponent().path)
        host.setArguments(script: script, arguments: arguments, interpreter: ["alphalab"])
        host.state.session.start(.sweep(shard))
        let clock = Stopwatch()
        do {
            try ScriptPlanner.silenced { () throws(LuaError) in try host.runFile(script, arguments: arguments) }
        } catch {
            throw CommandFailure(description: "\(script) failed in sweep shard \(shard): \(error.message)")
        }
        let runs = host.state.session.sweepRuns
        print("sweep shard \(shard): \(runs.ran) of the script's \(runs.seen) storable runs are this shard's, done in "
              + String(format: "%.1f s", clock.seconds) + " (a result stored already is not run again)")
    }
}
