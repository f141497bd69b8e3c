/// Costs: the chosen execution at 0x, 1x, 2x and 3x its costs, the break-even cost at which
/// the excess return reaches zero, and the other execution model (the seed's round trips
/// against a held portfolio) for reference. Passes when the break-even cost is at least
/// `cost_multiple` times the cost paid; warns above 1x; fails below (the costs eat the
/// edge, or there is none before costs).
enum CostCheck {
    /// The break-even multiple of the costs: where the excess return, linear between the
    /// points measured (and beyond the last along its last slope), reaches zero. 0 when
    /// there is no edge before costs; infinity when more costs never bring it to zero.
    static func breakEvenMultiple(_ points: [(multiple: Double, excess: Double)]) -> Double {
        guard let first = points.first, first.excess > 0 else { return 0 }
        for (a, b) in zip(points, points.dropFirst()) where b.excess <= 0 {
            return a.multiple + (b.multiple - a.multiple) * a.excess / (a.excess - b.excess)
        }
        guard points.count >= 2 else { return .infinity }
        let a = points[points.count - 2], b = points[points.count - 1]
        let slope = (b.excess - a.excess) / (b.multiple - a.multiple)
        return slope < 0 ? b.multiple + b.excess / -slope : .infinity
    }

    static func judge(given: ExperimentResult, points: [Verdict.CostPoint], otherExecution: ExperimentResult,
                      rules: VerdictRules) -> (check: VerdictCheck, breakEvenBps: Double) {
        let multiple = breakEvenMultiple(points.map { ($0.multiple, $0.excessReturn) })
        let paid = points.first { $0.multiple == 1 }?.bps ?? 0
        let breakEven = paid > 0 ? multiple * paid : (multiple == 0 ? 0 : .infinity)
        let rule = "pass when break-even >= \(Format.num(rules.costMultiple, "%.1f"))x the cost paid; warn above 1x; fail below"
        var details = points.map { "\(Format.num($0.multiple, "%.0f"))x costs (\(Format.num($0.bps, "%.1f")) bps a traded dollar): excess \(Format.pct($0.excessReturn))" }
        details.append("turnover \(Format.rate(given.turnover)) a period, cost drag \(Format.rate(given.costDrag)) a year")
        details.append("\(otherExecution.config.execution.rawValue) instead of \(given.config.execution.rawValue): excess \(Format.pct(otherExecution.excessReturn)), turnover \(Format.rate(otherExecution.turnover)), cost drag \(Format.rate(otherExecution.costDrag)) a year")
        let figure: String
        let outcome: VerdictCheck.Outcome
        if multiple == 0 {
            (figure, outcome) = ("no edge before costs: excess \(Format.pct(points.first?.excessReturn ?? .nan)) at 0x", .fail)
        } else {
            let text = multiple.isFinite ? "\(Format.num(breakEven, "%.1f")) bps (\(Format.num(multiple, "%.2f"))x the \(Format.num(paid, "%.1f")) bps paid)"
                                         : "none: the excess does not fall with costs"
            figure = "break-even cost \(text); turnover \(Format.rate(given.turnover)) a period"
            outcome = multiple >= rules.costMultiple ? .pass : multiple > 1 ? .warn : .fail
        }
        return (VerdictCheck(kind: .costs, outcome: outcome, figure: figure, rule: rule, details: details), breakEven)
    }
}
