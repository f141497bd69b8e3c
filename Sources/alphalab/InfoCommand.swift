import AlphaLab
import ArgumentParser

/// `alphalab info [--db PATH]`.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what the price store holds: tickers, rows, date range, sectors."
    )

    @OptionGroup var store: StoreOption

    func run() throws {
        do {
            print(try PriceStore(readingExisting: store.resolved).summary())
        } catch let error as StoreError {
            throw CommandFailure(description: error.description)
        }
    }
}
