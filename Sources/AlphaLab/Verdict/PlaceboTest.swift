import Foundation

/// The scores a run's scorer gave at each period, kept so that placebos can replay the
/// run's decisions without scoring (or training) again. A class: the walk-forward works
/// on its own copy of the scorer, and the tape must outlive it.
final class ScoreTape: @unchecked Sendable {
    // @unchecked: written by one run, then only read.
    private(set) var scores: [[Double]] = []

    /// A scorer that records what `base` scores into this tape.
    func recording(_ base: any Scorer) -> any Scorer { Recording(base: base, tape: self) }

    private struct Recording: Scorer {
        var base: any Scorer
        let tape: ScoreTape
        var label: String { base.label }
        mutating func scores(_ context: ScoringContext) throws -> [Double] {
            let scores = try base.scores(context)
            precondition(context.period == tape.scores.count, "periods are scored in order, once each")
            tape.scores.append(scores)
            return scores
        }
    }
}

/// The permutation placebo: the run's decisions again with each period's scores shuffled
/// across the scored candidates (a seeded Fisher-Yates per period and permutation), so
/// that the filters, sector cap, weighting, execution, costs and circuit breaker all stay
/// as they were and only the signal's information is destroyed. No retraining: the
/// scores are the run's own, from a ``ScoreTape``.
struct PlaceboScorer: Scorer {
    let tape: ScoreTape
    let seed: UInt64
    var label: String { "placebo" }

    mutating func scores(_ context: ScoringContext) throws -> [Double] {
        var scores = tape.scores[context.period]
        precondition(scores.count == context.tickers.count, "a placebo sees the run's members")
        let scored = scores.indices.filter { scores[$0].isFinite }
        var random = RandomSource(seed: seed &+ UInt64(context.period) &* 0x9E37_79B9_7F4A_7C15)
        var values = scored.map { scores[$0] }
        values.shuffle(using: &random)
        for (slot, value) in zip(scored, values) { scores[slot] = value }
        return scores
    }
}

enum PlaceboTest {
    /// Runs `permutations` placebos of `config` replaying `tape` (on all cores) and returns
    /// their excess returns with the run's rank among them.
    static func run(config: ExperimentConfig, dataset: Dataset, tape: ScoreTape, actual: Double, permutations: Int,
                    seed: UInt64) throws -> Verdict.Placebo {
        var quiet = config
        quiet.explain = false
        quiet.name = config.name + " [placebo]"
        let walk = try WalkForward(config: quiet, dataset: dataset, measuresQuality: false)
        let runs = try parallelMap(permutations) { i in
            let r = try walk.run(scorer: PlaceboScorer(tape: tape, seed: seed &+ UInt64(i) &* 0xD1B5_4A32_D192_ED03))
            return (excess: r.excessReturn, turnover: r.turnover)
        }
        let excess = runs.map(\.excess).sorted()
        let atOrAbove = excess.filter { !($0 < actual) }.count
        return Verdict.Placebo(permutations: permutations, seed: seed, excessReturns: excess,
                               meanTurnover: Statistics.mean(runs.map(\.turnover)), actual: actual,
                               percentile: permutations == 0 ? .nan : Double(permutations - atOrAbove) / Double(permutations),
                               pValue: Double(1 + atOrAbove) / Double(permutations + 1))
    }

    static func judge(_ placebo: Verdict.Placebo, runTurnover: Double, rules: VerdictRules) -> VerdictCheck {
        let p = placebo.pValue
        let outcome: VerdictCheck.Outcome = p < rules.placeboPass ? .pass : p < rules.placeboWarn ? .warn : .fail
        let spread = placebo.excessReturns.isEmpty ? "" :
            "placebo excess median \(Format.pct(placebo.excessReturns[placebo.excessReturns.count / 2])), 95th percentile \(Format.pct(placebo.excessReturns[min(placebo.excessReturns.count - 1, Int(Double(placebo.excessReturns.count) * 0.95))]))"
        return VerdictCheck(kind: .placebo, outcome: outcome,
                            figure: "p = \(Format.num(p, "%.3f")): excess \(Format.pct(placebo.actual)) beats \(Format.rate(placebo.percentile)) of \(placebo.permutations) placebos",
                            rule: "pass p < \(Format.num(rules.placeboPass, "%.2f")), warn p < \(Format.num(rules.placeboWarn, "%.2f")), fail above",
                            details: [spread, "scores shuffled across the candidates each period, seed \(placebo.seed); same filters, execution and costs",
                                      // Random picks change every period: their costs are part of any gap (the costs check shows the run at 0x).
                                      "placebos turn over \(Format.rate(placebo.meanTurnover)) a period, the run \(Format.rate(runTurnover))"])
    }
}
