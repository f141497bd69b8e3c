import Foundation

/// Progress of a running walk-forward, reported once per period.
public struct WalkForwardProgress: Sendable, Equatable {
    public var experiment: String
    /// Periods done (1...total).
    public var period: Int
    public var total: Int
    /// Models obtained so far.
    public var retrains: Int
    /// The period's decision date.
    public var date: Day
}

/// The seed's experiment engine: a weekly (or monthly) walk-forward over a dataset.
///
/// Each period's decision day D is the first trading day of the week (or month).
/// Scores come from the scoring close (the close before D unless the config asks for
/// the seed's look-ahead), the ranking goes through the momentum filter and sector
/// cap, the picks enter at D's open with slippage and exit at the next decision
/// day's open, or at a stop. Equal weights; cash when too few picks or while the
/// circuit breaker is tripped.
public struct WalkForward {
    public let config: ExperimentConfig
    public let dataset: Dataset
    /// Called after every period on the caller's thread; an error it throws stops the run.
    public var progress: ((WalkForwardProgress) throws -> Void)?

    /// A run of `config` on `dataset`; the config is validated here.
    public init(config: ExperimentConfig, dataset: Dataset, progress: ((WalkForwardProgress) throws -> Void)? = nil) throws(BacktestError) {
        do { try config.validate() } catch { throw .config(error) }
        self.config = config
        self.dataset = dataset
        self.progress = progress
    }

    /// The decision days: first trading day of each week or month from January 1 of
    /// start_year through December 31 of end_year, each with a prior close.
    public func decisionDays() throws(BacktestError) -> [Int] {
        let calendar = dataset.panel.calendar
        let start = Day(year: config.startYear, month: 1, day: 1)!, end = Day(year: config.endYear, month: 12, day: 31)!
        let days = (config.rebalance == .weekly ? calendar.weekStarts(from: start, through: end)
                                                : calendar.monthStarts(from: start, through: end)).filter { $0 >= 1 }
        guard days.count >= 2 else {
            let span = calendar.isEmpty ? "no trading days" : "\(calendar[0]) .. \(calendar[calendar.count - 1])"
            throw .noPeriods("\(config.name): \(config.startYear)-\(config.endYear) has \(days.count) decision date(s) in the data (\(span)); a run needs at least two")
        }
        return days
    }

    /// The scorer the config asks for: the model or the 12-1 momentum rule.
    public var defaultScorer: any Scorer {
        config.strategy == .ml ? ModelScorer(config: config) : MomentumScorer()
    }

