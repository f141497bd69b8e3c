/// The scores a run's scorer gave at each period, kept so that placebos can replay the
/// run's candidates without scoring (or training) again. A class: the walk-forward works
/// on its own copy of the scorer, and the tape must outlive it.
final class ScoreTape: @unchecked Sendable {
    // @unchecked: written by one run, then only read.
    private(set) var scores: [[Double]] = []

    /// A scorer that records what `base` scores into this tape.
    func recording(_ base: any Scorer) -> any Scorer { Recording(base: base, tape: self) }

    /// A scorer that gives each period's recorded scores again.
    var replaying: any Scorer { Replaying(tape: self) }

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

    private struct Replaying: Scorer {
        let tape: ScoreTape
        var label: String { "placebo" }
        func scores(_ context: ScoringContext) throws -> [Double] {
            precondition(tape.scores[context.period].count == context.tickers.count, "a placebo sees the run's members")
            return tape.scores[context.period]
        }
    }
}
