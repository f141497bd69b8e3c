import Foundation

/// What a worker did with its shard of a plan.
public struct ShardReport: Sendable, Equatable {
    /// The shard.
    public var shard: Shard
    /// Trainings assigned to it.
    public var assigned: Int
    /// Of those, found complete in the disk cache (by another worker, or an earlier attempt).
    public var alreadyCached: Int
    /// The keys it trained and stored, in order.
    public var trained: [TrainingKey]
    /// The estimated cost of its assignment.
    public var estimatedCost: Double
    /// Wall time, seconds.
    public var seconds: Double
}

extension TrainingPlan {
    /// The assignment of the plan's cacheable trainings to `count` shards (a training
    /// whose run has no disk cache cannot be done ahead and is left to the run itself).
    public func assignment(count: Int) -> ShardAssignment {
        ShardAssignment(entries.filter { $0.cacheDirectory != nil }, count: count)
    }

    /// Trains `shard`'s part of the plan into the disk cache, skipping what is stored
    /// already; `progress` is told before each training (done so far, assigned, the entry).
    /// A worker killed midway leaves the cache valid, and running it again does the rest.
    public func train(_ shard: Shard, progress: ((Int, Int, Entry) -> Void)? = nil) throws -> ShardReport {
        let clock = Stopwatch()
        let mine = assignment(count: shard.count).entries(of: shard)
        var report = ShardReport(shard: shard, assigned: mine.count, alreadyCached: 0, trained: [],
                                 estimatedCost: mine.reduce(0) { $0 + $1.cost }, seconds: 0)
        var caches: [String: TrainingCache] = [:]
        for (i, entry) in mine.enumerated() {
            try Cancellation.check()
            guard let directory = entry.cacheDirectory, let request = request(for: entry.key) else { continue }
            if TrainingCache.isStored(entry.key, in: directory) {
                report.alreadyCached += 1
                continue
            }
            progress?(i, mine.count, entry)
            let cache = caches[directory] ?? TrainingCache(directory: directory)
            caches[directory] = cache
            let before = cache.trainings
            _ = try cache.ensemble(for: request)
            // A worker holding the same key may have stored it meanwhile: then it was read, not trained.
            if cache.trainings > before { report.trained.append(entry.key) } else { report.alreadyCached += 1 }
            cache.clearMemory() // a shard keeps no models in memory: they are on disk
        }
        report.seconds = clock.seconds
        return report
    }
}
