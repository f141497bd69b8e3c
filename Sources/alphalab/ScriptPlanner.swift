import AlphaLab
import AlphaLabLua
import Foundation

/// Learns which trainings a script needs by running it as a dry run: its datasets
/// record training requests instead of training (stand-in models predict zero), its
/// files and run records are discarded and its output is silenced. The script runs
/// through in seconds; the plan then lists, costs and shards the trainings.
///
/// A script whose later experiments depend on earlier results (choosing a setting by
/// its Sharpe, say) plans from stand-in results: trainings that only a real result
/// would ask for are not in the plan and train in the final run.
struct ScriptPlanner {
    let script: String
    let arguments: [String]

    /// The plan, and the dry run's wall time in seconds.
    func plan() throws -> (plan: TrainingPlan, seconds: Double) {
        guard FileManager.default.fileExists(atPath: script) else { throw CommandFailure(description: "cannot open \(script)") }
        let host = LuaHost(scriptFolder: URL(fileURLWithPath: script).deletingLastPathComponent().path)
        host.setArguments(script: script, arguments: arguments, interpreter: ["alphalab"])
        let plan = TrainingPlan()
        let clock = Stopwatch()
        do {
            try host.startPlanning(plan)
            try Self.silenced { () throws(LuaError) in try host.runFile(script, arguments: arguments) }
        } catch {
            throw CommandFailure(description: "\(script) failed in the dry run that plans its trainings: \(error.message)")
        }
        return (plan, clock.seconds)
    }

    /// Runs `body` with standard output and error going nowhere.
    static func silenced<T>(_ body: () throws(LuaError) -> T) throws(LuaError) -> T {
        fflush(nil)
        let out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY)
        dup2(null, 1)
        dup2(null, 2)
        defer {
            fflush(nil)
            dup2(out, 1)
            dup2(err, 2)
            for fd in [out, err, null] { close(fd) }
        }
        return try body()
    }
}
