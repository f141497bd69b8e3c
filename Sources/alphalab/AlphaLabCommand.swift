import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// The `alphalab` command: its commands, and the Lua interpreter when none is named.
struct AlphaLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alphalab",
        abstract: "Walk-forward research on ML stock-selection strategies.",
        discussion: """
        Without a command, alphalab is Lua 5.4 with the lab module, on the conventions
        of the standalone lua interpreter:
          alphalab                       the REPL
          alphalab FILE.lua [ARGS...]    run a script (alphalab run --help says more)
          alphalab -e CHUNK              run a chunk (-l MOD, -i, -v and - as in lua)
          alphalab --sandbox FILE.lua    run a script from someone else, confined
          alphalab --no-ledger ...       do not record this process's backtests as
                                         trials (before or after a command's name)
          alphalab --annotations [PATH]  LuaLS annotations of lab (stdlib/meta/lab.lua)
        require() searches the script's folder, AlphaLab's stdlib/, then $ALPHALAB_PATH.
        """,
        version: "alphalab \(AlphaLabVersion.string) (Lua \(LuaHost.luaVersion), XGBoost \(XGBoostModel.libraryVersion))",
        subcommands: [RunCommand.self, VerdictCommand.self, PicksCommand.self, PlanCommand.self, RerunCommand.self,
                      TrialsCommand.self, ImportCommand.self, InfoCommand.self, MarketCommand.self,
                      ServeForward.self, KernelForward.self, StoreCommand.self]
    )

    /// Whether `word` names a command or asks for the commands' help or version, rather than
    /// being a script or an option of the Lua interpreter.
    static func isCommand(_ word: String) -> Bool {
        ["help", "--help", "-h", "--version"].contains(word)
            || configuration.subcommands.contains { $0.configuration.commandName == word }
    }

    /// Parses and runs a command, as `main()` does, after checking that the global options
    /// given apply to it.
    static func dispatch(_ words: [String]) -> Never {
        do {
            var command = try parseAsRoot(words)
            if let option = GlobalOptions.given.first, !(command is RecordsTrials) {
                let name = type(of: command).configuration.commandName ?? "this command"
                throw ValidationError("\(option) applies to the commands that run backtests (run, verdict, picks, rerun), not to \(name)")
            }
            try command.run()
            Foundation.exit(0)
        } catch {
            exit(withError: error)
        }
    }
}

/// A command whose backtests are recorded as trials, and so takes `--no-ledger`.
protocol RecordsTrials {}

extension RunCommand: RecordsTrials {}
extension VerdictCommand: RecordsTrials {}
extension PicksCommand: RecordsTrials {}
extension RerunCommand: RecordsTrials {}
