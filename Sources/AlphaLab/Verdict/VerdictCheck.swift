/// One way a backtest can lie, judged on one run: pass, warn or fail, with the figure
/// that decided it and the rule it was held to.
public struct VerdictCheck: Sendable, Equatable, Codable {
    /// The six checks, in the order a card shows them, and a seventh for a run whose
    /// retraining takes a fast mode (``RetrainingAudit``).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case timing, costs, universe, selection, placebo, stability, retraining

        /// Whether a failure means the measured edge comes from the way it was measured
        /// (look-ahead, survivors, luck of the draw) rather than from the strategy.
        public var failureIsArtefact: Bool { self == .timing || self == .universe || self == .placebo }

        /// What the check asks, in a few words.
        public var question: String {
            switch self {
            case .timing: "does the edge survive honest timing?"
            case .costs: "does the edge survive its trading costs?"
            case .universe: "does the edge survive a point-in-time universe?"
            case .selection: "does the edge survive the number of trials behind it?"
            case .placebo: "do the picks beat random picks from the same candidates?"
            case .stability: "does the edge hold across years and halves?"
            case .retraining: "does the fast retraining decide as full retraining does?"
            }
        }
    }

    public enum Outcome: String, Sendable, Codable, Comparable, CaseIterable {
        /// The evidence supports the strategy.
        case pass
        /// The check had too little to go on (no ledger, too few years or periods, a
        /// universe cut by `--limit`): never a pass, not evidence against either.
        case insufficient
        /// The evidence is mixed.
        case warn
        /// The evidence speaks against the strategy.
        case fail

        public static func < (a: Outcome, b: Outcome) -> Bool {
            let order: [Outcome] = [.pass, .insufficient, .warn, .fail]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var kind: Kind
    public var outcome: Outcome
    /// The figure that decided the outcome, in words ("p = 0.005: 200 placebos").
    public var figure: String
    /// The rule applied, with its thresholds ("pass p < 0.05, warn p < 0.10").
    public var rule: String
    /// True when the check could not run in full on this data (no point-in-time universe,
    /// no ledger, thin price coverage): a warning that says so, never a silent pass, but
    /// not evidence against the strategy either.
    public var limited: Bool
    /// Supporting figures, one line each.
    public var details: [String]

    public init(kind: Kind, outcome: Outcome, figure: String, rule: String, limited: Bool = false, details: [String] = []) {
        self.kind = kind
        self.outcome = outcome
        self.figure = figure
        self.rule = rule
        self.limited = limited
        self.details = details
    }
}
