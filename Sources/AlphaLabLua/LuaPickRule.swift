import AlphaLab

/// A selection rule written in Lua (`lab.run(config, ds, {select = fn})`), as the engine's
/// ``FunctionPickRule`` runs it. Each period and side, `fn(candidates, ctx)` is called with
/// the candidates (`{ticker, score, signal, momentum, sector}`, the scored members that pass
/// the universe filter; `signal` is the score as the side ranks it, higher better, so
/// negated for shorts and for an inverted signal; momentum is nil when unknown) and `ctx`
/// (`held`, a set of the tickers held on that side; `period`, from 1; `side`, "long" or
/// "short"; `top_n`), and returns the tickers it picks, best first. The config's momentum
/// filter and sector cap then admit them in that order, `top_n` at most.
enum LuaPickRule {
    /// The rule that calls `function` on thread `L`, for `config` on `panel`. The engine's
    /// rule checks the tickers it returns; here they are only read from Lua.
    static func make(_ function: LuaFunctionRef, config: ExperimentConfig, panel: Panel, on L: OpaquePointer?) -> FunctionPickRule {
        let selection = Selection(config: config)
        return FunctionPickRule(label: "selected by a lua function", name: "select function", tickers: panel.tickers,
                                selection: selection) { candidates, held, period, side in
            let ranking = side == .long ? selection : selection.shorting
            return try function.call(on: L, { stack in
                stack.push(.array(candidates.map { c in
                    var fields: [String: LuaValue] = ["ticker": .string(panel.tickers[c.ticker]), "score": .number(c.score),
                                                      "signal": .number(ranking.signal(c)), "sector": .string(c.sector)]
                    if c.momentum.isFinite { fields["momentum"] = .number(c.momentum) }
                    return .map(fields)
                }))
                stack.push(.map(["held": .map(Dictionary(uniqueKeysWithValues: held.map { (panel.tickers[$0], LuaValue.boolean(true)) })),
                                 "period": .integer(Int64(period + 1)), "side": .string(side == .long ? "long" : "short"),
                                 "top_n": .integer(Int64(config.topN))]))
                return 2
            }, read: { stack in try tickers(from: stack, period: period + 1) })
        }
    }

    /// The tickers a rule's result lists.
    static func tickers(from stack: LuaStack, period: Int) throws -> [String] {
        let value: LuaValue
        do { value = try stack.value(at: -1) } catch { throw LuaError("select function: \(error)") }
        let items: [LuaValue]
        switch value {
        case .array(let list): items = list
        case .map(let m) where m.isEmpty: items = []
        default: throw LuaError("select function must return a list of tickers, best first, got \(value.typeName)")
        }
        return try items.map { item in
            guard case .string(let name) = item else { throw LuaError("select function returned a \(item.typeName) among its tickers in period \(period)") }
            return name
        }
    }
}
