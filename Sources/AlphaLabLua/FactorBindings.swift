import AlphaLab
import CLua
import Foundation

/// `lab.factor`: factor analysis of a feature, a feature set, a Lua score function or a
/// walk-forward's kept scores; `Factor` userdata for each analysed signal.
extension LabModule {
    /// lab.factor's figures options: horizons, quantiles and the decay curve.
    static func factorOptions(_ o: LuaOptions, _ call: LuaCall) throws -> FactorOptions {
        var options = FactorOptions()
        options.attribution = try o.boolean("attribution") ?? true
        if let horizons = try o.integers("horizons") {
            guard !horizons.isEmpty, horizons.allSatisfy({ $0 >= 1 }) else { throw call.argumentError(3, "option 'horizons' must be positive numbers of days") }
            options.horizons = horizons
        }
        if let q = try o.integer("quantiles") {
            guard q >= 2 else { throw call.argumentError(3, "option 'quantiles' must be at least 2, got \(q)") }
            options.quantiles = q
        }
        switch o.value("decay") {
        case .boolean(true)?: options.decayHorizons = Array(1...60)
        case nil, .boolean(false)?: break
        default: options.decayHorizons = try o.integers("decay") ?? []
        }
        return options
    }

    /// lab.factor's scoring dates: its cadence between `start` and `end` (years or dates; the data's span by default).
    static func scoringDays(_ o: LuaOptions, panel: Panel, _ call: LuaCall) throws -> [Int] {
        let cadenceName = try o.string("dates") ?? "weekly"
        guard let cadence = FactorSignal.Cadence(rawValue: cadenceName) else {
            throw call.argumentError(3, "option 'dates' must be daily, weekly or monthly, got '\(cadenceName)'")
        }
        func bound(_ key: String, first: Bool) throws -> Day {
            switch o.value(key) {
            case .integer(let year)?: return Day(year: Int(year), month: first ? 1 : 12, day: first ? 1 : 31)!
            case .number(let year)? where year.rounded() == year: return Day(year: Int(year), month: first ? 1 : 12, day: first ? 1 : 31)!
            case nil: return first ? panel.calendar[0] : panel.calendar[panel.dayCount - 1]
            default:
                guard let day = try o.date(key) else { throw call.argumentError(3, "option '\(key)' must be a year or a date") }
                return day
            }
        }
        return FactorSignal.scoringDays(panel, cadence: cadence, from: try bound("start", first: true), through: try bound("end", first: false))
    }

    static var factorFunctions: [Function] { [
        ("factor", """
        lab.factor(dataset, signal [, options]) -> factor, or a list of factors
          How a signal known at each scoring close ranks the open-to-open returns that follow.
          signal: a feature name ("MOM_12_1"), a feature set ("momentum", or a list of names:
          one factor each), a score function(ctx) as lab.run takes, or a result run with
          explain = true (its out-of-sample scores; options.horizon = 5 for one horizon's
          predictions, options.by_horizon = true for the combined score and each horizon).
          A factor prints its summary; f:table() has every figure; f:report(path) writes an
          HTML tear sheet (lab.factor_report(list, path) for several).
        \(LabOptionSet.factor.help())
        """, { call in
            let dataset = try call.object(1, Dataset.self)
            let o = try LuaOptions(call, 3, .factor)
            let options = try factorOptions(o, call)
            let universe = try dataset.universe(named: try o.string("universe") ?? Universe.allName)
            let panel = dataset.panel

            // A result's kept scores: its own dates.
            if lua_type(call.L, 2) == LUA_TUSERDATA, let r = call.state.object(at: 2, in: call.L) as? ResultObject {
                var signals: [FactorSignal] = []
                if try o.boolean("by_horizon") == true {
                    signals.append(try FactorSignal.result(r.result, panel: panel))
                    for h in (r.result.explanation?.horizonScores.keys.sorted() ?? []) { signals.append(try FactorSignal.result(r.result, panel: panel, horizon: h)) }
                } else {
                    signals.append(try FactorSignal.result(r.result, panel: panel, horizon: try o.integer("horizon")))
                }
                return try results(signals.map { try FactorAnalysis.analyze($0, dataset: dataset, options: options) }, list: signals.count > 1, call)
            }

            let days = try scoringDays(o, panel: panel, call)

            switch lua_type(call.L, 2) {
            case LUA_TFUNCTION:
                let function = LuaFunctionRef(state: call.state, index: 2, in: call.L)
                let L = call.L
                let scorer = FunctionScorer(label: "lua function") { context in
                    try function.call(on: L, { _ in
                        call.state.push(object: ScoringContextObject(context), in: L)
                        return 1
                    }, read: { stack in try ScoringContextObject.scores(from: stack, context: context) })
                }
                let signal = try FactorSignal.scorer(scorer, name: "lua function", dataset: dataset, days: days, universe: universe)
                return try results([try FactorAnalysis.analyze(signal, dataset: dataset, options: options)], list: false, call)
            case LUA_TSTRING where FeatureCatalog.feature(named: try call.string(2)) != nil:
                let reports = try FactorAnalysis.analyze(features: [try call.string(2)], dataset: dataset, days: days, universe: universe, options: options)
                return try results(reports, list: false, call)
            default:
                let set = try featureSet(try call.value(2), call: call, position: 2)
                let reports = try FactorAnalysis.analyze(features: set.features.map(\.name), dataset: dataset, days: days, universe: universe, options: options)
                return try results(reports, list: reports.count > 1, call)
            }
        }),
        ("factor_report", """
        lab.factor_report(factors, path [, options]) -> writes one HTML tear sheet of several factors
          SVG charts drawn by the engine, no JavaScript; written atomically.
        \(LabOptionSet.factorReport.help())
        """, { call in
            let reports = try call.objects(1, FactorObject.self, what: "a factor").map(\.report)
            let o = try LuaOptions(call, 3, .factorReport)
            let page = FactorTearSheet(title: try o.string("title") ?? "Factor tear sheet", reports: reports).render()
            try call.state.session.write(Data(page.utf8), to: try call.string(2))
            return 0
        }),
    ] }

