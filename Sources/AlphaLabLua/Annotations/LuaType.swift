/// A Lua type in the annotations' (LuaLS) notation, parsed so that real values can be
/// checked against what ``LabTypes`` declares: `integer`, `string[]`, `A|B`,
/// `table<integer, number>`, `{rows: string, metric?: "sharpe"}`, `"stdout"`,
/// `fun(ctx: ScoringContext): table`, and class names.
indirect enum LuaType: Equatable {
    case any, `nil`, boolean, number, integer, string, table, function
    /// A string literal type (`"stdout"`).
    case literal(String)
    case array(LuaType)
    case map(key: LuaType, value: LuaType)
    case union([LuaType])
    /// A table with these fields (`{name: T, other?: U}`).
    case shape([(name: String, optional: Bool, type: LuaType)])
    /// A class (an engine object or a declared table shape).
    case named(String)

    static func == (a: LuaType, b: LuaType) -> Bool { String(describing: a) == String(describing: b) }

    /// Parses `text`; nil when it is not a type this notation knows.
    init?(_ text: String) {
        var parser = Parser(text: Array(text))
        guard let type = parser.union(), parser.peek() == nil else { return nil }
        self = type
    }

    /// A recursive-descent parser of the notation.
    private struct Parser {
        let text: [Character]
        var i = 0

        mutating func peek() -> Character? {
            while i < text.count, text[i] == " " { i += 1 }
            return i < text.count ? text[i] : nil
        }

        mutating func take(_ c: Character) -> Bool {
            guard peek() == c else { return false }
            i += 1
            return true
        }

        mutating func union() -> LuaType? {
            var members: [LuaType] = []
            repeat {
                guard let t = postfix() else { return nil }
                members.append(t)
            } while take("|")
            return members.count == 1 ? members[0] : .union(members)
        }

        mutating func postfix() -> LuaType? {
            guard var t = primary() else { return nil }
            while peek() == "[", i + 1 < text.count, text[i + 1] == "]" { i += 2; t = .array(t) }
            return t
        }

        mutating func identifier() -> String {
            _ = peek()
            let start = i
            while i < text.count, text[i].isLetter || text[i].isNumber || text[i] == "_" || text[i] == "." { i += 1 }
            return String(text[start..<i])
        }

        mutating func primary() -> LuaType? {
            switch peek() {
            case "\""?:
                i += 1
                let start = i
                while i < text.count, text[i] != "\"" { i += 1 }
                guard i < text.count else { return nil }
                defer { i += 1 }
                return .literal(String(text[start..<i]))
            case "("?:
                i += 1
                let t = union()
                return take(")") ? t : nil
            case "{"?:
                i += 1
                return shape()
            default:
                return named(identifier())
            }
        }

        mutating func shape() -> LuaType? {
            var fields: [(name: String, optional: Bool, type: LuaType)] = []
            while !take("}") {
                let name = identifier()
                let optional = take("?")
                guard !name.isEmpty, take(":"), let type = union() else { return nil }
                fields.append((name, optional, type))
                _ = take(",")
            }
            return .shape(fields)
        }

        mutating func named(_ name: String) -> LuaType? {
            switch name {
            case "": return nil
            case "any": return .any
            case "nil": return .nil
            case "boolean": return .boolean
            case "number": return .number
            case "integer": return .integer
            case "string": return .string
            case "function": return .function
            case "table":
                guard take("<") else { return .table }
                guard let key = union(), take(","), let value = union(), take(">") else { return nil }
                return .map(key: key, value: value)
            case "fun":
                // The parameters and the return type say what the function takes: a value is only checked to be a function.
                guard take("(") else { return nil }
                var depth = 1
                while i < text.count, depth > 0 {
                    if text[i] == "(" { depth += 1 } else if text[i] == ")" { depth -= 1 }
                    i += 1
                }
                if take(":") { _ = union() }
                return .function
            default: return .named(name)
            }
        }
    }
}
