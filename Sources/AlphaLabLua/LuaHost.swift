import AlphaLab
import CLua
import CLuaShim
import Foundation

/// A Lua state set up as AlphaLab runs scripts: the standard libraries, `lab`, `help`,
/// and a `require` path of the script's folder, AlphaLab's `stdlib/`, then the
/// folders of `ALPHALAB_PATH` (colon-separated), so a team shares modules by pointing
/// at a shared folder.
public final class LuaHost {
    public let state: LuaState
    /// The stdlib folder found, if any.
    public let stdlib: String?

    /// A host whose `require` looks first in `scriptFolder` (the current folder if nil).
    /// With `sandbox`, scripts run confined to it from the first line (see ``Sandbox``).
    public init(scriptFolder: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                sandbox: Sandbox? = nil) {
        state = LuaState()
        stdlib = Self.locateStdlib(environment: environment)
        LabModule.install(in: state)
        let path = Self.moduleFolders(scriptFolder: scriptFolder, stdlib: stdlib, environment: environment).flatMap { ["\($0)/?.lua", "\($0)/?/init.lua"] }.joined(separator: ";")
        lua_getglobal(state.L, "package")
        lua_getfield(state.L, -1, "path")
        let standard = state.stack.string(at: -1) ?? ""
        state.stack.pop()
        state.stack.push(.string(path + ";" + standard))
        lua_setfield(state.L, -2, "path")
        state.stack.pop()
        if let sandbox { confine(to: sandbox, requirePath: path) }
    }

    /// Runs the sandbox's prelude and confines `lab` to it. Only the host does this,
    /// before any script runs: a script can never lift it.
    private func confine(to sandbox: Sandbox, requirePath: String) {
        state.session.confine(to: sandbox)
        state.setLimits(memoryBytes: sandbox.memoryLimit, cpuSeconds: sandbox.cpuLimit)
        let session = state.session
        // The prelude takes its two checks from the registry and removes them from there.
        // Each check answers (true) or (false, why): the prelude raises the error at the script's line.
        func check(_ body: @escaping (String) throws(SandboxError) -> Void) -> LuaFunctionBody {
            { call in
                guard case .string(let path)? = try? call.value(1) else { return call.results(.boolean(true)) }
                do { try body(path) } catch { return call.results(.boolean(false), .string("\(error)")) }
                return call.results(.boolean(true))
            }
        }
        state.push(function: "sandbox.check_read", check(session.checkRead))
        lua_setfield(state.L, alab_registryindex(), "alphalab.check_read")
        state.push(function: "sandbox.check_write", check(session.checkWrite))
        lua_setfield(state.L, alab_registryindex(), "alphalab.check_write")
        state.push(function: "sandbox.count_output") { call in
            do { try session.countOutput(try call.integer(1), to: try call.string(2)) } catch let error as SandboxError {
                return call.results(.boolean(false), .string("\(error)"))
            }
            return call.results(.boolean(true))
        }
        lua_setfield(state.L, alab_registryindex(), "alphalab.count_output")
        do {
            try state.run(SandboxPrelude.source, name: "=(sandbox)", arguments: [.string(requirePath), .map(sandbox.environment.mapValues(LuaValue.string))])
        } catch {
            fatalError("the sandbox's prelude failed: \(error.message)") // AlphaLab's own code: a bug, never a script's doing
        }
    }

