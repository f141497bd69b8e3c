/// Universe: survivorship. On data with a point-in-time universe, a run on `all` or
/// `survivors` is compared with its twin on the point-in-time members and fails when the
/// twin keeps less than `universe_keep` of its excess return; a run on the point-in-time
/// universe is compared with `survivors` (what survivorship would have added) and passes.
/// Either way the universe's price coverage by year is shown, and coverage below
/// `coverage_min` in any year is a warning: members without prices are survivorship left
/// in. Data without a point-in-time universe is a warning that says so.
enum UniverseCheck {
    static func unavailable(given: ExperimentResult) -> VerdictCheck {
        VerdictCheck(kind: .universe, outcome: .warn,
                     figure: "not checked: the data has no point-in-time universe (import one: alphalab import membership FILE --universe NAME)",
                     rule: "needs a point-in-time universe", limited: true,
                     details: ["the run picks from '\(given.config.universe)': survivorship bias cannot be measured"])
    }

    static func judge(given: ExperimentResult, twin: ExperimentResult, pointInTime: String, coverage: UniverseCoverage,
                      rules: VerdictRules) -> VerdictCheck {
        let pct = Format.pct
        let rule = "fail when the point-in-time twin keeps < \(Format.num(rules.universeKeep * 100, "%.0f"))% of the excess; warn when coverage < \(Format.rate(rules.coverageMin)) in a year"
        var details = ["\(given.config.universe): excess \(pct(given.excessReturn)) (t \(Format.num(given.excessTStat)))",
                       "\(twin.config.universe): excess \(pct(twin.excessReturn)) (t \(Format.num(twin.excessTStat)))"]
        details.append("coverage of \(pointInTime) by year: " + coverage.years.map { "\($0.year) \(Format.rate($0.share))" }.joined(separator: ", "))
        let honest = given.config.universe == pointInTime ? given : twin
        let biased = given.config.universe == pointInTime ? twin : given
        if given.config.universe != pointInTime, biased.excessReturn > 0, !(honest.excessReturn >= rules.universeKeep * biased.excessReturn) {
            return VerdictCheck(kind: .universe, outcome: .fail,
                                figure: "excess \(pct(biased.excessReturn)) on '\(biased.config.universe)', \(pct(honest.excessReturn)) on the point-in-time '\(pointInTime)': the edge does not survive point-in-time membership",
                                rule: rule, details: details)
        }
        if let worst = coverage.worst, worst.share < rules.coverageMin {
            return VerdictCheck(kind: .universe, outcome: .warn,
                                figure: "'\(pointInTime)' has prices for only \(Format.rate(worst.share)) of its members in \(worst.year): survivorship is left in; point-in-time excess \(pct(honest.excessReturn)), '\(biased.config.universe)' \(pct(biased.excessReturn))",
                                rule: rule, limited: true, details: details)
        }
        return VerdictCheck(kind: .universe, outcome: .pass,
                            figure: "point-in-time '\(pointInTime)' excess \(pct(honest.excessReturn)), '\(biased.config.universe)' \(pct(biased.excessReturn)); coverage at least \(Format.rate(coverage.worst?.share ?? 1))",
                            rule: rule, details: details)
    }
}
