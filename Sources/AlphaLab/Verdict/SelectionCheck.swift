/// Selection: the deflated Sharpe ratio of the run against its family in the team's ledger
/// (how many configs were tried on the same data, how many count as independent). Without
/// a ledger only the run itself is known: the probabilistic Sharpe ratio with one trial,
/// stated as a warning.
enum SelectionCheck {
    static func judge(given: ExperimentResult, ledger: TrialVerdict?, rules: VerdictRules) -> VerdictCheck {
        let rule = "pass at DSR >= \(Format.num(rules.selectionPass, "%.2f")), warn >= \(Format.num(rules.selectionWarn, "%.2f")), fail below"
        func outcome(_ p: Double) -> VerdictCheck.Outcome { p >= rules.selectionPass ? .pass : p >= rules.selectionWarn ? .warn : .fail }
        guard let ledger else {
            let moments = DeflatedSharpe.Moments(given.periods.map(\.netReturn))
            let psr = DeflatedSharpe.probabilistic(sharpe: moments.sharpe, periods: moments.count, skew: moments.skew, kurtosis: moments.kurtosis)
            let judged = outcome(psr)
            return VerdictCheck(kind: .selection, outcome: judged == .pass ? .warn : judged,
                                figure: "no ledger: 1 trial assumed, PSR \(Format.num(psr, "%.3f")) (what else was tried on this data is unknown)",
                                rule: rule, limited: judged == .pass,
                                details: ["turn the ledger on (the default; --no-ledger turns it off) so that every trial counts"])
        }
        return VerdictCheck(kind: .selection, outcome: outcome(ledger.deflated),
                            figure: "DSR \(Format.num(ledger.deflated, "%.3f")) against \(ledger.trials) trial\(ledger.trials == 1 ? "" : "s") (\(Format.num(ledger.effectiveTrials, "%.1f")) effective) of its family",
                            rule: rule, details: [ledger.summary])
    }
}
