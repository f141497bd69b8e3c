import AlphaLab
import Foundation

/// `Result` userdata: an experiment's result, its metrics as fields (the seed's JSON
/// names) and its curves and weeks through methods.
final class ResultObject {
    let result: ExperimentResult
    /// Wall time of the run that made it (0 when loaded from a file or store).
    let seconds: Double
    /// Its verdict against the ledger, when a store was configured as it ran.
    let verdict: TrialVerdict?
    /// The data options of the dataset it ran on (``Dataset/source``), kept with it when stored.
    let dataOptions: [String]?
    init(_ result: ExperimentResult, seconds: Double = 0, verdict: TrialVerdict? = nil, dataOptions: [String]? = nil) {
        self.result = result
        self.seconds = seconds
        self.verdict = verdict
        self.dataOptions = dataOptions
    }

    /// The summary, with the verdict against the ledger when there is one.
    var summary: String { result.summary + (verdict.map { "\n  " + $0.summary } ?? "") }

    /// Fields that are not scalar figures (``ResultField``): structured, or the run's own.
    static let structuredFields: [(name: String, type: String, summary: String)] = [
        ("warnings", "string[]", "loud notes every reader must see (look-ahead timing)"),
        ("yearly_returns", "table<string, number>", "compounded return of the periods decided in each calendar year, by year"),
        ("config", "Config", "the run's config"),
        ("seconds", "number", "wall time of the run that made it (0 when loaded)"),
        ("coverage", "Coverage|nil", "on a stored point-in-time universe: per year, the share of its members with a bar on the decision days"),
    ]

    /// Field names readable as `r.name`, `r.sharpe`, ...: every ``ResultField`` and the structured ones.
    static let fieldNames = ResultField.all.map(\.key) + structuredFields.map(\.name)

    /// A line on each field, for `help(r)` and the annotations.
    static let fieldHelp = Dictionary(uniqueKeysWithValues: ResultField.all.map { ($0.key, $0.summary) }
        + structuredFields.map { ($0.name, $0.summary) })

    func field(_ key: String) -> LuaValue? {
        if let figure = ResultField.named(key) {
            switch figure.value(of: result) {
            case .number(let x)?: return .finite(x)
            case .integer(let n)?: return .integer(Int64(n))
            case .text(let s)?: return .string(s)
            case nil: return nil
            }
        }
        switch key {
        case "warnings": return .array(result.warnings.map(LuaValue.string))
        case "yearly_returns": return .map(Dictionary(uniqueKeysWithValues: result.yearlyReturns.map { (String($0.key), .finite($0.value)) }))
        case "config": return LuaValue(.map(result.config.values))
        case "seconds": return .number(seconds)
        case "coverage": return result.coverage.map(Self.table)
        default: return nil
        }
    }

    /// A verdict against the ledger as a Lua table.
    static func table(_ v: TrialVerdict, family: TrialFamily, tests: FamilyTests? = nil) -> LuaValue {
        var fields: [String: LuaValue] = [
            "trials": .integer(Int64(v.trials)), "effective_trials": .finite(v.effectiveTrials), "mean_correlation": .finite(v.meanCorrelation),
            "variance": .finite(v.variance), "sharpe": .finite(v.sharpe), "annual_sharpe": .finite(v.annualSharpe),
            "periods": .integer(Int64(v.periods)), "expected_maximum": .finite(v.expectedMaximum), "psr": .finite(v.probabilistic),
            "dsr": .finite(v.deflated), "best_sharpe": .finite(v.bestAnnualSharpe), "family": .string(family.description),
            "family_key": .string(family.key), "formula": .string(TrialVerdict.effectiveFormula), "summary": .string(v.summary),
            "statistic": .string(v.claim.statistic), "minimum_years": .finite(v.minimumYears), "years": .finite(v.years)]
        if let t = tests {
            fields["tests"] = .map([
                "spa_p": .finite(t.spaPValue), "reality_check_p": .finite(t.realityCheckPValue), "lower_p": .finite(t.lowerPValue),
                "statistic": .finite(t.statistic), "resamples": .integer(Int64(t.reps)), "block_size": .integer(Int64(t.blockSize)),
                "stepm_superior": .integer(Int64(t.superior.count)), "stepm_includes_this": .boolean(t.judgedIsSuperior),
                "pbo": t.overfitting.map { .finite($0.probability) } ?? .nil,
                "haircut": .map(Dictionary(uniqueKeysWithValues: t.haircut.adjusted.map { ($0.method.lowercased(), LuaValue.finite($0.annualSharpe)) })),
                "summary": .string(t.lines.joined(separator: "\n"))])
        }
        return .map(fields)
    }

