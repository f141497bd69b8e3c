/// What a walk-forward keeps while it runs, and the result it sums up to: each period's
/// record, the prediction quality of the signal, name turnover and the costs paid.
struct RunRecorder {
    let config: ExperimentConfig
    let panel: Panel
    /// SPY's ticker position, when the data has a benchmark and the book is judged against it
    /// (a long-short book's benchmark is cash, which earns nothing here).
    private let spy: Int?
    private(set) var periods: [ExperimentResult.Period] = []
    /// Equity after the last period recorded (initial_cash before the first).
    private(set) var equity: Double
    /// Models obtained so far (one per retraining of a model scorer).
    var retrains = 0
    private var quality = PredictionQuality.Accumulator()
    private var previousHoldings: Set<Int> = [], nameTurnovers: [Double] = []
    private var costFractions = 0.0

    init(config: ExperimentConfig, panel: Panel) {
        self.config = config
        self.panel = panel
        spy = config.book == .longShort ? nil : panel.benchmark.flatMap { panel.tickerIndex[$0] }
        equity = config.initialCash
    }

    /// Adds the period's prediction quality: the candidates' signals against their realised
    /// returns from `entryDay` to `exitDay`, and which were picked. Returns the period's IC.
    mutating func addQuality(_ decision: DecisionPipeline.Decision, selection: Selection, entryDay: Int, exitDay: Int) -> Double {
        let candidates = decision.candidates
        let realised = candidates.map { ForwardReturn.realised(panel, ticker: $0.ticker, entryDay: entryDay, exitDay: exitDay) }
        let positions = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1.ticker, $0) })
        return quality.add(signals: candidates.map(selection.signal), realised: realised,
                           picked: decision.picks.map { positions[$0.ticker]! })
    }

    /// Records one executed period.
    mutating func record(_ orders: PeriodOrders, _ outcome: PeriodOutcome, retrained: Bool, ic: Double) {
        let startEquity = equity
        equity = outcome.equity
        costFractions += outcome.costs / startEquity
        if orders.cashReason == nil {
            let holdings = Set(orders.picks.map(\.ticker))
            nameTurnovers.append(1 - Double(holdings.intersection(previousHoldings).count) / Double(holdings.count))
            previousHoldings = holdings
        } else {
            previousHoldings = []
        }
        let d = orders.decisionDay, exit = orders.exitDay, picks = orders.picks
        let spyReturn = config.book == .longShort ? 0 : spy.map { ForwardReturn.realised(panel, ticker: $0, entryDay: d, exitDay: exit) } ?? .nan
        periods.append(.init(
            date: panel.calendar[d], exitDate: panel.calendar[exit], scoringDate: panel.calendar[orders.scoringDay],
            netReturn: outcome.periodReturn, picksReturn: outcome.picksReturn, spyReturn: spyReturn, equity: equity,
            cashReason: orders.cashReason, retrained: retrained, ic: ic,
            picks: picks.indices.map { i in
                .init(ticker: panel.tickers[picks[i].ticker], sector: picks[i].sector, score: picks[i].score,
                      netReturn: outcome.pickReturns[i], stopped: outcome.stopped[i], weight: orders.weights[i])
            },
            traded: outcome.traded, turnover: outcome.traded / startEquity, costs: outcome.costs, unfilled: outcome.unfilled))
    }

    /// The run's result: the seed's metrics and the rest, from the periods recorded.
    func result(holdingDays: [Int], strategy: String, dataFingerprint: String) -> ExperimentResult {
        let first = periods.first!.date, last = periods.last!.exitDate
        let years = Double(last.ordinal - first.ordinal) / 365.25
        let metrics = PerformanceMetrics(returns: periods.map(\.netReturn), years: years, periodsPerYear: config.rebalance.periodsPerYear,
                                         riskFree: config.riskFreeRate)
        let spyReturn = periods.reduce(1.0) { $0 * (1 + ($1.spyReturn.isFinite ? $1.spyReturn : 0)) } - 1
        let excess = periods.map { $0.netReturn - $0.spyReturn }.filter(\.isFinite)
        let unfilled = periods.reduce(0) { $0 + $1.unfilled }
        var yearly: [Int: Double] = [:]
        for period in periods { yearly[period.date.year] = (1 + yearly[period.date.year, default: 0]) * (1 + period.netReturn) - 1 }
        return ExperimentResult(
            name: config.name, config: config, strategy: strategy, metrics: metrics,
            spyReturn: spyReturn, excessReturn: metrics.totalReturn - spyReturn,
            excessTStat: Statistics.tStatistic(excess).t,
            weeksTraded: periods.filter { $0.cashReason == nil }.count,
            finalValue: periods.last!.equity, yearlyReturns: yearly,
            nameTurnover: nameTurnovers.isEmpty ? 0 : Statistics.mean(nameTurnovers),
            turnover: Statistics.mean(periods.map(\.turnover)),
            costDrag: years > 0 ? costFractions / years : 0,
            costsPaid: periods.reduce(0) { $0 + $1.costs },
            holdingDays: holdingDays.isEmpty ? 0 : Double(holdingDays.reduce(0, +)) / Double(holdingDays.count),
            unfilledFraction: unfilled == 0 ? 0 : unfilled / (unfilled + periods.reduce(0) { $0 + $1.traded }),
            quality: quality.quality,
            periods: periods, retrainPeriods: retrainPeriods(), retrains: retrains,
            warnings: config.signalTiming == .sameDayClose ? [SignalTiming.lookAheadWarning] : [],
            dataFingerprint: dataFingerprint)
    }

    /// The figures of each run of periods between two retrainings.
    private func retrainPeriods() -> [ExperimentResult.RetrainPeriod] {
        let perYear = config.rebalance.periodsPerYear
        var blocks: [ExperimentResult.RetrainPeriod] = []
        var startIndex = 0
        for i in periods.indices where i == periods.count - 1 || periods[i + 1].retrained {
            let block = Array(periods[startIndex...i])
            let r = block.map(\.netReturn)
            let ics = block.map(\.ic).filter(\.isFinite)
            blocks.append(.init(start: block[0].date, end: block.last!.exitDate, periods: block.count,
                                totalReturn: r.reduce(1) { $0 * (1 + $1) } - 1,
                                sharpe: SharpeRatio.annualised(r, riskFree: config.riskFreeRate, periodsPerYear: perYear),
                                meanIC: Statistics.mean(ics)))
            startIndex = i + 1
        }
        return blocks
    }
}
