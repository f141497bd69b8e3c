/// A daily price field of a panel.
public enum PriceField: String, CaseIterable, Sendable {
    case open, high, low, close, volume
}

/// Aligned daily bars of many tickers over one trading calendar (dates x tickers).
///
/// Each field is one contiguous column per ticker (`values[ticker * dayCount + day]`),
/// so the per-ticker indicator kernels stream through memory. A ticker with no bar
/// on a date holds NaN there. Prices are split- and dividend-adjusted.
public final class Panel: Sendable {
    /// The master calendar: every date on which any ticker has a bar.
    public let calendar: TradingCalendar
    /// The tickers, sorted.
    public let tickers: [String]
    /// Name and sector of each ticker, in `tickers` order (empty strings when unknown).
    public let info: [TickerInfo]
    /// The benchmark index ticker (by convention `SPY`), when the panel has it.
    public let benchmark: String?
    /// Position of each ticker.
    public let tickerIndex: [String: Int]
    /// A hash of the panel's tickers, dates and prices: equal panels share it, and any
    /// change to a price changes it (training cache keys and run records use it).
    public let fingerprint: String
    /// Each ticker's delisting return (NaN when it has none): what a holder gets on top of
    /// the last close when the ticker leaves the market for good (a bankruptcy's recovery,
    /// CRSP's DLRET). It is realised by a position still held after the last bar.
    public let delistingReturns: [Double]
    /// Each ticker's last day with a bar (-1 for none).
    public let lastBar: [Int]
    private let columns: [[Double]]

    /// Aligns series onto the union of their dates. `info` supplies names and sectors,
    /// `delistings` the delisting returns of tickers whose bars end for good.
    public convenience init(series: [PriceSeries], info: [TickerInfo] = [], benchmark: String = "SPY", delistings: [String: Double] = [:]) {
        let sorted = series.sorted { $0.ticker < $1.ticker }
        var allDays = Set<Day>()
        for s in sorted { allDays.formUnion(s.days) }
        let calendar = TradingCalendar(days: allDays)
        let n = calendar.count
        var columns = PriceField.allCases.map { _ in [Double](repeating: .nan, count: n * sorted.count) }
        // Series days are ascending: walk the calendar alongside instead of searching per bar.
        for (t, s) in sorted.enumerated() {
            var d = calendar.firstIndex(onOrAfter: s.days.first ?? Day(ordinal: 0))
            let base = t * n
            for i in s.days.indices {
                while calendar[d] < s.days[i] { d += 1 }
                columns[0][base + d] = s.open[i]
                columns[1][base + d] = s.high[i]
                columns[2][base + d] = s.low[i]
                columns[3][base + d] = s.close[i]
                columns[4][base + d] = s.volume[i]
            }
        }
        let byTicker = Dictionary(info.map { ($0.ticker, $0) }, uniquingKeysWith: { first, _ in first })
        self.init(calendar: calendar, tickers: sorted.map(\.ticker),
                  info: sorted.map { byTicker[$0.ticker] ?? TickerInfo(ticker: $0.ticker, name: "", sector: "") },
                  benchmark: benchmark, columns: columns, delistingReturns: sorted.map { delistings[$0.ticker] ?? .nan })
    }

    init(calendar: TradingCalendar, tickers: [String], info: [TickerInfo], benchmark: String?, columns: [[Double]],
         delistingReturns: [Double]? = nil) {
        self.calendar = calendar
        self.tickers = tickers
        self.info = info
        self.benchmark = benchmark.flatMap { tickers.contains($0) ? $0 : nil }
        self.tickerIndex = Dictionary(uniqueKeysWithValues: tickers.enumerated().map { ($1, $0) })
        self.columns = columns
        let n = calendar.count
        lastBar = tickers.indices.map { t in
            (0..<n).last { !columns[PriceField.close.index][t * n + $0].isNaN } ?? -1
        }
        let delistings = delistingReturns ?? [Double](repeating: .nan, count: tickers.count)
        self.delistingReturns = delistings
        var hash = Fingerprint()
        for t in tickers { hash.add(t) }
        for d in calendar.days { hash.add(UInt64(bitPattern: Int64(d.ordinal))) }
        for column in columns { hash.add(column) }
        // Panels without delistings keep the fingerprints (and cached trainings) they had.
        if delistings.contains(where: { !$0.isNaN }) { hash.add(delistings) }
        self.fingerprint = hash.hex
    }

    /// What a share of ticker `t` held into the open of `day` is worth there: that day's
    /// open, or when it has none, its ``settlementPrice(ticker:day:)``; NaN when it never
    /// traded before `day`. Both execution models value and sell positions at it.
    public func holdingPrice(ticker t: Int, day: Int) -> Double {
        if day < dayCount {
            let open = value(.open, ticker: t, day: day)
            if open.isFinite, open > 0 { return open }
        }
        return settlementPrice(ticker: t, day: day)
    }

    /// What one share of ticker `t` is worth at the open of `day` when it has no open that
    /// day: its last close before `day`, times one plus its delisting return when its bars
    /// ended for good before `day`; NaN when it never traded before `day`.
    public func settlementPrice(ticker t: Int, day: Int) -> Double {
        var k = min(day, dayCount) - 1
        while k >= 0 {
            let close = value(.close, ticker: t, day: k)
            if close.isFinite, close > 0 {
                let delisted = k == lastBar[t] && delistingReturns[t].isFinite && day > lastBar[t]
                return delisted ? close * (1 + delistingReturns[t]) : close
            }
            k -= 1
        }
        return .nan
    }