    /// A universe's coverage as a Lua table: its Codable record (the results JSON's
    /// `coverage`), and the worst year with its share.
    static func table(_ c: UniverseCoverage) -> LuaValue {
        // Nothing in a coverage can fail to encode.
        guard case .map(var fields)? = try? LuaValueEncoder().encode(c) else { return .nil }
        if let worst = c.worst { fields["worst_year"] = .integer(Int64(worst.year)); fields["worst_share"] = .number(worst.share) }
        return .map(fields)
    }

    static func curve(_ points: [(date: Day, value: Double)]) -> LuaValue {
        .array(points.map { .map(["date": .string($0.date.description), "value": .finite($0.value)]) })
    }

    /// `r:decision_periods()`: one table per decision period, its picks within, in the
    /// shape of the results JSON's `weeks` (the same Codable record).
    static func decisionPeriods(_ result: ExperimentResult) throws -> LuaValue {
        try LuaValueEncoder().encode(result.periods)
    }

    /// `r:retrain_periods()`: one table per retraining period, as the JSON's `retrain_periods`.
    static func retrainPeriods(_ result: ExperimentResult) throws -> LuaValue {
        try LuaValueEncoder().encode(result.retrainPeriods)
    }

    typealias Method = (name: String, help: String, body: (ResultObject, LuaCall) throws -> Int32)

    static func define(in state: LuaState) {
        state.defineType(ResultObject.self, name: "Result", methods: curveMethods + outputMethods,
                         fields: { o, key in o.field(key) }, fieldNames: fieldNames, fieldHelp: fieldHelp, tostring: { $0.summary })
    }

    /// The run's curves, periods and importance.
    static var curveMethods: [Method] { [
        ("equity", "r:equity() -> {{date, value}, ...} equity at each decision date and the last exit", { o, call in
            call.results(curve(o.result.equityCurve))
        }),
        ("drawdowns", "r:drawdowns() -> {{date, value}, ...} fall from the running peak (positive fractions)", { o, call in
            call.results(curve(o.result.drawdownCurve))
        }),
        ("attribution", "r:attribution() -> {factors, predicted_risk, realised_risk, contributions = {factor = return}, specific_return, mean_exposures, mean_risk_shares, mean_specific_share, periods = {{date, predicted_risk, book_return, specific_return, exposures, risk_shares, contributions}, ...}} or nil: where the run's risk and return came from under the risk model (styles, then the sectors together; risks a year, returns summed over the periods)", { o, call in
            guard let a = o.result.attribution else { return call.results(.nil) }
            func byFactor(_ values: [Double]) -> LuaValue { .map(Dictionary(uniqueKeysWithValues: zip(a.factors, values).map { ($0, .number($1)) })) }
            return call.results(.map([
                "factors": .array(a.factors.map(LuaValue.string)), "predicted_risk": .finite(a.predictedRisk), "realised_risk": .finite(a.realisedRisk),
                "contributions": byFactor(a.contributions), "specific_return": .finite(a.specificReturn),
                "mean_exposures": byFactor(a.meanExposures), "mean_risk_shares": byFactor(a.meanRiskShares),
                "mean_specific_share": .finite(a.meanSpecificShare),
                "periods": .array(a.periods.map { p in
                    .map(["date": .string(p.date.description), "predicted_risk": .number(p.predictedRisk), "book_return": .number(p.bookReturn),
                          "specific_return": .number(p.specificReturn), "exposures": byFactor(p.exposures), "risk_shares": byFactor(p.riskShares),
                          "contributions": byFactor(p.contributions)])
                }),
            ]))
        }),
        ("decision_periods", "r:decision_periods() -> {{date, exit_date, scoring_date, return, spy_return, equity, cash_reason, retrained, ic, traded, turnover, costs, unfilled, picks = {{ticker, sector, score, weight, return, stopped}, ...}}, ...} one per decision (weekly or monthly)", { o, call in
            call.results(try decisionPeriods(o.result))
        }),
        ("weeks", "r:weeks() -> deprecated: the old name of r:decision_periods() (a warning on first use; gone in the next release)", { o, call in
            Deprecation.warn("r:weeks()", renamed: "r:decision_periods()")
            return call.results(try decisionPeriods(o.result))
        }),
        ("retrain_periods", "r:retrain_periods() -> {{start, end, periods, total_return, sharpe, mean_ic}, ...} one per retraining", { o, call in
            call.results(try retrainPeriods(o.result))
        }),
        ("periods", "r:periods() -> deprecated: the old name of r:retrain_periods() (a warning on first use; gone in the next release)", { o, call in
            Deprecation.warn("r:periods()", renamed: "r:retrain_periods()")
            return call.results(try retrainPeriods(o.result))
        }),
        ("importance", "r:importance([horizon]) -> {{date, horizon, rows, features = {{name, gain, shap}, ...}}, ...} per retraining, features by mean |SHAP| (runs with explain = true)", { o, call in
            guard let explanation = o.result.explanation else { throw LuaError("result '\(o.result.name)' kept no importance: run it with explain = true") }
            let horizon = call.isNil(2) ? nil : try call.integer(2)
            return call.results(.array(explanation.importance.filter { horizon == nil || $0.horizon == horizon }.map { e in
                let order = e.features.indices.sorted { e.meanAbsoluteSHAP[$0] > e.meanAbsoluteSHAP[$1] }
                return .map(["date": .string(e.date.description), "horizon": .integer(Int64(e.horizon)), "rows": .integer(Int64(e.rows)),
                             "features": .array(order.map { .map(["name": .string(e.features[$0]), "gain": .finite(e.gain[$0]),
                                                                  "shap": .finite(e.meanAbsoluteSHAP[$0])]) })])
            }))
        }),
    ] }

