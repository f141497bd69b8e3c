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
    /// Retrainings done and left by kind: full trainings and warm updates (both zero for a rule).
    public var full = 0, updates = 0, fullLeft = 0, updatesLeft = 0
    /// The estimated wall time left, seconds: the mean time of this run's periods of each
    /// kind (full, update, no retraining) times the periods of that kind left.
    public var secondsLeft = 0.0
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
    /// Whether each period's prediction quality (IC, accuracy, hit rate) is measured; a
    /// placebo that only needs returns turns it off, saving a rank of every candidate.
    public var measuresQuality: Bool
    /// Whether the result carries its ``RiskAttribution``: the runs an analyst reads do
    /// (`lab.run`, a verdict's own run), the thousands behind a verdict or a family do not.
    public var attributesRisk: Bool

    /// A run of a checked config on `dataset`.
    public init(checked: CheckedConfig, dataset: Dataset, measuresQuality: Bool = true, attributesRisk: Bool = false,
                progress: ((WalkForwardProgress) throws -> Void)? = nil) {
        config = checked.config
        self.dataset = dataset
        self.measuresQuality = measuresQuality
        self.attributesRisk = attributesRisk
        self.progress = progress
    }

    /// A run of `config` on `dataset`; the config is checked here.
    public init(config: ExperimentConfig, dataset: Dataset, measuresQuality: Bool = true, attributesRisk: Bool = false,
                progress: ((WalkForwardProgress) throws -> Void)? = nil) throws(BacktestError) {
        let checked: CheckedConfig
        do { checked = try CheckedConfig(config) } catch { throw .config(error) }
        self.init(checked: checked, dataset: dataset, measuresQuality: measuresQuality, attributesRisk: attributesRisk, progress: progress)
    }

    /// The decision days: first trading day of each week or month from January 1 of
    /// start_year through December 31 of end_year, each with a prior close, and no later
    /// than the stocks' last bar: past it only the benchmark moves, and every period
    /// would hold cash and retrain on a window that no longer grows.
    public func decisionDays() throws(BacktestError) -> [Int] {
        let calendar = dataset.panel.calendar
        let days = Self.schedule(config, calendar: calendar, through: lastDecisionDate)
        guard days.count >= 2 else {
            let span = calendar.isEmpty ? "no trading days" : "\(calendar[0]) .. \(calendar[calendar.count - 1])"
            throw .noPeriods("\(config.name): \(config.startYear)-\(config.endYear) has \(days.count) decision date(s) in the data (\(span)); a run needs at least two")
        }
        return days
    }

    /// The last date a decision may fall on: December 31 of end_year, or the stocks' last
    /// bar when their data ends before it.
    var lastDecisionDate: Day {
        let yearEnd = Day(year: config.endYear, month: 12, day: 31)!
        let last = dataset.panel.stocksLastBar
        return last >= 0 ? min(yearEnd, dataset.panel.calendar[last]) : yearEnd
    }

    /// Why the run ends before end_year does, or nil: the stocks' data ends first (only
    /// the benchmark's series goes on).
    var endsEarly: String? {
        let yearEnd = Day(year: config.endYear, month: 12, day: 31)!
        let calendar = dataset.panel.calendar
        guard lastDecisionDate < yearEnd, let dataEnd = calendar.last, dataEnd > lastDecisionDate else { return nil }
        return "the stocks' data ends on \(lastDecisionDate) (the benchmark's runs to \(dataEnd)): the run ends there, not at the end of \(config.endYear)"
    }

    /// The config's decision days through `end`: the first trading day of each week (or
    /// month) from January 1 of start_year, each with a prior close.
    static func schedule(_ config: ExperimentConfig, calendar: TradingCalendar, through end: Day) -> [Int] {
        let start = Day(year: config.startYear, month: 1, day: 1)!
        return (config.rebalance == .weekly ? calendar.weekStarts(from: start, through: end)
                                            : calendar.monthStarts(from: start, through: end)).filter { $0 >= 1 }
    }

    /// The scorer the config asks for: the model or the 12-1 momentum rule.
    public var defaultScorer: any Scorer { config.defaultScorer }

    /// Runs the walk-forward with the config's scorer, or with `scorer` (a caller's strategy),
    /// and the config's selection, or `rule` (the verdict's placebo, a caller's rule).
    ///
    /// Each period reads score -> select -> size (target weights) -> execute -> record:
    /// the ``DecisionPipeline`` decides, the config's ``PeriodExecution`` trades, a
    /// ``CircuitBreaker`` may keep the period in cash, and a recorder sums it all up.
    public func run(scorer custom: (any Scorer)? = nil, rule customRule: (any PickRule)? = nil) throws -> ExperimentResult {
        var scorer = custom ?? defaultScorer
        let panel = dataset.panel
        let days = try decisionDays()
        let pipeline = try DecisionPipeline(config: config, dataset: dataset)
        var rule = customRule ?? pipeline.selection
        var execution = config.periodExecution(on: panel)
        var breaker = CircuitBreaker(config: config)
        var recorder = RunRecorder(config: config, panel: panel)
        var explaining = config.explain ? ExplanationRecorder(dataset: dataset) : nil
        // What each period's retraining does, for the progress report (nil: none, or a rule).
        let kinds = (0..<(days.count - 1)).map { scorer is ModelScorer ? config.retrainSchedule.kind(at: $0) : nil }
        var left = Dictionary(kinds.map { ($0, 1) }, uniquingKeysWith: +), done: [RetrainKind?: Int] = [:]
        var remaining = RemainingTime()
        var keptBooks: [String] = []

        for p in 0..<(days.count - 1) {
            try Cancellation.check()
            let clock = Stopwatch()
            let d = days[p], exit = days[p + 1]
            let s = config.signalTiming.scoringDay(forDecision: d)
            let retrain = p % config.retrainWeeks == 0
            if retrain && scorer is ModelScorer { recorder.retrains += 1 }
            let decision = try pipeline.decide(scorer: &scorer, rule: &rule, decisionDay: d, scoringDay: s, period: p, retrain: retrain, tradingDay: d,
                                               held: execution.held, shorted: execution.shorted, heldWeights: config.weighting == .optimized ? execution.heldWeights(atClose: s) : [:])
            if let kept = decision.keptBook { keptBooks.append(kept) }
            explaining?.record(scores: decision.scores, members: decision.members, scorer: scorer, retrain: retrain, date: panel.calendar[d])
            let ic = measuresQuality ? recorder.addQuality(decision, selection: pipeline.selection, entryDay: d, exitDay: exit) : .nan

            let orders = PeriodOrders(decisionDay: d, exitDay: exit, scoringDay: s, picks: decision.picks, weights: decision.weights,
                                      cashReason: decision.tooFew ? .tooFewPicks : breaker.inCash ? .circuitBreaker : nil,
                                      isLast: p == days.count - 2)
            let outcome = execution.execute(orders)
            breaker.record(equity: outcome.equity, shadowReturn: orders.cashReason == .tooFewPicks ? 0 : outcome.picksReturn)
            recorder.record(orders, outcome, retrained: retrain, ic: ic)
            remaining.record(kinds[p], seconds: clock.seconds)
            left[kinds[p], default: 1] -= 1
            done[kinds[p], default: 0] += 1
            if let progress {
                var report = WalkForwardProgress(experiment: config.name, period: p + 1, total: days.count - 1, retrains: recorder.retrains,
                                                 date: panel.calendar[d])
                (report.full, report.updates) = (done[.full] ?? 0, done[.update] ?? 0)
                (report.fullLeft, report.updatesLeft) = (left[.full] ?? 0, left[.update] ?? 0)
                report.secondsLeft = remaining.estimate(left)
                try progress(report)
            }
        }
        var result = recorder.result(holdingDays: execution.holdingDays, strategy: customRule?.label.map { "\(scorer.label), \($0)" } ?? scorer.label, dataFingerprint: panel.fingerprint)
        result.explanation = explaining?.finished()
        if let endsEarly { result.warnings.append(endsEarly) }
        if let first = keptBooks.first {
            result.warnings.append("optimizer: \(keptBooks.count) of \(days.count - 1) periods kept their book instead of optimized weights (first, \(first))")
        }
        result.universeSize = try UniverseSize(universe: config.universe, dataset: dataset,
                                               days: result.periods.compactMap { panel.calendar.index(of: $0.scoringDate) })
        if attributesRisk { result.attribution = RiskAttribution(result: result, dataset: dataset) }
        if let membership = dataset.memberships[config.universe] {
            let coverage = UniverseCoverage(membership, panel: panel, days: Array(days.dropLast()))
            result.coverage = coverage
            if let warning = ExperimentResult.coverageWarning(coverage, limit: dataset.limit) { result.warnings.append(warning) }
        }
        return result
    }
}
