import CLua
import CLuaShim

/// A Swift function callable from Lua: it reads its arguments from a ``LuaCall``,
/// pushes its results and returns how many it pushed.
public typealias LuaFunctionBody = (LuaCall) throws -> Int32

/// Owns a Swift function body for as long as the Lua state lives.
final class LuaFunctionBox {
    let name: String
    let body: LuaFunctionBody
    unowned(unsafe) let state: LuaState // the state owns its boxes and outlives every call, including __gc during lua_close

    init(name: String, body: @escaping LuaFunctionBody, state: LuaState) {
        self.name = name
        self.body = body
        self.state = state
    }
}

/// The single C entry point of every Swift function: it runs the body and turns any
/// Swift error into an error value for the trampoline to raise after this frame returns.
let luaDispatch: alab_callback = { L, context in
    let box = Unmanaged<LuaFunctionBox>.fromOpaque(context!).takeUnretainedValue()
    let call = LuaCall(L: L!, state: box.state, function: box.name)
    do {
        return try box.body(call)
    } catch let error as LuaError {
        call.stack.push(string: error.message)
    } catch let error as LuaArgumentError {
        call.stack.push(string: error.description)
    } catch {
        call.stack.push(string: "\(box.name): \(error)")
    }
    return -1
}

/// One call of a Swift function from Lua: its arguments, checked with Lua's own
/// messages, and a place to push results.
public struct LuaCall {
    /// The calling thread.
    public let L: OpaquePointer
    /// The state the function belongs to.
    public let state: LuaState
    /// The function's qualified name ("lab.run"), for messages.
    public let function: String

    /// The calling thread's stack.
    public var stack: LuaStack { LuaStack(L) }

    /// The number of arguments.
    public var count: Int32 { lua_gettop(L) }

    /// A bad-argument error for argument `i`.
    public func argumentError(_ i: Int32, _ problem: String) -> LuaArgumentError {
        LuaArgumentError(function: function, position: i, problem: problem)
    }

    private func expected(_ i: Int32, _ what: String) -> LuaArgumentError {
        argumentError(i, "\(what) expected, got \(i > count ? "no value" : stack.typeName(at: i))")
    }

    /// Whether argument `i` is absent or nil.
    public func isNil(_ i: Int32) -> Bool { lua_type(L, i) <= LUA_TNIL }

    public func string(_ i: Int32) throws(LuaArgumentError) -> String {
        guard let s = stack.string(at: i) else { throw expected(i, "string") }
        return s
    }

    public func optionalString(_ i: Int32) throws(LuaArgumentError) -> String? {
        isNil(i) ? nil : try string(i)
    }

    public func number(_ i: Int32) throws(LuaArgumentError) -> Double {
        guard lua_type(L, i) == LUA_TNUMBER else { throw expected(i, "number") }
        return lua_tonumberx(L, i, nil)
    }

    public func integer(_ i: Int32) throws(LuaArgumentError) -> Int {
        let x = try number(i)
        guard x.rounded() == x, abs(x) < 9e15 else { throw argumentError(i, "number has no integer representation") }
        return Int(x)
    }

    public func boolean(_ i: Int32) throws(LuaArgumentError) -> Bool {
        guard lua_type(L, i) == LUA_TBOOLEAN else { throw expected(i, "boolean") }
        return lua_toboolean(L, i) != 0
    }

    /// A table argument copied into Swift.
    public func table(_ i: Int32) throws(LuaArgumentError) -> LuaValue {
        guard lua_type(L, i) == LUA_TTABLE else { throw expected(i, "table") }
        do { return try stack.value(at: i) } catch { throw argumentError(i, error.description) }
    }

    public func optionalTable(_ i: Int32) throws(LuaArgumentError) -> LuaValue? {
        isNil(i) ? nil : try table(i)
    }

    /// Any plain value.
    public func value(_ i: Int32) throws(LuaArgumentError) -> LuaValue {
        do { return try stack.value(at: i) } catch { throw argumentError(i, error.description) }
    }

    /// An engine object of type `T` (userdata made by ``LuaState/push(object:)``).
    public func object<T: AnyObject>(_ i: Int32, _ type: T.Type) throws(LuaArgumentError) -> T {
        guard let object = state.object(at: i, in: L) as? T else { throw expected(i, LuaState.typeName(of: T.self)) }
        return object
    }

    /// A list of engine objects of type `T` (results, factors): an element of another kind
    /// is an error naming its position and what was expected (`what`, e.g. "a result").
    public func objects<T: AnyObject>(_ i: Int32, _ type: T.Type, what: String) throws(LuaArgumentError) -> [T] {
        guard lua_type(L, i) == LUA_TTABLE else { throw argumentError(i, "list of \(LuaState.typeName(of: T.self)) objects expected") }
        var list: [T] = []
        var k: lua_Integer = 1
        while lua_rawgeti(L, i, k) != LUA_TNIL {
            guard let object = state.object(at: -1, in: L) as? T else {
                stack.pop()
                throw argumentError(i, "element \(k) is not \(what)")
            }
            list.append(object)
            stack.pop()
            k += 1
        }
        stack.pop()
        return list
    }

    /// A function argument, kept alive in the registry while the reference lives.
    public func function(_ i: Int32) throws(LuaArgumentError) -> LuaFunctionRef {
        guard lua_type(L, i) == LUA_TFUNCTION else { throw expected(i, "function") }
        return LuaFunctionRef(state: state, index: i, in: L)
    }

    /// Pushes results and returns their count, for `return call.results(...)`.
    public func results(_ values: LuaValue...) -> Int32 {
        for v in values { stack.push(v) }
        return Int32(values.count)
    }

    /// Pushes an engine object and returns 1.
    public func result(object: AnyObject) -> Int32 {
        state.push(object: object, in: L)
        return 1
    }
}

/// A Lua function held from Swift (in the registry until released).
public final class LuaFunctionRef {
    let state: LuaState // strong: a reference held from Swift keeps its state alive
    let reference: Int32

    init(state: LuaState, index: Int32, in L: OpaquePointer) {
        self.state = state
        lua_pushvalue(L, index)
        reference = luaL_ref(L, alab_registryindex())
    }

    deinit { if !state.isClosed { luaL_unref(state.L, alab_registryindex(), reference) } }

    /// Calls the function in protected mode with `arguments` pushed by `push`, and
    /// returns its first result converted by `read` (which sees it at the stack top).
    /// A Lua error comes back as a ``LuaError`` with its traceback.
    /// `thread` is the Lua thread to run on: the caller's when inside a call from Lua.
    public func call<R>(on thread: OpaquePointer? = nil, _ push: (LuaStack) -> Int32, read: (LuaStack) throws -> R) throws -> R {
        let L = thread ?? state.L, stack = LuaStack(L)
        let base = stack.top
        defer { lua_settop(L, base) }
        alab_pushtraceback(L)
        lua_rawgeti(L, alab_registryindex(), lua_Integer(reference))
        let n = push(stack)
        if alab_pcall(L, n, 1, base + 1) != LUA_OK {
            throw LuaError(stack.string(at: -1) ?? "(error object is a \(stack.typeName(at: -1)) value)")
        }
        return try read(stack)
    }
}