    /// Whether ticker `t` left the market with a delisting return before `day`: its bars
    /// ended for good before it, and the panel knows what holders received.
    public func hasDelisted(ticker t: Int, before day: Int) -> Bool {
        delistingReturns[t].isFinite && lastBar[t] >= 0 && lastBar[t] < day
    }

    /// The number of trading days.
    public var dayCount: Int { calendar.count }
    /// The number of tickers (benchmark included).
    public var tickerCount: Int { tickers.count }
    /// The tradable tickers: all but the benchmark.
    public var universe: [String] { tickers.filter { $0 != benchmark } }
    /// The positions of the tradable tickers.
    public var tradableTickers: [Int] { tickers.indices.filter { tickers[$0] != benchmark } }
    /// The last day any ticker but the benchmark has a bar (-1 for none): where the stocks'
    /// data ends, whatever the benchmark's series does.
    public var stocksLastBar: Int { tradableTickers.map { lastBar[$0] }.max() ?? -1 }

    /// One ticker's column of a field, over the whole calendar.
    public func series(_ field: PriceField, ticker: Int) -> ArraySlice<Double> {
        let n = dayCount
        return columns[field.index][(ticker * n)..<((ticker + 1) * n)]
    }

    /// One ticker's column of a field, by symbol; nil when the panel lacks the ticker.
    public func series(_ field: PriceField, _ symbol: String) -> ArraySlice<Double>? {
        tickerIndex[symbol].map { series(field, ticker: $0) }
    }

    /// A field's value for a ticker on the calendar day at `day` (NaN when there is no bar).
    public func value(_ field: PriceField, ticker: Int, day: Int) -> Double {
        columns[field.index][ticker * dayCount + day]
    }

    /// The sector of a ticker ("" when unknown).
    public func sector(ofTicker t: Int) -> String { info[t].sector }

    /// The number of bars present (non-NaN closes).
    public var barCount: Int { columns[PriceField.close.index].reduce(0) { $1.isNaN ? $0 : $0 + 1 } }

    /// The same panel with only the dates up to and including `day`: what was known at that close.
    public func truncated(through day: Day) -> Panel {
        let keep = (calendar.lastIndex(onOrBefore: day) ?? -1) + 1
        return sliced(days: 0..<keep)
    }

    /// The same panel restricted to the dates in `start...end`.
    public func sliced(from start: Day, through end: Day) -> Panel {
        let lo = calendar.firstIndex(onOrAfter: start)
        let hi = max(lo, (calendar.lastIndex(onOrBefore: end) ?? -1) + 1)
        return sliced(days: lo..<hi)
    }

    private func sliced(days range: Range<Int>) -> Panel {
        let n = dayCount
        let cols = columns.map { column in
            var out: [Double] = []
            out.reserveCapacity(range.count * tickerCount)
            for t in 0..<tickerCount { out += column[(t * n + range.lowerBound)..<(t * n + range.upperBound)] }
            return out
        }
        // A delisting is known only once the day after the last bar is in the range.
        let delistings = tickers.indices.map { lastBar[$0] < range.upperBound - 1 ? delistingReturns[$0] : .nan }
        return Panel(calendar: TradingCalendar(sortedUniqueDays: Array(calendar.days[range])),
                     tickers: tickers, info: info, benchmark: benchmark, columns: cols, delistingReturns: delistings)
    }

    /// The same panel with only the given tickers (unknown symbols are ignored); the
    /// calendar is kept, so dates stay aligned with the full panel.
    public func selecting(tickers wanted: [String]) -> Panel {
        let picks = Set(wanted).compactMap { tickerIndex[$0] }.sorted()
        let n = dayCount
        let cols = columns.map { column in picks.flatMap { column[($0 * n)..<(($0 + 1) * n)] } }
        return Panel(calendar: calendar, tickers: picks.map { tickers[$0] }, info: picks.map { info[$0] },
                     benchmark: benchmark, columns: cols, delistingReturns: picks.map { delistingReturns[$0] })
    }

    /// Counts, span and sectors, for printing.
    public var summary: PanelSummary {
        var sectors: [String: Int] = [:]
        for (t, i) in info.enumerated() where tickers[t] != benchmark { sectors[i.sector.isEmpty ? "(none)" : i.sector, default: 0] += 1 }
        return PanelSummary(tickers: tickerCount, bars: barCount, first: calendar.days.first, last: calendar.days.last,
                            tradingDays: dayCount, benchmark: benchmark, sectors: sectors)
    }
}

extension PriceField {
    var index: Int {
        switch self {
        case .open: return 0
        case .high: return 1
        case .low: return 2
        case .close: return 3
        case .volume: return 4
        }
    }
}

/// What a panel or store holds, in numbers.
public struct PanelSummary: Sendable, Equatable, CustomStringConvertible {
    public var tickers: Int
    public var bars: Int
    public var first: Day?
    public var last: Day?
    public var tradingDays: Int
    public var benchmark: String?
    /// Tickers per sector (the benchmark excluded).
    public var sectors: [String: Int]

    public var description: String {
        let lines = [
            "tickers      \(tickers)" + (benchmark.map { " (benchmark \($0))" } ?? ""),
            "bars         \(bars)",
            "dates        \(first?.description ?? "-") .. \(last?.description ?? "-") (\(tradingDays) trading days)",
        ]
        return (lines + sectorLines(sectors)).joined(separator: "\n")
    }
}

/// `sectors N` and one line per sector, the largest first: the sector block of the summaries.
func sectorLines(_ sectors: [String: Int]) -> [String] {
    ["sectors      \(sectors.count)"] + sectors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
        "  " + $0.key.padding(toLength: 26, withPad: " ", startingAt: 0) + " \($0.value)"
    }
}
