import Foundation
import Synchronization

/// The results the run browser decoded last, by run id, as outlines: everything but the
/// periods' picks (``ExperimentResult/init(outlineJSON:keepingPicksOf:)``), which are most
/// of a long run's decoding and which only the run page's periods table shows, a page at a
/// time; the windows of picks shown are kept beside. A stored result never changes (a run
/// can only be deleted), so a page asked for again skips decoding; whether the run is
/// still stored is asked on every hit.
final class RecentResults: Sendable {
    let store: any RunStore
    /// Results kept at most (the least recently asked go first).
    let capacity: Int

    private struct Entry {
        var outline: ExperimentResult
        var picks: [Range<Int>: [[ExperimentResult.Pick]]] = [:]
    }
    private struct State {
        var entries: [Int64: Entry] = [:]
        var order: [Int64] = []
    }
    private let state = Mutex(State())

    init(store: any RunStore, capacity: Int = 32) {
        self.store = store
        self.capacity = capacity
    }

    /// Run `id`'s result without its picks (every period's `picks` is empty), or a 404
    /// naming it.
    func outline(_ id: Int64) throws -> ExperimentResult {
        try outline(id, picksOf: 0..<0).outline
    }

    /// Run `id`'s result without its picks, and the picks of its periods at `window`
    /// (positions in its periods; the part of the window past its last period is empty), or
    /// a 404 naming it. A first view decodes both in one pass.
    func outline(_ id: Int64, picksOf window: Range<Int>) throws -> (outline: ExperimentResult, picks: [[ExperimentResult.Pick]]) {
        if let hit = state.withLock({ s -> Entry? in
            guard let entry = s.entries[id] else { return nil }
            s.order.removeAll { $0 == id }
            s.order.append(id)
            return entry
        }) {
            guard try store.contains(id: id) else {
                state.withLock { s in s.entries[id] = nil; s.order.removeAll { $0 == id } }
                throw WebError.notFound("no run with id \(id) in this store")
            }
            if let picks = hit.picks[window] { return (hit.outline, picks) }
            // A window past the run's periods holds nothing (its page is a 404): not kept,
            // so that asking for any number of them keeps memory flat.
            guard window.lowerBound < hit.outline.periods.count else { return (hit.outline, []) }
            let picks = try ExperimentResult.picks(json: try document(id), periods: window)
            state.withLock { $0.entries[id]?.picks[window] = picks }
            return (hit.outline, picks)
        }
        var outline = try ExperimentResult(outlineJSON: try document(id), keepingPicksOf: window)
        let kept = window.clamped(to: outline.periods.indices)
        let picks = outline.periods[kept].map(\.picks)
        for i in kept { outline.periods[i].picks = [] }
        state.withLock { s in
            let entry = Entry(outline: outline, picks: kept.isEmpty ? [:] : [window: picks])
            if s.entries.updateValue(entry, forKey: id) == nil { s.order.append(id) }
            while s.order.count > capacity { s.entries[s.order.removeFirst()] = nil }
        }
        return (outline, picks)
    }

    /// Run `id`'s stored JSON, or a 404 naming it.
    private func document(_ id: Int64) throws -> Data {
        do { return try store.document(id: id) } catch StoreError.badQuery(let message) where message.hasPrefix("no run with id") {
            throw WebError.notFound("no run with id \(id) in this store")
        }
    }
}
