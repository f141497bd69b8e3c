import AlphaLab
import CLua

/// An options table argument (`lab.synthetic{seed = 7}`), checked against the keys a
/// function accepts: an unknown key is an error that suggests the closest valid one.
public struct LuaOptions {
    let call: LuaCall
    let position: Int32
    let values: [String: LuaValue]
    /// The declaration the options are read by (nil: a caller's own list of names).
    private let declared: LabOptionSet?

    /// Options at argument `position` (absent or nil means none). Values that are not
    /// plain (functions, objects) are left on the Lua side for the caller to fetch.
    public init(_ call: LuaCall, _ position: Int32, allowed: [String]) throws(LuaArgumentError) {
        try self.init(call, position, allowed: allowed, declared: nil)
    }

    /// Options at argument `position` as `declared` declares them: a key it does not
    /// declare is an error for the script, and reading one it does not declare is a bug
    /// in AlphaLab (a precondition).
    init(_ call: LuaCall, _ position: Int32, _ declared: LabOptionSet) throws(LuaArgumentError) {
        try self.init(call, position, allowed: declared.allowed, declared: declared)
    }

    private init(_ call: LuaCall, _ position: Int32, allowed: [String], declared: LabOptionSet?) throws(LuaArgumentError) {
        self.call = call
        self.position = position
        self.declared = declared
        var values: [String: LuaValue] = [:]
        if !call.isNil(position) {
            let L = call.L
            guard lua_type(L, position) == LUA_TTABLE else {
                throw call.argumentError(position, "options table expected, got \(call.stack.typeName(at: position))")
            }
            let table = lua_absindex(L, position)
            lua_pushnil(L)
            while lua_next(L, table) != 0 {
                guard let key = call.stack.string(at: -2) else {
                    call.stack.pop(2)
                    throw call.argumentError(position, "options table with named fields expected")
                }
                values[key] = (try? call.stack.value(at: -1)) ?? .nil
                call.stack.pop()
            }
        }
        self.values = values
        for key in values.keys.sorted() where !allowed.contains(key) {
            let hint = closestMatch(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            throw call.argumentError(position, "unknown option '\(key)'\(hint); valid options: \(allowed.joined(separator: ", "))")
        }
    }

    /// The value given for option `key` (nil when absent).
    func value(_ key: String) -> LuaValue? {
        if let declared { precondition(declared.option(key) != nil, "\(declared.owner) reads option '\(key)', which it does not declare") }
        return values[key]
    }

    private func wrong(_ key: String, _ expected: String) -> LuaArgumentError {
        call.argumentError(position, "option '\(key)' must be \(expected), got \(values[key]!.typeName)")
    }

    public func string(_ key: String) throws(LuaArgumentError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw wrong(key, "a string") }
        return s
    }

    public func number(_ key: String) throws(LuaArgumentError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let x = v.number else { throw wrong(key, "a number") }
        return x
    }

    public func integer(_ key: String) throws(LuaArgumentError) -> Int? {
        guard let x = try number(key) else { return nil }
        guard x.rounded() == x, abs(x) < 9e15 else { throw wrong(key, "an integer") }
        return Int(x)
    }

    public func boolean(_ key: String) throws(LuaArgumentError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .boolean(let b) = v else { throw wrong(key, "a boolean") }
        return b
    }

    public func date(_ key: String) throws(LuaArgumentError) -> Day? {
        guard let s = try string(key) else { return nil }
        guard let day = Day(s) else { throw call.argumentError(position, "option '\(key)': '\(s)' is not a YYYY-MM-DD date") }
        return day
    }

    public func strings(_ key: String) throws(LuaArgumentError) -> [String]? {
        guard let v = value(key) else { return nil }
        switch v {
        case .string(let s): return [s]
        case .array(let items):
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw wrong(key, "a list of strings") }
                result.append(s)
            }
            return result
        default: throw wrong(key, "a list of strings")
        }
    }

    public func integers(_ key: String) throws(LuaArgumentError) -> [Int]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw wrong(key, "a list of integers") }
        var result: [Int] = []
        for item in items {
            guard let x = item.number, x.rounded() == x else { throw wrong(key, "a list of integers") }
            result.append(Int(x))
        }
        return result
    }
}

extension LuaCall {
    /// A `YYYY-MM-DD` date argument.
    public func date(_ i: Int32) throws(LuaArgumentError) -> Day {
        let s = try string(i)
        guard let day = Day(s) else { throw argumentError(i, "'\(s)' is not a YYYY-MM-DD date") }
        return day
    }
}

extension LuaValue {
    /// The value as a config value (integers become numbers).
    var configValue: ConfigValue? {
        switch self {
        case .nil: nil
        case .boolean(let b): .bool(b)
        case .integer(let i): .number(Double(i))
        case .number(let x): .number(x)
        case .string(let s): .string(s)
        case .array(let a): .list(a.compactMap(\.configValue))
        case .map(let m): .map(m.compactMapValues(\.configValue))
        case .integerKeyed(let m): .map(Dictionary(uniqueKeysWithValues: m.compactMap { k, v in v.configValue.map { (String(k), $0) } }))
        }
    }

    /// A config value as a Lua value (whole numbers become integers).
    init(_ value: ConfigValue) {
        switch value {
        case .number(let x): self = x.rounded() == x && abs(x) < 9e15 ? .integer(Int64(x)) : .number(x)
        case .string(let s): self = .string(s)
        case .bool(let b): self = .boolean(b)
        case .list(let l): self = .array(l.map(LuaValue.init))
        case .map(let m):
            // A map keyed by integers (horizon_weights) reads in Lua as it is written: t[20].
            let integers = m.keys.compactMap { Int64($0) }
            self = !m.isEmpty && integers.count == m.count
                ? .integerKeyed(Dictionary(uniqueKeysWithValues: m.map { (Int64($0.key)!, LuaValue($0.value)) }))
                : .map(m.mapValues(LuaValue.init))
        }
    }

    /// A number, or nil where it does not exist (NaN).
    static func finite(_ x: Double) -> LuaValue { x.isFinite ? .number(x) : .nil }
}
