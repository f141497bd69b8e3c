/// The knobs of the synthetic market. Every field has a default; the defaults
/// make the embedded market AlphaLab uses when no store is configured.
///
/// Returns are built per day as
/// `r = beta * market + sector + momentum + reversal + idiosyncratic`, where the
/// market and each ticker's idiosyncratic part have GARCH(1,1) volatility and
/// Student-t shocks, `momentum` pays `momentumPremium` a year per cross-sectional
/// standard deviation of the ticker's 12-1 month momentum (known at the previous
/// close), and `reversal` gives back a fraction of the previous day's
/// idiosyncratic move.
public struct SyntheticMarketConfig: Sendable, Equatable, Hashable {
    /// Fixes every random draw: the same config gives the same market bit for bit.
    public var seed: UInt64 = 42
    /// Tradable tickers (the SPY index comes on top). 150 keeps the seed's Phase 1 quick
    /// test (26 retrainings of a three-horizon ensemble on rows from 2010) under five
    /// minutes on two cores; XGBoost's cost grows with the rows, so with tickers.
    public var tickerCount = 150
    /// Sectors, at most 11 (the GICS sectors), tickers spread evenly across them.
    public var sectorCount = 10
    /// First and last calendar day; trading days follow the NYSE calendar.
    public var start = Day(year: 2005, month: 1, day: 1)!
    public var end = Day(year: 2025, month: 12, day: 31)!
    /// Expected annual market return (arithmetic).
    public var marketDrift = 0.07
    /// Annual market volatility, long-run.
    public var marketVolatility = 0.16
    /// Annual volatility of each sector factor.
    public var sectorVolatility = 0.08
    /// Typical annual idiosyncratic volatility (each ticker draws its own around it).
    public var idiosyncraticVolatility = 0.28
    /// Annual expected return per cross-sectional standard deviation of 12-1 momentum.
    public var momentumPremium = 0.08
    /// Share of the previous day's idiosyncratic return that reverses the next day.
    public var shortTermReversal = 0.08
    /// Daily probability that a market crash (a few days of heavy losses) begins.
    public var crashProbability = 1.0 / 1000
    /// Degrees of freedom of the Student-t shocks (lower is fatter-tailed; at least 3).
    public var tailDegrees = 4
    /// Share of tickers that list some years after `start`.
    public var lateListingShare = 0.1

    /// The defaults.
    public init() {}

    /// A null market: the same machinery with nothing predictable in expected returns:
    /// no drift, no momentum premium, no reversal, no crashes. Any strategy that shows an
    /// edge here is looking at the future.
    public static func null(seed: UInt64 = 42) -> SyntheticMarketConfig {
        var config = SyntheticMarketConfig()
        config.seed = seed
        config.marketDrift = 0
        config.momentumPremium = 0
        config.shortTermReversal = 0
        config.crashProbability = 0
        return config
    }

    /// Checks ranges; the message names the knob.
    public func validate() throws(SyntheticMarketError) {
        func check(_ ok: Bool, _ message: String) throws(SyntheticMarketError) {
            if !ok { throw SyntheticMarketError(message: message) }
        }
        try check(tickerCount >= 1, "tickerCount must be at least 1 (got \(tickerCount))")
        try check((1...11).contains(sectorCount), "sectorCount must be in 1...11 (got \(sectorCount))")
        try check(start < end, "start \(start) must be before end \(end)")
        try check(tailDegrees >= 3, "tailDegrees must be at least 3 (got \(tailDegrees))")
        try check((0...1).contains(crashProbability), "crashProbability must be in 0...1 (got \(crashProbability))")
        try check((0...1).contains(lateListingShare), "lateListingShare must be in 0...1 (got \(lateListingShare))")
        try check((0..<1).contains(shortTermReversal), "shortTermReversal must be in 0..<1 (got \(shortTermReversal))")
        for (name, v) in [("marketVolatility", marketVolatility), ("sectorVolatility", sectorVolatility),
                          ("idiosyncraticVolatility", idiosyncraticVolatility)] {
            try check(v >= 0 && v < 2, "\(name) must be in 0..<2 (got \(v))")
        }
    }
}

/// A synthetic market knob out of range.
public struct SyntheticMarketError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, naming the knob.
    public var message: String
    /// Creates the error.
    public init(message: String) { self.message = message }
    public var description: String { "synthetic market: \(message)" }
}
