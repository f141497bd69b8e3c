/// Which shard trains which planned training: balanced by estimated cost and the same
/// on every worker, since each worker computes it from the same plan on its own.
///
/// Longest processing time first: trainings in decreasing cost (ties by key) each go to
/// the shard with the least cost so far (ties to the lowest number). The largest shard
/// is then within 4/3 of the optimum, and close to the mean when trainings are many.
/// The assignment covers the whole plan, cached or not, so workers that start while
/// others are already storing models still agree. A warm update goes with the full
/// training it continues: the two are one unit, whose cost is their sum, so no worker
/// waits for or repeats another's full training.
public struct ShardAssignment: Sendable {
    /// The planned trainings of each shard, in plan order.
    public let shards: [[TrainingPlan.Entry]]

    /// Splits `entries` over `count` shards.
    public init(_ entries: [TrainingPlan.Entry], count: Int) {
        precondition(count >= 1)
        let planned = Set(entries.map(\.key))
        func unit(_ e: TrainingPlan.Entry) -> TrainingKey { e.base.flatMap { planned.contains($0) ? $0 : nil } ?? e.key }
        var units: [TrainingKey: Double] = [:]
        for entry in entries { units[unit(entry), default: 0] += entry.cost }
        var shardOf: [TrainingKey: Int] = [:], load = [Double](repeating: 0, count: count)
        for (key, cost) in units.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            shardOf[key] = lightest
            load[lightest] += cost
        }
        var shards = [[TrainingPlan.Entry]](repeating: [], count: count)
        for entry in entries { shards[shardOf[unit(entry)]!].append(entry) }
        self.shards = shards
    }

    /// The trainings of `shard`.
    public func entries(of shard: Shard) -> [TrainingPlan.Entry] { shards[shard.index] }

    /// Each shard's estimated cost.
    public var costs: [Double] { shards.map { $0.reduce(0) { $0 + $1.cost } } }

    /// The largest shard's cost over the mean shard's (1 is perfect balance).
    public var imbalance: Double {
        let total = costs.reduce(0, +)
        return total > 0 ? costs.max()! / (total / Double(costs.count)) : 1
    }
}
