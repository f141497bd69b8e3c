import AlphaLab
import Foundation
import CLua
import CLuaShim

/// The global `help`: `help()` gives an overview, `help(fn)` the text of a documented
/// function, `help(object)` the methods and fields of an engine object, `help(table)`
/// the documented members of a module. It returns the text, and prints it too except
/// in the REPL (which prints what an expression returns).
enum HelpFunction {
    static let overview = """
    AlphaLab \(AlphaLabVersionText.text)
      lab            the engine: data, features, models, experiments (help(lab))
      require "experiment"   configs with the seed's defaults, runs, the seed's table
      help(f)        explains a function, an object or a module
    In the REPL: Tab completes names, fields and methods; Ctrl-C interrupts; Ctrl-D leaves.
    """

    static func install(in state: LuaState) {
        state.push(function: "help") { call in
            let text = Self.text(call)
            // In a script or -e chunk help prints, through the global print as Lua code would;
            // the REPL prints what expressions return, so there it only returns the text.
            if call.state.session.helpPrints {
                lua_getglobal(call.L, "print")
                call.stack.push(string: text)
                if alab_pcall(call.L, 1, 0, 0) != LUA_OK { return -1 }
            }
            call.stack.push(string: text)
            return 1
        }
        lua_setglobal(state.L, "help")
    }

    /// The help of the call's argument: the overview without one, a documented value's
    /// text and type, an engine object's methods and fields, a table's documented members.
    static func text(_ call: LuaCall) -> String {
        let L = call.L
        if call.count == 0 { return overview }
        if let record = lookup(L, 1) {
            return record.text + (record.type.map { "\n  type: \($0)" } ?? "")
        }
        var lines: [String] = []
        // An engine object: its methods' help and its fields.
        if lua_type(L, 1) == LUA_TUSERDATA, lua_getmetatable(L, 1) != 0 {
            lua_getfield(L, -1, "__name")
            lines.append((call.stack.string(at: -1) ?? "object") + " methods:")
            call.stack.pop()
            lua_getfield(L, -1, "__methods")
            lines += memberHelp(L, lua_absindex(L, -1))
            call.stack.pop()
            lua_getfield(L, -1, "__fields")
            lua_getfield(L, -2, "__fieldhelp")
            let fieldHelp: [String: LuaValue]
            if case .map(let m)? = try? call.stack.value(at: -1) { fieldHelp = m } else { fieldHelp = [:] }
            if case .array(let fields)? = try? call.stack.value(at: -2), !fields.isEmpty {
                let names = fields.compactMap { if case .string(let s) = $0 { s } else { nil } }
                if fieldHelp.isEmpty {
                    lines.append("fields: " + names.joined(separator: ", "))
                } else {
                    lines.append("fields:")
                    let width = names.map(\.count).max() ?? 0
                    for name in names {
                        guard case .string(let summary)? = fieldHelp[name] else { lines.append("  " + name); continue }
                        lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary)
                    }
                }
            }
            call.stack.pop(3)
        } else if lua_type(L, 1) == LUA_TTABLE {
            lines += memberHelp(L, 1)
        } else if lua_type(L, 1) == LUA_TFUNCTION, let documented = luaDocumentation(L, 1) {
            return documented
        }
        return lines.isEmpty ? "no help for this \(call.stack.typeName(at: 1)) value" : lines.joined(separator: "\n")
    }

    /// The documentation of a function written in Lua (a stdlib module's, a script's): the
    /// `---` comment lines above its definition, as the annotated modules write them, after
    /// the line that defines it. Nil for C functions and functions without such a comment.
    static func luaDocumentation(_ L: OpaquePointer, _ index: Int32) -> String? {
        var info = lua_Debug()
        lua_pushvalue(L, index)
        guard lua_getinfo(L, ">S", &info) != 0, let cSource = info.source else { return nil }
        let source = String(cString: cSource)
        let first = Int(info.linedefined)
        guard source.hasPrefix("@"), first > 0,
              let text = try? String(contentsOfFile: String(source.dropFirst()), encoding: .utf8) else { return nil }
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first <= fileLines.count else { return nil }
        var comment: [String] = []
        var k = first - 2
        while k >= 0, fileLines[k].trimmingCharacters(in: .whitespaces).hasPrefix("---") {
            comment.insert(String(fileLines[k].trimmingCharacters(in: .whitespaces).dropFirst(3)), at: 0)
            k -= 1
        }
        guard !comment.isEmpty else { return nil }
        let definition = fileLines[first - 1].trimmingCharacters(in: .whitespaces)
        var signature = definition.firstMatch(of: /function\s+([\w.:]+\s*\([^)]*\))/).map { String($0.1) } ?? definition
        // A module's `M.name` is called as `module.name`.
        if signature.hasPrefix("M.") {
            signature = URL(fileURLWithPath: String(source.dropFirst())).deletingPathExtension().lastPathComponent + signature.dropFirst()
        }
        let prose = comment.filter { !$0.hasPrefix("@") }.map { "  " + $0.trimmingCharacters(in: .whitespaces) }
        let annotations = comment.filter { $0.hasPrefix("@") }.map { "  " + $0 }
        return ([signature] + prose + annotations).joined(separator: "\n")
    }

    /// The help record of the value at `index`, if it has one.
    static func lookup(_ L: OpaquePointer, _ index: Int32) -> (name: String, text: String, type: String?)? {
        let index = lua_absindex(L, index)
        lua_getfield(L, alab_registryindex(), LuaState.helpKey)
        defer { alab_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        lua_pushvalue(L, index)
        lua_rawget(L, -2)
        defer { alab_pop(L, 1) }
        guard case .map(let record)? = try? LuaStack(L).value(at: -1),
              case .string(let name)? = record["name"], case .string(let text)? = record["text"] else { return nil }
        if case .string(let type)? = record["type"] { return (name, text, type) }
        return (name, text, nil)
    }

    /// One line per documented member of the table at `index`: the head of its help.
    static func memberHelp(_ L: OpaquePointer, _ index: Int32) -> [String] {
        var lines: [String] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, let entry = lookup(L, -1) {
                lines.append("  " + head(of: entry.text))
            }
            alab_pop(L, 1)
        }
        return lines.sorted()
    }

    /// A help text's first line, carried on over the next lines until its brackets close (a
    /// signature whose description wraps inside parentheses is not cut mid-phrase).
    static func head(of text: String) -> String {
        var head = "", depth = 0
        for (number, line) in text.split(separator: "\n").enumerated() {
            if number > 0 { head += " " }
            for character in line.trimmingCharacters(in: .whitespaces) {
                head.append(character)
                if "([{".contains(character) { depth += 1 }
                if ")]}".contains(character) {
                    depth -= 1
                    // The bracket the first line left open closes on a later line: the head ends with it.
                    if depth == 0 && number > 0 { return head }
                }
            }
            if depth <= 0 { break }
        }
        return head
    }
}

/// The version line shown by `help()`.
enum AlphaLabVersionText {
    static var text: String { "\(AlphaLabVersion.string) (Lua \(LuaHost.luaVersion))" }
}
