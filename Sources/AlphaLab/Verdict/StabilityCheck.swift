/// Stability: excess return over SPY and its t-statistic by calendar year and by halves of
/// the run. Passes when at least `stability_pass` of the years beat SPY and both halves
/// do; fails when fewer than `stability_fail` do or neither half does; warns between.
enum StabilityCheck {
    /// The periods' excess return (compounded strategy minus compounded SPY) and the
    /// t-statistic of the per-period excess.
    static func span(_ label: String, _ periods: ArraySlice<ExperimentResult.Period>) -> Verdict.Span {
        let strategy = periods.reduce(1.0) { $0 * (1 + $1.netReturn) }
        let spy = periods.reduce(1.0) { $0 * (1 + ($1.spyReturn.isFinite ? $1.spyReturn : 0)) }
        let t = Statistics.tStatistic(periods.map { $0.netReturn - $0.spyReturn }.filter(\.isFinite)).t
        return Verdict.Span(label: label, periods: periods.count, excessReturn: strategy - spy, tStat: t)
    }

    static func spans(_ result: ExperimentResult) -> (years: [Verdict.Span], halves: [Verdict.Span]) {
        let periods = result.periods
        let years = Dictionary(grouping: periods.indices) { periods[$0].date.year }.sorted { $0.key < $1.key }.map { year, indices in
            span(String(year), periods[indices.first!...indices.last!])
        }
        let middle = periods.count / 2
        guard middle > 0 else { return (years, []) }
        let halves = [(periods[..<middle], "first half"), (periods[middle...], "second half")].map { slice, name in
            span("\(name) \(slice.first!.date) .. \(slice.last!.exitDate)", slice)
        }
        return (years, halves)
    }

    /// `benchmark`: what the excess is over (``Book/benchmarkName``).
    static func judge(years: [Verdict.Span], halves: [Verdict.Span], rules: VerdictRules, benchmark: String = "SPY") -> VerdictCheck {
        let positive = years.filter { $0.excessReturn > 0 }.count
        let share = years.isEmpty ? 0 : Double(positive) / Double(years.count)
        let halvesPositive = halves.filter { $0.excessReturn > 0 }.count
        let rule = "pass when >= \(Format.rate(rules.stabilityPass)) of years and both halves beat \(benchmark); fail below \(Format.rate(rules.stabilityFail)) or when neither half does; insufficient below \(Int(rules.stabilityMinYears)) years"
        if Double(years.count) < rules.stabilityMinYears {
            return VerdictCheck(kind: .stability, outcome: .insufficient,
                                figure: "not enough evidence: \(years.count) calendar year\(years.count == 1 ? "" : "s") (\(positive) beat \(benchmark)); at least \(Int(rules.stabilityMinYears)) are needed to judge stability",
                                rule: rule, details: years.map { "\($0.label): excess \(Format.pct($0.excessReturn)) (t \(Format.num($0.tStat)))" })
        }
        let outcome: VerdictCheck.Outcome = share < rules.stabilityFail || halvesPositive == 0 ? .fail
            : share >= rules.stabilityPass && halvesPositive == halves.count ? .pass : .warn
        let details = years.map { "\($0.label): excess \(Format.pct($0.excessReturn)) (t \(Format.num($0.tStat)))" }
            + halves.map { "\($0.label): excess \(Format.pct($0.excessReturn)) (t \(Format.num($0.tStat)))" }
        return VerdictCheck(kind: .stability, outcome: outcome,
                            figure: "\(positive) of \(years.count) years beat \(benchmark) (\(Format.rate(share))); halves \(halves.map { Format.pct($0.excessReturn) }.joined(separator: " and "))",
                            rule: rule, details: details)
    }
}
