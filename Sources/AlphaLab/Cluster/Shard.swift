import Foundation

/// One worker's part of a plan: shard `index` of `count`, numbered from 0 as Slurm
/// arrays (`--array=0-N`) and Kubernetes Indexed Jobs number their tasks.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// This worker's number, 0..<count.
    public let index: Int
    /// How many workers share the plan.
    public let count: Int

    /// Shard `index` of `count`.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw .invalid("\(index)/\(count)", "the shard count must be at least 1") }
        guard (0..<count).contains(index) else {
            throw .invalid("\(index)/\(count)", "shards are numbered 0 to \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// `I/N`, as `--shard` and `ALPHALAB_SHARD` take it.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .invalid(text, "expected I/N, e.g. 0/4 for the first of four shards")
        }
        try self.init(index: index, count: count)
    }

    /// The shard a setting asks for: `I/N`, or `auto` for the batch system's own numbering:
    /// a Slurm array task (`SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, of
    /// `SLURM_ARRAY_TASK_COUNT`), else a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`
    /// of `ALPHALAB_SHARD_COUNT` (Kubernetes does not tell a pod how many completions
    /// the job has).
    public init(setting: String, environment: [String: String]) throws(ShardError) {
        guard setting == "auto" else { try self.init(parsing: setting); return }
        func integer(_ name: String) throws(ShardError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw .environment(name, text) }
            return value
        }
        if let task = try integer("SLURM_ARRAY_TASK_ID") {
            guard let count = try integer("SLURM_ARRAY_TASK_COUNT") else { throw .missing("SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_ID") }
            if let step = try integer("SLURM_ARRAY_TASK_STEP"), step != 1 {
                throw .arrayStep(step, count)
            }
            try self.init(index: task - (try integer("SLURM_ARRAY_TASK_MIN") ?? 0), count: count)
        } else if let index = try integer("JOB_COMPLETION_INDEX") {
            guard let count = try integer("ALPHALAB_SHARD_COUNT") else { throw .missing("ALPHALAB_SHARD_COUNT", "JOB_COMPLETION_INDEX") }
            try self.init(index: index, count: count)
        } else {
            throw .invalid("auto", "no batch system numbers this task (neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set)")
        }
    }

    public var description: String { "\(index)/\(count)" }
}

/// Why a shard cannot be worked out.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    case invalid(String, String)
    case environment(String, String)
    case missing(String, String)
    case arrayStep(Int, Int)

    public var description: String {
        switch self {
        case .invalid(let text, let why): "shard '\(text)': \(why)"
        case .environment(let name, let value): "environment variable \(name)='\(value)' is not a whole number"
        case .missing(let name, let because): "\(because) is set but \(name) is not: the shard count is unknown"
        case .arrayStep(let step, let count): "SLURM_ARRAY_TASK_STEP is \(step): shards need consecutive task ids (e.g. --array=0-\(count - 1))"
        }
    }
}
