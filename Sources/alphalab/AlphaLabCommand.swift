import AlphaLab
import ArgumentParser
import CLua

/// The `alphalab` command.
@main
struct AlphaLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alphalab",
        abstract: "Walk-forward research on ML stock-selection strategies.",
        version: "alphalab \(AlphaLabVersion.string) (Lua \(LUA_VERSION_MAJOR).\(LUA_VERSION_MINOR).\(LUA_VERSION_RELEASE), XGBoost \(XGBoostModel.libraryVersion))",
        subcommands: [ImportCommand.self, InfoCommand.self, MarketCommand.self]
    )
}