    private static func results(_ reports: [FactorReport], list: Bool, _ call: LuaCall) throws -> Int32 {
        guard list else { return call.result(object: FactorObject(reports[0])) }
        let L = call.L
        lua_createtable(L, Int32(reports.count), 0)
        for (i, r) in reports.enumerated() {
            call.state.push(object: FactorObject(r), in: L)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        return 1
    }
}

/// `Factor` userdata: one analysed signal's figures.
final class FactorObject {
    let report: FactorReport
    init(_ report: FactorReport) { self.report = report }

    static func horizonTable(_ h: FactorReport.Horizon, dates: [Day]) -> LuaValue {
        .map(["horizon": .integer(Int64(h.horizon)), "mean_ic": .finite(h.meanIC), "ic_t": .finite(h.icT), "lags": .integer(Int64(h.lags)),
              "positive_share": .finite(h.positiveShare), "ics": .array(h.ics.map(LuaValue.finite)),
              "ic_by_year": .map(Dictionary(uniqueKeysWithValues: h.icByYear.map { (String($0.key), .finite($0.value)) })),
              "ic_by_sector": .map(h.icBySector.mapValues(LuaValue.finite)),
              "quantile_returns": .array(h.quantileReturns.map(LuaValue.finite)), "spreads": .array(h.spreads.map(LuaValue.finite)),
              "mean_spread": .finite(h.meanSpread), "spread_t": .finite(h.spreadT),
              "cumulative_spread": .array(h.cumulativeSpread.map(LuaValue.finite))])
    }

    /// Every figure as a Lua table.
    var table: LuaValue {
        let r = report
        return .map(["name": .string(r.name), "dates": .array(r.dates.map { .string($0.description) }),
                     "horizons": .array(r.horizons.map { Self.horizonTable($0, dates: r.dates) }),
                     "decay": .array(r.decay.map { .map(["horizon": .integer(Int64($0.horizon)), "mean_ic": .finite($0.meanIC)]) }),
                     "top_turnover": .finite(r.topTurnover), "rank_autocorrelation": .finite(r.rankAutocorrelation),
                     "breadth": .finite(r.breadth)])
    }

    static func define(in state: LuaState) {
        state.defineType(FactorObject.self, name: "Factor", methods: [
            ("table", "f:table() -> every figure: {name, dates, horizons = {{horizon, mean_ic, ic_t, lags, positive_share, ics, ic_by_year, ic_by_sector, quantile_returns, spreads, mean_spread, spread_t, cumulative_spread}, ...}, decay, top_turnover, rank_autocorrelation, breadth}", { o, call in
                call.results(o.table)
            }),
            ("horizon", "f:horizon(h) -> the figures of horizon h (as in f:table().horizons), or nil", { o, call in
                guard let h = o.report.horizon(try call.integer(2)) else { return call.results(.nil) }
                return call.results(horizonTable(h, dates: o.report.dates))
            }),
            ("report", "f:report(path [, title]) -> writes the factor's HTML tear sheet atomically", { o, call in
                let title = try call.optionalString(3) ?? "Factor tear sheet: \(o.report.name)"
                try call.state.session.write(Data(FactorTearSheet(title: title, reports: [o.report]).render().utf8), to: try call.string(2))
                return 0
            }),
            ("summary", "f:summary() -> the readable summary", { o, call in call.results(.string(o.report.summary)) }),
        ], fields: { o, key in
            switch key {
            case "name": .string(o.report.name)
            case "mean_ic": .integerKeyed(Dictionary(uniqueKeysWithValues: o.report.horizons.map { (Int64($0.horizon), .finite($0.meanIC)) }))
            case "ic_t": .integerKeyed(Dictionary(uniqueKeysWithValues: o.report.horizons.map { (Int64($0.horizon), .finite($0.icT)) }))
            case "top_turnover": .finite(o.report.topTurnover)
            case "rank_autocorrelation": .finite(o.report.rankAutocorrelation)
            case "dates": .integer(Int64(o.report.dates.count))
            default: nil
            }
        }, fieldNames: ["name", "mean_ic", "ic_t", "top_turnover", "rank_autocorrelation", "dates"], tostring: { $0.report.summary })
    }
}
