/// A ticker's exit from the market and what its holders got for it, in CRSP's
/// convention: `day` is the delisting date (DLSTDT), on or after the ticker's last bar,
/// and `delistingReturn` (DLRET) is the return from the last close to the value a holder
/// received (-1 a total loss, -0.3 a typical performance delisting, +0.3 an acquisition
/// premium paid in cash).
///
/// The engine realises it the way a holder would: a position still held when the bars
/// end is worth its last close times `1 + delistingReturn` from the next trading day on
/// (``Panel/settlementPrice(ticker:day:)``), under both execution models, in the
/// realised returns and in factor analysis's forward returns. Without a delisting, a
/// ticker whose bars end is settled at its last close in backtests and drops out of the
/// factor horizons that run past its bars.
public struct Delisting: Sendable, Equatable {
    /// The ticker that left.
    public var ticker: String
    /// The delisting date (CRSP's DLSTDT).
    public var day: Day
    /// The return from the last close to what holders received (CRSP's DLRET); at least -1.
    public var delistingReturn: Double

    public init(ticker: String, day: Day, delistingReturn: Double) {
        self.ticker = ticker
        self.day = day
        self.delistingReturn = delistingReturn
    }

    /// Why these prices contradict the delisting: bars after the day the ticker left
    /// (a symbol reused by a later company, or a wrong date); nil when they agree.
    public func conflict(lastBar: Day) -> String? {
        guard lastBar > day else { return nil }
        return "\(ticker) has bars after its delisting on \(day) (last bar \(lastBar)): a reused symbol's "
            + "later bars belong under another ticker, or the date is wrong"
    }
}

extension Array where Element == Delisting {
    /// The delisting returns by ticker, the form ``Panel`` takes.
    public var returnsByTicker: [String: Double] {
        Dictionary(map { ($0.ticker, $0.delistingReturn) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first conflict between these delistings and the prices' last bars, if any.
    public func conflict(withLastBars lastBars: [String: Day]) -> String? {
        lazy.compactMap { d in lastBars[d.ticker].flatMap { d.conflict(lastBar: $0) } }.first
    }
}
