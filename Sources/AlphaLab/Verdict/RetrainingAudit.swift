import Foundation

/// A fast retraining mode held against full retraining: the same config run both ways on
/// the same data, and what changed in what matters. The fast mode decides the same when
/// its out-of-sample IC is within `icTolerance` of the full one's, at least
/// `picksIdentical` of its picks are the full run's, and its excess return differs by no
/// more than one standard error of the per-period differences.
public struct RetrainingAudit: Sendable, Equatable {
    /// The fast mode audited, e.g. "warm (full refit every 13 periods)".
    public var mode: String
    /// Mean out-of-sample IC of each run.
    public var fullIC: Double
    public var fastIC: Double
    /// The share of the picks that both runs held, over every period: Σ|A ∩ B| / Σ max(|A|, |B|).
    public var identicalPicks: Double
    /// The fast run's annualised excess return less the full run's (the mean per-period
    /// difference of net returns, times periods a year), and its standard error.
    public var excessDifference: Double
    public var excessStandardError: Double
    /// Each run's total excess return over SPY.
    public var fullExcess: Double
    public var fastExcess: Double
    /// The mean over periods of the Spearman correlation of the two runs' scores of the
    /// same candidates, and its lowest period.
    public var scoreRankCorrelation: Double
    public var lowestRankCorrelation: Double
    public var periods: Int
    /// Full retraining held against itself with its window one trading day shorter, when
    /// asked for: how far the exact method moves when nothing but one day of rows changes.
    public var floor: Floor?
    /// Trainings each run needed beyond what was in the cache before it (the fast run's
    /// full refits are the full run's trainings at the same dates when it ran first).
    public var fullRunTrainings: Int
    public var fastRunTrainings: Int
    /// Of the fast run's retrainings, the warm updates.
    public var fastRunUpdates: Int
    /// Wall time of each run, seconds.
    public var fullSeconds: Double
    public var fastSeconds: Double

    /// Full retraining against full retraining on a window one trading day shorter
    /// (`embargo_days` + 1): the same comparison as the audit's, for two runs of the exact
    /// method that an analyst could equally have chosen. A fast mode that disagrees with
    /// full retraining no more than this disagrees for no reason the model's own
    /// instability does not already give.
    public struct Floor: Sendable, Equatable, Codable {
        /// What the second full run changed.
        public var perturbation: String
        public var icDifference: Double
        public var identicalPicks: Double
        public var excessDifference: Double
        public var excessStandardError: Double
        public var scoreRankCorrelation: Double

        init(_ comparison: RetrainingAudit, perturbation: String) {
            self.perturbation = perturbation
            (icDifference, identicalPicks) = (comparison.icDifference, comparison.identicalPicks)
            (excessDifference, excessStandardError) = (comparison.excessDifference, comparison.excessStandardError)
            scoreRankCorrelation = comparison.scoreRankCorrelation
        }

        /// One line of the floor's figures.
        public var summary: String {
            "floor (\(perturbation)): IC difference \(Format.num(icDifference, "%+.4f")), \(Format.rate(identicalPicks)) of picks identical, "
                + "excess difference \(Format.pct(excessDifference)) a year (standard error \(Format.rate(excessStandardError))), score rank correlation \(Format.num(scoreRankCorrelation, "%.3f"))"
        }
    }

    /// The targets, from the issue that introduced fast modes.
    public static let icTolerance = 0.005
    public static let picksIdentical = 0.9

    public var icDifference: Double { fastIC - fullIC }

    /// Whether the fast mode decides the same, by the three targets.
    public var decidesTheSame: Bool {
        abs(icDifference) < Self.icTolerance && identicalPicks >= Self.picksIdentical && abs(excessDifference) <= excessStandardError
    }

    /// Runs `config` with full retraining and with its fast mode (the config's own when it
    /// asks for one, else `warm`) on `dataset`, the full run first; both record their
    /// scores. The runs share the dataset's training cache: the fast mode's full refits
    /// are the full run's trainings at the same dates.
    /// `recorded` is told each run's result (a session records its trial).
    /// With `floor`, a third run, full retraining on a window one trading day shorter, gives
    /// the audit's ``floor``.
    public static func run(config: ExperimentConfig, dataset: Dataset, floor: Bool = false, recorded: ((ExperimentResult) -> Void)? = nil,
                           log: ((String) -> Void)? = nil) throws -> RetrainingAudit {
        let fastConfig = config.with { if $0.retrainMode == .full { $0.retrainMode = .warm } }
        let fullConfig = config.with { $0.retrainMode = .full }
        func run(_ c: ExperimentConfig, _ label: String) throws -> (result: ExperimentResult, scores: [[Double]], trainings: Int, seconds: Double) {
            log?("retraining audit: \(config.name), \(label)")
            let trainings = dataset.trainingCache.trainings
            let clock = Stopwatch()
            let tape = ScoreTape()
            var named = c
            named.name = config.name + " [\(label)]"
            let result = try WalkForward(config: named, dataset: dataset).run(scorer: tape.recording(named.defaultScorer))
            recorded?(result)
            return (result, tape.scores, dataset.trainingCache.trainings - trainings, clock.seconds)
        }
        let full = try run(fullConfig, "full retraining")
        let fast = try run(fastConfig, "\(fastConfig.retrainMode.rawValue) retraining")
        var audit = RetrainingAudit(full: full.result, fast: fast.result, fullScores: full.scores, fastScores: fast.scores)
        (audit.fullRunTrainings, audit.fastRunTrainings) = (full.trainings, fast.trainings)
        (audit.fullSeconds, audit.fastSeconds) = (full.seconds, fast.seconds)
        if floor {
            let shifted = try run(fullConfig.with { $0.embargoDays += 1 }, "full retraining, window one day shorter")
            audit.floor = Floor(RetrainingAudit(full: full.result, fast: shifted.result, fullScores: full.scores, fastScores: shifted.scores),
                                perturbation: "full retraining on a window one trading day shorter")
        }
        return audit
    }

