import AlphaLab
import Foundation

/// `lab.risk_model`: the factor risk model portfolios are built with, for a look from Lua.
extension LabModule {
    static var portfolioFunctions: [Function] { [
        ("risk_model", """
        lab.risk_model(dataset [, options]) -> model
          The factor risk model at a scoring close, from the prices alone and point-in-time:
          style factors (beta, size, momentum, reversal, volatility, liquidity) and sectors, their
          covariance (exponentially weighted, Newey-West) and each stock's specific risk, all
          annualised. With `weights`, also the portfolio's predicted risk and its factor exposures.
        \(LabOptionSet.riskModel.help())
        """, { call in
            let dataset = try call.object(1, Dataset.self)
            let o = try LuaOptions(call, 2, .riskModel)
            let panel = dataset.panel, calendar = panel.calendar
            guard !calendar.isEmpty else { throw call.argumentError(1, "the dataset has no trading days") }
            let day = try o.date("date").map { date in
                guard let s = calendar.lastIndex(onOrBefore: date) else { throw call.argumentError(2, "option 'date': \(date) is before the data's first day \(calendar[0])") }
                return s
            } ?? max(0, panel.stocksLastBar)
            let universe = try dataset.universe(named: try o.string("universe") ?? Universe.allName)
            var tickers = universe.members(day: day).filter { panel.value(.close, ticker: $0, day: day).isFinite }
            var weights: [Double]? = nil
            if let given = o.value("weights") {
                guard case .map(let table) = given else { throw call.argumentError(2, "option 'weights' must be a table of ticker = weight") }
                var byTicker: [Int: Double] = [:]
                for (symbol, value) in table {
                    guard let t = panel.tickerIndex[symbol] else { throw call.argumentError(2, "option 'weights': no ticker '\(symbol)' in the data") }
                    guard let w = value.number, w.isFinite else { throw call.argumentError(2, "option 'weights': '\(symbol)' must be a number") }
                    byTicker[t] = w
                }
                tickers = Array(Set(tickers).union(byTicker.keys)).sorted()
                weights = tickers.map { byTicker[$0] ?? 0 }
            }
            guard let model = dataset.riskModels.model(at: day, tickers: tickers) else {
                throw LuaError("lab.risk_model: \(calendar[day]) has fewer than \(RiskModelEstimator.minimumDays) days of factor returns before it")
            }
            let k = model.factors.count, year = 252.0
            var exposures: [String: LuaValue] = [:], specific: [String: LuaValue] = [:]
            for (i, symbol) in model.symbols.enumerated() {
                exposures[symbol] = .map(Dictionary(uniqueKeysWithValues: model.factors.enumerated().map { ($1, .number(model.exposures[i * k + $0])) }))
                specific[symbol] = .number((model.specificVariance[i] * year).squareRoot())
            }
            let covariance = (0..<k).map { a in LuaValue.array((0..<k).map { b in .number(model.factorCovariance[a * k + b] * year) }) }
            var out: [String: LuaValue] = ["date": .string(model.date.description), "factors": .array(model.factors.map(LuaValue.string)),
                                           "tickers": .array(model.symbols.map(LuaValue.string)), "exposures": .map(exposures),
                                           "covariance": .array(covariance), "specific_risk": .map(specific),
                                           "observations": .integer(Int64(model.observations))]
            if let weights {
                let v = model.variance(weights)
                out["predicted_risk"] = .number(((v.factor + v.specific) * year).squareRoot())
                out["factor_risk"] = .number((v.factor * year).squareRoot())
                out["specific_part"] = .number((v.specific * year).squareRoot())
                out["exposure"] = .map(Dictionary(uniqueKeysWithValues: zip(model.factors, model.factorExposure(weights)).map { ($0, .number($1)) }))
            }
            return call.results(.map(out))
        }),
    ] }
}
