import Foundation

/// How many names a run held each period and which of them it kept from the period before,
/// by rank, on each side of its book: the holding structure a placebo copies, so that it
/// trades as much as the run.
struct HoldingStructure: Sendable, Equatable {
    /// Per period, the run's long picks best first: true where the name was held the period before.
    var kept: [[Bool]]
    /// The same for its shorts (the picks of negative weight; empty lists for a long-only book).
    var keptShort: [[Bool]]

    /// The structure of `result`'s picks.
    init(_ result: ExperimentResult) {
        func structure(_ side: Side) -> [[Bool]] {
            var previous = Set<String>()
            return result.periods.map { period in
                let picks = period.picks.filter { ($0.weight < 0) == (side == .short) }
                defer { previous = Set(picks.map(\.ticker)) }
                return picks.map { previous.contains($0.ticker) }
            }
        }
        kept = structure(.long)
        keptShort = structure(.short)
    }

    /// The pattern of `side` in period `period`.
    func pattern(_ side: Side, period: Int) -> [Bool] { side == .long ? kept[period] : keptShort[period] }
}

/// The cost-matched placebo: random books with the run's holding structure. Each period it
/// keeps, at random, as many of its own previous picks as the run kept of its own, and
/// fills the rest at random from the other candidates, through the config's momentum
/// filter and sector cap; kept names take the ranks where the run's kept names stand (in
/// their old order) and new names the ranks of the run's new names, so a weighting by
/// rank trades as the run's does. Weighting, execution, costs and the circuit breaker are
/// the run's: a placebo turns over and pays what the run pays and differs from it only in
/// skill. (Shuffling scores across all candidates instead replaces most of the book every
/// period: such placebos pay several times the run's costs, and a run "beats" them on costs.)
public struct MatchedPlacebo: PickRule {
    let structure: HoldingStructure
    let selection: Selection
    let seed: UInt64
    /// The previous picks' ranks (0 best), longs and shorts.
    private var previous: [Int: Int] = [:], previousShort: [Int: Int] = [:]

    init(structure: HoldingStructure, selection: Selection, seed: UInt64) {
        self.structure = structure
        self.selection = selection
        self.seed = seed
    }

    /// The placebo of `result` drawn from `seed`: its holding structure, its config's filters.
    public init(matching result: ExperimentResult, seed: UInt64) {
        self.init(structure: HoldingStructure(result), selection: Selection(config: result.config), seed: seed)
    }

    public mutating func pick(_ candidates: [Selection.Candidate], held: Set<Int>, period: Int, side: Side) -> [Selection.Candidate] {
        if side == .short {
            // Each side draws on its own: the shorts from their own stream and history.
            var other = MatchedPlacebo(structure: structure, selection: selection.shorting, seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
            other.previous = previousShort
            let picks = other.draw(candidates, pattern: structure.pattern(.short, period: period), period: period)
            previousShort = other.previous
            return picks
        }
        return draw(candidates, pattern: structure.pattern(.long, period: period), period: period)
    }

    /// Random picks with the kept-and-new `pattern` of the run's side in `period`.
    private mutating func draw(_ candidates: [Selection.Candidate], pattern: [Bool], period: Int) -> [Selection.Candidate] {
        var random = RandomSource(seed: seed &+ UInt64(period) &* 0x9E37_79B9_7F4A_7C15)
        var kept = candidates.filter { previous[$0.ticker] != nil }
        var fresh = candidates.filter { previous[$0.ticker] == nil }
        kept.shuffle(using: &random)
        fresh.shuffle(using: &random)
        let count = pattern.count
        // As many kept names as the run kept (those the filters still admit), then new ones,
        // then more kept ones only if the candidates run out.
        var chosen = selection.admitting([(kept, pattern.filter { $0 }.count), (fresh, count)], count: count)
        if chosen.count < count {
            let taken = Set(chosen.map(\.ticker))
            chosen = selection.admitting([(chosen, count), (kept.filter { !taken.contains($0.ticker) }, count)], count: count)
        }
        var stay = chosen.filter { previous[$0.ticker] != nil }.sorted { previous[$0.ticker]! < previous[$1.ticker]! }[...]
        var new = chosen.filter { previous[$0.ticker] == nil }[...]
        var picks: [Selection.Candidate] = []
        for wasKept in pattern.prefix(chosen.count) {
            if wasKept, let c = stay.popFirst() ?? new.popFirst() { picks.append(c) }
            else if let c = new.popFirst() ?? stay.popFirst() { picks.append(c) }
        }
        previous = Dictionary(uniqueKeysWithValues: picks.enumerated().map { ($1.ticker, $0) })
        return picks
    }
}

enum PlaceboTest {
    /// Runs `permutations` cost-matched placebos of `config` (on all cores) on the run's own
    /// candidates (replayed from `tape`: no retraining) and returns their excess returns,
    /// net and gross of costs, with the run's rank among them.
    static func run(config: ExperimentConfig, dataset: Dataset, tape: ScoreTape, given: ExperimentResult, permutations: Int,
                    seed: UInt64) throws -> Verdict.Placebo {
        var quiet = config
        quiet.explain = false
        quiet.name = config.name + " [placebo]"
        let walk = try WalkForward(config: quiet, dataset: dataset, measuresQuality: false)
        let structure = HoldingStructure(given)
        let selection = Selection(config: config)
        let runs = try parallelMap(permutations) { i in
            let rule = MatchedPlacebo(structure: structure, selection: selection, seed: seed &+ UInt64(i) &* 0xD1B5_4A32_D192_ED03)
            let r = try walk.run(scorer: tape.replaying, rule: rule)
            return (excess: r.excessReturn, gross: r.grossExcessReturn, turnover: r.turnover)
        }
        let excess = runs.map(\.excess).sorted(), gross = runs.map(\.gross).sorted()
        return Verdict.Placebo(permutations: permutations, seed: seed, excessReturns: excess, meanTurnover: Statistics.mean(runs.map(\.turnover)),
                               actual: given.excessReturn, percentile: percentile(given.excessReturn, among: excess),
                               pValue: pValue(given.excessReturn, among: excess), runTurnover: given.turnover,
                               grossExcessReturns: gross, actualGross: given.grossExcessReturn,
                               grossPValue: pValue(given.grossExcessReturn, among: gross))
    }

