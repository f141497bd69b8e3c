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
/// cap, the picks get target weights, and the portfolio trades to them at D's open:
/// under `rebalance` only the difference to what it holds, under the seed's
/// `round_trip` the whole book, bought at D's open and sold at the next decision
/// day's open or at a stop. Cash when too few picks or while the circuit breaker is
/// tripped.
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
        let days = Self.schedule(config, calendar: calendar, through: Day(year: config.endYear, month: 12, day: 31)!)
        guard days.count >= 2 else {
            let span = calendar.isEmpty ? "no trading days" : "\(calendar[0]) .. \(calendar[calendar.count - 1])"
            throw .noPeriods("\(config.name): \(config.startYear)-\(config.endYear) has \(days.count) decision date(s) in the data (\(span)); a run needs at least two")
        }
        return days
    }

    /// The config's decision days through `end`: the first trading day of each week (or
    /// month) from January 1 of start_year, each with a prior close.
    static func schedule(_ config: ExperimentConfig, calendar: TradingCalendar, through end: Day) -> [Int] {
        let start = Day(year: config.startYear, month: 1, day: 1)!
        return (config.rebalance == .weekly ? calendar.weekStarts(from: start, through: end)
                                            : calendar.monthStarts(from: start, through: end)).filter { $0 >= 1 }
    }

    /// Whether `count` picks are too few to invest: fewer than min_stocks / 2, or none.
    static func tooFew(picks count: Int, _ config: ExperimentConfig) -> Bool {
        Double(count) < Double(config.minStocks) / 2 || count == 0
    }

    /// The scorer the config asks for: the model or the 12-1 momentum rule.
    public var defaultScorer: any Scorer {
        config.strategy == .ml ? ModelScorer(config: config) : MomentumScorer()
    }

    /// Runs the walk-forward with the config's scorer, or with `scorer` (a caller's strategy).
    ///
    /// Each period reads score -> select -> size (target weights) -> execute -> record.
    /// Execution is the seed's round trip of every position, or a ``Rebalancer`` that
    /// carries a ``Portfolio`` from one period to the next.
    public func run(scorer custom: (any Scorer)? = nil) throws -> ExperimentResult {
        var scorer = custom ?? defaultScorer
        let panel = dataset.panel
        let days = try decisionDays()
        let universe = try dataset.universe(named: config.universe)
        let selection = Selection(config: config)
        let filter = UniverseFilter(config: config)
        let execution = Execution(config: config)
        let costModel = config.costModel
        let momentum = config.useMomentumFilter ? try dataset.matrix(feature: "MOM_12_1", universe: universe) : nil
        let spy = panel.benchmark.flatMap { panel.tickerIndex[$0] }
        var breaker = CircuitBreaker(config: config)
        var quality = PredictionQuality.Accumulator()
        var rebalancer = config.execution == .rebalance ? Rebalancer(config: config, panel: panel) : nil

        var periods: [ExperimentResult.Period] = []
        var equity = config.initialCash, retrains = 0
        var previousHoldings: Set<Int> = [], nameTurnovers: [Double] = [], holdingDays: [Int] = []
        var costFractions = 0.0
        var explaining = config.explain ? ExplanationRecorder(dataset: dataset) : nil

        for p in 0..<(days.count - 1) {
            try Cancellation.check()
            let d = days[p], exit = days[p + 1]
            let s = config.signalTiming.scoringDay(forDecision: d)
            let retrain = p % config.retrainWeeks == 0
            if retrain && scorer is ModelScorer { retrains += 1 }
            // Only the members at the scoring close may be bought.
            let members = universe.members(day: s)
            let context = ScoringContext(dataset: dataset, decisionDay: d, scoringDay: s, period: p, retrain: retrain,
                                         tickers: members, universe: universe)
            let scores = try scorer.scores(context)
            explaining?.record(scores: scores, members: members, scorer: scorer, retrain: retrain, date: panel.calendar[d])

            let candidates = Self.candidates(scores: scores, members: members, panel: panel, filter: filter, momentum: momentum,
                                             scoringDay: s, tradingDay: d)
            let picks = selection.pick(candidates)
            let weights = config.weighting.weights(picks, panel: panel, scoringDay: s)

            let realised = candidates.map { Execution.realisedReturn(panel, ticker: $0.ticker, entryDay: d, exitDay: exit) }
            let pickedPositions = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1.ticker, $0) })
            let ic = quality.add(signals: candidates.map(selection.signal), realised: realised,
                                 picked: picks.map { pickedPositions[$0.ticker]! })

            var cashReason: ExperimentResult.CashReason?
            if Self.tooFew(picks: picks.count, config) {
                cashReason = .tooFewPicks
            } else if breaker.inCash {
                cashReason = .circuitBreaker
            }

            // The picks' round trips: the seed's execution; under `rebalance` needed only in
            // cash, as the picks' shadow return (which the circuit breaker follows).
            let roundTrips = rebalancer == nil || cashReason != nil
            let fractions = !roundTrips ? [] : zip(picks, weights).map { c, w in
                costModel.fraction(panel, ticker: c.ticker, notional: w * equity, scoringDay: s)
            }
            let trades = zip(picks, fractions).map { c, f in execution.with(slippage: f).trade(panel, ticker: c.ticker, entryDay: d, exitDay: exit)! }
            var picksReturn = trades.isEmpty ? 0
                : config.weighting == .equal ? trades.reduce(0) { $0 + $1.netReturn } / Double(trades.count)
                : zip(trades, weights).reduce(0) { $0 + $1.0.netReturn * $1.1 }

            let startEquity = equity
            var periodReturn: Double, traded = 0.0, costs = 0.0, unfilled = 0.0
            var pickReturns = trades.map(\.netReturn), stopped = trades.map(\.stopped)
            if var portfolio = rebalancer {
                let invested = cashReason == nil
                let outcome = portfolio.period(decision: d, exit: exit, scoringDay: s, picks: invested ? picks : [],
                                               weights: invested ? weights : [], isLast: p == days.count - 2)
                rebalancer = portfolio
                periodReturn = outcome.endValue / outcome.startValue - 1
                equity = outcome.endValue
                (traded, costs, unfilled) = (outcome.traded, outcome.costs, outcome.unfilled)
                if invested { (pickReturns, stopped, picksReturn) = (outcome.pickReturns, outcome.stopped, periodReturn) }
            } else {
                periodReturn = cashReason == nil ? picksReturn : 0
                equity *= 1 + periodReturn
                if cashReason == nil {
                    for i in picks.indices {
                        let open = panel.value(.open, ticker: picks[i].ticker, day: d), trade = trades[i]
                        let shares = weights[i] * startEquity / trade.entry, exitPrice = trade.exit / (1 - fractions[i])
                        traded += shares * (open + exitPrice)
                        costs += shares * (trade.entry - open + exitPrice - trade.exit) + 2 * execution.cost * weights[i] * startEquity
                        holdingDays.append(trade.exitDay - d)
                    }
                }
            }
            costFractions += costs / startEquity
            breaker.record(equity: equity, shadowReturn: cashReason == .tooFewPicks ? 0 : picksReturn)

            if cashReason == nil {
                let holdings = Set(picks.map(\.ticker))
                nameTurnovers.append(1 - Double(holdings.intersection(previousHoldings).count) / Double(holdings.count))
                previousHoldings = holdings
            } else {
                previousHoldings = []
            }

            let spyReturn = spy.map { Execution.realisedReturn(panel, ticker: $0, entryDay: d, exitDay: exit) } ?? .nan
            periods.append(.init(
                date: panel.calendar[d], exitDate: panel.calendar[exit], scoringDate: panel.calendar[s],
                netReturn: periodReturn, picksReturn: picksReturn, spyReturn: spyReturn, equity: equity,
                cashReason: cashReason, retrained: retrain, ic: ic,
                picks: picks.indices.map { i in
                    .init(ticker: panel.tickers[picks[i].ticker], sector: picks[i].sector, score: picks[i].score,
                          netReturn: pickReturns[i], stopped: stopped[i], weight: weights[i])
                },
                traded: traded, turnover: traded / startEquity, costs: costs, unfilled: unfilled))
            try progress?(WalkForwardProgress(experiment: config.name, period: p + 1, total: days.count - 1, retrains: retrains, date: panel.calendar[d]))
        }
        if let rebalancer { holdingDays = rebalancer.portfolio.holdingDays }
        var result = summarise(periods: periods, retrains: retrains, nameTurnovers: nameTurnovers, holdingDays: holdingDays,
                               costFractions: costFractions, quality: quality.quality, strategy: scorer.label)
        result.explanation = explaining?.finished()
        return result
    }

    /// The members with a score that pass the filters at scoring day `s` and, with a
    /// trading day, open on it (a live decision's open is not known yet).
    static func candidates(scores: [Double], members: [Int], panel: Panel, filter: UniverseFilter, momentum: FeatureMatrix?,
                           scoringDay s: Int, tradingDay d: Int?) -> [Selection.Candidate] {
        var candidates: [Selection.Candidate] = []
        for (i, t) in members.enumerated() where scores[i].isFinite {
            if let d {
                let open = panel.value(.open, ticker: t, day: d)
                guard open.isFinite, open > 0 else { continue }
            }
            guard filter.admits(panel, ticker: t, scoringDay: s) else { continue }
            candidates.append(.init(ticker: t, score: scores[i],
                                    momentum: momentum.map { Double($0.value(feature: 0, ticker: t, day: s)) } ?? .nan,
                                    sector: panel.sector(ofTicker: t)))
        }
        return candidates
    }

    private func summarise(periods: [ExperimentResult.Period], retrains: Int, nameTurnovers: [Double], holdingDays: [Int],
                           costFractions: Double, quality: PredictionQuality, strategy: String) -> ExperimentResult {
        let returns = periods.map(\.netReturn)
        let first = periods.first!.date, last = periods.last!.exitDate
        let years = Double(last.ordinal - first.ordinal) / 365.25
        let metrics = PerformanceMetrics(returns: returns, years: years, periodsPerYear: config.rebalance.periodsPerYear)
        let spyReturn = periods.reduce(1.0) { $0 * (1 + ($1.spyReturn.isFinite ? $1.spyReturn : 0)) } - 1
        let excess = periods.map { $0.netReturn - $0.spyReturn }.filter(\.isFinite)
        let unfilled = periods.reduce(0) { $0 + $1.unfilled }

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
            nameTurnover: nameTurnovers.isEmpty ? 0 : Statistics.mean(nameTurnovers),
            turnover: Statistics.mean(periods.map(\.turnover)),
            costDrag: years > 0 ? costFractions / years : 0,
            costsPaid: periods.reduce(0) { $0 + $1.costs },
            holdingDays: holdingDays.isEmpty ? 0 : Double(holdingDays.reduce(0, +)) / Double(holdingDays.count),
            unfilledFraction: unfilled == 0 ? 0 : unfilled / (unfilled + periods.reduce(0) { $0 + $1.traded }),
            quality: quality,
            periods: periods, retrainPeriods: blocks, retrains: retrains,
            warnings: config.signalTiming == .sameDayClose ? [SignalTiming.lookAheadWarning] : [],
            dataFingerprint: dataset.panel.fingerprint)
    }
}

