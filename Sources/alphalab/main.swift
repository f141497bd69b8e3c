import AlphaLab
import AlphaLabLua
import Foundation

// `alphalab COMMAND ...` and --help/--version go to the commands (AlphaLabCommand);
// everything else follows the standalone `lua` interpreter's conventions.
// Start with no blocked signals whatever the parent had (threads of test runners and
// some shells block them, and exec keeps the mask): Ctrl-C, SIGHUP when the terminal
// goes away and SIGTERM must reach us.
var unblocked = sigset_t()
sigemptyset(&unblocked)
sigprocmask(SIG_SETMASK, &unblocked, nil)

let arguments = Array(CommandLine.arguments.dropFirst())
// The global options that stand before a command's name belong to the command.
let commandWords = arguments.drop { GlobalOptions.names.contains($0) }

if arguments.first == "--annotations" {
    // The LuaLS annotations of `lab` (stdlib/meta/lab.lua), from the help records.
    do {
        let text = try LabAnnotations.generate()
        if arguments.count > 1 { try AtomicFile.write(Data(text.utf8), to: arguments[1]) } else { print(text, terminator: "") }
        exit(0)
    } catch {
        FileHandle.standardError.write("alphalab: \(error)\n")
        exit(1)
    }
} else if let first = commandWords.first, AlphaLabCommand.isCommand(first) {
    AlphaLabCommand.dispatch(GlobalOptions.take(from: arguments))
} else {
    exit(Interpreter(arguments: arguments).run())
}
