import AlphaLab
import ArgumentParser

/// `--db PATH`, shared by the commands that use the price store.
struct StoreOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The price store.", discussion: "Default: $ALPHALAB_DB, else data/market.db under the current directory.", valueName: "PATH"))
    var path: String?

    /// The store path in force.
    var resolved: String { path ?? PriceStore.defaultPath() }
}

/// Prints an error the way every subcommand does and exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}