    /// The run as JSON, saved, summarised and judged against the ledger.
    static var outputMethods: [Method] { [
        ("json", "r:json() -> the result as JSON text (the seed's top-level names)", { o, call in
            call.results(.string(String(decoding: try o.result.json(), as: UTF8.self)))
        }),
        ("save_config", "r:save_config(path) -> writes the run's config as JSON atomically (lab.picks and alphalab picks --config read it)", { o, call in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try call.state.session.write(try encoder.encode(o.result.config), to: try call.string(2))
            return 0
        }),
        ("save", "r:save(path) -> writes the JSON atomically (the previous file stays intact on failure)", { o, call in
            try call.state.session.write(try o.result.json(), to: try call.string(2))
            return 0
        }),
        ("trials", """
        r:trials([store]) -> the result judged against every trial of its family in the ledger (the session's,
          or `store`'s): {trials, effective_trials, mean_correlation, variance, sharpe, annual_sharpe, periods,
          expected_maximum, psr, dsr, best_sharpe, statistic, minimum_years, years, family, family_key, formula,
          summary, tests}. The ratio is the one the config claims (statistic: the information ratio over SPY,
          or the Sharpe ratio of an absolute claim), per period unless annual; psr and dsr are probabilities
          (dsr: that the true ratio beats the best of as many luckless trials); minimum_years is the minimum
          backtest length for that many trials. With more than one trial, tests holds the family's
          multiple-testing tests: {spa_p, reality_check_p, lower_p, statistic, resamples, block_size,
          stepm_superior, stepm_includes_this, pbo, haircut = {bonferroni, holm, bhy}, summary}.
        """, { o, call in
            let store: any RunStore = call.isNil(2) ? try call.state.session.ledgerStore() : try call.object(2, RunStoreObject.self).store
            let trial = Trial(result: o.result, scriptHash: nil, user: "", host: "")
            let family = try store.samples(family: trial.family.key)
            let verdict = TrialVerdict(trial, samples: family)
            let tests = verdict.trials > 1 ? FamilyTests(sample: trial.sample, family: family) : nil
            return call.results(Self.table(verdict, family: trial.family, tests: tests))
        }),
        ("summary", "r:summary() -> a readable multi-line summary, warnings first", { o, call in
            call.results(.string(o.summary))
        }),
    ] }
}
