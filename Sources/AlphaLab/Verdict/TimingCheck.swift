/// Timing: the run against its twin under the other signal timing. An honest run
/// (`prior_close`) cannot depend on the look-ahead and passes, showing what the seed's
/// same-day scoring would have reported. A same-day run fails when its honest twin keeps
/// less than `timing_keep` of its excess return: the edge needs the close of the day it
/// trades at the open.
enum TimingCheck {
    static func judge(given: ExperimentResult, twin: ExperimentResult, rules: VerdictRules) -> VerdictCheck {
        let pct = Format.pct
        let rule = "a same-day run fails when its honest twin keeps < \(Format.num(rules.timingKeep * 100, "%.0f"))% of the excess; honest runs pass"
        let details = ["\(given.config.signalTiming.rawValue): excess \(pct(given.excessReturn)) (t \(Format.num(given.excessTStat)))",
                       "\(twin.config.signalTiming.rawValue): excess \(pct(twin.excessReturn)) (t \(Format.num(twin.excessTStat)))"]
        guard given.config.signalTiming == .sameDayClose else {
            return VerdictCheck(kind: .timing, outcome: .pass,
                                figure: "honest timing (prior_close): excess \(pct(given.excessReturn)); the seed's same-day scoring would show \(pct(twin.excessReturn))",
                                rule: rule, details: details)
        }
        let honest = twin.excessReturn, claimed = given.excessReturn
        if claimed > 0, !(honest >= rules.timingKeep * claimed) {
            return VerdictCheck(kind: .timing, outcome: .fail,
                                figure: "excess \(pct(claimed)) with same-day scoring, \(pct(honest)) with honest timing: the edge is the look-ahead",
                                rule: rule, details: details)
        }
        return VerdictCheck(kind: .timing, outcome: .warn,
                            figure: "run with the seed's same-day scoring (a look-ahead); the honest twin shows \(pct(honest)) against \(pct(claimed)): report the honest run",
                            rule: rule, details: details)
    }
}
