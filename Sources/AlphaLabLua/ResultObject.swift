import AlphaLab
import Foundation

/// `Result` userdata: an experiment's result, its metrics as fields (the seed's JSON
/// names) and its curves and weeks through methods.
final class ResultObject {
    let result: ExperimentResult
    /// Wall time of the run that made it (0 when loaded from a file or store).
    let seconds: Double
    init(_ result: ExperimentResult, seconds: Double = 0) {
        self.result = result
        self.seconds = seconds
    }

    /// Field names readable as `r.name`, `r.sharpe`, ...
    static let fieldNames = ["name", "total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "win_rate",
                             "spy_return", "excess_return", "excess_t_stat", "weeks_traded", "final_value", "turnover",
                             "name_turnover", "execution", "cost_drag", "costs_paid", "holding_days", "unfilled_fraction",
                             "directional_accuracy", "mean_ic", "ic_t_stat", "hit_rate", "signal_timing", "warnings", "strategy",
                             "start_date", "end_date", "retrains", "yearly_returns", "config", "data_fingerprint", "seconds"]

    func field(_ key: String) -> LuaValue? {
        let r = result, m = r.metrics
        switch key {
        case "name": return .string(r.name)
        case "total_return": return .finite(m.totalReturn)
        case "cagr": return .finite(m.cagr)
        case "volatility": return .finite(m.volatility)
        case "sharpe": return .finite(m.sharpe)
        case "sortino": return .finite(m.sortino)
        case "max_drawdown": return .finite(m.maxDrawdown)
        case "calmar": return .finite(m.calmar)
        case "win_rate": return .finite(m.winRate)
        case "spy_return": return .finite(r.spyReturn)
        case "excess_return": return .finite(r.excessReturn)
        case "excess_t_stat": return .finite(r.excessTStat)
        case "weeks_traded": return .integer(Int64(r.weeksTraded))
        case "final_value": return .finite(r.finalValue)
        case "turnover": return .finite(r.turnover)
        case "name_turnover": return .finite(r.nameTurnover)
        case "execution": return .string(r.config.execution.rawValue)
        case "cost_drag": return .finite(r.costDrag)
        case "costs_paid": return .finite(r.costsPaid)
        case "holding_days": return .finite(r.holdingDays)
        case "unfilled_fraction": return .finite(r.unfilledFraction)
        case "directional_accuracy": return .finite(r.quality.directionalAccuracy)
        case "mean_ic": return .finite(r.quality.meanIC)
        case "ic_t_stat": return .finite(r.quality.icTStat)
        case "hit_rate": return .finite(r.quality.hitRate)
        case "signal_timing": return .string(r.config.signalTiming.rawValue)
        case "warnings": return .array(r.warnings.map(LuaValue.string))
        case "strategy": return .string(r.strategy)
        case "start_date": return r.startDate.map { .string($0.description) }
        case "end_date": return r.endDate.map { .string($0.description) }
        case "retrains": return .integer(Int64(r.retrains))
        case "yearly_returns": return .map(Dictionary(uniqueKeysWithValues: r.yearlyReturns.map { (String($0.key), .finite($0.value)) }))
        case "config": return LuaValue(.map(r.config.values))
        case "data_fingerprint": return .string(r.dataFingerprint)
        case "seconds": return .number(seconds)
        default: return nil
        }
    }

    static func curve(_ points: [(date: Day, value: Double)]) -> LuaValue {
        .array(points.map { .map(["date": .string($0.date.description), "value": .finite($0.value)]) })
    }

    static func define(in state: LuaState) {
        state.defineType(ResultObject.self, name: "Result", methods: [
            ("equity", "r:equity() -> {{date, value}, ...} equity at each decision date and the last exit", { o, call in
                call.results(curve(o.result.equityCurve))
            }),
            ("drawdowns", "r:drawdowns() -> {{date, value}, ...} fall from the running peak (positive fractions)", { o, call in
                call.results(curve(o.result.drawdownCurve))
            }),
            ("weeks", "r:weeks() -> {{date, exit_date, scoring_date, return, spy_return, equity, cash_reason, retrained, ic, traded, turnover, costs, unfilled, picks = {{ticker, sector, score, weight, return, stopped}, ...}}, ...}", { o, call in
                call.results(.array(o.result.periods.map { p in
                    .map(["date": .string(p.date.description), "exit_date": .string(p.exitDate.description),
                          "scoring_date": .string(p.scoringDate.description), "return": .finite(p.netReturn),
                          "picks_return": .finite(p.picksReturn), "spy_return": .finite(p.spyReturn), "equity": .finite(p.equity),
                          "cash_reason": p.cashReason.map { .string($0.rawValue) } ?? .nil, "retrained": .boolean(p.retrained),
                          "ic": .finite(p.ic), "traded": .finite(p.traded), "turnover": .finite(p.turnover),
                          "costs": .finite(p.costs), "unfilled": .finite(p.unfilled),
                          "picks": .array(p.picks.map { .map(["ticker": .string($0.ticker), "sector": .string($0.sector), "score": .finite($0.score),
                                                              "weight": .finite($0.weight),
                                                              "return": .finite($0.netReturn), "stopped": .boolean($0.stopped)]) })])
                }))
            }),
            ("periods", "r:periods() -> {{start, end, periods, total_return, sharpe, mean_ic}, ...} one per retraining", { o, call in
                call.results(.array(o.result.retrainPeriods.map {
                    .map(["start": .string($0.start.description), "end": .string($0.end.description), "periods": .integer(Int64($0.periods)),
                          "total_return": .finite($0.totalReturn), "sharpe": .finite($0.sharpe), "mean_ic": .finite($0.meanIC)])
                }))
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
            ("summary", "r:summary() -> a readable multi-line summary, warnings first", { o, call in
                call.results(.string(o.result.summary))
            }),
        ], fields: { o, key in o.field(key) }, fieldNames: fieldNames, tostring: { $0.result.summary })
    }
}
