import AlphaLab
import AlphaLabLua
import CReplShim
import Foundation

/// The interactive loop, as `lua` runs it: an expression's values are printed (here
/// with a pretty printer), an incomplete statement asks for more lines, an error
/// shows its traceback and the loop goes on. Line editing, Tab completion and a
/// persistent history come from libedit; Ctrl-C interrupts a running computation or
/// cancels the line being typed, Ctrl-D leaves.
struct Repl {
    let host: LuaHost

    static var banner: String {
        "AlphaLab \(AlphaLabVersion.string) (Lua \(LuaHost.luaVersion), XGBoost \(XGBoostModel.libraryVersion)) -- help() for help, Ctrl-D to leave"
    }

    /// `$ALPHALAB_HISTORY`, or `~/.alphalab_history`.
    static var historyPath: String {
        ProcessInfo.processInfo.environment["ALPHALAB_HISTORY"] ?? (NSHomeDirectory() + "/.alphalab_history")
    }

    func run() {
        host.state.session.helpPrints = false
        host.state.session.drawsProgress = isatty(2) != 0
        Repl.active = host
        alab_editline_setup("alphalab", complete)
        alab_history_load(Self.historyPath, 1000)
        let hasReplModule = host.hasReplModule
        while let chunk = readChunk() {
            if chunk.allSatisfy(\.isWhitespace) { continue }
            alab_history_add(chunk)
            _ = alab_history_save(Self.historyPath)
            evaluate(chunk, showing: hasReplModule ? .repl : .print)
        }
        print()
    }

    /// The host completion asks; libedit's C callback has no context pointer.
    nonisolated(unsafe) static var active: LuaHost?

    /// What the prompt gave: a line, the end of input (Ctrl-D), or a line cancelled by Ctrl-C.
    private enum Input {
        case line(String), end, cancelled
    }

    /// Reads one complete chunk: more lines while the statement is incomplete. Ctrl-C at
    /// either prompt drops what was typed and asks again; the session keeps its state.
    private func readChunk() -> String? {
        while true {
            switch readLine(prompt: "> ") {
            case .end: return nil
            case .cancelled: print()
            case .line(var buffer):
                continuation: while needsMoreInput(buffer) {
                    switch readLine(prompt: ">> ") {
                    case .end: return buffer
                    case .cancelled:
                        print()
                        buffer = ""
                        break continuation
                    case .line(let more): buffer += "\n" + more
                    }
                }
                if !buffer.isEmpty { return buffer }
            }
        }
    }

    private func readLine(prompt: String) -> Input {
        var cancelled: Int32 = 0
        guard let line = alab_readline(prompt, &cancelled) else { return cancelled != 0 ? .cancelled : .end }
        defer { free(line) }
        return .line(String(cString: line))
    }

    /// Whether `chunk` is an unfinished statement (its syntax error is at the end of input).
    private func needsMoreInput(_ chunk: String) -> Bool {
        host.status(of: chunk) == .incomplete
    }

    /// Runs a chunk, printing what an expression returns.
    private func evaluate(_ chunk: String, showing presenter: LuaHost.Presenter) {
        do {
            try host.evaluate(chunk, showing: presenter)
        } catch {
            FileHandle.standardError.write(Data(RunStores.redacted(error.message + "\n").utf8))
        }
    }
}

/// libedit's completion callback: candidates from the `repl` module's `complete`.
private let complete: alab_completer = { word, before in
    guard let host = Repl.active, let word else { return nil }
    let names = host.complete(String(cString: word), before: before.map { String(cString: $0) } ?? "")
    guard !names.isEmpty else { return nil }
    let list = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (names.count + 1))!.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
    for (i, name) in names.enumerated() { list[i] = strdup(name) }
    list[names.count] = nil
    return list
}
