import AlphaLab
import AlphaLabLua
import Foundation

extension AlphaLabCommand {
    /// Whether `word` is handled by the subcommands rather than the Lua interpreter.
    static func isSubcommand(_ word: String) -> Bool {
        ["import", "info", "market", "help", "--help", "-h", "--version"].contains(word)
            || configuration.subcommands.contains { $0.configuration.commandName == word }
    }
}

/// What a cluster task does with a script: train its shard of the planned trainings
/// (`--shard`), or run its shard of the script's runs (`--sweep-shard`).
enum WorkerRole {
    case trainings, sweep

    /// The role an argument asks for (`--shard`, `--shard=I/N`, `--sweep-shard`, ...).
    init?(option word: String) {
        if word == "--shard" || word.hasPrefix("--shard=") { self = .trainings }
        else if word == "--sweep-shard" || word.hasPrefix("--sweep-shard=") { self = .sweep }
        else { return nil }
    }

    var option: String { self == .trainings ? "--shard" : "--sweep-shard" }

    /// Removes the option at `index` (and its value) from `words`; returns the value, or nil when it has none.
    func take(from words: inout [String], at index: Int) -> String? {
        if words[index].hasPrefix(option + "=") { return String(words.remove(at: index).dropFirst(option.count + 1)) }
        guard index + 1 < words.count else { return nil }
        defer { words.removeSubrange(index...(index + 1)) }
        return words[index + 1]
    }
}

/// The Lua side of the command line, as `lua` does it:
/// `alphalab [options] [script [args]]` with `-e`, `-l`, `-i`, `-v`, `--` and `-`,
/// plus `alphalab run FILE.lua [ARGS...]`. No script and no `-e` starts the REPL.
struct Interpreter {
    let arguments: [String]
    var environment = ProcessInfo.processInfo.environment

    private enum Action {
        case chunk(String)
        case module(String)
    }

