/// How much a run could show: the universe it picked from, how many periods and years it
/// spans, whether `--limit` cut the data, and whether the data holds names that left it
/// (without them, a universe of every ticker is a list of survivors). The card states it,
/// and the checks that need more than the run holds say "insufficient".
public struct VerdictEvidence: Sendable, Equatable, Codable {
    /// The universe, the distinct tickers it held over the run's decisions and the mean
    /// number of members at a decision.
    public var universe: String
    public var tickers: Int
    public var meanMembers: Double
    /// Decision periods, the years they span (periods / periods a year) and the calendar
    /// years with a decision.
    public var periods: Int
    public var years: Double
    public var calendarYears: Int
    /// When `--limit` (or `limit=`) kept only the first tickers of the data: how many it
    /// kept of how many.
    public var limit: TickerLimit?
    /// Tickers whose bars end more than ``leaverGapDays`` trading days before the stocks'
    /// last day (or that carry a delisting return): names that left the market.
    public var leavers: Int

    /// Trading days between a ticker's last bar and the stocks' last day beyond which it
    /// counts as having left (a month: a halt or a late print is not a delisting).
    public static let leaverGapDays = 21

    /// The evidence of `result` on `dataset`.
    public init(result: ExperimentResult, dataset: Dataset) throws {
        let panel = dataset.panel
        let size = try result.universeSize ?? UniverseSize(result: result, dataset: dataset)
        universe = size.universe
        tickers = size.tickers
        meanMembers = size.meanMembers
        periods = result.periods.count
        years = Double(periods) / result.config.rebalance.periodsPerYear
        calendarYears = Set(result.periods.map(\.date.year)).count
        limit = dataset.limit
        leavers = Self.leavers(panel)
    }

    /// The tickers (the benchmark aside) that left the market before the data's end.
    static func leavers(_ panel: Panel) -> Int {
        let end = panel.stocksLastBar
        return panel.tradableTickers.filter { t in
            panel.lastBar[t] >= 0 && (panel.lastBar[t] < end - leaverGapDays || panel.delistingReturns[t].isFinite)
        }.count
    }

    /// One line for the card.
    public var summary: String {
        var text = "evidence: \(tickers) tickers in '\(universe)' (\(Format.num(meanMembers, "%.0f")) at a decision on average), "
            + "\(periods) periods over \(Format.num(years, "%.1f")) years (\(calendarYears) calendar years)"
        if let limit { text += "; --limit kept \(limit.kept) of \(limit.available) tickers" }
        return text
    }
}
