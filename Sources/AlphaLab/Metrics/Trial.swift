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
    /// The per-period returns.
    public var returns: [Double]
    /// The per-period Sharpe ratio (mean / sd of `returns`), its annualised form, and the
    /// returns' skewness and kurtosis.
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
        let returns = result.periods.map(\.netReturn)
        let moments = DeflatedSharpe.Moments(returns)
        self.init(configHash: result.config.trialHash, family: TrialFamily(result: result), name: result.name, returns: returns,
                  sharpe: moments.sharpe, annualSharpe: result.metrics.sharpe, skew: moments.skew, kurtosis: moments.kurtosis,
                  scriptHash: scriptHash, user: user, host: host, recordedAt: ISO8601DateFormatter().string(from: recordedAt))
    }

    public init(configHash: String, family: TrialFamily, name: String, returns: [Double], sharpe: Double, annualSharpe: Double,
                skew: Double, kurtosis: Double, scriptHash: String?, user: String, host: String, recordedAt: String) {
        self.configHash = configHash
        self.family = family
        self.name = name
        self.returns = returns
        self.sharpe = sharpe
        self.annualSharpe = annualSharpe
        self.skew = skew
        self.kurtosis = kurtosis
        self.scriptHash = scriptHash
        self.user = user
        self.host = host
        self.recordedAt = recordedAt
    }
}

/// What a verdict needs of a trial: which config it was, its returns and Sharpe ratios.
public struct TrialSample: Sendable, Equatable {
    public var configHash: String
    public var returns: [Double]
    /// Per period, and annualised.
    public var sharpe: Double
    public var annualSharpe: Double

    public init(configHash: String, returns: [Double], sharpe: Double, annualSharpe: Double) {
        self.configHash = configHash
        self.returns = returns
        self.sharpe = sharpe
        self.annualSharpe = annualSharpe
    }
}

extension Trial {
    /// The part of the trial a verdict reads.
    public var sample: TrialSample { TrialSample(configHash: configHash, returns: returns, sharpe: sharpe, annualSharpe: annualSharpe) }
}

extension ExperimentConfig {
    /// What makes two runs the same trial: every config field except `name` and `explain`.
    public var trialHash: String {
        var hash = Fingerprint()
        hash.add("alphalab-trial-v1")
        for field in ExperimentConfig.fields where field.key != "name" && field.key != "explain" {
            hash.add(field.key)
            hash.add(field.value(in: self).canonical)
        }
        return hash.hex
    }
}

/// A result judged against every trial of its family: how many were tried, how many of
/// them count as independent, how much their Sharpe ratios spread, and the probability
/// that the result's true Sharpe ratio beats the best that luck alone would give.
public struct TrialVerdict: Sendable, Equatable {
    /// Trials in the family (the result's own included).
    public var trials: Int
    /// The effective number of independent trials, `ρ + (1 - ρ) N`, and the mean pairwise
    /// correlation ρ of the trials' period returns.
    public var effectiveTrials: Double
    public var meanCorrelation: Double
    /// The variance of the trials' per-period Sharpe ratios.
    public var variance: Double
    /// The result's per-period and annualised Sharpe ratios, and its number of periods.
    public var sharpe: Double
    public var annualSharpe: Double
    public var periods: Int
    /// The expected maximum per-period Sharpe ratio of `effectiveTrials` luckless trials.
    public var expectedMaximum: Double
    /// The probabilistic Sharpe ratio against zero, and the deflated Sharpe ratio: the
    /// same against ``expectedMaximum``. Both are probabilities.
    public var probabilistic: Double
    public var deflated: Double
    /// The family's best annualised Sharpe ratio.
    public var bestAnnualSharpe: Double

    /// The formula of the effective number of trials, for readers.
    public static let effectiveFormula = "N_eff = rho + (1 - rho) N, rho the mean pairwise correlation of the trials' period returns"

    /// Judges `trial` against `family` (the ledger's trials of its family; the trial is
    /// counted once whether or not the list holds it).
    public init(_ trial: Trial, family: [Trial]) {
        self.init(trial, samples: family.map(\.sample))
    }

    /// Judges `trial` against the samples of its family (``RunStore/samples(family:)``).
    public init(_ trial: Trial, samples family: [TrialSample]) {
        var all = family.filter { $0.configHash != trial.configHash }
        all.append(trial.sample)
        let sharpes = all.map(\.sharpe)
        let spread = DeflatedSharpe.Moments(sharpes)
        let effective = DeflatedSharpe.effectiveTrials(all.map(\.returns))
        trials = all.count
        effectiveTrials = effective.effective
        meanCorrelation = effective.meanCorrelation
        variance = all.count > 1 ? spread.sd * spread.sd : 0
        sharpe = trial.sharpe
        annualSharpe = trial.annualSharpe
        periods = trial.periods
        let judged = DeflatedSharpe.deflated(sharpe: trial.sharpe, trials: effective.effective, variance: variance, periods: trial.periods,
                                             skew: trial.skew, kurtosis: trial.kurtosis)
        expectedMaximum = judged.sr0
        deflated = judged.dsr
        probabilistic = DeflatedSharpe.probabilistic(sharpe: trial.sharpe, periods: trial.periods, skew: trial.skew, kurtosis: trial.kurtosis)
        bestAnnualSharpe = all.map(\.annualSharpe).filter(\.isFinite).max() ?? .nan
    }

    /// Judges the trial whose ledger sample is `sample` against its family's samples (the
    /// run browser has samples, not whole trials).
    public init(sample: TrialSample, family: [TrialSample]) {
        let moments = DeflatedSharpe.Moments(sample.returns)
        let trial = Trial(configHash: sample.configHash, family: TrialFamily(dataFingerprint: "", universe: "", start: "", end: "", rebalance: ""),
                          name: "", returns: sample.returns, sharpe: sample.sharpe, annualSharpe: sample.annualSharpe, skew: moments.skew,
                          kurtosis: moments.kurtosis, scriptHash: nil, user: "", host: "", recordedAt: "")
        self.init(trial, samples: family)
    }

    /// One line for a summary.
    public var summary: String {
        "deflated Sharpe \(Format.num(deflated, "%.3f")) against \(trials) trial\(trials == 1 ? "" : "s") of its family "
            + "(\(Format.num(effectiveTrials, "%.1f")) effective: rho + (1 - rho) N, rho \(Format.num(meanCorrelation, "%.2f")); "
            + "Sharpe variance \(Format.num(variance, "%.2e")) a period; best Sharpe \(Format.num(bestAnnualSharpe, "%.2f"))); "
            + "PSR vs 0 \(Format.num(probabilistic, "%.3f"))"
    }
}