    /// (1 + placebos at or above `actual`) / (placebos + 1): exact under exchangeability.
    static func pValue(_ actual: Double, among placebos: [Double]) -> Double {
        Double(1 + placebos.filter { !($0 < actual) }.count) / Double(placebos.count + 1)
    }

    /// The share of placebos strictly below `actual`.
    static func percentile(_ actual: Double, among placebos: [Double]) -> Double {
        placebos.isEmpty ? .nan : Double(placebos.filter { $0 < actual }.count) / Double(placebos.count)
    }

    static func judge(_ placebo: Verdict.Placebo, periods: Int, rules: VerdictRules) -> VerdictCheck {
        let p = placebo.pValue
        let rule = "pass p < \(Format.num(rules.placeboPass, "%.2f")), warn p < \(Format.num(rules.placeboWarn, "%.2f")), fail above; "
            + "insufficient below \(Int(rules.placeboMinPeriods)) periods"
        var details = ["random books with the run's holding structure (each period as many names kept as the run kept), seed \(placebo.seed); same candidates, filters, weighting, execution and costs"]
        if let actualGross = placebo.actualGross, let grossP = placebo.grossPValue {
            details.append("gross of costs: excess \(Format.pct(actualGross)), p = \(Format.num(grossP, "%.3f"))")
        }
        if !placebo.excessReturns.isEmpty {
            let sorted = placebo.excessReturns
            details.insert("placebo excess median \(Format.pct(sorted[sorted.count / 2])), 95th percentile \(Format.pct(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]))", at: 0)
        }
        guard Double(periods) >= rules.placeboMinPeriods, placebo.permutations > 0 else {
            let why = placebo.permutations == 0 ? "no placebos were drawn (permutations 0)"
                : "\(periods) periods are too few to tell picks from luck (at least \(Int(rules.placeboMinPeriods)))"
            return VerdictCheck(kind: .placebo, outcome: .insufficient, figure: "not enough evidence: \(why)", rule: rule, details: details)
        }
        let outcome: VerdictCheck.Outcome = p < rules.placeboPass ? .pass : p < rules.placeboWarn ? .warn : .fail
        return VerdictCheck(kind: .placebo, outcome: outcome,
                            figure: "p = \(Format.num(p, "%.3f")): excess \(Format.pct(placebo.actual)) beats \(Format.rate(placebo.percentile)) of \(placebo.permutations) turnover-matched placebos "
                                + "(they turn over \(Format.rate(placebo.meanTurnover)) a period, the run \(Format.rate(placebo.runTurnover ?? .nan)))",
                            rule: rule, details: details)
    }
}

extension ExperimentResult {
    /// The excess return over SPY before costs: each period's return with its costs added
    /// back (as a share of the equity they were paid from), compounded, minus SPY's.
    public var grossExcessReturn: Double {
        var equity = config.initialCash, gross = 1.0, spy = 1.0
        for p in periods {
            gross *= 1 + p.netReturn + (equity > 0 ? p.costs / equity : 0)
            spy *= 1 + (p.spyReturn.isFinite ? p.spyReturn : 0)
            equity = p.equity
        }
        return gross - spy
    }
}
