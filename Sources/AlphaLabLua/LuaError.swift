/// A Lua error that reached Swift: the message (with a traceback when the call had one).
public struct LuaError: Error, CustomStringConvertible, Equatable {
    /// What Lua reported, traceback included.
    public var message: String
    /// Whether the chunk did not even compile (for the REPL's multi-line input).
    public var isSyntaxError: Bool

    public init(_ message: String, isSyntaxError: Bool = false) {
        self.message = message
        self.isSyntaxError = isSyntaxError
    }

    public var description: String { message }

    /// The message without its traceback.
    public var headline: String {
        message.components(separatedBy: "\nstack traceback:").first ?? message
    }
}

/// A bad argument to a Swift function called from Lua, reported as Lua's own
/// `bad argument #2 to 'lab.run' (table expected, got string)`.
public struct LuaArgumentError: Error, CustomStringConvertible {
    public var function: String
    public var position: Int32
    public var problem: String

    public var description: String { "bad argument #\(position) to '\(function)' (\(problem))" }
}
