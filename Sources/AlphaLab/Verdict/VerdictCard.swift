extension Verdict {
    /// The verdict as a card for the terminal: the headline and what made it, each check's
    /// outcome with its deciding figure and rule, the caveats, and what it took.
    public var card: String {
        let given = twins.first
        var lines = ["VERDICT  \(name): \(headline.rawValue.uppercased())"]
        if !reasons.isEmpty {
            let why = switch headline {
            case .artefact: "the edge comes from how it was measured"
            case .inconclusive: "not enough evidence to call it credible"
            default: "the edge may not hold"
            }
            lines.append("  \(why): \(reasons.map(\.rawValue).joined(separator: ", "))")
        }
        lines.append("  \(start) .. \(end), \(config.rebalance.rawValue), \(config.execution.rawValue), \(config.signalTiming.rawValue), universe \(config.universe), data \(dataFingerprint.prefix(8))")
        if let given {
            lines.append("  return \(Format.pct(given.totalReturn)), excess over \(config.book.benchmarkName) \(Format.pct(given.excessReturn)) (t \(Format.num(given.excessTStat))), Sharpe \(Format.num(given.sharpe))")
        }
        if let evidence { lines.append("  " + evidence.summary) }
        lines.append("")
        for check in checks {
            let mark = check.limited ? "\(check.outcome.rawValue)*" : check.outcome.rawValue
            lines.append("  \(mark.padding(toLength: 12, withPad: " ", startingAt: 0)) \(check.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(check.figure)")
            lines.append("  \(String(repeating: " ", count: 23)) rule: \(check.rule)")
        }
        let caveats = checks.filter(\.limited)
        if !caveats.isEmpty {
            lines.append("")
            lines.append("  * caveats, not evidence against the strategy: " + caveats.map(\.kind.rawValue).joined(separator: ", "))
        }
        let trained = twins.filter { $0.newTrainings > 0 }
        lines.append("")
        lines.append("  \(twins.count) runs and \(placebo.permutations) placebos in \(Format.num(seconds, "%.1f")) s; new trainings: "
                     + (trained.isEmpty ? "none" : trained.map { "\($0.label) \($0.newTrainings)" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    /// Every check with its supporting figures, for `--verbose` and `help`.
    public var details: String {
        checks.map { check in
            (["\(check.kind.rawValue) (\(check.kind.question)) \(check.outcome.rawValue): \(check.figure)"]
                + check.details.filter { !$0.isEmpty }.map { "  " + $0 }).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
