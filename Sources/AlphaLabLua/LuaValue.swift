import CLua
import CLuaShim

/// A Lua value copied into Swift: what crosses the bridge by value.
///
/// Tables whose keys are exactly 1...n become arrays; other tables become maps with
/// string keys (a numeric key arrives as its decimal text). Functions, userdata and
/// threads do not cross by value (see ``LuaFunctionRef`` and ``LuaObject``).
public enum LuaValue: Equatable, Sendable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([LuaValue])
    case map([String: LuaValue])
    /// A table keyed by integers that are not a sequence (horizons: 1, 5, 20). Pushed with
    /// a metatable that also reads a key given as decimal text (`t["20"]` is `t[20]`), as
    /// these tables had string keys before; from Lua such a table arrives as a ``map``.
    case integerKeyed([Int64: LuaValue])

    /// Lua's name for the value's type.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array, .map, .integerKeyed: "table"
        }
    }

    /// The value as a double, for either kind of number.
    public var number: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let x): x
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): String(i)
        case .number(let x): String(x)
        case .string(let s): String(reflecting: s)
        case .array(let a): "{" + a.map(\.description).joined(separator: ", ") + "}"
        case .map(let m): "{" + m.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "}"
        case .integerKeyed(let m): "{" + m.sorted { $0.key < $1.key }.map { "[\($0.key)] = \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Stack operations on one Lua thread. None of them raises a Lua error except on
/// memory exhaustion: reads use raw access, so no metamethod runs.
public struct LuaStack {
    /// The thread (the main state or a coroutine) whose stack this is.
    public let L: OpaquePointer

    public init(_ L: OpaquePointer) { self.L = L }

    /// The number of values on the stack.
    public var top: Int32 { lua_gettop(L) }

    public func pop(_ n: Int32 = 1) { alab_pop(L, n) }

    /// Pushes a value; arrays and maps become new tables, which print as the pretty printer
    /// lays them out.
    public func push(_ value: LuaValue) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, lua_Integer(i))
        case .number(let x): lua_pushnumber(L, x)
        case .string(let s): push(string: s)
        case .array(let items):
            _ = lua_checkstack(L, 3) // nested tables need room beyond LUA_MINSTACK
            lua_createtable(L, Int32(items.count), 0)
            for (i, item) in items.enumerated() {
                push(item)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            alab_setenginetable(L, -1)
        case .map(let entries):
            _ = lua_checkstack(L, 3)
            lua_createtable(L, 0, Int32(entries.count))
            for (key, item) in entries {
                push(string: key)
                push(item)
                lua_rawset(L, -3)
            }
            alab_setenginetable(L, -1)
        case .integerKeyed(let entries):
            _ = lua_checkstack(L, 3)
            lua_createtable(L, 0, Int32(entries.count))
            for (key, item) in entries {
                push(item)
                lua_rawseti(L, -2, lua_Integer(key))
            }
            alab_setintegerkeys(L, -1)
        }
    }

    /// Pushes a string (bytes, so embedded zeros survive).
    public func push(string s: String) {
        var s = s
        s.withUTF8 { bytes in _ = lua_pushlstring(L, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, bytes.count) }
    }

    /// The Lua type at `index` (LUA_TNIL, LUA_TNUMBER, ...).
    public func type(at index: Int32) -> Int32 { lua_type(L, index) }

    /// The name of the type at `index`, as Lua's messages say it.
    public func typeName(at index: Int32) -> String { String(cString: lua_typename(L, lua_type(L, index))) }

    /// The string at `index` without converting numbers in place (nil if not a string).
    public func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        let bytes = alab_tostring(L, index, &length)!
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The value at `index` copied into Swift; tables deeper than `depth` levels (or
    /// cyclic) and functions, userdata and threads are errors.
    public func value(at index: Int32, depth: Int = 64) throws(LuaBridgeError) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            return alab_isinteger(L, index) != 0 ? .integer(Int64(lua_tointegerx(L, index, nil))) : .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(string(at: index)!)
        case LUA_TTABLE:
            guard depth > 0 else { throw LuaBridgeError("table nested too deeply (or cyclic)") }
            return try table(at: lua_absindex(L, index), depth: depth - 1)
        default:
            throw LuaBridgeError("a \(typeName(at: index)) cannot be converted to a plain value")
        }
    }

    private func table(at index: Int32, depth: Int) throws(LuaBridgeError) -> LuaValue {
        // A C function is only guaranteed LUA_MINSTACK free slots; nesting needs more.
        guard lua_checkstack(L, 4) != 0 else { throw LuaBridgeError("table nested too deeply for the Lua stack") }
        var integers: [Int64: LuaValue] = [:], strings: [String: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let item: LuaValue
            do { item = try value(at: -1, depth: depth) } catch { pop(2); throw error }
            switch lua_type(L, -2) {
            case LUA_TNUMBER where alab_isinteger(L, -2) != 0: integers[Int64(lua_tointegerx(L, -2, nil))] = item
            case LUA_TNUMBER: strings[String(lua_tonumberx(L, -2, nil))] = item
            case LUA_TSTRING: strings[string(at: -2)!] = item
            default:
                let keyType = typeName(at: -2)
                pop(2)
                throw LuaBridgeError("a table with a \(keyType) key cannot be converted to a plain value")
            }
            pop()
        }
        if strings.isEmpty, integers.keys.allSatisfy({ $0 >= 1 && $0 <= Int64(integers.count) }) {
            return .array((1...max(1, integers.count)).prefix(integers.count).map { integers[Int64($0)]! })
        }
        for (k, v) in integers { strings[String(k)] = v }
        return .map(strings)
    }
}

/// A value that cannot cross the bridge.
public struct LuaBridgeError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