    /// The comparison of two runs of one config on one dataset (the same decision
    /// periods and candidates), with each period's scores of the candidates.
    public init(full: ExperimentResult, fast: ExperimentResult, fullScores: [[Double]], fastScores: [[Double]]) {
        let fastSchedule = fast.config.retrainSchedule
        mode = fastSchedule.mode == .full ? "full" : "\(fastSchedule.mode.rawValue) (full refit every \(fastSchedule.fullRefitWeeks) periods)"
        fullIC = full.quality.meanIC
        fastIC = fast.quality.meanIC
        let count = min(full.periods.count, fast.periods.count)
        periods = count
        var common = 0, larger = 0
        var differences: [Double] = []
        for (a, b) in zip(full.periods.prefix(count), fast.periods.prefix(count)) {
            let x = Set(a.picks.map(\.ticker)), y = Set(b.picks.map(\.ticker))
            common += x.intersection(y).count
            larger += max(x.count, y.count)
            differences.append(b.netReturn - a.netReturn)
        }
        identicalPicks = larger > 0 ? Double(common) / Double(larger) : 1
        let perYear = full.config.rebalance.periodsPerYear
        excessDifference = Statistics.mean(differences) * perYear
        excessStandardError = differences.count > 1 ? Statistics.standardDeviation(differences) / Double(differences.count).squareRoot() * perYear : .nan
        fullExcess = full.excessReturn
        fastExcess = fast.excessReturn
        var correlations: [Double] = []
        for (a, b) in zip(fullScores, fastScores) where a.count == b.count {
            let both = a.indices.filter { a[$0].isFinite && b[$0].isFinite }
            guard both.count > 2 else { continue }
            let rho = Statistics.spearman(both.map { a[$0] }, both.map { b[$0] })
            if rho.isFinite { correlations.append(rho) }
        }
        scoreRankCorrelation = correlations.isEmpty ? .nan : Statistics.mean(correlations)
        lowestRankCorrelation = correlations.min() ?? .nan
        fastRunUpdates = (0..<fast.periods.count).filter { fastSchedule.kind(at: $0) == .update }.count
        (fullRunTrainings, fastRunTrainings, fullSeconds, fastSeconds) = (0, 0, 0, 0)
    }

    /// The audit as a verdict check: pass when the fast mode decides the same, warn when
    /// it misses one target, fail when it misses more.
    public var check: VerdictCheck {
        let misses = [abs(icDifference) >= Self.icTolerance, identicalPicks < Self.picksIdentical, !(abs(excessDifference) <= excessStandardError)]
            .filter { $0 }.count
        let outcome: VerdictCheck.Outcome = misses == 0 ? .pass : misses == 1 ? .warn : .fail
        return VerdictCheck(kind: .retraining, outcome: outcome, figure: summary,
                            rule: "pass when |IC difference| < \(Self.icTolerance), at least \(Format.num(Self.picksIdentical * 100, "%.0f"))% of picks identical and the excess difference within one standard error; warn on one miss; fail on more",
                            details: details)
    }

    /// One line: the three figures the targets judge.
    public var summary: String {
        "\(mode) against full: IC \(Format.num(fastIC, "%.4f")) vs \(Format.num(fullIC, "%.4f")) (difference \(Format.num(icDifference, "%+.4f"))), "
            + "\(Format.rate(identicalPicks)) of picks identical, excess difference \(Format.pct(excessDifference)) a year (standard error \(Format.rate(excessStandardError)))"
    }

    /// The supporting figures.
    public var details: [String] {
        ["score rank correlation per period: mean \(Format.num(scoreRankCorrelation, "%.3f")), lowest \(Format.num(lowestRankCorrelation, "%.3f")) over \(periods) periods",
         "excess return over SPY: full \(Format.pct(fullExcess)), \(mode) \(Format.pct(fastExcess))",
         "trainings: full run \(fullRunTrainings) new; fast run \(fastRunTrainings) new, \(fastRunUpdates) of its retrainings warm updates; "
            + "\(Format.num(fullSeconds, "%.1f")) s against \(Format.num(fastSeconds, "%.1f")) s"] + (floor.map { [$0.summary] } ?? [])
    }
}
