import Foundation
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
