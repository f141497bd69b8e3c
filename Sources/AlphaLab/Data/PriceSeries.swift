/// One ticker's split- and dividend-adjusted daily bars: the form the engine uses.
///
/// Open, high and low are scaled by the same factor as the close
/// (`adjusted close / close`), so intraday ratios (stop-loss checks, gaps,
/// ranges) are those that traded, and returns across splits and dividends are
/// continuous.
public struct PriceSeries: Sendable, Equatable {
    public var ticker: String
    public var days: [Day]
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    public var volume: [Double]

    /// Creates a series from columns of equal length, dates ascending.
    public init(ticker: String, days: [Day], open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]) {
        precondition([open.count, high.count, low.count, close.count, volume.count].allSatisfy { $0 == days.count },
                     "PriceSeries columns must have one value per day")
        self.ticker = ticker
        self.days = days
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// Adjusts raw bars: every price of a day is scaled by that day's `adjClose / close`.
    public init(adjusting raw: RawBars) {
        let factor = zip(raw.adjClose, raw.close).map { adj, close in close > 0 && adj > 0 ? adj / close : 1 }
        self.init(ticker: raw.ticker, days: raw.days,
                  open: zip(raw.open, factor).map(*), high: zip(raw.high, factor).map(*),
                  low: zip(raw.low, factor).map(*), close: zip(raw.close, factor).map(*), volume: raw.volume)
    }

    /// The number of bars.
    public var count: Int { days.count }
}
