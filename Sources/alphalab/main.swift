import AlphaLab
import AlphaLabLua
import Foundation

// `alphalab import|info|market ...` and --help/--version go to the subcommands;
// everything else follows the standalone `lua` interpreter's conventions.
// Start with no blocked signals whatever the parent had (threads of test runners and
// some shells block them, and exec keeps the mask): Ctrl-C, SIGHUP when the terminal
// goes away and SIGTERM must reach us.
var unblocked = sigset_t()
sigemptyset(&unblocked)
sigprocmask(SIG_SETMASK, &unblocked, nil)

let arguments = Array(CommandLine.arguments.dropFirst())
/// Runs a program of AlphaLab's own that lives beside this one (`alphalab serve`, `alphalab kernel`):
/// each is a product of its own, so that building alphalab never compiles an HTTP server or a
/// Jupyter transport.
func runSibling(_ name: String, arguments: ArraySlice<String>) -> Never {
    let program = RunningProgram.sibling(name)
    guard FileManager.default.isExecutableFile(atPath: program) else {
        FileHandle.standardError.write(Data("alphalab: \(name.dropFirst("alphalab-".count)) needs \(program): build it with `swift build -c release --product \(name)`\n".utf8))
        exit(2)
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
    execv(program, argv)
    FileHandle.standardError.write(Data("alphalab: cannot run \(program): \(String(cString: strerror(errno)))\n".utf8))
    exit(2)
}

if let command = arguments.first, ["serve", "kernel"].contains(command) {
    runSibling("alphalab-" + command, arguments: arguments.dropFirst())
} else if let command = arguments.first, ["picks", "verdict"].contains(command) {
    // A command written in Lua, on the data options every script shares.
    guard let stdlib = LuaHost.locateStdlib() else {
        FileHandle.standardError.write("alphalab: \(command) needs AlphaLab's stdlib/ (set ALPHALAB_STDLIB)\n")
        exit(2)
    }
    var interpreter = Interpreter(arguments: [stdlib + "/commands/\(command).lua"] + arguments.dropFirst())
    interpreter.isCommand = true
    exit(interpreter.run())
} else if arguments.first == "--annotations" {
    // The LuaLS annotations of `lab` (stdlib/meta/lab.lua), from the help records.
    do {
        let text = try LabAnnotations.generate()
        if arguments.count > 1 { try AtomicFile.write(Data(text.utf8), to: arguments[1]) } else { print(text, terminator: "") }
        exit(0)
    } catch {
        FileHandle.standardError.write("alphalab: \(error)\n")
        exit(1)
    }
} else if let first = arguments.first, AlphaLabCommand.isSubcommand(first) {
    AlphaLabCommand.main(arguments)
} else {
    exit(Interpreter(arguments: arguments).run())
}
