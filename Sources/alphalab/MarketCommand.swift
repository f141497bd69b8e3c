import AlphaLab
import ArgumentParser

/// `alphalab market`: generate the synthetic market and print its summary.
struct MarketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Generate the embedded synthetic market and print its summary.",
        discussion: "The synthetic market is what AlphaLab uses when no price store is configured; it is deterministic for a seed."
    )

    @Option(help: "Random seed.") var seed: UInt64 = SyntheticMarketConfig().seed
    @Option(help: "Number of tradable tickers.") var tickers: Int = SyntheticMarketConfig().tickerCount
    @Flag(help: "A null market: no drift, momentum, reversal or crashes.") var null = false

    func run() throws {
        var config = null ? SyntheticMarketConfig.null(seed: seed) : SyntheticMarketConfig()
        config.seed = seed
        config.tickerCount = tickers
        do {
            let panel = try SyntheticMarket.generate(config)
            print("synthetic market (seed \(config.seed)\(null ? ", null" : ""))")
            print(panel.summary)
        } catch {
            throw CommandFailure(description: error.description)
        }
    }
}
