import Foundation
import Testing

/// A real one-node Slurm cluster (Debian's slurm-wlm and munge, installed by
/// tools/bootstrap.sh) runs the Phase 1 suite as an array of four shards and the
/// dependent final job, through the templates in tools/slurm/.
@Suite("Slurm", .serialized)
struct SlurmTests {
    static func shell(_ command: String, in directory: String, environment: [String: String] = [:]) throws -> Outcome {
        try Fixtures.alphalab(["-c", command], environment: environment, directory: directory, executable: "/bin/bash")
    }

    @Test("An array of 4 shards trains every planned training once; the dependent job trains nothing and equals one process bit for bit")
    func phaseOneAsAnArrayJob() throws {
        let folder = Fixtures.temporaryFolder()
        let tools = Fixtures.root.appendingPathComponent("tools/slurm").path
        let cluster = folder + "/cluster"
        let started = try Self.shell("'\(tools)/local-cluster.sh' start '\(cluster)'", in: folder)
        defer { _ = try? Self.shell("'\(tools)/local-cluster.sh' stop '\(cluster)'", in: folder) }
        try #require(started.status == 0, "the local Slurm cluster did not start: \(started.err)")
        let environment = ["SLURM_CONF": cluster + "/slurm.conf", "ALPHALAB": Fixtures.products.appendingPathComponent("alphalab").path]

        let script = Fixtures.root.appendingPathComponent(ClusterTests.phaseOne[0]).path
        let options = Array(ClusterTests.phaseOne.dropFirst())
        let shared = ["--cache", folder + "/shared-cache", "--out", folder + "/out", "--runs", folder + "/runs.db"]
        let quoted = ([script] + options + shared).map { "'\($0)'" }.joined(separator: " ")
        let submitted = try Self.shell("'\(tools)/submit.sh' --shards 4 --wait \(quoted)", in: folder, environment: environment)
        try #require(submitted.status == 0, "\(submitted.out)\(submitted.err)")

        let logs = try FileManager.default.contentsOfDirectory(atPath: folder)
        let shardLogs = try logs.filter { $0.hasPrefix("alphalab-shard-") }.sorted().map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        let finalLogs = try logs.filter { $0.hasPrefix("alphalab-final-") }.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        #expect(shardLogs.count == 4 && finalLogs.count == 1, "\(logs)")
        let trained = shardLogs.flatMap { $0.split(separator: "\n").filter { $0.hasPrefix("trained ") }.map { String($0.dropFirst(8)) } }

        let plan = try Fixtures.alphalab(["plan", "--json", script] + options + shared)
        let planned = ((try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as! [String: Any])["trainings"] as! [[String: Any]])
            .map { $0["key"] as! String }
        #expect(planned.count == 8)
        #expect(trained.sorted() == planned.sorted(), "every planned training exactly once across the shards")
        #expect(shardLogs.allSatisfy { $0.contains("0 already cached") })
        #expect(finalLogs.first?.contains("trainings: 0 done, 8 from the disk cache") == true, "\(finalLogs)")

        let single = try Fixtures.alphalab([script] + options + ["--cache", folder + "/single-cache", "--out", folder + "/single", "--runs", ""])
        #expect(single.status == 0, "\(single.err)")
        let clustered = FileManager.default.contents(atPath: folder + "/out/ml_experiments_results.json")
        #expect(clustered != nil && clustered == FileManager.default.contents(atPath: folder + "/single/ml_experiments_results.json"))
        // The final job recorded the eight runs.
        let runs = try Fixtures.alphalab(["-e", "print(lab.runs('\(folder)/runs.db'):count())"])
        #expect(runs.out == "8\n", "\(runs.err)")
        #expect(try Fixtures.runsWithoutTrial(folder + "/runs.db") == [], "the final job's runs have their trials beside them")
    }
}
