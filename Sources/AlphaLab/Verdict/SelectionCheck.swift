/// Selection: the deflated ratio of the claimed statistic (the information ratio over
/// SPY, or the Sharpe ratio of an absolute claim) against the run's family in the team's
/// ledger: how many configs were tried on the same data, how many count as independent.
/// Without a ledger what else was tried is unknown: insufficient, never a pass. The
/// minimum backtest length for the family's trials is shown beside the run's length, and
/// the family's multiple-testing tests beside the deflation when it has several trials.
enum SelectionCheck {
    static func judge(given: ExperimentResult, ledger: TrialVerdict?, family: FamilyTests?, rules: VerdictRules) -> VerdictCheck {
        let rule = "pass at DSR >= \(Format.num(rules.selectionPass, "%.3f")), warn >= \(Format.num(rules.selectionWarn, "%.2f")), fail below; insufficient without a ledger"
        func outcome(_ p: Double) -> VerdictCheck.Outcome { p >= rules.selectionPass ? .pass : p >= rules.selectionWarn ? .warn : .fail }
        guard let ledger else {
            let trial = Trial(result: given, scriptHash: nil, user: "", host: "")
            let alone = TrialVerdict(trial, family: [])
            return VerdictCheck(kind: .selection, outcome: .insufficient,
                                figure: "not enough evidence: no ledger, so what else was tried on this data is unknown (PSR of the \(alone.claim.statistic) alone \(Format.num(alone.probabilistic, "%.3f")))",
                                rule: rule, details: ["turn the ledger on (the default; --no-ledger turns it off) so that every trial counts"])
        }
        var details = [ledger.summary]
        if let family { details += family.lines }
        let stat = ledger.claim.abbreviation
        return VerdictCheck(kind: .selection, outcome: outcome(ledger.deflated),
                            figure: "deflated \(stat) \(Format.num(ledger.deflated, "%.3f")) (\(stat) \(Format.num(ledger.annualSharpe, "%.2f")) a year) against \(ledger.trials) trial\(ledger.trials == 1 ? "" : "s") (\(Format.num(ledger.effectiveTrials, "%.1f")) effective) of its family; minimum backtest length \(Format.num(ledger.minimumYears, "%.1f")) years, the run has \(Format.num(ledger.years, "%.1f"))",
                            rule: rule, details: details)
    }
}
