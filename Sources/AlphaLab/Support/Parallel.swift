import Dispatch

/// Maps `count` independent jobs across all cores and returns their results in job order.
///
/// Results land in a pre-sized buffer, one slot per job, so the output is the
/// same whatever the thread count or scheduling: parallelism never changes a result.
public func parallelMap<T>(_ count: Int, _ transform: (Int) throws -> T) rethrows -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    let token = Cancellation.current // workers poll the caller's stop request
    withoutActuallyEscaping(transform) { transform in
        let job = UnsafeSendable(transform)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            slots.store(i, Cancellation.with(token) { Result { try job.value(i) } })
        }
    }
    return try slots.values.map { try $0!.get() }
}

/// One result slot per job; each slot is written by exactly one job.
private final class ResultSlots<T>: @unchecked Sendable {
    var values: [Result<T, any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func store(_ i: Int, _ value: Result<T, any Error>) {
        values.withUnsafeMutableBufferPointer { $0[i] = value }
    }
}

/// Carries a value the compiler cannot prove sendable across a `concurrentPerform`
/// whose jobs only read it.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
