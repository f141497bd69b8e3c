/// Universe: survivorship, and only survivorship. A universe is survivor-biased when it
/// holds names because they survived: `survivors` always, and `all` on data without a
/// name that left before the data's end. The data's own evidence decides (tickers whose
/// bars stop early or that carry a delisting return).
///
/// - A survivor-biased run fails when its point-in-time twin keeps less than
///   `universe_keep` of its excess return, and passes otherwise; without a point-in-time
///   universe to compare with, the bias cannot be measured: insufficient.
/// - A run on `all` that holds the names that later left is not survivor-biased: a
///   point-in-time index that earns less says where the edge lives (a caveat), not that
///   it is an artefact.
/// - A run on the point-in-time universe is compared with `survivors` and passes.
///
/// Coverage of the point-in-time universe below `coverage_min` in a year is survivorship
/// left in (members without prices): a caveat, or insufficient when `--limit` cut the
/// data (then the missing members are the limit's doing, not the data's).
enum UniverseCheck {
    static func rule(_ rules: VerdictRules) -> String {
        "a survivor-biased universe fails when its point-in-time twin keeps < \(Format.num(rules.universeKeep * 100, "%.0f"))% of the excess; "
            + "caveat when coverage < \(Format.rate(rules.coverageMin)) in a year; insufficient without a point-in-time universe to compare a biased one with, or under --limit"
    }

    /// Whether the run's universe holds names because they survived.
    static func isSurvivorBiased(_ universe: String, evidence: VerdictEvidence) -> Bool {
        universe == Universe.survivorsName || (universe == Universe.allName && evidence.leavers == 0)
    }

    static func unavailable(given: ExperimentResult, evidence: VerdictEvidence, rules: VerdictRules) -> VerdictCheck {
        let universe = given.config.universe
        let details = ["the data has no point-in-time universe (import one: alphalab import membership FILE --universe NAME)",
                       "\(evidence.leavers) tickers left the data before its end"]
        if isSurvivorBiased(universe, evidence: evidence) {
            let why = universe == Universe.survivorsName ? "'survivors' holds only names alive at the data's end"
                : "no ticker of the data left before its end: '\(universe)' is a list of survivors"
            return VerdictCheck(kind: .universe, outcome: .insufficient,
                                figure: "not enough evidence: \(why), and without a point-in-time universe the bias cannot be measured",
                                rule: rule(rules), details: details)
        }
        if let limit = evidence.limit {
            return VerdictCheck(kind: .universe, outcome: .insufficient,
                                figure: "not enough evidence: --limit kept \(limit.kept) of \(limit.available) tickers, so the universe lacks names for the limit's sake",
                                rule: rule(rules), details: details)
        }
        return VerdictCheck(kind: .universe, outcome: .pass,
                            figure: "'\(universe)' holds the \(evidence.leavers) tickers that left the data before its end: not survivor-biased",
                            rule: rule(rules), details: details)
    }

    static func judge(given: ExperimentResult, twin: ExperimentResult, pointInTime: String, coverage: UniverseCoverage,
                      evidence: VerdictEvidence, rules: VerdictRules) -> VerdictCheck {
        let pct = Format.pct, rule = rule(rules)
        var details = ["\(given.config.universe): excess \(pct(given.excessReturn)) (t \(Format.num(given.excessTStat)))",
                       "\(twin.config.universe): excess \(pct(twin.excessReturn)) (t \(Format.num(twin.excessTStat)))",
                       "\(evidence.leavers) tickers left the data before its end"]
        details.append("coverage of \(pointInTime) by year: " + coverage.years.map { "\($0.year) \(Format.rate($0.share))" }.joined(separator: ", "))
        let honest = given.config.universe == pointInTime ? given : twin
        let other = given.config.universe == pointInTime ? twin : given
        let keeps = honest.excessReturn >= rules.universeKeep * other.excessReturn
        if given.config.universe != pointInTime, other.excessReturn > 0, !keeps {
            if isSurvivorBiased(given.config.universe, evidence: evidence) {
                return VerdictCheck(kind: .universe, outcome: .fail,
                                    figure: "excess \(pct(other.excessReturn)) on the survivor-biased '\(other.config.universe)', \(pct(honest.excessReturn)) on the point-in-time '\(pointInTime)': the edge does not survive point-in-time membership",
                                    rule: rule, details: details)
            }
            return VerdictCheck(kind: .universe, outcome: .warn,
                                figure: "'\(other.config.universe)' holds the names that left (not survivor-biased): excess \(pct(other.excessReturn)) there, \(pct(honest.excessReturn)) within '\(pointInTime)': the edge lives outside '\(pointInTime)'",
                                rule: rule, limited: true, details: details)
        }
        if let worst = coverage.worst, worst.share < rules.coverageMin {
            if let limit = evidence.limit {
                return VerdictCheck(kind: .universe, outcome: .insufficient,
                                    figure: "not enough evidence: --limit kept \(limit.kept) of \(limit.available) tickers, so '\(pointInTime)' has prices for only \(Format.rate(worst.share)) of its members in \(worst.year) for the limit's sake",
                                    rule: rule, details: details)
            }
            return VerdictCheck(kind: .universe, outcome: .warn,
                                figure: "'\(pointInTime)' has prices for only \(Format.rate(worst.share)) of its members in \(worst.year): survivorship is left in; point-in-time excess \(pct(honest.excessReturn)), '\(other.config.universe)' \(pct(other.excessReturn))",
                                rule: rule, limited: true, details: details)
        }
        return VerdictCheck(kind: .universe, outcome: .pass,
                            figure: "point-in-time '\(pointInTime)' excess \(pct(honest.excessReturn)), '\(other.config.universe)' \(pct(other.excessReturn)); coverage at least \(Format.rate(coverage.worst?.share ?? 1))",
                            rule: rule, details: details)
    }
}
