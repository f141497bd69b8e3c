import Foundation

/// One reasoned answer to "does this strategy really work?": the run as given, its audit
/// twins on the same data (timing, execution, costs, universe), the ledger's deflation, a
/// permutation placebo and per-year stability, each check pass, warn or fail with its
/// deciding figure, and one headline.
public struct Verdict: Sendable, Equatable, Codable {
    /// The one-word answer.
    public enum Headline: String, Sendable, Codable {
        /// Every check passes (checks that could not run in full are named as caveats).
        case credible
        /// The edge is real in the data but may not survive costs, the trials behind it or
        /// time: a robustness check warns or fails.
        case fragile
        /// The measured edge comes from how it was measured: the timing, universe or
        /// placebo check fails.
        case artefact
        /// Nothing speaks against the strategy, but the evidence that could speak for it is
        /// missing: a check that "credible" needs had too little to go on (no ledger, too
        /// few years or periods, a universe cut by `--limit`).
        case inconclusive
    }

    /// A run behind the verdict: the config as given or one of its twins.
    public struct Twin: Sendable, Equatable, Codable {
        /// What differs from the config as given ("as given", "timing: same_day_close", ...).
        public var label: String
        public var totalReturn: Double
        public var excessReturn: Double
        public var excessTStat: Double
        public var sharpe: Double
        public var turnover: Double
        public var costDrag: Double
        /// Trainings this twin needed that no earlier run had done (0 for a rule).
        public var newTrainings: Int
        /// The equity curve: ISO dates and values.
        public var dates: [String]
        public var equity: [Double]
    }

    /// The chosen execution at one multiple of its costs.
    public struct CostPoint: Sendable, Equatable, Codable {
        public var multiple: Double
        /// The mean cost per traded dollar at this multiple, in basis points.
        public var bps: Double
        public var excessReturn: Double
    }

    /// Excess return over SPY and its t-statistic over one span (a year, a half).
    public struct Span: Sendable, Equatable, Codable {
        public var label: String
        public var periods: Int
        public var excessReturn: Double
        public var tStat: Double
    }

    /// The placebo's distribution: random books with the run's holding structure.
    public struct Placebo: Sendable, Equatable, Codable {
        public var permutations: Int
        public var seed: UInt64
        /// Each placebo's excess return net of costs, sorted.
        public var excessReturns: [Double]
        /// The placebos' mean turnover a period (matched to the run's holding structure).
        public var meanTurnover: Double
        /// The run's excess return, the share of placebos below it, and the p-value
        /// (1 + placebos at or above it) / (permutations + 1).
        public var actual: Double
        public var percentile: Double
        public var pValue: Double
        /// The run's mean turnover a period, beside the placebos'. (Optional here and below:
        /// verdicts kept before the placebo matched turnover lack them.)
        public var runTurnover: Double?
        /// The same before costs: the placebos' gross excess returns (sorted), the run's, and its p-value.
        public var grossExcessReturns: [Double]?
        public var actualGross: Double?
        public var grossPValue: Double?
    }

    public var name: String
    public var config: ExperimentConfig
    /// The run's span and data.
    public var start: String
    public var end: String
    public var dataFingerprint: String
    public var headline: Headline
    /// The checks that decided the headline (the failing ones, else the warning ones).
    public var reasons: [VerdictCheck.Kind]
    public var checks: [VerdictCheck]
    public var rules: VerdictRules
    /// The config as given first, then its twins.
    public var twins: [Twin]
    public var costs: [CostPoint]
    /// The cost per traded dollar at which the excess return reaches zero, in basis
    /// points (0: no edge before costs; infinite: the edge grows with costs).
    public var breakEvenBps: Double
    public var placebo: Placebo
    public var years: [Span]
    public var halves: [Span]
    /// The point-in-time universe's price coverage, when the data has one.
    public var coverage: UniverseCoverage?
    /// How much evidence the run holds: its universe, periods, years and any `--limit`.
    /// (Optional: verdicts kept before it was recorded lack it.)
    public var evidence: VerdictEvidence?
    /// Wall time of the whole verdict.
    public var seconds: Double

    /// The check of `kind`.
    public func check(_ kind: VerdictCheck.Kind) -> VerdictCheck? { checks.first { $0.kind == kind } }

    /// The headline `checks` earn, and the checks that earned it: artefact when timing,
    /// universe or the placebo fails; fragile when any other check fails or any check
    /// warns about the strategy itself; inconclusive when nothing speaks against it but a
    /// check had too little evidence to speak for it; credible otherwise (warnings that
    /// only qualify what a check measured are caveats, not evidence).
    public static func headline(for checks: [VerdictCheck]) -> (Headline, [VerdictCheck.Kind]) {
        let artefacts = checks.filter { $0.outcome == .fail && $0.kind.failureIsArtefact }
        if !artefacts.isEmpty { return (.artefact, artefacts.map(\.kind)) }
        let failures = checks.filter { $0.outcome == .fail }
        if !failures.isEmpty { return (.fragile, failures.map(\.kind)) }
        let warnings = checks.filter { $0.outcome == .warn && !$0.limited }
        if !warnings.isEmpty { return (.fragile, warnings.map(\.kind)) }
        let missing = checks.filter { $0.outcome == .insufficient }
        if !missing.isEmpty { return (.inconclusive, missing.map(\.kind)) }
        return (.credible, [])
    }

    /// JSON for the run store and files (non-finite numbers as strings).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// A verdict from ``json()``.
    public init(json: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self = try decoder.decode(Verdict.self, from: json)
    }

    init(name: String, config: ExperimentConfig, start: String, end: String, dataFingerprint: String, checks: [VerdictCheck],
         rules: VerdictRules, twins: [Twin], costs: [CostPoint], breakEvenBps: Double, placebo: Placebo, years: [Span],
         halves: [Span], coverage: UniverseCoverage?, evidence: VerdictEvidence, seconds: Double) {
        (self.name, self.config, self.start, self.end, self.dataFingerprint) = (name, config, start, end, dataFingerprint)
        (headline, reasons) = Self.headline(for: checks)
        (self.checks, self.rules, self.twins, self.costs, self.breakEvenBps) = (checks, rules, twins, costs, breakEvenBps)
        (self.placebo, self.years, self.halves, self.coverage, self.seconds) = (placebo, years, halves, coverage, seconds)
        self.evidence = evidence
    }
}
