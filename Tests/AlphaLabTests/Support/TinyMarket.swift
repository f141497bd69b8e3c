import AlphaLab

/// A hand-built market for pinning backtest mechanics: a few tickers on the NYSE
/// calendar, flat at 100 unless a test sets bars, plus an SPY.
struct TinyMarket {
    static let first = Day("2022-01-03")!, last = Day("2024-06-28")!
    let calendar = TradingCalendar.nyse(from: TinyMarket.first, through: TinyMarket.last)
    var sectors: [String: String]
    /// Delisting returns of tickers whose bars end (see ``end(_:from:)``).
    var delistings: [String: Double] = [:]
    /// Point-in-time memberships the dataset carries.
    var memberships: [Membership] = []
    /// A `--limit` the dataset says cut it.
    var limit: TickerLimit?
    private var bars: [String: (open: [Double], high: [Double], low: [Double], close: [Double])] = [:]

    /// Tickers A1-A4 in Tech, A5-A6 in Energy, and SPY.
    init(sectors: [String: String] = ["A1": "Tech", "A2": "Tech", "A3": "Tech", "A4": "Tech", "A5": "Energy", "A6": "Energy"]) {
        self.sectors = sectors
        let flat = [Double](repeating: 100, count: calendar.count)
        for symbol in sectors.keys + ["SPY"] { bars[symbol] = (flat, flat, flat, flat) }
    }

    private func index(_ date: String) -> Int {
        guard let i = calendar.index(of: Day(date)!) else { fatalError("\(date) is not a trading day") }
        return i
    }

    /// One day's bar.
    mutating func set(_ symbol: String, _ date: String, open: Double, high: Double? = nil, low: Double? = nil, close: Double? = nil) {
        let i = index(date)
        let c = close ?? open
        bars[symbol]!.open[i] = open
        bars[symbol]!.close[i] = c
        bars[symbol]!.high[i] = high ?? max(open, c)
        bars[symbol]!.low[i] = low ?? min(open, c)
    }

    /// A flat price on every day from `from` on (through `through`, or the end).
    mutating func flat(_ symbol: String, _ price: Double, from: String, through: String? = nil) {
        let end = through.map(index) ?? calendar.count - 1
        for i in index(from)...end {
            bars[symbol]!.open[i] = price; bars[symbol]!.high[i] = price
            bars[symbol]!.low[i] = price; bars[symbol]!.close[i] = price
        }
    }

    /// No bars from `from` on: the ticker's history ends (delisted).
    mutating func end(_ symbol: String, from: String) {
        for i in index(from)..<calendar.count {
            bars[symbol]!.open[i] = .nan; bars[symbol]!.high[i] = .nan
            bars[symbol]!.low[i] = .nan; bars[symbol]!.close[i] = .nan
        }
    }

    /// Closes alternating between `price` and `price x (1 + swing)` on the days before
    /// `through` (opens, highs and lows equal to the close): a known daily volatility.
    mutating func zigzag(_ symbol: String, _ price: Double, swing: Double, through: String) {
        for i in 0..<index(through) {
            let p = i % 2 == 0 ? price : price * (1 + swing)
            bars[symbol]!.open[i] = p; bars[symbol]!.high[i] = p; bars[symbol]!.low[i] = p; bars[symbol]!.close[i] = p
        }
    }

    var panel: Panel {
        let series = bars.map { symbol, b in
            PriceSeries(ticker: symbol, days: calendar.days, open: b.open, high: b.high, low: b.low, close: b.close,
                        volume: [Double](repeating: 1_000_000, count: calendar.count))
        }
        return Panel(series: series, info: sectors.map { TickerInfo(ticker: $0.key, name: $0.key, sector: $0.value) }, delistings: delistings)
    }

    /// Runs `config` over 2024 with fixed scores per symbol (missing symbols score NaN).
    func run(_ scores: [String: Double], _ body: (inout ExperimentConfig) -> Void) throws -> ExperimentResult {
        try run(scoring: { _ in scores }, body)
    }

    /// Runs `config` over 2024 with scores per symbol that may change with the period.
    func run(scoring: @escaping (ScoringContext) -> [String: Double], _ body: (inout ExperimentConfig) -> Void) throws -> ExperimentResult {
        var config = ExperimentConfig("tiny") {
            $0.startYear = 2024
            $0.endYear = 2024
            $0.minStocks = 0
        }
        body(&config)
        let walk = try WalkForward(config: config, dataset: Dataset(panel: panel, memberships: memberships, limit: limit))
        return try walk.run(scorer: FunctionScorer(label: "fixed") { context in
            let scores = scoring(context)
            return context.symbols.map { scores[$0] ?? .nan }
        })
    }
}

extension ExperimentResult {
    /// The period decided on `date`.
    func period(_ date: String) -> Period {
        guard let p = periods.first(where: { $0.date == Day(date)! }) else { fatalError("no period on \(date)") }
        return p
    }
}
