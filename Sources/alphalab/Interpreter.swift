import AlphaLab
import AlphaLabLua
import Foundation

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
    /// Whether the script is one of AlphaLab's own commands (`picks`, `verdict`): its
    /// errors are messages to the user, shown without a Lua traceback.
    var isCommand = false

    private enum Action {
        case chunk(String)
        case module(String)
    }

    /// What the command line asks for.
    private struct Request {
        var actions: [Action] = []
        var interactive = false, version = false
        /// `--no-ledger`: this process's backtests are not counted as trials.
        var noLedger = false
        var script: String?
        var scriptArguments: [String] = []
        /// The interpreter's own words before the script (`arg`'s negative indices).
        var options: [String] = []
        var worker: (role: WorkerRole, setting: String)?
        var confinement: Confinement
        /// Whether nothing runs but the REPL (no script, no -e or -l, no -v).
        var replOnly: Bool { script == nil && actions.isEmpty && !version }
    }

    /// A command line `lua` would refuse.
    private struct UsageError: Error { let problem: String }

    /// Runs and returns the exit status: 0, or 1 after a Lua error (message and
    /// traceback on stderr), or 2 for a usage error.
    func run() -> Int32 {
        let request: Request
        do { request = try parse() } catch { return usage(error.problem) }
        if let worker = request.worker { return runWorker(worker, request) }
        return runLua(request)
    }

    /// Reads the options, the script and its arguments from the command line.
    private func parse() throws(UsageError) -> Request {
        var args = arguments
        if args.first == "run" {
            guard args.count >= 2 else { throw UsageError(problem: "'run' needs a script: alphalab run FILE.lua [ARGS...]") }
            args.removeFirst()
        }
        var request = Request(confinement: Confinement(sandboxed: ["1", "true", "yes"].contains(environment["ALPHALAB_SANDBOX"]?.lowercased() ?? "")))
        request.worker = environment["ALPHALAB_SHARD"].map { (role: WorkerRole.trainings, setting: $0) }
        var i = 0
        parsing: while i < args.count {
            let a = args[i]
            if let role = WorkerRole(option: a) {
                guard let found = role.take(from: &args, at: i) else { throw UsageError(problem: "'\(role.option)' needs I/N or auto") }
                request.worker = (role, found)
                continue
            }
            do {
                if try request.confinement.take(&args, at: i) { continue }
            } catch {
                throw UsageError(problem: error.description)
            }
            switch a {
            case "-e", "-l":
                guard i + 1 < args.count else { throw UsageError(problem: "'\(a)' needs an argument") }
                request.actions.append(a == "-e" ? .chunk(args[i + 1]) : .module(args[i + 1]))
                i += 2
            case "-i": request.interactive = true; i += 1
            case "--no-ledger": request.noLedger = true; i += 1
            case "-v": request.version = true; i += 1
            case "--": i += 1; if i < args.count { request.script = args[i] }; break parsing
            case "-": request.script = "-"; break parsing
            default:
                if a.hasPrefix("-") && a.count > 1 {
                    if a.hasPrefix("-e") { request.actions.append(.chunk(String(a.dropFirst(2)))); i += 1; continue }
                    if a.hasPrefix("-l") { request.actions.append(.module(String(a.dropFirst(2)))); i += 1; continue }
                    throw UsageError(problem: "unrecognized option '\(a)'")
                }
                request.script = a
                break parsing
            }
        }
        request.scriptArguments = request.script == nil ? [] : Array(args[(i + 1)...])
        request.options = Array(args[..<min(i, args.count)])
        try takeWorkerOptions(&request)
        return request
    }

    /// Checks what goes with `--shard` and `--sweep-shard`. They are the interpreter's options,
    /// before the script; after the script's arguments (where batch templates put them
    /// before this release) they are still taken, with a deprecation message.
    private func takeWorkerOptions(_ request: inout Request) throws(UsageError) {
        var k = 0
        while k < request.scriptArguments.count {
            guard let role = WorkerRole(option: request.scriptArguments[k]) else { k += 1; continue }
            guard let found = role.take(from: &request.scriptArguments, at: k) else { throw UsageError(problem: "'\(role.option)' needs I/N or auto") }
            FileHandle.standardError.write(Data("\(role.option) after the script's arguments is deprecated: it is now an option before the script (alphalab \(role.option) I/N SCRIPT [ARGS...]); the old place goes in the next release\n".utf8))
            request.worker = (role, found)
        }
        if let option = request.confinement.sandboxOnlyOption, !request.confinement.sandboxed {
            throw UsageError(problem: "'\(option)' is a rule of the sandbox: add --sandbox")
        }
        guard let worker = request.worker else { return }
        guard !request.confinement.sandboxed else { throw UsageError(problem: "\(worker.role.option) runs a script for real on the cluster and cannot be sandboxed") }
        guard let script = request.script, script != "-", request.actions.isEmpty, !request.interactive else {
            throw UsageError(problem: "\(worker.role.option) needs a script file (alphalab \(worker.role.option) I/N SCRIPT [ARGS...])")
        }
    }

    /// A cluster task: trains its shard of the script's trainings or runs its shard of the script's runs.
    private func runWorker(_ worker: (role: WorkerRole, setting: String), _ request: Request) -> Int32 {
        do {
            let shard: Shard
            do throws(ShardError) { shard = try Shard(setting: worker.setting, environment: environment) } catch {
                throw CommandFailure(description: error.description)
            }
            switch worker.role {
            case .trainings: try ShardWorker(script: request.script!, arguments: request.scriptArguments, shard: shard).run()
            case .sweep: try SweepWorker(script: request.script!, arguments: request.scriptArguments, shard: shard).run()
            }
            return 0
        } catch {
            FileHandle.standardError.write("alphalab: \(error)\n")
            return 1
        }
    }

    /// Runs the chunks, modules and script in a new host, then the REPL if asked.
    private func runLua(_ request: Request) -> Int32 {
        let script = request.script
        let folder = script.flatMap { $0 == "-" ? nil : URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let confinement = request.confinement
        let sandbox = confinement.sandbox(folder: folder, arguments: request.scriptArguments,
                                          stdlib: LuaHost.locateStdlib(environment: environment), environment: environment)
        let host = LuaHost(scriptFolder: folder, environment: environment, sandbox: sandbox)
        if sandbox == nil, confinement.memoryLimit != nil || confinement.cpuLimit != nil {
            host.state.setLimits(memoryBytes: confinement.memoryLimit, cpuSeconds: confinement.cpuLimit)
        }
        host.setArguments(script: script ?? "alphalab", arguments: request.scriptArguments, interpreter: ["alphalab"] + request.options)
        // Read once: the text that runs is the text a recorded run keeps.
        let scriptText = script.flatMap { $0 == "-" ? nil : try? String(contentsOfFile: $0, encoding: .utf8) }
        host.state.session.invocation = invocation(script: script, text: scriptText, arguments: request.scriptArguments,
                                                   actions: request.actions)
        configureLedger(host.state.session, request)
        if request.version || (request.replOnly && !request.interactive && isatty(0) != 0) { print(Repl.banner) }
        do throws(LuaError) {
            try runActions(request, scriptText: scriptText, in: host)
        } catch {
            report(error)
            return 1
        }
        guard request.interactive || request.replOnly else { return 0 }
        if request.replOnly && isatty(0) == 0 {
            // `alphalab < file` runs the file, as `lua` does with a non-terminal stdin.
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            do { try host.run(text, name: "=stdin") } catch { report(error); return 1 }
            return 0
        }
        Repl(host: host).run()
        return 0
    }

    /// `--no-ledger` turns trials off, and says so. Where they go otherwise is the script's
    /// to say (`lab.ledger`, which `cli.parse` calls for its `--runs`).
    private func configureLedger(_ session: LabSession, _ request: Request) {
        if request.noLedger {
            session.ledgerOff = true
            FileHandle.standardError.write(Data("alphalab: --no-ledger: this process's backtests are not recorded as trials\n".utf8))
        }
    }

    /// The `-e` chunks and `-l` modules in order, then the script (a file, or stdin for `-`).
    private func runActions(_ request: Request, scriptText: String?, in host: LuaHost) throws(LuaError) {
        for action in request.actions {
            switch action {
            case .chunk(let chunk): try host.run(chunk, name: "=(command line)")
            case .module(let name): try host.require(name)
            }
        }
        guard let script = request.script else { return }
        if script == "-" {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            try host.run(text.hasPrefix("#") ? "--" + text : text, name: "=stdin")
        } else {
            guard let scriptText else { throw LuaError("cannot open \(script)") }
            try host.runScript(scriptText, path: script, arguments: request.scriptArguments)
        }
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
        // A script may be handed a store URL with a password: it never reaches the terminal or a log.
        var message = error.message
        if isCommand, let traceback = message.range(of: "\nstack traceback:") { message = String(message[..<traceback.lowerBound]) }
        FileHandle.standardError.write(Data(RunStores.redacted("alphalab: \(message)\n").utf8))
    }

    private func usage(_ problem: String) -> Int32 {
        FileHandle.standardError.write(Data("alphalab: \(problem)\n\(Self.usage)\ncommands: alphalab --help\n".utf8))
        return 2
    }

    /// The interpreter's options, as `lua` lists them (also in `alphalab run --help`).
    static let usage = """
        usage: alphalab [options] [script [args]]
          -e chunk   run the chunk
          -l mod     require mod into the global mod
          -i         enter the REPL after running the script
          -v         print the version
          --sandbox  run confined, for scripts from others (also ALPHALAB_SANDBOX=1): no
                     programs or native code; reads under the script's folder, stdlib,
                     ALPHALAB_PATH, the output folder and the paths among its arguments;
                     writes under the output folder only; no io.tmpfile
          --no-ledger  do not record this process's backtests as trials (the ledger:
                     the store of --runs or $ALPHALAB_RUNS, else
                     ~/.local/share/alphalab/ledger.db)
          --output DIR        the sandbox's output folder (default results)
          --memory-limit MB   most memory Lua code may hold (sandbox: 1024)
          --cpu-limit SECONDS most CPU time Lua code may run per chunk (sandbox: 300)
          --output-limit MB   most bytes the sandboxed script may write under DIR (1024)
          --env NAME          let the sandboxed script read $NAME (os.getenv sees only
                              ALPHALAB_* variables and those named; repeatable)
          --shard I/N  train shard I of N of the script's trainings and exit (or auto), before the script
          --sweep-shard I/N  run shard I of N of the script's runs, store their results, exit
          --         stop handling options
          -          run stdin
        """
}
