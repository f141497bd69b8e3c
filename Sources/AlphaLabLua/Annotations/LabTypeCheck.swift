import CLua
import CLuaShim

/// Checks real Lua values against the types ``LabTypes`` declares, so that a declared
/// type that does not match what a function returns (a table keyed by strings declared
/// as a number, a float declared as an integer) is found by running it, not by a reader.
///
/// `install(in:)` defines two Lua functions for a test script:
/// `check_returns(name, ...)` checks the values `...` against the returns declared for
/// `name` (`"lab.run"`, `"Result:weeks"`), and `check_fields(object)` checks every field
/// of an engine object against its declared type. Each returns a list of problems
/// (empty when everything conforms).
public enum LabTypeCheck {
    /// Defines `check_returns` and `check_fields` as globals of `state`.
    public static func install(in state: LuaState) {
        let objects = Set(state.typeNames)
        state.push(function: "check_returns") { call in
            let name = try call.string(1)
            guard let signature = LabTypes.signatures[name] else { return call.results(.array([.string("\(name): no declared type")])) }
            let returns = LabAnnotations.parse(signature).returns
            var problems: [String] = []
            for (k, text) in returns.enumerated() {
                guard let type = LuaType(text) else { problems.append("\(name): cannot read the type '\(text)'"); continue }
                let index = Int32(k + 2)
                if let why = mismatch(call.L, index <= call.count ? index : nil, type, objects: objects) {
                    problems.append("\(name) returns #\(k + 1) (\(text)): \(why)")
                }
            }
            return call.results(.array(problems.map(LuaValue.string)))
        }
        state.setGlobalFromTop("check_returns")
        state.push(function: "check_fields") { call in
            let L = call.L
            guard lua_type(L, 1) == LUA_TUSERDATA, lua_getmetatable(L, 1) != 0 else { throw call.argumentError(1, "engine object expected") }
            lua_getfield(L, -1, "__name")
            let typeName = call.stack.string(at: -1) ?? "?"
            lua_getfield(L, -2, "__fields")
            guard case .array(let names)? = try? call.stack.value(at: -1) else { return call.results(.array([])) }
            let declared = LabTypes.fields[typeName] ?? [:]
            var problems: [String] = []
            for case .string(let field) in names {
                guard let text = declared[field] else { problems.append("\(typeName).\(field): no declared type"); continue }
                guard let type = LuaType(text) else { problems.append("\(typeName).\(field): cannot read the type '\(text)'"); continue }
                lua_getfield(L, 1, field)
                if let why = mismatch(L, lua_gettop(L), type, objects: objects) { problems.append("\(typeName).\(field) (\(text)): \(why)") }
                alab_pop(L, 1)
            }
            return call.results(.array(problems.map(LuaValue.string)))
        }
        state.setGlobalFromTop("check_fields")
    }

    /// The table shapes ``LabTypes`` declares, by class name.
    private static let classes: [String: [(name: String, optional: Bool, type: String)]] = Dictionary(
        uniqueKeysWithValues: LabTypes.classes.map { ($0.name, $0.fields.map(LabAnnotations.parameter)) })

