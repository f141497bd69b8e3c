import AlphaLab
import Foundation

/// What the `lab` functions of one Lua state share beyond Lua values: whether the
/// state is planning (a dry run that records trainings instead of performing them),
/// and, through that, how datasets cache trainings and where files and run records go.
///
/// Every `lab` function that makes a dataset, writes a file or opens a run store asks
/// the session, so a dry run of any script trains nothing and leaves nothing behind.
public final class LabSession {
    /// With a plan, datasets made by `lab` record their trainings there and train
    /// nothing, and files and run records are discarded.
    public private(set) var plan: TrainingPlan?
    /// Where a dry run's run stores live until the session ends.
    private var scratch: String?

    init() {}

    deinit { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }

    /// Turns the session into a dry run that records trainings in `plan`.
    public func startPlanning(_ plan: TrainingPlan) {
        self.plan = plan
    }

    /// Whether files and run records are discarded.
    public var isDryRun: Bool { plan != nil }

    /// A training cache for a dataset: stored in `directory` when given, planning only in a dry run.
    public func trainingCache(directory: String? = nil) -> TrainingCache {
        TrainingCache(directory: directory, plan: plan)
    }

    /// Writes `data` to `path` atomically (nothing in a dry run).
    public func write(_ data: Data, to path: String) throws {
        guard !isDryRun else { return }
        try AtomicFile.write(data, to: path)
    }

    /// The run store at `path` (in a dry run, an empty store that disappears with the session).
    public func runStore(path: String) throws -> RunStore {
        guard isDryRun else { return try RunStore(path: path) }
        if scratch == nil {
            scratch = NSTemporaryDirectory() + "alphalab-dry-run-\(getpid())-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch!, withIntermediateDirectories: true)
        }
        return try RunStore(path: scratch! + "/runs-\(UUID().uuidString).db")
    }
}
