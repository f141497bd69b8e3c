import Synchronization

/// A process-wide cancellation flag that long engine work polls, so Ctrl-C in the
/// REPL or a caller's cancel stops a run cleanly between steps.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)

    /// Asks running work to stop.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears a request (before starting new work).
    public static func reset() { flag.store(false, ordering: .relaxed) }

    /// Whether a stop was requested.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Throws ``CancellationError`` when a stop was requested.
    public static func check() throws(CancellationError) {
        if isRequested { throw CancellationError() }
    }
}

/// Work stopped because ``Cancellation/request()`` was called.
public struct CancellationError: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
