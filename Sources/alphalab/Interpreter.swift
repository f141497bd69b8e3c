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
        var shardSetting = environment["ALPHALAB_SHARD"]
        parsing: while i < args.count {
            let a = args[i]
            switch a {
            case "--shard":
                guard i + 1 < args.count else { return usage("'--shard' needs I/N or auto") }
                shardSetting = args[i + 1]
                i += 2
            case "-e", "-l":
                guard i + 1 < args.count else { return usage("'\(a)' needs an argument") }
                actions.append(a == "-e" ? .chunk(args[i + 1]) : .module(args[i + 1]))
                i += 2
            case "-i": interactive = true; i += 1
            case "-v": version = true; i += 1
            case "--": i += 1; if i < args.count { script = args[i] }; break parsing
            case "-": script = "-"; break parsing
            default:
                if a.hasPrefix("--shard=") { shardSetting = String(a.dropFirst(8)); i += 1; continue }
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
        // `--shard` belongs to AlphaLab wherever it stands, so a batch template can append it.
        while let k = scriptArguments.firstIndex(where: { $0 == "--shard" || $0.hasPrefix("--shard=") }) {
            if scriptArguments[k] == "--shard" {
                guard k + 1 < scriptArguments.count else { return usage("'--shard' needs I/N or auto") }
                shardSetting = scriptArguments[k + 1]
                scriptArguments.removeSubrange(k...(k + 1))
            } else {
                shardSetting = String(scriptArguments.remove(at: k).dropFirst(8))
            }
        }
        if let shardSetting {
            guard let script, script != "-", actions.isEmpty, !interactive else {
                return usage("--shard needs a script file (alphalab SCRIPT [ARGS...] --shard I/N)")
            }
            do {
                let shard: Shard
                do throws(ShardError) { shard = try Shard(setting: shardSetting, environment: environment) } catch {
                    throw CommandFailure(description: error.description)
                }
                try ShardWorker(script: script, arguments: scriptArguments, shard: shard).run()
                return 0
            } catch {
                FileHandle.standardError.write("alphalab: \(error)\n")
                return 1
            }
        }
        let folder = script.flatMap { $0 == "-" ? nil : URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let host = LuaHost(scriptFolder: folder)
        host.setArguments(script: script ?? "alphalab", arguments: scriptArguments,
                          interpreter: ["alphalab"] + Array(args[..<min(i, args.count)]))
        if version || (script == nil && actions.isEmpty && !interactive && isatty(0) != 0) { print(Repl.banner) }
        do {
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
                    try host.runFile(script, arguments: scriptArguments)
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
          --shard I/N  train shard I of N of the script's trainings and exit (or auto)
          --         stop handling options
          -          run stdin
        subcommands: alphalab import|info|market ... (alphalab --help)

        """.utf8))
        return 2
    }
}
