import Foundation

/// How a verdict is reached: the placebo's size and seed, and the rules.
public struct VerdictOptions: Sendable, Equatable {
    /// Placebo permutations (200 by default; 0 skips the placebo and fails its check).
    public var permutations = 200
    /// The placebo's and the family tests' seed: the same seed gives the same verdict.
    public var seed: UInt64 = 1
    /// Stationary-bootstrap resamples of the family's multiple-testing tests.
    public var familyResamples = 1000
    public var rules = VerdictRules()

    public init() {}
}

/// Gives a config its verdict: runs it as given (recording its scores), then its audit
/// twins on the same dataset one after the other (trainings shared through the dataset's
/// cache, and each twin's new trainings counted), then the placebos on every core from the
/// recorded scores, and judges each way the backtest can lie.
public struct VerdictRunner {
    public let config: ExperimentConfig
    public let dataset: Dataset
    public var options: VerdictOptions
    /// Makes a fresh scorer for each run; nil runs the config's own (the model or 12-1 momentum).
    public var scorer: (() -> any Scorer)?
    /// Records the run as given in the team's ledger and returns its family's samples (the
    /// run's own included); nil (or a nil answer) when there is no ledger.
    public var ledger: ((ExperimentResult) throws -> [TrialSample]?)?
    /// Told what is running, one line at a time.
    public var log: ((String) -> Void)?

    /// A runner for a checked config.
    public init(checked: CheckedConfig, dataset: Dataset, options: VerdictOptions = VerdictOptions(),
                scorer: (() -> any Scorer)? = nil, ledger: ((ExperimentResult) throws -> [TrialSample]?)? = nil,
                log: ((String) -> Void)? = nil) {
        config = checked.config
        (self.dataset, self.options, self.scorer, self.ledger, self.log) = (dataset, options, scorer, ledger, log)
    }

    /// A runner for `config`, checked here.
    public init(config: ExperimentConfig, dataset: Dataset, options: VerdictOptions = VerdictOptions(),
                scorer: (() -> any Scorer)? = nil, ledger: ((ExperimentResult) throws -> [TrialSample]?)? = nil,
                log: ((String) -> Void)? = nil) throws(ConfigError) {
        self.init(checked: try CheckedConfig(config), dataset: dataset, options: options, scorer: scorer, ledger: ledger, log: log)
    }

    /// The verdict, and the result of the config as given.
    public func run() throws -> (verdict: Verdict, result: ExperimentResult) {
        let clock = Stopwatch()
        let tape = ScoreTape()
        var twins: [Verdict.Twin] = []
        let given = try run(config, label: "as given", scorer: tape.recording(makeScorer()), twins: &twins)

        let timing = try run(config.with { $0.signalTiming = $0.signalTiming == .priorClose ? .sameDayClose : .priorClose },
                             label: "timing: " + (config.signalTiming == .priorClose ? "same_day_close" : "prior_close"), twins: &twins)
        let execution = try run(config.with { c in
            c.execution = c.execution == .rebalance ? .roundTrip : .rebalance
            if c.execution == .roundTrip { c.maxADVPct = 0 }
        }, label: "execution: " + (config.execution == .rebalance ? "round_trip" : "rebalance"), twins: &twins)
        var costPoints: [Verdict.CostPoint] = []
        for multiple in [0.0, 1, 2, 3] {
            let r = multiple == 1 ? given : try run(config.scalingCosts(by: multiple), label: "costs: \(Int(multiple))x", twins: &twins)
            costPoints.append(.init(multiple: multiple, bps: Self.costPerTradedDollar(r) * 1e4, excessReturn: r.excessReturn))
        }
        let costs = CostCheck.judge(given: given, points: costPoints, otherExecution: execution, rules: options.rules)
        let evidence = try VerdictEvidence(result: given, dataset: dataset)
        let universe = try universeCheck(given: given, evidence: evidence, twins: &twins)

        let selection = try judgeSelection(given)
        log?("verdict: \(options.permutations) placebos (random books with the run's turnover, seed \(options.seed))")
        let placebo = try PlaceboTest.run(config: config, dataset: dataset, tape: tape, given: given,
                                          permutations: options.permutations, seed: options.seed)
        let spans = StabilityCheck.spans(given)
        var checks = [TimingCheck.judge(given: given, twin: timing, rules: options.rules), costs.check, universe.check, selection,
                      PlaceboTest.judge(placebo, periods: given.periods.count, rules: options.rules),
                      StabilityCheck.judge(years: spans.years, halves: spans.halves, rules: options.rules, benchmark: config.book.benchmarkName)]
        if let retraining = try retrainingAudit(given: given, tape: tape, twins: &twins) { checks.append(retraining.check) }
        let verdict = Verdict(name: config.name, config: config, start: given.startDate?.description ?? "", end: given.endDate?.description ?? "",
                              dataFingerprint: given.dataFingerprint, checks: checks, rules: options.rules, twins: twins,
                              costs: costPoints, breakEvenBps: costs.breakEvenBps, placebo: placebo, years: spans.years,
                              halves: spans.halves, coverage: universe.coverage, evidence: evidence, seconds: clock.seconds)
        return (verdict, given)
    }

