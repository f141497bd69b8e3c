import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// `alphalab rerun ID`: runs a recorded run's script again, from the text the run store
/// kept, with its arguments and in its folder, and says whether every figure is
/// identical; if not, which figures differ and what changed since (the data's
/// fingerprint, the AlphaLab or XGBoost version). Nothing stored or written changes.
struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Run a recorded run again from the run store and compare every figure.",
        discussion: """
        The script runs from the text recorded with the run (a later edit of the file does
        not change the rerun; the report says whether the file still matches), with the
        recorded arguments, in the recorded folder. Its output is silenced; the runs it
        saves are compared, not recorded, and the files it writes are discarded. Trained
        models come from the disk cache when their keys (data, settings, versions) match;
        --fresh trains everything again. Exit status: 0 identical, 1 different or failed.
        """)

    @Argument(help: "The recorded run's id (alphalab -e 'require(\"runs\").print_list(lab.runs())').")
    var id: Int64

    @Option(name: .customLong("runs"), help: ArgumentHelp("The run store.", discussion: "Default: $ALPHALAB_RUNS, else results/runs.db.", valueName: "PATH"))
    var store: String?

    @Flag(help: "Train every model again instead of reading the disk cache.")
    var fresh = false

    @Flag(help: "Rerun unconfined a run recorded by someone else or on another host (by default it reruns in the sandbox).")
    var trust = false

    @Flag(help: ArgumentHelp("Rerun confined, as alphalab --sandbox runs a script (the default for a run from someone else).",
                             discussion: "Reads only under the script's folder, stdlib/, $ALPHALAB_PATH, results/ and the paths among the recorded arguments."))
    var sandbox = false

    func run() throws {
        let path = store ?? RunStores.defaultLocation()
        guard RunStores.isURL(path) || FileManager.default.fileExists(atPath: path) else { throw CommandFailure(description: "no run store at \(path)") }
        let runs = try RunStores.open(path)
        let recorded = try runs.load(id: id)
        guard let provenance = try runs.provenance(id: id) else {
            throw CommandFailure(description: "run \(id) in \(path) was recorded without a script (from the REPL, or before AlphaLab kept scripts): it cannot be rerun")
        }
        let again = try rerun(provenance, name: recorded.name)
        let report = Self.report(id: id, recorded: recorded, again: again, provenance: provenance)
        print(report.text)
        if !report.identical { throw ExitCode(1) }
    }

    /// Runs the recorded script in its folder; returns the result of the same place among the runs it saves.
    private func rerun(_ provenance: RunProvenance, name: String) throws -> ExperimentResult {
        let fm = FileManager.default
        let here = fm.currentDirectoryPath
        guard fm.changeCurrentDirectoryPath(provenance.workingDirectory) else {
            throw CommandFailure(description: "run \(id) ran in \(provenance.workingDirectory), which is gone: its relative paths mean nothing elsewhere")
        }
        defer { fm.changeCurrentDirectoryPath(here) }
        let script = provenance.scriptPath ?? "(command line)"
        let folder = provenance.scriptPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let confine = sandbox || (provenance.isForeign && !trust)
        if confine && !sandbox {
            FileHandle.standardError.write(Data("""
                alphalab rerun: run \(id) was recorded by \(provenance.user ?? "?") on \(provenance.host ?? "?"): its script is rerun in the \
                sandbox (--trust reruns it unconfined)

                """.utf8))
        }
        let confined = confine ? Sandbox.forScript(folder: folder, arguments: provenance.arguments, stdlib: LuaHost.locateStdlib(), output: nil) : nil
        let host = LuaHost(scriptFolder: folder, sandbox: confined)
        host.setArguments(script: script, arguments: provenance.arguments, interpreter: ["alphalab"])
        host.state.session.ledgerOff = GlobalOptions.given.contains("--no-ledger")
        do {
            try host.startRerun(fresh: fresh)
            try ScriptPlanner.silenced { () throws(LuaError) in
                try host.runScript(provenance.scriptText, path: script, arguments: provenance.arguments)
            }
        } catch {
            throw CommandFailure(description: "the rerun of run \(id) failed: \(error.message)")
        }
        let captured = host.state.session.captured
        guard provenance.sequence <= captured.count else {
            throw CommandFailure(description: "run \(id) was run \(provenance.sequence) of its script's recorded runs, but the rerun recorded only \(captured.count)")
        }
        let result = captured[provenance.sequence - 1]
        guard result.name == name else {
            throw CommandFailure(description: "run \(id) is '\(name)', but the rerun's run \(provenance.sequence) is '\(result.name)': the script no longer records the same runs")
        }
        return result
    }

    /// What the rerun found, as printed.
    static func report(id: Int64, recorded: ExperimentResult, again: ExperimentResult, provenance: RunProvenance) -> (text: String, identical: Bool) {
        let comparison: (differences: [ResultDifference], figures: Int)
        do { comparison = try ResultDifference.compare(recorded, again) } catch {
            return ("run \(id): the results cannot be compared: \(error)", false)
        }
        var lines: [String] = []
        let command = ([provenance.scriptPath ?? "-e '\(provenance.scriptText)'"] + provenance.arguments).joined(separator: " ")
        lines.append("run \(id) '\(recorded.name)': run \(provenance.sequence) of `alphalab \(command)` in \(provenance.workingDirectory)")
        var scriptNote = "rerun from the stored text"
        if let path = provenance.scriptPath {
            let file = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: provenance.workingDirectory, isDirectory: true)).path
            if let now = try? String(contentsOfFile: file, encoding: .utf8) {
                let hash = RunProvenance.hash(now)
                scriptNote += hash == provenance.scriptHash ? "; the file is unchanged" : "; the file has changed since (hash \(hash) now)"
            } else {
                scriptNote += "; the file is gone"
            }
        }
        lines.append("  script    hash \(provenance.scriptHash), \(scriptNote)")
        let dataChanged = recorded.dataFingerprint != again.dataFingerprint
        lines.append("  data      fingerprint \(recorded.dataFingerprint) then, \(again.dataFingerprint) now\(dataChanged ? "  CHANGED" : "")")
        let alphalabChanged = provenance.alphalabVersion != AlphaLabVersion.string
        let xgboostChanged = provenance.xgboostVersion != XGBoostModel.libraryVersion
        lines.append("  versions  AlphaLab \(provenance.alphalabVersion) then, \(AlphaLabVersion.string) now; "
            + "XGBoost \(provenance.xgboostVersion) then, \(XGBoostModel.libraryVersion) now\(alphalabChanged || xgboostChanged ? "  CHANGED" : "")")
        // The headline figures first, then the other top-level ones, then curves and weeks.
        let headline = ["total_return", "sharpe", "max_drawdown", "excess_return", "cagr", "win_rate"]
        func rank(_ d: ResultDifference) -> Int {
            headline.firstIndex(of: d.path) ?? (d.path.contains(where: { $0 == "." || $0 == "[" }) ? headline.count + 1 : headline.count)
        }
        let differences = comparison.differences.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        guard !differences.isEmpty else {
            lines.append("identical: all \(comparison.figures) figures equal the recorded run's")
            return (lines.joined(separator: "\n"), true)
        }
        lines.append("DIFFERENT: \(differences.count) of \(comparison.figures) figures differ from the recorded run's")
        for d in differences.prefix(12) { lines.append("  \(d)") }
        if differences.count > 12 { lines.append("  ... and \(differences.count - 12) more") }
        var causes: [String] = []
        if dataChanged { causes.append("the data (fingerprint \(recorded.dataFingerprint) then, \(again.dataFingerprint) now)") }
        if alphalabChanged { causes.append("AlphaLab (\(provenance.alphalabVersion) then, \(AlphaLabVersion.string) now)") }
        if xgboostChanged { causes.append("XGBoost (\(provenance.xgboostVersion) then, \(XGBoostModel.libraryVersion) now)") }
        lines.append(causes.isEmpty
            ? "what changed: none of the data, the script or the versions; look at the modules it requires (stdlib/, ALPHALAB_PATH)"
            : "what changed: " + causes.joined(separator: "; "))
        return (lines.joined(separator: "\n"), false)
    }
}
