import AlphaLab
import Foundation

// `alphalab import|info|market ...` and --help/--version go to the subcommands;
// everything else follows the standalone `lua` interpreter's conventions.
let arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, AlphaLabCommand.isSubcommand(first) {
    AlphaLabCommand.main(arguments)
} else {
    exit(Interpreter(arguments: arguments).run())
}
