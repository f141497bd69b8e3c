import Foundation

/// Finished runs stored under a key of everything that determines them, beside the
/// trainings of a disk cache. This is how a sweep is spread over a cluster: each sweep
/// shard runs its share of the script's experiments and stores their results here (a
/// file each, written atomically, so any number of shards can share the folder); the
/// ordinary run of the script afterwards finds every result, runs nothing, and writes
/// and records them as if it had run them.
public struct ResultCache: Sendable {
    /// The folder of result files.
    public let directory: String

    /// The results stored beside the trainings of `trainingDirectory`.
    public init(trainingDirectory: String) {
        directory = (trainingDirectory as NSString).appendingPathComponent("results")
    }

    /// The key of a run of `config` on `dataset` with the config's own scorer: every config
    /// field, the data, the universe's membership, and the AlphaLab and XGBoost versions.
    public static func key(config: ExperimentConfig, dataset: Dataset) throws -> String {
        var hash = Fingerprint()
        hash.add("alphalab-result-v1")
        hash.add(AlphaLabVersion.string)
        hash.add(XGBoostModel.libraryVersion)
        for field in ExperimentConfig.fields {
            hash.add(field.key)
            hash.add(field.value(in: config).canonical)
        }
        hash.add(dataset.panel.fingerprint)
        hash.add(try dataset.universe(named: config.universe).fingerprint)
        return hash.hex
    }

    /// The stored result for `key`, if any (an unreadable file is none).
    public func load(key: String) -> ExperimentResult? {
        FileManager.default.contents(atPath: path(key)).flatMap { try? ExperimentResult(json: $0) }
    }

    /// Stores `result` under `key`, atomically.
    public func store(_ result: ExperimentResult, key: String) throws {
        try AtomicFile.write(try result.json(pretty: false), to: path(key))
    }

    private func path(_ key: String) -> String { (directory as NSString).appendingPathComponent(key + ".json") }
}

extension ConfigValue {
    /// The value as text with map keys in order, so equal configs hash alike.
    var canonical: String {
        switch self {
        case .number(let x): "n\(x)"
        case .string(let s): "s\(s.count):\(s)"
        case .bool(let b): b ? "T" : "F"
        case .list(let items): "[" + items.map(\.canonical).joined(separator: ",") + "]"
        case .map(let entries): "{" + entries.keys.sorted().map { "\($0)=\(entries[$0]!.canonical)" }.joined(separator: ",") + "}"
        }
    }
}
