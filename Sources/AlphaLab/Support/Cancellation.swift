import Synchronization

/// A stop request that long engine work polls, so Ctrl-C in the REPL or a caller's cancel
/// stops a run cleanly between steps.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the work polling this token to stop (an atomic store: safe in a signal handler).
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Clears a request (before starting new work).
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Whether a stop was requested.
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}

/// The stop request engine work polls: the process's (Ctrl-C), unless a caller scoped its
/// own with ``with(_:_:)`` (so stopping one run leaves others in the process running;
/// ``parallelMap(_:_:)`` carries the scope to its workers).
public enum Cancellation {
    /// The process-wide token: Ctrl-C requests it.
    public static let process = CancellationToken()

    @TaskLocal static var scoped: CancellationToken?

    /// The token polled here: the scoped one, else the process's.
    public static var current: CancellationToken { scoped ?? process }

    /// Runs `body` polling `token` instead of the process's.
    public static func with<T>(_ token: CancellationToken, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(token, operation: body)
    }

    /// Asks running work to stop.
    public static func request() { current.request() }

    /// Clears a request (before starting new work).
    public static func reset() { current.reset() }

    /// Whether a stop was requested.
    public static var isRequested: Bool { current.isRequested }

    /// Throws ``CancellationError`` when a stop was requested.
    public static func check() throws(CancellationError) {
        if current.isRequested { throw CancellationError() }
    }
}

/// Work stopped because ``Cancellation/request()`` was called.
public struct CancellationError: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
