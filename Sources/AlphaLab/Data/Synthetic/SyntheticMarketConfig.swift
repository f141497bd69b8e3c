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

    /// Whether a day's move is a log return rather than a simple return. With simple
    /// returns (the default) every ticker's expected return is the same, so the mean of any
    /// portfolio is unpredictable, but compounding gives volatile tickers lower median
    /// returns, which rank statistics (Spearman ICs) see. With log returns every ticker's
    /// median is the same, so ranks are unpredictable instead.
    public var logReturns = false

    // Delistings and the index: survivorship is part of the market, null or not.
    /// Yearly probability that a listed ticker goes bankrupt: its last bar closes 50-90%
    /// down, then it has no more bars, and a holder gets a delisting return of -30% to -90%
    /// on that last close.
    public var bankruptcyRate = 0.01
    /// Yearly probability that a listed ticker is acquired: the announcement day jumps by
    /// a premium, the stock trades pinned near the deal price for `dealDays`, then has no
    /// more bars (holders get the deal price).
    public var acquisitionRate = 0.01
    /// Mean announcement premium of an acquisition (each draws half to one and a half times it).
    public var acquisitionPremium = 0.3
    /// Trading days from an acquisition's announcement to its last bar.
    public var dealDays = 40
    /// The index (`SPY`) holds this share of the listed tickers, the largest by market
    /// capitalisation, weighted by it, reconstituted on the first trading day of each quarter.
    public var indexShare = 2.0 / 3
    /// The reconstitution's buffer: a member stays while it ranks within
    /// `size x (1 + buffer)`; a newcomer must rank within `size x (1 - buffer)`.
    public var indexBuffer = 0.2

    /// The defaults.
    public init() {}

    /// A null market: the same machinery with nothing predictable in expected returns:
    /// no drift, no momentum premium, no reversal, no crashes. Bankruptcies, acquisitions
    /// and the index stay: they strike at random, unannounced by any past price. Any
    /// strategy that shows an edge here is looking at the future.
    public static func null(seed: UInt64 = 42) -> SyntheticMarketConfig {
        var config = SyntheticMarketConfig()
        config.seed = seed
        config.marketDrift = 0
        config.momentumPremium = 0
        config.shortTermReversal = 0
        config.crashProbability = 0
        return config
    }

    /// The null market for rank statistics: ``null(seed:)`` with log returns, so that no
    /// signal (volatility included) predicts the rank of a ticker's forward return.
    public static func rankNull(seed: UInt64 = 42) -> SyntheticMarketConfig {
        var config = null(seed: seed)
        config.logReturns = true
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
        try check((0...1).contains(bankruptcyRate), "bankruptcyRate must be in 0...1 (got \(bankruptcyRate))")
        try check((0...1).contains(acquisitionRate), "acquisitionRate must be in 0...1 (got \(acquisitionRate))")
        try check((0...2).contains(acquisitionPremium), "acquisitionPremium must be in 0...2 (got \(acquisitionPremium))")
        try check(dealDays >= 1, "dealDays must be at least 1 (got \(dealDays))")
        try check(indexShare > 0 && indexShare <= 1, "indexShare must be in (0, 1] (got \(indexShare))")
        try check((0..<1).contains(indexBuffer), "indexBuffer must be in 0..<1 (got \(indexBuffer))")
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