    /// Runs the walk-forward with the config's scorer, or with `scorer` (a caller's strategy).
    public func run(scorer custom: (any Scorer)? = nil) throws -> ExperimentResult {
        var scorer = custom ?? defaultScorer
        let panel = dataset.panel
        let days = try decisionDays()
        let universe = dataset.universe
        let selection = Selection(config: config)
        let filter = UniverseFilter(config: config)
        let execution = Execution(config: config)
        let momentum = config.useMomentumFilter ? try dataset.matrix(feature: "MOM_12_1") : nil
        let spy = panel.benchmark.flatMap { panel.tickerIndex[$0] }
        var breaker = CircuitBreaker(config: config)
        var quality = PredictionQuality.Accumulator()

        var periods: [ExperimentResult.Period] = []
        var equity = config.initialCash, retrains = 0
        var previousHoldings: Set<Int> = [], turnovers: [Double] = []

        for p in 0..<(days.count - 1) {
            try Cancellation.check()
            let d = days[p], exit = days[p + 1]
            let s = config.signalTiming.scoringDay(forDecision: d)
            let retrain = p % config.retrainWeeks == 0
            if retrain && scorer is ModelScorer { retrains += 1 }
            let context = ScoringContext(dataset: dataset, decisionDay: d, scoringDay: s, period: p, retrain: retrain, tickers: universe)
            let scores = try scorer.scores(context)

            var candidates: [Selection.Candidate] = []
            for (i, t) in universe.enumerated() where scores[i].isFinite {
                let open = panel.value(.open, ticker: t, day: d)
                guard open.isFinite, open > 0, filter.admits(panel, ticker: t, scoringDay: s) else { continue }
                candidates.append(.init(ticker: t, score: scores[i],
                                        momentum: momentum.map { Double($0.value(feature: 0, ticker: t, day: s)) } ?? .nan,
                                        sector: panel.sector(ofTicker: t)))
            }
            let picks = selection.pick(candidates)
            let trades = picks.map { execution.trade(panel, ticker: $0.ticker, entryDay: d, exitDay: exit)! }

            let realised = candidates.map { Execution.realisedReturn(panel, ticker: $0.ticker, entryDay: d, exitDay: exit) }
            let pickedPositions = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1.ticker, $0) })
            let ic = quality.add(signals: candidates.map(selection.signal), realised: realised,
                                 picked: picks.map { pickedPositions[$0.ticker]! })

            let picksReturn = trades.isEmpty ? 0 : trades.reduce(0) { $0 + $1.netReturn } / Double(trades.count)
            var cashReason: ExperimentResult.CashReason?
            if Double(picks.count) < Double(config.minStocks) / 2 || picks.isEmpty {
                cashReason = .tooFewPicks
            } else if breaker.inCash {
                cashReason = .circuitBreaker
            }
            let periodReturn = cashReason == nil ? picksReturn : 0
            equity *= 1 + periodReturn
            breaker.record(equity: equity, shadowReturn: cashReason == .tooFewPicks ? 0 : picksReturn)

            if cashReason == nil {
                let holdings = Set(picks.map(\.ticker))
                turnovers.append(1 - Double(holdings.intersection(previousHoldings).count) / Double(holdings.count))
                previousHoldings = holdings
            } else {
                previousHoldings = []
            }

            let spyReturn = spy.map { Execution.realisedReturn(panel, ticker: $0, entryDay: d, exitDay: exit) } ?? .nan
            periods.append(.init(
                date: panel.calendar[d], exitDate: panel.calendar[exit], scoringDate: panel.calendar[s],
                netReturn: periodReturn, picksReturn: picksReturn, spyReturn: spyReturn, equity: equity,
                cashReason: cashReason, retrained: retrain, ic: ic,
                picks: zip(picks, trades).map { c, trade in
                    .init(ticker: panel.tickers[c.ticker], sector: c.sector, score: c.score, netReturn: trade.netReturn, stopped: trade.stopped)
                }))
            try progress?(WalkForwardProgress(experiment: config.name, period: p + 1, total: days.count - 1, retrains: retrains, date: panel.calendar[d]))
        }
        return summarise(periods: periods, retrains: retrains, turnovers: turnovers, quality: quality.quality, strategy: scorer.label)
    }

    private func summarise(periods: [ExperimentResult.Period], retrains: Int, turnovers: [Double],
                           quality: PredictionQuality, strategy: String) -> ExperimentResult {
        let returns = periods.map(\.netReturn)
        let first = periods.first!.date, last = periods.last!.exitDate
        let years = Double(last.ordinal - first.ordinal) / 365.25
        let metrics = PerformanceMetrics(returns: returns, years: years, periodsPerYear: config.rebalance.periodsPerYear)
        let spyReturn = periods.reduce(1.0) { $0 * (1 + ($1.spyReturn.isFinite ? $1.spyReturn : 0)) } - 1
        let excess = periods.map { $0.netReturn - $0.spyReturn }.filter(\.isFinite)

        var yearly: [Int: Double] = [:]
        for period in periods { yearly[period.date.year] = (1 + yearly[period.date.year, default: 0]) * (1 + period.netReturn) - 1 }

        var blocks: [ExperimentResult.RetrainPeriod] = []
        var startIndex = 0
        for i in periods.indices where i == periods.count - 1 || periods[i + 1].retrained {
            let block = Array(periods[startIndex...i])
            let r = block.map(\.netReturn)
            let sd = Statistics.standardDeviation(r)
            let ics = block.map(\.ic).filter(\.isFinite)
            blocks.append(.init(start: block[0].date, end: block.last!.exitDate, periods: block.count,
                                totalReturn: r.reduce(1) { $0 * (1 + $1) } - 1,
                                sharpe: (Statistics.mean(r) * config.rebalance.periodsPerYear - 0.04) / (sd * config.rebalance.periodsPerYear.squareRoot()),
                                meanIC: Statistics.mean(ics)))
            startIndex = i + 1
        }

        return ExperimentResult(
            name: config.name, config: config, strategy: strategy, metrics: metrics,
            spyReturn: spyReturn, excessReturn: metrics.totalReturn - spyReturn,
            excessTStat: Statistics.tStatistic(excess).t,
            weeksTraded: periods.filter { $0.cashReason == nil }.count,
            finalValue: periods.last!.equity, yearlyReturns: yearly,
            turnover: turnovers.isEmpty ? 0 : Statistics.mean(turnovers), quality: quality,
            periods: periods, retrainPeriods: blocks, retrains: retrains,
            warnings: config.signalTiming == .sameDayClose ? [SignalTiming.lookAheadWarning] : [],
            dataFingerprint: dataset.panel.fingerprint)
    }
}
