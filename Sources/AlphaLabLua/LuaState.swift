import CLua
import CLuaShim
import Foundation

/// A Lua 5.4 state owned by Swift, with the standard libraries open.
///
/// Swift enters Lua only through protected calls; Swift functions called from Lua
/// report errors to a C trampoline that raises them once the Swift frame has
/// returned, so Lua's longjmp never crosses a Swift frame.
public final class LuaState {
    /// The main thread.
    public let L: OpaquePointer
    private var functions: [LuaFunctionBox] = []
    private var types: [ObjectIdentifier: String] = [:]
    /// The names of the registered engine object types.
    var typeNames: [String] { Array(types.values) }
    private(set) var isClosed = false
    /// What this state's `lab` functions share: planning, where files go.
    public let session = LabSession()

    /// A new state with Lua's standard libraries, and an allocator that counts (and,
    /// with ``setLimits(memoryBytes:cpuSeconds:)``, caps) the memory Lua holds.
    public init() {
        guard let state = alab_newstate() else { fatalError("cannot create a Lua state: out of memory") }
        L = state
        luaL_openlibs(L)
        for (old, renamed) in Deprecation.renamedKeys { alab_renamekey(L, old, renamed) }
        push(function: "deprecated key") { call in
            Deprecation.warn(try call.string(1), renamed: try call.string(2), kind: "the field ")
            return 0
        }
        lua_setfield(L, alab_registryindex(), "alphalab.deprecated_key")
    }

    deinit {
        isClosed = true
        alab_close(L)
    }

    // MARK: Limits

    /// The most memory Lua code may hold, in bytes (nil: no cap); named in the error over it.
    public private(set) var memoryLimit: Int?

    /// Caps Lua's memory and the CPU time of each chunk run afterwards: Lua code that
    /// goes over fails with an error saying which limit it hit. nil lifts a limit.
    public func setLimits(memoryBytes: Int?, cpuSeconds: Double?) {
        memoryLimit = memoryBytes
        alab_setlimits(L, memoryBytes.map { max(1, $0) } ?? 0, cpuSeconds.map { max(0.001, $0) } ?? 0)
    }

