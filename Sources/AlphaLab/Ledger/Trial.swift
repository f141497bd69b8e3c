import Foundation

/// The trials that can be compared: backtests on the same data (its fingerprint), in the
/// same universe, over the same decision periods at the same rebalance frequency. A
/// verdict is deflated only by the trials of its own family.
public struct TrialFamily: Sendable, Hashable, Codable {
    public var dataFingerprint: String
    public var universe: String
    /// The first decision date and the last exit date.
    public var start: String
    public var end: String
    /// `weekly` or `monthly`.
    public var rebalance: String

    public init(dataFingerprint: String, universe: String, start: String, end: String, rebalance: String) {
        self.dataFingerprint = dataFingerprint
        self.universe = universe
        self.start = start
        self.end = end
        self.rebalance = rebalance
    }

    /// The family of `result`.
    public init(result: ExperimentResult) {
        self.init(dataFingerprint: result.dataFingerprint, universe: result.config.universe,
                  start: result.startDate?.description ?? "", end: result.endDate?.description ?? "",
                  rebalance: result.config.rebalance.rawValue)
    }

    /// A short key naming the family (16 hex digits).
    public var key: String {
        var hash = Fingerprint()
        for part in [dataFingerprint, universe, start, end, rebalance] { hash.add(part) }
        return hash.hex
    }

    /// The family in words.
    public var description: String { "\(universe), \(start) .. \(end), \(rebalance), data \(dataFingerprint.prefix(8))" }
}

/// One completed backtest of one config on one dataset, as the ledger keeps it: the same
/// config on the same data is one trial however often it runs.
public struct Trial: Sendable, Equatable {
    /// The hash of every config field but `name` and `explain` (``ExperimentConfig/trialHash``).
    public var configHash: String
    public var family: TrialFamily
    /// The config's name when the trial was first recorded (for people; not part of the trial).
    public var name: String
    /// The per-period returns, and the active returns (each minus SPY's over the same
    /// period; empty for trials recorded before they were kept).
    public var returns: [Double]
    public var activeReturns: [Double]
    /// What the config claims, and the annual risk-free rate of its Sharpe ratio.
    public var claim: Claim
    public var riskFree: Double
    /// The claimed statistic per period (the information ratio of the active returns, or
    /// the Sharpe ratio), its annualised form, and its series' skewness and kurtosis: all
    /// computed from the returns (``TrialSample``), never read back from a stored column.
    public var sharpe: Double
    public var annualSharpe: Double
    public var skew: Double
    public var kurtosis: Double
    public var scriptHash: String?
    public var user: String
    public var host: String
    /// When it was recorded (ISO 8601).
    public var recordedAt: String

    public var periods: Int { returns.count }

    /// The trial `result` makes, recorded by `user` on `host` from the script with `scriptHash`.
    public init(result: ExperimentResult, scriptHash: String?, user: String, host: String, recordedAt: Date = Date()) {
        self.init(configHash: result.config.trialHash, family: TrialFamily(result: result), name: result.name,
                  returns: result.periods.map(\.netReturn), activeReturns: result.periods.map { $0.netReturn - ($0.spyReturn.isFinite ? $0.spyReturn : 0) },
                  claim: result.config.claim, riskFree: result.config.riskFreeRate, scriptHash: scriptHash, user: user, host: host,
                  recordedAt: ISO8601DateFormatter().string(from: recordedAt))
    }

    /// A trial from its stored parts; its statistics are computed from the returns.
    public init(configHash: String, family: TrialFamily, name: String, returns: [Double], activeReturns: [Double], claim: Claim,
                riskFree: Double, scriptHash: String?, user: String, host: String, recordedAt: String) {
        self.configHash = configHash
        self.family = family
        self.name = name
        self.returns = returns
        self.activeReturns = activeReturns
        self.claim = claim
        self.riskFree = riskFree
        self.scriptHash = scriptHash
        self.user = user
        self.host = host
        self.recordedAt = recordedAt
        let judged = TrialSample(configHash: configHash, returns: returns, activeReturns: activeReturns, claim: claim, riskFree: riskFree,
                                 periodsPerYear: family.periodsPerYear).statistic(claim)
        (sharpe, annualSharpe, skew, kurtosis) = (judged.sharpe, judged.annualSharpe, judged.moments.skew, judged.moments.kurtosis)
    }
}

extension Trial {
    /// The part of the trial a verdict reads.
    public var sample: TrialSample {
        TrialSample(configHash: configHash, returns: returns, activeReturns: activeReturns, claim: claim, riskFree: riskFree,
                    periodsPerYear: family.periodsPerYear)
    }
}

extension TrialFamily {
    /// Decision periods a year (52 weekly, 12 monthly).
    public var periodsPerYear: Double { Self.periodsPerYear(rebalance: rebalance) }

    /// Decision periods a year of a family rebalanced as `rebalance` says (weekly when unknown).
    static func periodsPerYear(rebalance: String?) -> Double { (Rebalance(rawValue: rebalance ?? "") ?? .weekly).periodsPerYear }
}

extension ExperimentConfig {
    /// What makes two runs the same trial: every config field except `name` and `explain`.
    public var trialHash: String {
        var hash = Fingerprint()
        hash.add("alphalab-trial-v1")
        let defaults = ExperimentConfig()
        for field in ExperimentConfig.fields where field.key != "name" && field.key != "explain" {
            if ExperimentConfig.hashedWhenSet.contains(field.key), field.value(in: self) == field.value(in: defaults) { continue }
            hash.add(field.key)
            hash.add(field.value(in: self).canonical)
        }
        return hash.hex
    }
}

extension TrialVerdict {
    /// Judges `trial` against `family` (the ledger's trials of its family; the trial is
    /// counted once whether or not the list holds it).
    public init(_ trial: Trial, family: [Trial]) {
        self.init(sample: trial.sample, family: family.map(\.sample))
    }

    /// Judges `trial` against the samples of its family (``RunStore/samples(family:)``).
    public init(_ trial: Trial, samples family: [TrialSample]) {
        self.init(sample: trial.sample, family: family)
    }
}
