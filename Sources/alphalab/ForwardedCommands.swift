import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// A command whose arguments another part of AlphaLab reads: a script run by the Lua
/// interpreter, a command written in Lua (stdlib/commands/), or a program of AlphaLab's own
/// beside this one. It is declared to the argument parser like every command, so that the
/// top-level help lists it; its words pass through untouched (`--help` included, which the
/// receiver answers).
protocol ForwardedCommand: ParsableCommand {
    /// Every word after the command's name.
    var arguments: [String] { get }
}

extension ForwardedCommand {
    /// Whether the words ask for help before anything else (`alphalab run --help`).
    var asksForHelp: Bool { arguments.first.map { ["--help", "-h"].contains($0) } ?? false }
}

/// `alphalab run FILE.lua [ARGS...]`: the same as `alphalab FILE.lua [ARGS...]`.
struct RunCommand: ForwardedCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script (the same as alphalab FILE.lua [ARGS...]).",
        discussion: """
        The script's own options follow its name (most take --help). Its backtests are
        recorded as trials in the --runs store it is given, else $ALPHALAB_RUNS, else
        ~/.local/share/alphalab/ledger.db; --no-ledger (before or after `run`) turns
        that off. Appending --shard I/N trains shard I of N of the script's trainings
        into its disk cache instead (see alphalab plan --help).

        """ + Interpreter.usage)

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The script and its arguments.", valueName: "FILE.lua [ARGS...]"))
    var arguments: [String] = []

    func run() throws {
        if asksForHelp || arguments.isEmpty { throw CleanExit.helpRequest(self) }
        throw ExitCode(Interpreter(arguments: ["run"] + GlobalOptions.given + arguments).run())
    }
}

/// A command written in Lua: `stdlib/commands/NAME.lua`, run on the data options every script shares.
protocol LuaCommand: ForwardedCommand {}

extension LuaCommand {
    func run() throws {
        guard let stdlib = LuaHost.locateStdlib() else {
            throw CommandFailure(description: "\(Self._commandName) needs AlphaLab's stdlib/ (set ALPHALAB_STDLIB)")
        }
        var interpreter = Interpreter(arguments: GlobalOptions.given + [stdlib + "/commands/\(Self._commandName).lua"] + arguments)
        interpreter.isCommand = true
        throw ExitCode(interpreter.run())
    }
}

/// `alphalab verdict`, from stdlib/commands/verdict.lua.
struct VerdictCommand: LuaCommand {
    static let configuration = CommandConfiguration(
        commandName: "verdict",
        abstract: "Does it really work? A config, its audit twins, a placebo and the ledger, judged.",
        discussion: "alphalab verdict (--config FILE | --run ID) [--html PATH] [data options]; --help lists them all.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command's options (--help lists them).", valueName: "options"))
    var arguments: [String] = []
}

/// `alphalab picks`, from stdlib/commands/picks.lua.
struct PicksCommand: LuaCommand {
    static let configuration = CommandConfiguration(
        commandName: "picks",
        abstract: "What a config buys at the next open, and the orders from current holdings.",
        discussion: "alphalab picks (--config FILE | --run ID) [--holdings CSV] [--date D] [data options]; --help lists them all.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command's options (--help lists them).", valueName: "options"))
    var arguments: [String] = []
}

/// A program of AlphaLab's own beside this one (`alphalab-serve`, `alphalab-kernel`): each is a
/// product of its own, so that building alphalab never compiles an HTTP server or a Jupyter transport.
protocol SiblingCommand: ForwardedCommand {}

extension SiblingCommand {
    func run() throws {
        let name = "alphalab-" + Self._commandName
        let program = RunningProgram.sibling(name)
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw CommandFailure(description: "\(Self._commandName) needs \(program): build it with `swift build -c release --product \(name)`")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        execv(program, argv)
        throw CommandFailure(description: "cannot run \(program): \(String(cString: strerror(errno)))")
    }
}

/// `alphalab serve`: the alphalab-serve program.
struct ServeForward: SiblingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The run store in a browser: runs, comparisons, trials (read-only).",
        discussion: "alphalab serve [--runs PATH|URL] [--host H] [--port P] [--token T]; --help says more.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The server's options (--help lists them).", valueName: "options"))
    var arguments: [String] = []
}

/// `alphalab kernel`: the alphalab-kernel program.
struct KernelForward: SiblingCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "AlphaLab in Jupyter notebooks: install the kernel, or run it.",
        discussion: "alphalab kernel install [--user | --prefix DIR] [--sandbox] [--name NAME]; --help says more.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The kernel's command and options (--help lists them).", valueName: "options"))
    var arguments: [String] = []
}