    /// Why the value at `index` (nil: absent) does not conform to `type`, or nil when it does.
    /// Tables are checked to a few levels and their first entries, which is where a
    /// wrong declaration shows.
    static func mismatch(_ L: OpaquePointer, _ index: Int32?, _ type: LuaType, objects: Set<String>, depth: Int = 0) -> String? {
        let kind = index.map { lua_type(L, $0) } ?? LUA_TNIL
        let got = index.map { String(cString: lua_typename(L, lua_type(L, $0))) } ?? "nothing"
        func expect(_ ok: Bool, _ what: String) -> String? { ok ? nil : "expected \(what), got \(got)" }
        switch type {
        case .any: return nil
        case .nil: return expect(kind == LUA_TNIL, "nil")
        case .boolean: return expect(kind == LUA_TBOOLEAN, "a boolean")
        case .number: return expect(kind == LUA_TNUMBER, "a number")
        case .integer: return expect(kind == LUA_TNUMBER && alab_isinteger(L, index!) != 0, kind == LUA_TNUMBER ? "an integer (not a float)" : "an integer")
        case .string: return expect(kind == LUA_TSTRING, "a string")
        case .table: return expect(kind == LUA_TTABLE, "a table")
        case .function: return expect(kind == LUA_TFUNCTION, "a function")
        case .literal(let text):
            return expect(kind == LUA_TSTRING && LuaStack(L).string(at: index!) == text, "\"\(text)\"")
        case .union(let members):
            let whys = members.map { mismatch(L, index, $0, objects: objects, depth: depth) }
            return whys.contains { $0 == nil } ? nil : "none of the alternatives: " + whys.compactMap { $0 }.joined(separator: "; ")
        case .named(let name) where objects.contains(name):
            guard kind == LUA_TUSERDATA, lua_getmetatable(L, index!) != 0 else { return "expected a \(name), got \(got)" }
            lua_getfield(L, -1, "__name")
            defer { alab_pop(L, 2) }
            return expect(LuaStack(L).string(at: -1) == name, "a \(name)")
        case .named(let name):
            guard let fields = classes[name] else { return name == "Config" ? expect(kind == LUA_TTABLE, "a Config table") : "unknown type \(name)" }
            return shape(L, index, fields.map { ($0.name, $0.optional, LuaType($0.type)) }, objects: objects, depth: depth, name: name)
        case .shape(let fields):
            return shape(L, index, fields.map { ($0.name, $0.optional, Optional($0.type)) }, objects: objects, depth: depth, name: "table")
        case .array(let element):
            return entries(L, index, kind: kind, key: nil, value: element, objects: objects, depth: depth, got: got)
        case .map(let key, let value):
            return entries(L, index, kind: kind, key: key, value: value, objects: objects, depth: depth, got: got)
        }
    }

    /// A table with declared fields: each present field conforms, each required one is present.
    private static func shape(_ L: OpaquePointer, _ index: Int32?, _ fields: [(String, Bool, LuaType?)], objects: Set<String>, depth: Int,
                              name: String) -> String? {
        guard let index, lua_type(L, index) == LUA_TTABLE else { return "expected a \(name) table, got \(index.map { String(cString: lua_typename(L, lua_type(L, $0))) } ?? "nothing")" }
        guard depth < 4 else { return nil }
        let table = lua_absindex(L, index)
        for (field, optional, type) in fields {
            guard let type else { return "\(name).\(field): unreadable declared type" }
            lua_getfield(L, table, field)
            defer { alab_pop(L, 1) }
            if lua_type(L, -1) == LUA_TNIL {
                if optional { continue }
                if case .union(let m) = type, m.contains(.nil) { continue }
                return "\(name).\(field) is missing"
            }
            if let why = mismatch(L, lua_gettop(L), type, objects: objects, depth: depth + 1) { return "\(name).\(field): \(why)" }
        }
        return nil
    }

    /// A list (`key` nil: entries 1...n) or a keyed table: its first entries conform.
    private static func entries(_ L: OpaquePointer, _ index: Int32?, kind: Int32, key: LuaType?, value: LuaType, objects: Set<String>,
                                depth: Int, got: String) -> String? {
        guard let index, kind == LUA_TTABLE else { return "expected a table, got \(got)" }
        guard depth < 4 else { return nil }
        let table = lua_absindex(L, index)
        var seen = 0
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            seen += 1
            let keyIndex = lua_gettop(L) - 1
            if key == nil, !(lua_type(L, keyIndex) == LUA_TNUMBER && alab_isinteger(L, keyIndex) != 0) {
                alab_pop(L, 2)
                return "expected a list, found a \(String(cString: lua_typename(L, lua_type(L, keyIndex)))) key"
            }
            if let key, let why = mismatch(L, keyIndex, key, objects: objects, depth: depth + 1) {
                alab_pop(L, 2)
                return "a key: \(why)"
            }
            if let why = mismatch(L, lua_gettop(L), value, objects: objects, depth: depth + 1) {
                alab_pop(L, 2)
                return "an entry: \(why)"
            }
            alab_pop(L, 1)
            if seen == 20 { alab_pop(L, 1); break }
        }
        return nil
    }
}
