import AlphaLab
import CLua
import Foundation

extension LabModule {
    /// What notebooks show of the engine's objects (the `display` module builds on it).
    static var displayFunctions: [Function] { [
        ("mime", """
        lab.mime(value [, options]) -> {["text/html"] = ..., ["image/svg+xml"] = ...} or nil
          The rich forms of an engine object for a notebook: a Result as its summary table
          (and its verdict against the ledger) plus its equity curve as SVG; a list of
          Results as the Phase 1 table plus their curves overlaid; a Factor as its tear
          sheet; a Verdict as its page's content. nil for any other value.
        \(LabOptionSet.mime.help())
        """, { call in
            let after = try LuaOptions(call, 2, .mime).string("after") ?? ""
            guard let bundle = bundle(of: call, at: 1, after: after) else { return call.results(.nil) }
            return call.results(.map(bundle.mapValues(LuaValue.string)))
        }),
    ] }

    private static func bundle(of call: LuaCall, at i: Int32, after: String) -> NotebookOutput.Bundle? {
        let object = lua_type(call.L, i) == LUA_TUSERDATA ? call.state.object(at: i, in: call.L) : nil
        switch object {
        case let r as ResultObject: return NotebookOutput.result(r.result, trials: r.verdict)
        case let f as FactorObject: return NotebookOutput.factor(f.report)
        case let v as VerdictObject: return NotebookOutput.verdict(v.verdict)
        default: break
        }
        guard lua_type(call.L, i) == LUA_TTABLE, lua_rawlen(call.L, i) > 0,
              let results = try? call.objects(i, ResultObject.self, what: "a result") else { return nil }
        return NotebookOutput.results(results.map(\.result), extra: after)
    }
}
