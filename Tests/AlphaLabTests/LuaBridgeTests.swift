import AlphaLab
import AlphaLabLua
import Foundation
import Testing

/// The Swift <-> Lua bridge: values both ways, errors both ways, objects, leaks.
@Suite("Lua bridge", .serialized)
struct LuaBridgeTests {
    /// A Swift class exposed to Lua in these tests; counts live instances.
    final class Probe {
        nonisolated(unsafe) static var live = 0
        let value: Int
        init(_ value: Int) { self.value = value; Probe.live += 1 }
        deinit { Probe.live -= 1 }
    }

    func state() -> LuaState {
        let s = LuaState()
        s.defineType(Probe.self, name: "Probe", methods: [
            ("double", "p:double() -> twice the value", { p, call in call.results(.integer(Int64(p.value * 2))) }),
        ], fields: { p, key in key == "value" ? .integer(Int64(p.value)) : nil }, fieldNames: ["value"],
           tostring: { "Probe(\($0.value))" })
        s.push(function: "make") { call in call.result(object: Probe(try call.integer(1))) }
        lua_setglobal_(s, "make")
        s.push(function: "echo") { call in call.results(try call.value(1)) }
        lua_setglobal_(s, "echo")
        return s
    }

    @Test("Every plain value round-trips Swift -> Lua -> Swift")
    func roundTrips() throws {
        let s = state()
        let values: [LuaValue] = [
            .nil, .boolean(true), .boolean(false), .integer(0), .integer(-42), .integer(Int64.max), .number(0.1), .number(-1e300),
            .string(""), .string("héllo, wörld"), .string("nul\u{0}inside"),
            .array([]), .array([.integer(1), .string("two"), .number(3.5)]),
            .map(["a": .integer(1), "b": .array([.boolean(true)]), "nested": .map(["deep": .map(["x": .string("y")])])]),
            .map(["1": .integer(1), "5": .integer(5)]), // a sparse numeric table arrives with string keys
        ]
        for v in values {
            s.setGlobal("v", v)
            #expect(try s.run("return v") == [v])
            // Through a Swift function called from Lua and back.
            #expect(try s.run("return echo(v)") == [v])
        }
        // Nesting far beyond the 20 stack slots a C function is guaranteed.
        var deep = LuaValue.string("bottom")
        for i in 0..<60 { deep = i % 2 == 0 ? .array([deep]) : .map(["level": deep]) }
        s.setGlobal("deep", deep)
        #expect(try s.run("return echo(deep)") == [deep])
        #expect(try s.run("return 1, 2.5, 'x', nil, true") == [.integer(1), .number(2.5), .string("x"), .nil, .boolean(true)])
        #expect(try s.run("return {10, 20, 30}") == [.array([.integer(10), .integer(20), .integer(30)])])
        #expect(try s.run("return {[1] = 'a', [3] = 'c'}") == [.map(["1": .string("a"), "3": .string("c")])])
    }

    @Test("A cyclic table or a function cannot cross as a plain value; the error says so")
    func unconvertible() throws {
        let s = state()
        #expect(throws: LuaError.self) { try s.run("local t = {}; t.t = t; return echo(t)") }
        do { try s.run("return echo(print)") } catch {
            #expect(error.message.contains("bad argument #1 to 'echo' (a function cannot be converted to a plain value)"))
        }
    }

    @Test("Lua errors reach Swift with a traceback; syntax errors are marked")
    func luaErrorsToSwift() throws {
        let s = state()
        do {
            try s.run("local function inner() error('deep trouble') end\nlocal function outer() inner() end\nouter()", name: "=probe")
            Issue.record("no error")
        } catch {
            #expect(error.headline == "probe:1: deep trouble")
            #expect(error.message.contains("stack traceback:") && error.message.contains("in local 'outer'"))
            #expect(!error.isSyntaxError)
        }
        do { try s.run("for i = 1, do") } catch { #expect(error.isSyntaxError) }
        do { try s.run("for i = 1, 3 do") } catch { #expect(error.isSyntaxError && error.message.hasSuffix("<eof>")) }
    }

    @Test("Swift errors and bad arguments become Lua errors that Lua code can catch")
    func swiftErrorsToLua() throws {
        let s = state()
        let r = try s.run("local ok, e = pcall(make, 'x'); return ok, e")
        #expect(r == [.boolean(false), .string("bad argument #1 to 'make' (number expected, got string)")])
        #expect(try s.run("local ok, e = pcall(make); return e") == [.string("bad argument #1 to 'make' (number expected, got no value)")])
        #expect(try s.run("local ok, e = pcall(make, 1.5); return e") == [.string("bad argument #1 to 'make' (number has no integer representation)")])
        // A method called on the wrong object names the method and the expected type.
        #expect(try s.run("local p = make(1); local ok, e = pcall(p.double, {}); return e") == [.string("bad argument #1 to 'Probe:double' (Probe expected, got table)")])
    }

    @Test("An error raised deep in a callback chain (Lua -> Swift -> Lua -> Swift -> Lua error) reaches the top with its traceback")
    func deepCallbackChain() throws {
        let s = state()
        s.push(function: "callback") { call in
            let f = try call.function(1)
            // Swift enters Lua only through a protected call; the error comes back as LuaError.
            let result: LuaValue = try f.call(on: call.L, { stack in stack.push(.integer(7)); return 1 }, read: { try $0.value(at: -1) })
            return call.results(result)
        }
        lua_setglobal_(s, "callback")
        #expect(try s.run("return callback(function(x) return x * 6 end)") == [.integer(42)])
        do {
            try s.run("""
            local function level3(x) error('failure at level ' .. x) end
            local function level2(x) return callback(level3) end
            return callback(level2)
            """, name: "=chain")
            Issue.record("no error")
        } catch {
            #expect(error.headline == "chain:1: failure at level 7")
            #expect(error.message.contains("in upvalue 'level3'") || error.message.contains("in function <chain:1>"))
        }
        // The state is still usable after the unwinding.
        #expect(try s.run("return 1 + 1") == [.integer(2)])
        #expect(s.stack.top == 0)
    }

    @Test("Engine objects are userdata with __name, __tostring, __index methods and fields")
    func userdata() throws {
        let s = state()
        #expect(try s.run("local p = make(21); return p:double(), p.value, tostring(p), p.missing") ==
                [.integer(42), .integer(21), .string("Probe(21)"), .nil])
        #expect(try s.run("return getmetatable(make(1)).__name") == [.string("Probe")])
        #expect(try s.run("local ok, e = pcall(function() return make(1):nope() end); return e:match('attempt to call a nil value') ~= nil") == [.boolean(true)])
    }

    @Test("Thousands of calls and objects leave memory flat: objects are released, the stack is clean")
    func noLeaks() throws {
        let s = state()
        let before = Probe.live
        try s.run("for i = 1, 20000 do local p = make(i); assert(p:double() == 2 * i); echo({i, 'x', {y = i}}) end; collectgarbage(); collectgarbage()")
        #expect(Probe.live == before)
        let kilobytes = try s.run("return collectgarbage('count')")[0].number!
        try s.run("for i = 1, 50000 do local p = make(i); echo({i}) end; collectgarbage(); collectgarbage()")
        let after = try s.run("return collectgarbage('count')")[0].number!
        #expect(after < kilobytes + 64, "Lua heap grew from \(kilobytes) KB to \(after) KB")
        #expect(Probe.live == before && s.stack.top == 0)
    }
}

/// `lua_setglobal` for the tests: pops the top value into a global.
func lua_setglobal_(_ state: LuaState, _ name: String) {
    state.setGlobalFromTop(name)
}