/// Collects what `explain = true` keeps while a walk-forward runs.
struct ExplanationRecorder {
    private var explanation: Explanation
    private let column: [Int: Int]
    private var block: (date: Day, sums: [Int: (absoluteSHAP: [Double], rows: Int, gain: [Double])])?
    private var features: [String] = []

    init(dataset: Dataset) {
        let tickers = dataset.tradableTickers
        explanation = Explanation(tickers: tickers.map { dataset.panel.tickers[$0] })
        column = Dictionary(uniqueKeysWithValues: tickers.enumerated().map { ($1, $0) })
    }

    private func row(_ values: [Double], _ members: [Int]) -> [Float] {
        var row = [Float](repeating: .nan, count: column.count)
        for (i, t) in members.enumerated() { row[column[t]!] = Float(values[i]) }
        return row
    }

    /// One period's scores, and for a model its horizons' predictions and explanation.
    mutating func record(scores: [Double], members: [Int], scorer: any Scorer, retrain: Bool, date: Day) {
        explanation.scores.append(row(scores, members))
        guard let model = scorer as? ModelScorer else { return }
        for (h, predictions) in model.lastPredictions { explanation.horizonScores[h, default: []].append(row(predictions, members)) }
        features = model.featureNames
        if retrain || block == nil {
            flush()
            block = (date, [:])
        }
        for (h, e) in model.lastExplanation {
            var sum = block!.sums[h] ?? ([Double](repeating: 0, count: e.absoluteSHAP.count), 0, e.gain)
            for j in sum.absoluteSHAP.indices { sum.absoluteSHAP[j] += e.absoluteSHAP[j] }
            sum.rows += e.rows
            sum.gain = e.gain
            block!.sums[h] = sum
        }
    }

    private mutating func flush() {
        guard let block else { return }
        for (h, sum) in block.sums.sorted(by: { $0.key < $1.key }) {
            explanation.importance.append(.init(date: block.date, horizon: h, features: features, gain: sum.gain,
                                                meanAbsoluteSHAP: sum.absoluteSHAP.map { sum.rows > 0 ? $0 / Double(sum.rows) : 0 }, rows: sum.rows))
        }
        self.block = nil
    }

    /// The explanation, the last retraining period included.
    mutating func finished() -> Explanation {
        flush()
        return explanation
    }
}
