import Synchronization

/// The results the run browser decoded last, by run id. A stored result never changes (a
/// run can only be deleted), so a page asked for again skips decoding its JSON, which is
/// most of a long run's page; whether the run is still stored is asked on every hit.
final class RecentResults: Sendable {
    let store: any RunStore
    /// Results kept at most (the least recently asked go first).
    let capacity: Int

    private struct State {
        var results: [Int64: ExperimentResult] = [:]
        var order: [Int64] = []
    }
    private let state = Mutex(State())

    init(store: any RunStore, capacity: Int = 32) {
        self.store = store
        self.capacity = capacity
    }

    /// Run `id`'s result, or a 404 naming it.
    func load(_ id: Int64) throws -> ExperimentResult {
        if let hit = state.withLock({ s -> ExperimentResult? in
            guard let r = s.results[id] else { return nil }
            s.order.removeAll { $0 == id }
            s.order.append(id)
            return r
        }) {
            guard try store.contains(id: id) else {
                state.withLock { s in s.results[id] = nil; s.order.removeAll { $0 == id } }
                throw WebError.notFound("no run with id \(id) in this store")
            }
            return hit
        }
        let result = try store.webLoad(id)
        state.withLock { s in
            if s.results.updateValue(result, forKey: id) == nil { s.order.append(id) }
            while s.order.count > capacity { s.results[s.order.removeFirst()] = nil }
        }
        return result
    }
}