    /// Runs and returns the exit status: 0, or 1 after a Lua error (message and
    /// traceback on stderr), or 2 for a usage error.
    func run() -> Int32 {
        var actions: [Action] = [], interactive = false, version = false
        var i = 0
        var args = arguments
        if args.first == "run" {
            guard args.count >= 2 else { return usage("'run' needs a script: alphalab run FILE.lua [ARGS...]") }
            args.removeFirst()
        }
        var script: String?
        var worker = environment["ALPHALAB_SHARD"].map { (role: WorkerRole.trainings, setting: $0) }
        var confinement = Confinement(sandboxed: ["1", "true", "yes"].contains(environment["ALPHALAB_SANDBOX"]?.lowercased() ?? ""))
        parsing: while i < args.count {
            let a = args[i]
            if let role = WorkerRole(option: a) {
                guard let found = role.take(from: &args, at: i) else { return usage("'\(role.option)' needs I/N or auto") }
                worker = (role, found)
                continue
            }
            do {
                if try confinement.take(&args, at: i) { continue }
            } catch {
                return usage(error.description)
            }
            switch a {
            case "-e", "-l":
                guard i + 1 < args.count else { return usage("'\(a)' needs an argument") }
                actions.append(a == "-e" ? .chunk(args[i + 1]) : .module(args[i + 1]))
                i += 2
            case "-i": interactive = true; i += 1
            case "-v": version = true; i += 1
            case "--": i += 1; if i < args.count { script = args[i] }; break parsing
            case "-": script = "-"; break parsing
            default:
                if a.hasPrefix("-") && a.count > 1 {
                    if a.hasPrefix("-e") { actions.append(.chunk(String(a.dropFirst(2)))); i += 1; continue }
                    if a.hasPrefix("-l") { actions.append(.module(String(a.dropFirst(2)))); i += 1; continue }
                    return usage("unrecognized option '\(a)'")
                }
                script = a
                break parsing
            }
        }
        var scriptArguments = script == nil ? [] : Array(args[(i + 1)...])
        // `--shard` and `--sweep-shard` belong to AlphaLab wherever they stand, so a batch template can append them.
        var k = 0
        while k < scriptArguments.count {
            guard let role = WorkerRole(option: scriptArguments[k]) else { k += 1; continue }
            guard let found = role.take(from: &scriptArguments, at: k) else { return usage("'\(role.option)' needs I/N or auto") }
            worker = (role, found)
        }
        if confinement.output != nil && !confinement.sandboxed { return usage("'--output' names the sandbox's output folder: add --sandbox") }
        if let worker {
            guard !confinement.sandboxed else { return usage("\(worker.role.option) runs a script for real on the cluster and cannot be sandboxed") }
            guard let script, script != "-", actions.isEmpty, !interactive else {
                return usage("\(worker.role.option) needs a script file (alphalab SCRIPT [ARGS...] \(worker.role.option) I/N)")
            }
            do {
                let shard: Shard
                do throws(ShardError) { shard = try Shard(setting: worker.setting, environment: environment) } catch {
                    throw CommandFailure(description: error.description)
                }
                switch worker.role {
                case .trainings: try ShardWorker(script: script, arguments: scriptArguments, shard: shard).run()
                case .sweep: try SweepWorker(script: script, arguments: scriptArguments, shard: shard).run()
                }
                return 0
            } catch {
                FileHandle.standardError.write("alphalab: \(error)\n")
                return 1
            }
        }
        let folder = script.flatMap { $0 == "-" ? nil : URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let sandbox = confinement.sandbox(folder: folder, arguments: scriptArguments, stdlib: LuaHost.locateStdlib(environment: environment),
                                          environment: environment)
        let host = LuaHost(scriptFolder: folder, environment: environment, sandbox: sandbox)
        if sandbox == nil, confinement.memoryLimit != nil || confinement.cpuLimit != nil {
            host.state.setLimits(memoryBytes: confinement.memoryLimit, cpuSeconds: confinement.cpuLimit)
        }
        host.setArguments(script: script ?? "alphalab", arguments: scriptArguments,
                          interpreter: ["alphalab"] + Array(args[..<min(i, args.count)]))
        // Read once: the text that runs is the text a recorded run keeps.
        let scriptText = script.flatMap { $0 == "-" ? nil : try? String(contentsOfFile: $0, encoding: .utf8) }
        host.state.session.invocation = invocation(script: script, text: scriptText, arguments: scriptArguments, actions: actions)
        if version || (script == nil && actions.isEmpty && !interactive && isatty(0) != 0) { print(Repl.banner) }
        do throws(LuaError) {
            for action in actions {
                switch action {
                case .chunk(let chunk): try host.run(chunk, name: "=(command line)")
                case .module(let name): try host.require(name)
                }
            }
            if let script {
                if script == "-" {
                    let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    try host.run(text.hasPrefix("#") ? "--" + text : text, name: "=stdin")
                } else {
                    guard let scriptText else { throw LuaError("cannot open \(script)") }
                    try host.runScript(scriptText, path: script, arguments: scriptArguments)
                }
            }
        } catch {
            report(error)
            return 1
        }
        if interactive || (script == nil && actions.isEmpty && !version) {
            if script == nil && actions.isEmpty && !version && isatty(0) == 0 {
                // `alphalab < file` runs the file, as `lua` does with a non-terminal stdin.
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                do { try host.run(text, name: "=stdin") } catch { report(error); return 1 }
                return 0
            }
            Repl(host: host).run()
        }
        return 0
    }

    /// What the run store keeps of this run so `alphalab rerun` can repeat it: a script
    /// file's text, or a lone `-e` chunk; nothing for the REPL or stdin.
    private func invocation(script: String?, text: String?, arguments: [String], actions: [Action]) -> LabSession.Invocation? {
        let folder = FileManager.default.currentDirectoryPath
        if let script, let text {
            return .init(path: script, text: text, arguments: arguments, workingDirectory: folder)
        }
        if script == nil, actions.count == 1, case .chunk(let chunk) = actions[0] {
            return .init(path: nil, text: chunk, arguments: [], workingDirectory: folder)
        }
        return nil
    }

    private func report(_ error: LuaError) {
        fflush(nil) // what the script printed comes before the error
        FileHandle.standardError.write(Data("alphalab: \(error.message)\n".utf8))
    }

    private func usage(_ problem: String) -> Int32 {
        FileHandle.standardError.write(Data("""
        alphalab: \(problem)
        usage: alphalab [options] [script [args]]
          -e chunk   run the chunk
          -l mod     require mod into the global mod
          -i         enter the REPL after running the script
          -v         print the version
          --sandbox  run confined, for scripts from others (also ALPHALAB_SANDBOX=1): no
                     programs or native code; reads under the script's folder, stdlib,
                     ALPHALAB_PATH, the output folder and the paths among its arguments;
                     writes under the output folder only
          --output DIR        the sandbox's output folder (default results)
          --memory-limit MB   most memory Lua code may hold (sandbox: 1024)
          --cpu-limit SECONDS most CPU time Lua code may run per chunk (sandbox: 300)
          --shard I/N  train shard I of N of the script's trainings and exit (or auto)
          --sweep-shard I/N  run shard I of N of the script's runs, store their results, exit
          --         stop handling options
          -          run stdin
        subcommands: alphalab import|info|market ... (alphalab --help)

        """.utf8))
        return 2
    }
}
