import AlphaLab
import AlphaLabLua
import CLua
import CLuaShim
import CReplShim
import Foundation

/// The interactive loop, as `lua` runs it: an expression's values are printed (here
/// with a pretty printer), an incomplete statement asks for more lines, an error
/// shows its traceback and the loop goes on. Line editing, Tab completion and a
/// persistent history come from libedit; Ctrl-C interrupts a running computation,
/// Ctrl-D leaves.
struct Repl {
    let host: LuaHost

    static var banner: String {
        "AlphaLab \(AlphaLabVersion.string) (Lua \(LUA_VERSION_MAJOR).\(LUA_VERSION_MINOR).\(LUA_VERSION_RELEASE), XGBoost \(XGBoostModel.libraryVersion)) -- help() for help, Ctrl-D to leave"
    }

    /// `$ALPHALAB_HISTORY`, or `~/.alphalab_history`.
    static var historyPath: String {
        ProcessInfo.processInfo.environment["ALPHALAB_HISTORY"] ?? (NSHomeDirectory() + "/.alphalab_history")
    }

    func run() {
        host.state.session.helpPrints = false
        Repl.active = host
        alab_editline_setup("alphalab", complete)
        alab_history_load(Self.historyPath, 1000)
        let hasReplModule = (try? host.run("return package.searchpath('repl', package.path) ~= nil", name: "=repl")) == [.boolean(true)]
        while let chunk = readChunk() {
            if chunk.allSatisfy(\.isWhitespace) { continue }
            alab_history_add(chunk)
            _ = alab_history_save(Self.historyPath)
            evaluate(chunk, pretty: hasReplModule)
        }
        print()
    }

    /// The host completion asks; libedit's C callback has no context pointer.
    nonisolated(unsafe) static var active: LuaHost?

    /// Reads one complete chunk: more lines while the statement is incomplete.
    private func readChunk() -> String? {
        guard var buffer = readLine(prompt: "> ") else { return nil }
        while needsMoreInput(buffer) {
            guard let more = readLine(prompt: ">> ") else { return buffer }
            buffer += "\n" + more
        }
        return buffer
    }

    private func readLine(prompt: String) -> String? {
        guard let line = alab_readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    /// Whether `chunk` is an unfinished statement (its syntax error is at the end of input).
    private func needsMoreInput(_ chunk: String) -> Bool {
        let state = host.state
        if (try? state.load("return " + chunk, name: "=stdin")) != nil { state.stack.pop(); return false }
        do {
            try state.load(chunk, name: "=stdin")
            state.stack.pop()
            return false
        } catch {
            return error.isSyntaxError && error.message.hasSuffix("<eof>")
        }
    }

    /// Runs a chunk, printing what an expression returns.
    private func evaluate(_ chunk: String, pretty: Bool) {
        let state = host.state, L = state.L
        do {
            try host.interruptibly { () throws(LuaError) in
                let isExpression = (try? state.load("return " + chunk, name: "=stdin")) != nil
                if !isExpression { try state.load(chunk, name: "=stdin") }
                let base = state.stack.top - 1
                alab_pushtraceback(L)
                lua_rotate(L, base + 1, 1) // [handler, chunk]
                defer { lua_settop(L, base) }
                if pretty {
                    lua_getglobal(L, "require")
                    state.stack.push(.string("repl"))
                    guard alab_pcall(L, 1, 1, base + 1) == LUA_OK else { throw LuaError(state.stack.string(at: -1) ?? "repl module failed") }
                    lua_getfield(L, -1, "show")
                    lua_rotate(L, base + 2, 1) // [handler, show, chunk, repl]
                    state.stack.pop()
                } else {
                    lua_getglobal(L, "print")
                    lua_rotate(L, base + 2, 1) // [handler, print, chunk]
                }
                guard alab_pcall(L, 0, LUA_MULTRET, base + 1) == LUA_OK else {
                    throw LuaError(state.stack.string(at: -1) ?? "(error object is a \(state.stack.typeName(at: -1)) value)")
                }
                let results = state.stack.top - (base + 2)
                if results > 0 {
                    guard alab_pcall(L, results, 0, base + 1) == LUA_OK else {
                        throw LuaError(state.stack.string(at: -1) ?? "error while printing")
                    }
                }
            }
        } catch {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
        }
    }
}

/// libedit's completion callback: candidates from the `repl` module's `complete`.
private let complete: alab_completer = { word in
    guard let host = Repl.active, let word else { return nil }
    let state = host.state, L = state.L
    let base = state.stack.top
    defer { lua_settop(L, base) }
    lua_getglobal(L, "require")
    state.stack.push(.string("repl"))
    guard alab_pcall(L, 1, 1, 0) == LUA_OK else { return nil }
    lua_getfield(L, -1, "complete")
    state.stack.push(.string(String(cString: word)))
    guard alab_pcall(L, 1, 1, 0) == LUA_OK, case .array(let items)? = try? state.stack.value(at: -1), !items.isEmpty else { return nil }
    let names = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    let list = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (names.count + 1))!.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
    for (i, name) in names.enumerated() { list[i] = strdup(name) }
    list[names.count] = nil
    return list
}