    /// The folders `require` searches, in order: the script's (the current folder if nil),
    /// the stdlib (if found), then those of `ALPHALAB_PATH`. The sandbox lets scripts read them.
    public static func moduleFolders(scriptFolder: String?, stdlib: String?,
                                     environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        [scriptFolder ?? "."] + (stdlib.map { [$0] } ?? [])
            + (environment["ALPHALAB_PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// The stdlib folder: `$ALPHALAB_STDLIB`, or a `stdlib/` beside the executable or in
    /// one of its parent folders (the repository, when run from `.build/`), or
    /// `<prefix>/share/alphalab/stdlib` for an installed binary.
    public static func locateStdlib(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        func valid(_ folder: String) -> Bool { fm.fileExists(atPath: folder + "/experiment.lua") }
        if let configured = environment["ALPHALAB_STDLIB"] { return valid(configured) ? configured : nil }
        var folder = RunningProgram.folder
        for _ in 0..<6 {
            for candidate in [folder.appendingPathComponent("stdlib").path, folder.appendingPathComponent("share/alphalab/stdlib").path] where valid(candidate) {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Sets the global `arg` as the `lua` interpreter does: the script at 0, its
    /// arguments at 1..n, the interpreter and options before it at negative indices.
    public func setArguments(script: String, arguments: [String], interpreter: [String]) {
        lua_createtable(state.L, Int32(arguments.count), Int32(interpreter.count + 1))
        for (i, a) in interpreter.enumerated() {
            state.stack.push(.string(a))
            lua_rawseti(state.L, -2, lua_Integer(i - interpreter.count))
        }
        state.stack.push(.string(script))
        lua_rawseti(state.L, -2, 0)
        for (i, a) in arguments.enumerated() {
            state.stack.push(.string(a))
            lua_rawseti(state.L, -2, lua_Integer(i + 1))
        }
        lua_setglobal(state.L, "arg")
    }

    /// Runs a script file with `arguments` also passed as `...`. A first line starting
    /// with `#` (a shebang) is skipped, as `lua` does.
    public func runFile(_ path: String, arguments: [String]) throws(LuaError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LuaError("cannot open \(path)")
        }
        try runScript(text, path: path, arguments: arguments)
    }

    /// Runs `text` as the script at `path` (named so in messages and tracebacks), with
    /// `arguments` also passed as `...`; a shebang line is skipped.
    public func runScript(_ text: String, path: String, arguments: [String]) throws(LuaError) {
        let chunk = text.hasPrefix("#") ? "--" + text : text // keeps line numbers
        try interruptibly { () throws(LuaError) in
            try state.load(chunk, name: "@" + path)
            try state.callLoaded(arguments: arguments.map(LuaValue.string))
        }
    }

    /// Runs a chunk given on the command line or typed in the REPL.
    @discardableResult
    public func run(_ chunk: String, name: String) throws(LuaError) -> [LuaValue] {
        try interruptibly { () throws(LuaError) in try state.run(chunk, name: name) }
    }

    /// The Lua version the host embeds ("5.4.6").
    public static let luaVersion = "\(LUA_VERSION_MAJOR).\(LUA_VERSION_MINOR).\(LUA_VERSION_RELEASE)"

    /// Where a chunk typed line by line stands.
    public enum ChunkStatus: Sendable, Equatable {
        /// It compiles (as an expression or as statements).
        case complete
        /// Its only syntax error is at the end of the input: more lines may finish it.
        case incomplete
        /// It has a syntax error more lines cannot mend.
        case invalid
    }

    /// Whether `chunk` compiles, needs more lines, or cannot (the rule of `lua`'s REPL).
    public func status(of chunk: String) -> ChunkStatus {
        if (try? state.load("return " + chunk, name: "=stdin")) != nil { state.stack.pop(); return .complete }
        do {
            try state.load(chunk, name: "=stdin")
            state.stack.pop()
            return .complete
        } catch {
            // A quoted string cannot go on past its line (unless the line ends in a backslash): an error
            // now, as lua reports it, rather than a prompt for more. A long string ([[ ]]) can.
            let unfinishedQuote = error.message.hasSuffix("unfinished string near <eof>") && !chunk.hasSuffix("\\")
            return error.isSyntaxError && error.message.hasSuffix("<eof>") && !unfinishedQuote ? .incomplete : .invalid
        }
    }

    /// Whether the stdlib's `repl` module (the pretty printer and completion) can be required.
    public var hasReplModule: Bool {
        (try? run("return package.searchpath('repl', package.path) ~= nil", name: "=repl")) == [.boolean(true)]
    }

    /// What shows the values an expression returns.
    public enum Presenter: Sendable, Equatable {
        /// Lua's `print`.
        case print
        /// A module's function (`require(module)[function]`), called with the values.
        case module(String, function: String)

        /// The REPL's pretty printer: results as summaries, tables laid out.
        public static let repl = Presenter.module("repl", function: "show")
    }

    /// Runs a chunk typed at a prompt as `lua`'s REPL does: an expression (`1 + 1`, `r`) is
    /// evaluated and its values handed to `presenter`; so are the values of statements'
    /// trailing expression (a notebook cell `r = lab.run(cfg, data)` then `r`); anything else
    /// runs as statements. An error carries its traceback; Ctrl-C interrupts.
    public func evaluate(_ chunk: String, name: String = "=stdin", showing presenter: Presenter) throws(LuaError) {
        let L = state.L
        try interruptibly { () throws(LuaError) in
            try loadReturningLastExpression(chunk, name: name)
            let base = state.stack.top - 1
            alab_pushtraceback(L)
            lua_rotate(L, base + 1, 1) // [handler, chunk]
            defer { lua_settop(L, base) }
            try push(presenter, handler: base + 1)
            lua_rotate(L, base + 2, 1) // [handler, show, chunk]
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
    }

    /// Loads `chunk` so that it returns the values of its last expression: the whole chunk
    /// when it is one, else its statements then `return` of its last lines when those alone
    /// form an expression (locals stay visible: it is one chunk), else the statements. Line
    /// numbers in errors stay the chunk's own.
    private func loadReturningLastExpression(_ chunk: String, name: String) throws(LuaError) {
        if (try? state.load("return " + chunk, name: name)) != nil { return }
        var lines = chunk.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        for k in stride(from: 1, to: min(lines.count, 6), by: 1) {
            let tail = lines.suffix(k).joined(separator: "\n")
            guard (try? state.load("return " + tail, name: name)) != nil else { continue }
            state.stack.pop()
            if (try? state.load(lines.dropLast(k).joined(separator: "\n") + "\nreturn " + tail, name: name)) != nil { return }
        }
        try state.load(chunk, name: name)
    }

    /// Pushes the presenter's function.
    private func push(_ presenter: Presenter, handler: Int32) throws(LuaError) {
        let L = state.L
        guard case .module(let module, let function) = presenter else { lua_getglobal(L, "print"); return }
        lua_getglobal(L, "require")
        state.stack.push(.string(module))
        guard alab_pcall(L, 1, 1, handler) == LUA_OK else { throw LuaError(state.stack.string(at: -1) ?? "\(module) module failed") }
        lua_getfield(L, -1, function)
        lua_rotate(L, -2, 1)
        state.stack.pop() // the module
    }

    /// The completions of `word` (a name, `a.b`, `obj:m`, or an option inside `lab.synthetic{`
    /// when `before`, the line before it, opens a call's table) from the `repl` module; none without it.
    public func complete(_ word: String, before: String = "") -> [String] {
        let L = state.L, base = state.stack.top
        defer { lua_settop(L, base) }
        lua_getglobal(L, "require")
        state.stack.push(.string("repl"))
        guard alab_pcall(L, 1, 1, 0) == LUA_OK else { return [] }
        lua_getfield(L, -1, "complete")
        state.stack.push(.string(word))
        state.stack.push(.string(before))
        guard alab_pcall(L, 2, 1, 0) == LUA_OK, case .array(let items)? = try? state.stack.value(at: -1) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// `require(name)` in protected mode, setting the global `name` to the module (as `lua -l`).
    public func require(_ module: String) throws(LuaError) {
        try interruptibly { () throws(LuaError) in
            try state.load("local name = ...; _G[name:match('[^.]+$')] = require(name)", name: "=(-l)")
            try state.callLoaded(arguments: [.string(module)])
        }
    }

    /// Makes this host a dry run that records the trainings scripts ask for in `plan`:
    /// `lab`'s datasets train nothing (their models predict zero), and files written
    /// through `lab` or `io.open`/`io.output` and run records are discarded.
    public func startPlanning(_ plan: TrainingPlan) throws(LuaError) {
        state.session.start(.planning(plan))
        try discardFileWrites()
    }

    /// Makes this host rerun a recorded script: it trains and runs for real, but the runs
    /// it saves are captured (``LabSession/captured``) instead of recorded, and the files
    /// it writes through `lab` or `io.open`/`io.output` are discarded, so nothing stored
    /// or written before changes. With `fresh`, trainings ignore the disk cache.
    public func startRerun(fresh: Bool) throws(LuaError) {
        state.session.start(.rerun(fresh: fresh))
        try discardFileWrites()
    }

    /// Sends files opened for writing through `io.open`/`io.output` to /dev/null. In a
    /// sandbox, a write the sandbox refuses is still refused (with its message) first:
    /// a discarded write must not hide a script's attempt to write where it may not.
    private func discardFileWrites() throws(LuaError) {
        let session = state.session
        state.push(function: "sandbox.check_write") { call in
            guard case .string(let path)? = try? call.value(1) else { return call.results(.boolean(true)) }
            do { try session.checkWrite(path) } catch { return call.results(.boolean(false), .string("\(error)")) }
            return call.results(.boolean(true))
        }
        state.setGlobalFromTop("__alphalab_check_write")
        try state.run("""
            local check = __alphalab_check_write
            __alphalab_check_write = nil
            local open, output = io.open, io.output
            local function writes(mode) return mode ~= nil and mode:find("[wa+]") ~= nil end
            io.open = function(path, mode)
              if writes(mode) then
                local ok, why = check(path)
                if not ok then error(why, 2) end
                return open("/dev/null", "w")
              end
              return open(path, mode)
            end
            io.output = function(file)
              if type(file) == "string" then
                local ok, why = check(file)
                if not ok then error(why, 2) end
                return output("/dev/null")
              end
              return output(file)
            end
            """, name: "=(discarding writes)")
    }

    /// Runs `body` with Ctrl-C interrupting both Lua code (a hook) and engine work
    /// (the engine's cancellation flag); the previous SIGINT behaviour returns after.
    public func interruptibly<T>(_ body: () throws(LuaError) -> T) throws(LuaError) -> T {
        Cancellation.reset()
        state.clearInterrupt()
        state.resetLimits()
        alab_catchinterrupts(state.L, requestCancellation)
        defer {
            alab_catchinterrupts(nil, nil)
            state.clearInterrupt()
            Cancellation.reset()
        }
        return try body()
    }
}

/// Called from the SIGINT handler: an atomic store, safe in a signal handler.
private let requestCancellation: @convention(c) () -> Void = { Cancellation.process.request() }
