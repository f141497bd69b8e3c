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

/// What a verdict needs of a trial: which config it was and its returns, from which its
/// statistics are computed.
public struct TrialSample: Sendable, Equatable {
    public var configHash: String
    public var returns: [Double]
    /// Empty when the ledger did not keep them (trials recorded before it did).
    public var activeReturns: [Double]
    public var claim: Claim
    public var riskFree: Double
    public var periodsPerYear: Double

    public init(configHash: String, returns: [Double], activeReturns: [Double], claim: Claim, riskFree: Double, periodsPerYear: Double) {
        self.configHash = configHash
        self.returns = returns
        self.activeReturns = activeReturns
        self.claim = claim
        self.riskFree = riskFree
        self.periodsPerYear = periodsPerYear
    }

    /// A claimed statistic of one trial: the series it is computed from, its moments, and
    /// the ratio per period and annualised.
    public struct Statistic: Sendable {
        public var series: [Double]
        public var moments: DeflatedSharpe.Moments
        public var sharpe: Double { moments.sharpe }
        public var annualSharpe: Double
    }

    /// The series `claim` judges: the active returns, or the returns less the risk-free
    /// rate a period (a trial without active returns falls back to the latter).
    public func series(_ claim: Claim) -> [Double] {
        if claim == .active, activeReturns.count == returns.count { return activeReturns }
        let rf = riskFree / periodsPerYear
        return returns.map { $0 - rf }
    }

    /// The statistic `claim` judges (``SharpeRatio``'s formula: mean over sample standard deviation).
    public func statistic(_ claim: Claim) -> Statistic {
        let series = series(claim)
        let moments = DeflatedSharpe.Moments(series)
        return Statistic(series: series, moments: moments, annualSharpe: moments.sharpe * periodsPerYear.squareRoot())
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

/// A result judged against every trial of its family: how many were tried, how many of
/// them count as independent, how much their ratios spread, and the probability that the
/// result's true ratio beats the best that luck alone would give. The ratio is the one
/// the trial claims (``Claim``): the information ratio over SPY for a benchmark-relative
/// strategy, the Sharpe ratio for an absolute one, for every trial of the family alike.
public struct TrialVerdict: Sendable, Equatable {
    /// What is deflated.
    public var claim: Claim
    /// Trials in the family (the result's own included).
    public var trials: Int
    /// The effective number of independent trials, `ρ + (1 - ρ) N`, and the mean pairwise
    /// correlation ρ of the trials' series.
    public var effectiveTrials: Double
    public var meanCorrelation: Double
    /// The variance of the trials' per-period ratios.
    public var variance: Double
    /// The result's per-period and annualised ratio, and its number of periods.
    public var sharpe: Double
    public var annualSharpe: Double
    public var periods: Int
    /// The expected maximum per-period ratio of `effectiveTrials` luckless trials.
    public var expectedMaximum: Double
    /// The probabilistic ratio against zero, and the deflated one: the same against
    /// ``expectedMaximum``. Both are probabilities.
    public var probabilistic: Double
    public var deflated: Double
    /// The family's best annualised ratio.
    public var bestAnnualSharpe: Double
    /// The minimum backtest length in years (Bailey, Borwein, López de Prado and Zhu 2014)
    /// for `effectiveTrials` trials at the result's annualised ratio: below it, the best of
    /// that many luckless trials is expected to look as good. 0 for one trial.
    public var minimumYears: Double
    /// The result's length in years.
    public var years: Double

    /// The formula of the effective number of trials, for readers.
    public static let effectiveFormula = "N_eff = rho + (1 - rho) N, rho the mean pairwise correlation of the trials' period returns"

    /// Judges `trial` against `family` (the ledger's trials of its family; the trial is
    /// counted once whether or not the list holds it).
    public init(_ trial: Trial, family: [Trial]) {
        self.init(sample: trial.sample, family: family.map(\.sample))
    }

    /// Judges `trial` against the samples of its family (``RunStore/samples(family:)``).
    public init(_ trial: Trial, samples family: [TrialSample]) {
        self.init(sample: trial.sample, family: family)
    }

    /// Judges the trial whose ledger sample is `sample` against its family's samples, in
    /// ledger order (the trial is folded in last when the family lacks it).
    public init(sample: TrialSample, family: [TrialSample]) {
        self.init(sample: sample, moments: FamilyMoments(family), includesSample: family.contains { $0.configHash == sample.configHash })
    }

    /// Judges the trial whose ledger sample is `sample` against its family's running sums
    /// (``RunStore/familyMoments(family:configHash:)``), which hold the trial already when
    /// `includesSample`.
    public init(sample: TrialSample, moments: FamilyMoments, includesSample: Bool) {
        var moments = moments
        if !includesSample { moments.add(sample) }
        claim = sample.claim
        let family = moments[sample.claim]
        let own = sample.statistic(sample.claim)
        let effective = family.effectiveTrials
        trials = family.trials
        effectiveTrials = effective.effective
        meanCorrelation = effective.meanCorrelation
        variance = family.variance
        sharpe = own.sharpe
        annualSharpe = own.annualSharpe
        periods = own.series.count
        let m = own.moments
        let judged = DeflatedSharpe.deflated(sharpe: sharpe, trials: effective.effective, variance: variance, periods: periods,
                                             skew: m.skew, kurtosis: m.kurtosis)
        expectedMaximum = judged.sr0
        deflated = judged.dsr
        probabilistic = DeflatedSharpe.probabilistic(sharpe: sharpe, periods: periods, skew: m.skew, kurtosis: m.kurtosis)
        bestAnnualSharpe = family.bestAnnual.isFinite ? family.bestAnnual : .nan
        years = Double(periods) / sample.periodsPerYear
        minimumYears = DeflatedSharpe.minimumBacktestYears(trials: effective.effective, annualSharpe: annualSharpe)
    }

    /// One line for a summary.
    public var summary: String {
        "deflated \(claim.abbreviation) \(Format.num(deflated, "%.3f")) against \(trials) trial\(trials == 1 ? "" : "s") of its family "
            + "(\(Format.num(effectiveTrials, "%.1f")) effective: rho + (1 - rho) N, rho \(Format.num(meanCorrelation, "%.2f")); "
            + "\(claim.abbreviation) variance \(Format.num(variance, "%.2e")) a period; best \(claim.abbreviation) \(Format.num(bestAnnualSharpe, "%.2f"))); "
            + "PSR vs 0 \(Format.num(probabilistic, "%.3f")); minimum backtest length \(Format.num(minimumYears, "%.1f")) years, the run has \(Format.num(years, "%.1f"))"
    }
}
