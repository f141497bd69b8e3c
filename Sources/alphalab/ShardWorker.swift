import AlphaLab
import Foundation

/// `alphalab SCRIPT [options] --shard I/N`: one worker of a cluster run. It plans the
/// script's trainings (a dry run, the same on every worker), trains its cost-balanced
/// share into the script's disk cache, skipping what is stored already, and exits;
/// the script itself runs afterwards, once, warm.
struct ShardWorker {
    let script: String
    let arguments: [String]
    let shard: Shard

    func run() throws {
        let (plan, seconds) = try ScriptPlanner(script: script, arguments: arguments).plan()
        let entries = plan.entries
        log("shard \(shard): planned \(entries.count) trainings of \(script) in \(String(format: "%.1f", seconds)) s")
        let report = try plan.train(shard) { done, assigned, entry in
            log("shard \(shard): training \(done + 1)/\(assigned): \(entry.date), \(entry.universe), \(entry.rows) rows, key \(entry.key)")
        }
        for key in report.trained { print("trained \(key)") }
        print("shard \(shard): \(report.assigned) of \(entries.count) trainings (estimated \(String(format: "%.3g", report.estimatedCost)) of "
              + "\(String(format: "%.3g", plan.totalCost)) rows x trees), \(report.alreadyCached) already cached, "
              + "\(report.trained.count) trained in \(String(format: "%.1f", report.seconds)) s")
        let uncacheable = entries.filter { $0.cacheDirectory == nil }.count
        if uncacheable > 0 { log("shard \(shard): \(uncacheable) trainings have no disk cache (--cache ''); the script's own run will train them") }
    }

    private func log(_ line: String) { FileHandle.standardError.write(line + "\n") }
}