    /// Starts a new count of CPU time for the limit (each chunk, script or REPL line has its own).
    public func resetLimits() { alab_resetlimits(L) }

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(L) }

    // MARK: Running code

    /// Compiles and runs `chunk` in protected mode with `arguments` as `...`; returns its results.
    /// A syntax error is a ``LuaError`` with `isSyntaxError` set; a run-time error
    /// carries a traceback.
    @discardableResult
    public func run(_ chunk: String, name: String = "=(chunk)", arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        try load(chunk, name: name)
        return try callLoaded(arguments: arguments)
    }

    /// Compiles `chunk` and leaves the function on the stack.
    public func load(_ chunk: String, name: String) throws(LuaError) {
        var chunk = chunk
        let status = chunk.withUTF8 { bytes in
            luaL_loadbufferx(L, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, bytes.count, name, "t")
        }
        guard status == LUA_OK else {
            let message = stack.string(at: -1) ?? "syntax error"
            stack.pop()
            throw LuaError(message, isSyntaxError: status == LUA_ERRSYNTAX)
        }
    }

    /// Calls the function on top of the stack (pushed by ``load(_:name:)``) with
    /// `arguments`, in protected mode with a traceback handler; returns every result.
    @discardableResult
    public func callLoaded(arguments: [LuaValue]) throws(LuaError) -> [LuaValue] {
        let function = stack.top
        alab_pushtraceback(L)
        lua_rotate(L, function, 1) // handler below the function
        for a in arguments { stack.push(a) }
        let status = alab_pcall(L, Int32(arguments.count), LUA_MULTRET, function)
        defer { lua_settop(L, function - 1) }
        guard status == LUA_OK else {
            if status == LUA_ERRMEM, alab_memoryhit(L) != 0, let memoryLimit {
                // Lua's own message ("not enough memory") names neither the limit nor the way to raise it.
                throw LuaError("memory limit exceeded: Lua code may hold at most \(Self.megabytes(memoryLimit)) (--memory-limit MB)")
            }
            throw LuaError(stack.string(at: -1) ?? "(error object is a \(stack.typeName(at: -1)) value)")
        }
        var results: [LuaValue] = []
        let top = stack.top
        if top > function {
            for i in (function + 1)...top { results.append((try? stack.value(at: i)) ?? .string(describe(at: i))) }
        }
        return results
    }

    /// `tostring` of the value at `index`, with its metamethods, in protected mode.
    public func describe(at index: Int32) -> String {
        let index = lua_absindex(L, index)
        lua_getglobal(L, "tostring")
        lua_pushvalue(L, index)
        defer { stack.pop() }
        guard alab_pcall(L, 1, 1, 0) == LUA_OK, let s = stack.string(at: -1) else { return "(\(stack.typeName(at: index)))" }
        return s
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }

    // MARK: Globals and functions

    /// Sets a global to a plain value.
    public func setGlobal(_ name: String, _ value: LuaValue) {
        stack.push(value)
        lua_setglobal(L, name)
    }

    /// Pops the value on top of the stack into the global `name` (a function pushed with
    /// ``push(function:_:in:)``, an object pushed with ``push(object:in:)``).
    public func setGlobalFromTop(_ name: String) {
        lua_setglobal(L, name)
    }

    /// Pushes a Swift function as a Lua function. `name` is its qualified name in messages.
    public func push(function name: String, _ body: @escaping LuaFunctionBody, in thread: OpaquePointer? = nil) {
        let box = LuaFunctionBox(name: name, body: body, state: self)
        functions.append(box)
        alab_pushfunction(thread ?? L, luaDispatch, Unmanaged.passUnretained(box).toOpaque())
    }

    /// Sets `table[key]` (the table at `index`) to a Swift function, and records its help text.
    public func setFunction(_ key: String, qualifiedName: String, help: String, at index: Int32, _ body: @escaping LuaFunctionBody) {
        let table = lua_absindex(L, index)
        push(function: qualifiedName, body)
        registerHelp(atTop: help, name: qualifiedName)
        lua_setfield(L, table, key)
    }

    /// Records `text` as the help of the value on top of the stack (left there), with its
    /// Lua type when ``LabTypes`` has one for `name`.
    public func registerHelp(atTop text: String, name: String) {
        lua_getfield(L, alab_registryindex(), Self.helpKey)
        if lua_type(L, -1) != LUA_TTABLE {
            stack.pop()
            alab_newtable(L)
            // Weak keys: help never keeps a function alive.
            alab_newtable(L)
            lua_pushstring(L, "k")
            lua_setfield(L, -2, "__mode")
            lua_setmetatable(L, -2)
            lua_pushvalue(L, -1)
            lua_setfield(L, alab_registryindex(), Self.helpKey)
        }
        lua_pushvalue(L, -2)
        var record: [String: LuaValue] = ["name": .string(name), "text": .string(text)]
        if let signature = LabTypes.signatures[name] { record["type"] = .string(signature) }
        stack.push(.map(record))
        lua_rawset(L, -3)
        stack.pop()
    }

    /// The registry field holding help texts, keyed by the documented value.
    public static let helpKey = "alphalab.help"

    // MARK: Engine objects as userdata

    /// The Lua type name of a Swift class registered with ``defineType(_:name:methods:fields:tostring:)``.
    static func typeName(of type: AnyClass) -> String { String(describing: type) }

    /// Registers a Swift class as a userdata type: its metatable has `__name`, `__tostring`,
    /// `__index` (methods first, then `fields`), `__gc`, `__methods` (for completion) and
    /// `__fieldhelp` (`fieldHelp`: a line on each field, for `help(object)`).
    public func defineType<T: AnyObject>(_ type: T.Type, name: String,
                                         methods: [(name: String, help: String, body: (T, LuaCall) throws -> Int32)],
                                         fields: @escaping (T, String) -> LuaValue? = { _, _ in nil },
                                         fieldNames: [String] = [],
                                         fieldHelp: [String: String] = [:],
                                         tostring: @escaping (T) -> String) {
        types[ObjectIdentifier(type)] = name
        luaL_newmetatable(L, name)
        let meta = stack.top
        lua_pushstring(L, name)
        lua_setfield(L, meta, "__name")

        alab_newtable(L) // methods
        let methodTable = stack.top
        for m in methods {
            let body = m.body
            setFunction(m.name, qualifiedName: "\(name):\(m.name)", help: m.help, at: methodTable) { call in
                let object = try call.object(1, T.self)
                return try body(object, call)
            }
        }
        lua_pushvalue(L, methodTable)
        lua_setfield(L, meta, "__methods")
        stack.push(.array(fieldNames.sorted().map(LuaValue.string)))
        lua_setfield(L, meta, "__fields")
        stack.push(.map(fieldHelp.mapValues(LuaValue.string)))
        lua_setfield(L, meta, "__fieldhelp")

        push(function: "\(name).__index") { call in
            let object = try call.object(1, T.self)
            if let key = call.stack.string(at: 2) {
                lua_getmetatable(call.L, 1)
                lua_getfield(call.L, -1, "__methods")
                if lua_getfield(call.L, -1, key) != LUA_TNIL { return 1 }
                call.stack.pop(3)
                if let value = fields(object, key) { call.stack.push(value); return 1 }
            }
            lua_pushnil(call.L)
            return 1
        }
        lua_setfield(L, meta, "__index")
        push(function: "\(name).__tostring") { call in
            call.stack.push(string: tostring(try call.object(1, T.self)))
            return 1
        }
        lua_setfield(L, meta, "__tostring")
        push(function: "\(name).__gc") { call in
            if let slot = lua_touserdata(call.L, 1)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self), let pointer = slot.pointee {
                Unmanaged<AnyObject>.fromOpaque(pointer).release()
                slot.pointee = nil
            }
            return 0
        }
        lua_setfield(L, meta, "__gc")
        lua_settop(L, meta - 1)
    }

    /// Pushes `object` as a userdata of its registered type (retained until collected).
    public func push(object: AnyObject, in thread: OpaquePointer? = nil) {
        let L = thread ?? self.L
        guard let name = types[ObjectIdentifier(type(of: object))] else {
            preconditionFailure("\(type(of: object)) is not a registered Lua type")
        }
        let slot = alab_newuserdata(L, MemoryLayout<UnsafeMutableRawPointer?>.size)!.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        slot.pointee = Unmanaged.passRetained(object as AnyObject).toOpaque()
        luaL_setmetatable(L, name)
    }

    /// The engine object at `index`, if it is one of the registered types.
    public func object(at index: Int32, in thread: OpaquePointer? = nil) -> AnyObject? {
        let L = thread ?? self.L
        guard lua_type(L, index) == LUA_TUSERDATA, lua_getmetatable(L, index) != 0 else { return nil }
        lua_getfield(L, -1, "__name")
        let name = LuaStack(L).string(at: -1)
        LuaStack(L).pop(2)
        guard let name, types.values.contains(name),
              let slot = lua_touserdata(L, index)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self),
              let pointer = slot.pointee else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: Interrupts

    /// Removes a pending interrupt (the hook the SIGINT handler set; see ``LuaHost/interruptibly(_:)``).
    public func clearInterrupt() { alab_clearinterrupt(L) }
}
