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
        #expect(text.contains("function Result:weeks() end") && text.contains("---@return Week[]"))

        // A function registered without a type is an error naming it.
        state.push(function: "lab.extra") { _ in 0 }
        state.registerHelp(atTop: "lab.extra() -> nothing", name: "lab.extra")
        state.setGlobalFromTop("__extra")
        try state.run("lab.extra = __extra")
        #expect(throws: LabAnnotations.MissingTypes(names: ["lab.extra"])) { try LabAnnotations.generate(state) }
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
