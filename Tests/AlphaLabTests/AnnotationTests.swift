import AlphaLab
import AlphaLabLua
import Foundation
import Testing

/// Editor support: `stdlib/meta/lab.lua` (LuaLS annotations) is generated from the help
/// records and must match them; `help` prints outside the REPL.
@Suite("Annotations")
struct AnnotationTests {
    static let checkedIn = Fixtures.root.appendingPathComponent("stdlib/meta/lab.lua").path

    @Test("stdlib/meta/lab.lua is what alphalab --annotations writes from the help records (run it to update the file)")
    func upToDate() throws {
        let generated = try LabAnnotations.generate()
        let file = try String(contentsOfFile: Self.checkedIn, encoding: .utf8)
        #expect(file == generated, "stdlib/meta/lab.lua is out of date: run `alphalab --annotations stdlib/meta/lab.lua`")
        let cli = try Fixtures.alphalab(["--annotations"])
        #expect(cli.status == 0 && cli.out == generated)
        // It is Lua (LuaLS reads it as such): it compiles.
        let compiles = try Fixtures.alphalab(["-e", "assert(loadfile('\(Self.checkedIn)'))"])
        #expect(compiles.status == 0, "\(compiles.err)")
    }

    @Test("Every public lab function and method is annotated with the type of each parameter and its returns")
    func everyFunctionTyped() throws {
        let text = try LabAnnotations.generate()
        let lines = text.components(separatedBy: "\n")
        let state = LuaState()
        LabModule.install(in: state)
        guard case .array(let names)? = try state.run("local t = {} for k, v in pairs(lab) do if type(v) == 'function' then t[#t + 1] = k end end table.sort(t) return t").first else {
            Issue.record("no lab functions"); return
        }
        #expect(names.count >= 20)
        for case .string(let name) in names {
            guard let at = lines.firstIndex(where: { $0.hasPrefix("function lab.\(name)(") }) else { Issue.record("lab.\(name) is not annotated"); continue }
            let parameters = lines[at].dropFirst("function lab.\(name)(".count).prefix { $0 != ")" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var block: [String] = []
            var i = at - 1
            while i >= 0, lines[i].hasPrefix("---") { block.append(lines[i]); i -= 1 }
            for p in parameters { #expect(block.contains { $0.hasPrefix("---@param \(p) ") || $0.hasPrefix("---@param \(p)? ") }, "lab.\(name): \(p)") }
            let signature = try #require(LabAnnotations.signature(of: "lab.\(name)"))
            #expect(signature.contains("->") == block.contains { $0.hasPrefix("---@return ") }, "lab.\(name) returns")
            #expect(block.contains { $0.hasPrefix("---lab.\(name)(") }, "lab.\(name) carries its help text")
        }
        #expect(text.contains("---@class Dataset\n---@field benchmark string|nil\n"))
        #expect(text.contains("---@field top_n? integer "))
        #expect(text.contains("---@field execution? \"rebalance\"|\"round_trip\" "))
        #expect(text.contains("function Result:decision_periods() end") && text.contains("---@return DecisionPeriod[]"))

        // A function registered without a type is an error naming it.
        state.push(function: "lab.extra") { _ in 0 }
        state.registerHelp(atTop: "lab.extra() -> nothing", name: "lab.extra")
        state.setGlobalFromTop("__extra")
        try state.run("lab.extra = __extra")
        #expect(throws: LabAnnotations.MissingTypes(names: ["lab.extra"])) { try LabAnnotations.generate(state) }
    }

    @Test("Every lab function's and method's returns, and every engine object's fields, have the types the annotations declare")
    func declaredTypesMatchValues() throws {
        let folder = Fixtures.temporaryFolder()
        let csv = Fixtures.write("""
            timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient
            2021-01-04,10.0,10.5,9.8,10.2,10.2,1000,0.0,1.0
            2021-01-05,10.2,11.0,10.1,10.9,10.9,1200,0.0,1.0

            """, to: folder + "/GOOD.csv")
        let store = try PriceStore(path: folder + "/market.db")
        try store.write(try PriceImporter(format: .alphavantage).read(source: csv))
        let host = LuaHost(environment: ["ALPHALAB_DB": folder + "/none.db"])
        LabTypeCheck.install(in: host.state)
        let script = Fixtures.root.appendingPathComponent("Tests/lua/types/returns.lua").path
        try host.state.load(try String(contentsOfFile: script, encoding: .utf8), name: "@" + script)
        let results = try host.state.callLoaded(arguments: [.string(folder), .string(store.path)])
        guard case .array(let problems)? = results.first else { Issue.record("the script returned \(results)"); return }
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")

        // The check finds a wrong declaration: values that do not conform are named.
        let wrong = try host.run("""
            local t = {}
            for _, p in ipairs(check_returns("lab.clock", "soon")) do t[#t + 1] = p end
            for _, p in ipairs(check_returns("Dataset:dates", { 1, 2 })) do t[#t + 1] = p end
            for _, p in ipairs(check_returns("lab.feature_sets", { legacy = { 1 } })) do t[#t + 1] = p end
            for _, p in ipairs(check_returns("RunStore:count", 2.5)) do t[#t + 1] = p end
            return t
            """, name: "=wrong")
        guard case .array(let found)? = wrong.first else { Issue.record("no problems returned"); return }
        #expect(found.count == 4, "\(found)")
        #expect(found.first == .string("lab.clock returns #1 (number): expected a number, got string"))
    }

    @Test("Horizon-keyed tables use integer keys, and the old string keys still read")
    func horizonKeys() throws {
        let host = LuaHost()
        let values = try host.run("""
            local f = lab.factor(lab.synthetic({ tickers = 20 }), "MOM_12_1", { start = 2014, ["end"] = 2016 })
            local keys = {}
            for k in pairs(f.mean_ic) do keys[#keys + 1] = math.type(k) end
            local hw = lab.config({ horizon_weights = { [1] = 0.2, [20] = 0.8 } }).horizon_weights
            return f.mean_ic[20] == f.mean_ic["20"] and f.ic_t[5] == f.ic_t["5"], table.concat(keys, ","), hw[20], hw["20"], f.mean_ic.x
            """, name: "=keys")
        #expect(values == [.boolean(true), .string("integer,integer,integer"), .number(0.8), .number(0.8), .nil])
    }

    @Test("help(x) in a script or -e prints its text and returns it; the REPL prints it once")
    func helpPrints() throws {
        let chunk = try Fixtures.alphalab(["-e", "local t = help(lab.clock); io.write('returned ', #t, '\\n')"])
        #expect(chunk.status == 0)
        #expect(chunk.out.hasPrefix("lab.clock() -> seconds on a monotonic wall clock"))
        #expect(chunk.out.contains("  type: () -> number\nreturned "))
        let folder = Fixtures.temporaryFolder()
        let tty = try PseudoTerminal(Fixtures.products.appendingPathComponent("alphalab").path, environment: ["HOME": folder, "ALPHALAB_HISTORY": folder + "/h"])
        tty.expect("> ")
        tty.send("help(lab.clock)\n")
        let shown = tty.expect("\n> ")
        #expect(shown.components(separatedBy: "lab.clock() -> seconds").count == 2, "printed once: \(shown)")
        #expect(tty.leave() == 0)
    }
}