    private func makeScorer() -> any Scorer { scorer?() ?? config.defaultScorer }

    /// With a fast retraining mode (and the config's own model), the audit of it against
    /// full retraining: the full twin is run with its scores recorded and compared with the
    /// run as given. Nil when the run retrains in full or scores with a caller's function.
    private func retrainingAudit(given: ExperimentResult, tape: ScoreTape, twins: inout [Verdict.Twin]) throws -> RetrainingAudit? {
        guard config.retrainMode != .full, scorer == nil, config.strategy == .ml else { return nil }
        let full = config.with { $0.retrainMode = .full }
        let fullTape = ScoreTape()
        let before = dataset.trainingCache.trainings
        let clock = Stopwatch()
        let twin = try run(full, label: "retraining: full", scorer: fullTape.recording(full.defaultScorer), twins: &twins)
        var audit = RetrainingAudit(full: twin, fast: given, fullScores: fullTape.scores, fastScores: tape.scores)
        (audit.fullRunTrainings, audit.fullSeconds) = (dataset.trainingCache.trainings - before, clock.seconds)
        audit.fastRunTrainings = twins.first?.newTrainings ?? 0
        return audit
    }

    /// Runs `twin` (with a fresh scorer unless given one) and appends it to `twins` with the
    /// trainings it needed that no earlier run had done.
    private func run(_ twin: ExperimentConfig, label: String, scorer: (any Scorer)? = nil, twins: inout [Verdict.Twin]) throws -> ExperimentResult {
        log?("verdict: \(label)")
        let before = dataset.trainingCache.trainings
        var named = twin
        named.explain = false
        if label != "as given" { named.name = config.name + " [\(label)]" }
        // The run as given is the one the verdict returns: it carries its attribution; twins do not.
        let result = try WalkForward(config: named, dataset: dataset, attributesRisk: label == "as given").run(scorer: scorer ?? makeScorer())
        let curve = result.equityCurve
        twins.append(.init(label: label, totalReturn: result.metrics.totalReturn, excessReturn: result.excessReturn,
                           excessTStat: result.excessTStat, sharpe: result.metrics.sharpe, turnover: result.turnover,
                           costDrag: result.costDrag, newTrainings: dataset.trainingCache.trainings - before,
                           dates: curve.map(\.date.description), equity: curve.map(\.value)))
        return result
    }

    /// Records the run in the ledger and judges it against its family: the deflated ratio
    /// and, with more than one trial, the family's multiple-testing tests.
    private func judgeSelection(_ given: ExperimentResult) throws -> VerdictCheck {
        guard let family = try ledger?(given) else {
            return SelectionCheck.judge(given: given, ledger: nil, family: nil, rules: options.rules)
        }
        let sample = Trial(result: given, scriptHash: nil, user: "", host: "").sample
        let deflation = TrialVerdict(sample: sample, family: family)
        let tests = deflation.trials > 1 ? FamilyTests(sample: sample, family: family, reps: options.familyResamples, seed: options.seed) : nil
        return SelectionCheck.judge(given: given, ledger: deflation, family: tests, rules: options.rules)
    }

    /// The point-in-time twin and coverage when the data has a point-in-time universe.
    private func universeCheck(given: ExperimentResult, evidence: VerdictEvidence,
                               twins: inout [Verdict.Twin]) throws -> (check: VerdictCheck, coverage: UniverseCoverage?) {
        let pointInTime = dataset.memberships[config.universe] != nil ? config.universe : dataset.memberships.keys.sorted().first
        guard let pointInTime, let membership = dataset.memberships[pointInTime] else {
            return (UniverseCheck.unavailable(given: given, evidence: evidence, rules: options.rules), nil)
        }
        let other = config.universe == pointInTime ? Universe.survivorsName : pointInTime
        let twin = try run(config.with { $0.universe = other }, label: "universe: " + other, twins: &twins)
        let days = try WalkForward(config: config, dataset: dataset).decisionDays()
        let coverage = UniverseCoverage(membership, panel: dataset.panel, days: days)
        return (UniverseCheck.judge(given: given, twin: twin, pointInTime: pointInTime, coverage: coverage, evidence: evidence,
                                    rules: options.rules), coverage)
    }

    /// Costs paid per dollar traded over the run (0 without trades).
    static func costPerTradedDollar(_ r: ExperimentResult) -> Double {
        let traded = r.periods.reduce(0) { $0 + $1.traded }
        return traded > 0 ? r.costsPaid / traded : 0
    }
}

extension ExperimentConfig {
    /// The config with every cost multiplied by `multiple`: slippage, transaction costs
    /// and, for the square-root model, the half-spread and the impact coefficient.
    public func scalingCosts(by multiple: Double) -> ExperimentConfig {
        with { c in
            c.slippageBps *= multiple
            c.transactionCostBps *= multiple
            c.halfSpreadBps *= multiple
            c.impactCoefficient *= multiple
        }
    }
}
