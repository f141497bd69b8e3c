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
        parsing: while i < args.count {
            let a = args[i]
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
        let scriptArguments = script == nil ? [] : Array(args[(i + 1)...])
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
          --         stop handling options
          -          run stdin
        subcommands: alphalab import|info|market ... (alphalab --help)

        """.utf8))
        return 2
    }
}
