import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab plan [--shards N] [--list | --json] SCRIPT [script options]`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the trainings a script needs, with their estimated cost, without training them.",
        discussion: """
            The script runs as a dry run: its datasets record each training (decision date x model spec x \
            universe x data) instead of performing it, and nothing is written. The plan counts distinct \
            trainings, estimates each one's cost as rows x trees, and says how many are already in the \
            disk cache (--cache of the script, results/cache by default).

            To spread the trainings over a cluster, run `alphalab SCRIPT [options] --shard I/N` as task I \
            of N (numbered from 0; `--shard auto` reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX): \
            each task trains its cost-balanced share into the shared disk cache, then one ordinary run \
            of the script is warm. tools/slurm/ and tools/k8s/ hold the job templates.
            """
    )

    @Option(help: ArgumentHelp("Show how N shards would split the trainings.", valueName: "N"))
    var shards: Int?

    @Flag(help: "List every training: key, decision date, universe, rows, cost, cached.")
    var list = false

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The script and its options.", valueName: "SCRIPT [options]"))
    var script: [String] = []

    func validate() throws {
        // The script's words pass through untouched, so the command's own --help is read here.
        if let first = script.first, ["--help", "-h"].contains(first) { throw CleanExit.helpRequest(self) }
        guard !script.isEmpty else { throw ValidationError("a script is needed: alphalab plan SCRIPT [options]") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
    }

    func run() throws {
        let (plan, seconds) = try ScriptPlanner(script: script[0], arguments: Array(script.dropFirst())).plan()
        let entries = plan.entries, cached = plan.cached()
        let assignment = shards.map { plan.assignment(count: $0) }
        if json {
            let output = PlanJSON(script: script[0], arguments: Array(script.dropFirst()), requests: plan.requestCount,
                                  estimatedCost: plan.totalCost,
                                  trainings: entries.map { .init(entry: $0, cached: cached.contains($0.key)) },
                                  shards: assignment.map { a in a.shards.indices.map { .init(index: $0, keys: a.shards[$0].map(\.key), cost: a.costs[$0]) } })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        if list {
            print(Self.row("key", "date", "universe", "horizons", "kind", "rows", "cost", "cached"))
            for e in entries {
                let horizons = e.horizons.map(String.init).joined(separator: ",")
                print(Self.row(e.key.hex, e.date, e.universe, horizons, e.kind, String(e.rows), Self.cost(e.cost),
                               cached.contains(e.key) ? "yes" : e.cacheDirectory == nil ? "no cache" : "no"))
            }
            print()
        }
        let folders = Set(entries.compactMap(\.cacheDirectory)).sorted()
        let uncacheable = entries.filter { $0.cacheDirectory == nil }.count
        print("plan of \(script.joined(separator: " ")) (dry run \(String(format: "%.1f", seconds)) s)")
        let updates = entries.filter { $0.kind == RetrainKind.update.rawValue }.count
        print("  trainings  \(entries.count) distinct" + (updates > 0 ? " (\(entries.count - updates) full, \(updates) warm updates)" : "")
              + ", asked for \(plan.requestCount) times by the script's experiments")
        print("  cost       \(Self.cost(plan.totalCost)) rows x trees estimated" + (entries.isEmpty ? "" : ", largest \(Self.cost(entries.map(\.cost).max()!))"))
        print("  cached     \(cached.count) of \(entries.count) in " + (folders.isEmpty ? "no disk cache" : folders.joined(separator: ", "))
              + "; \(entries.count - cached.count) to train")
        if uncacheable > 0 {
            print("  note       \(uncacheable) trainings have no disk cache (--cache ''): they cannot be trained ahead")
        }
        if let assignment, let shards {
            print("  shards     \(shards): largest \(String(format: "%.2f", assignment.imbalance))x the mean; run task I of \(shards) as "
                  + "`alphalab \(script[0]) ... --shard I/\(shards)` (I = 0..\(shards - 1))")
            for (i, part) in assignment.shards.enumerated() {
                print("    shard \(i): \(part.count) trainings, \(Self.cost(assignment.costs[i]))")
            }
        }
    }

    private static func cost(_ value: Double) -> String { String(format: "%.3g", value) }

    private static func row(_ cells: String...) -> String {
        zip(cells, [16, 10, 10, 10, 6, 9, 10, 8]).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
}

/// The plan as `alphalab plan --json` prints it.
private struct PlanJSON: Encodable {
    /// A planned training, with whether it is in the disk cache already.
    struct Training: Encodable {
        var entry: TrainingPlan.Entry
        var cached: Bool
        enum CodingKeys: String, CodingKey { case cached }
        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cached, forKey: .cached)
        }
    }
    struct ShardJSON: Encodable { var index: Int; var keys: [TrainingKey]; var cost: Double }
    var script: String
    var arguments: [String]
    var requests: Int
    var estimatedCost: Double
    var trainings: [Training]
    var shards: [ShardJSON]?
    enum CodingKeys: String, CodingKey { case script, arguments, requests, estimatedCost = "estimated_cost", trainings, shards }
}
