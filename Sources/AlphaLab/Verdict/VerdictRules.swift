/// The thresholds a verdict applies, each with a documented default. Every one can be
/// changed (`lab.verdict(cfg, data, { rules = { placebo_pass = 0.01 } })`); the card
/// prints the rule it used next to each outcome.
public struct VerdictRules: Sendable, Equatable, Codable {
    /// Timing: under the seed's same-day scoring, fail when the honest twin keeps less
    /// than this share of the excess return (the rest came from the look-ahead).
    public var timingKeep = 0.5
    /// Costs: pass when the break-even cost is at least this multiple of the cost paid;
    /// warn above 1x; fail below (the costs eat the edge).
    public var costMultiple = 2.0
    /// Universe: fail when the point-in-time twin keeps less than this share of the
    /// excess return of a run on `all` or `survivors`.
    public var universeKeep = 0.5
    /// Universe: warn when the point-in-time universe has a bar for fewer than this share
    /// of its members in any year (the missing members are survivorship left in).
    public var coverageMin = 0.95
    /// Selection: pass at a deflated ratio (a probability) of at least this; warn at least
    /// `selectionWarn`; fail below. 0.975 is the one-sided twin of a two-sided 5% test
    /// (t >= 1.96 for a single trial): at 0.95 the verdict called 31% of planted markets
    /// with an excess t below 2 credible (`alphalab-bench calibration`, 200 seeds).
    public var selectionPass = 0.975
    public var selectionWarn = 0.5
    /// Placebo: pass at a p-value below this; warn below `placeboWarn`; fail at or above.
    public var placeboPass = 0.05
    public var placeboWarn = 0.10
    /// Placebo: fewer decision periods than this are not enough evidence (insufficient).
    public var placeboMinPeriods = 36.0
    /// Stability: pass when at least this share of years beat SPY and both halves do;
    /// fail below `stabilityFail` or when neither half does; warn between.
    public var stabilityPass = 0.6
    public var stabilityFail = 0.4
    /// Stability: fewer calendar years than this are not enough evidence (insufficient).
    public var stabilityMinYears = 3.0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case timingKeep, costMultiple, universeKeep, coverageMin, selectionPass, selectionWarn, placeboPass, placeboWarn,
             placeboMinPeriods, stabilityPass, stabilityFail, stabilityMinYears
    }

    /// Rules kept with a verdict; a rule added since it was kept takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys, _ path: WritableKeyPath<VerdictRules, Double>) throws {
            if let v = try c.decodeIfPresent(Double.self, forKey: key) { self[keyPath: path] = v }
        }
        try read(.timingKeep, \.timingKeep); try read(.costMultiple, \.costMultiple); try read(.universeKeep, \.universeKeep)
        try read(.coverageMin, \.coverageMin); try read(.selectionPass, \.selectionPass); try read(.selectionWarn, \.selectionWarn)
        try read(.placeboPass, \.placeboPass); try read(.placeboWarn, \.placeboWarn); try read(.placeboMinPeriods, \.placeboMinPeriods)
        try read(.stabilityPass, \.stabilityPass); try read(.stabilityFail, \.stabilityFail); try read(.stabilityMinYears, \.stabilityMinYears)
    }

    /// Each rule's key (as Lua and JSON spell it), summary and place in the struct.
    public static let fields: [(key: String, summary: String, path: WritableKeyPath<VerdictRules, Double> & Sendable)] = [
        ("timing_keep", "same-day runs: fail when the honest twin keeps less than this share of the excess", \.timingKeep),
        ("cost_multiple", "pass when break-even cost >= this multiple of the cost paid; warn above 1x", \.costMultiple),
        ("universe_keep", "fail when the point-in-time twin keeps less than this share of the excess", \.universeKeep),
        ("coverage_min", "warn when the point-in-time universe's price coverage falls below this in a year", \.coverageMin),
        ("selection_pass", "pass at a deflated Sharpe ratio of at least this", \.selectionPass),
        ("selection_warn", "warn at a deflated Sharpe ratio of at least this; fail below", \.selectionWarn),
        ("placebo_pass", "pass at a placebo p-value below this", \.placeboPass),
        ("placebo_warn", "warn at a placebo p-value below this; fail at or above", \.placeboWarn),
        ("placebo_min_periods", "insufficient evidence for the placebo below this many decision periods", \.placeboMinPeriods),
        ("stability_pass", "pass when at least this share of years beat SPY and both halves do", \.stabilityPass),
        ("stability_fail", "fail when fewer than this share of years beat SPY, or neither half does", \.stabilityFail),
        ("stability_min_years", "insufficient evidence for stability below this many calendar years", \.stabilityMinYears),
    ]

    /// Sets the rule called `key`; an unknown key names the valid ones.
    public mutating func set(_ key: String, _ value: Double) throws(VerdictError) {
        guard let field = Self.fields.first(where: { $0.key == key }) else {
            let valid = Self.fields.map(\.key)
            let hint = closestMatch(to: key, in: valid).map { " (did you mean '\($0)'?)" } ?? ""
            throw .badRule("unknown verdict rule '\(key)'\(hint); rules: \(valid.joined(separator: ", "))")
        }
        guard value.isFinite, value >= 0 else { throw .badRule("verdict rule '\(key)' must be a non-negative number, got \(value)") }
        self[keyPath: field.path] = value
    }
}

/// Why a verdict cannot be given.
public enum VerdictError: Error, Equatable, CustomStringConvertible {
    case badRule(String)
    case badOption(String)

    public var description: String {
        switch self {
        case .badRule(let why), .badOption(let why): why
        }
    }
}
