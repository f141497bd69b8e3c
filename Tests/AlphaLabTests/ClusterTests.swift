import AlphaLab
import Foundation
import Testing

/// Plans, shards and the disk cache a cluster shares (issue: beyond one machine).
@Suite("Cluster runs")
struct ClusterTests {
    /// Weekly retraining over a quarter: a Phase 2-style run, small enough to train in seconds.
    static let panel: Panel = {
        var config = SyntheticMarketConfig()
        config.tickerCount = 24
        return try! SyntheticMarket.generate(config).sliced(from: Day("2005-01-01")!, through: Day("2016-03-31")!)
    }()

    static let weekly: [ExperimentConfig] = [0, 2].map { i in
        ExperimentConfig.phaseOne[i].with { $0.startYear = 2016; $0.endYear = 2016; $0.retrainWeeks = 1; $0.trainingStartYear = 2014 }
    }

    static func run(_ configs: [ExperimentConfig], cache: TrainingCache) throws -> [ExperimentResult] {
        let dataset = Dataset(panel: panel, trainingCache: cache)
        return try configs.map { try WalkForward(config: $0, dataset: dataset).run() }
    }

    @Test("A plan counts the trainings a cold run performs; shards train each once; the warm run equals a single process bit for bit")
    func planShardsAndWarmRun() throws {
        let folder = Fixtures.temporaryFolder()
        let shared = folder + "/shared-cache", single = folder + "/single-cache"

        let plan = TrainingPlan()
        _ = try Self.run(Self.weekly, cache: TrainingCache(directory: shared, plan: plan))
        #expect(!FileManager.default.fileExists(atPath: shared), "planning wrote to the cache")
        let keys = plan.entries.map(\.key)
        #expect(keys.count == 24) // 12 weekly decisions x (the ensemble, the momentum model)
        #expect(Set(keys).count == keys.count)
        #expect(plan.entries.allSatisfy { $0.rows > 0 && $0.cost > 0 && $0.cacheDirectory == shared })

        let cold = TrainingCache(directory: single)
        let reference = try Self.run(Self.weekly, cache: cold)
        #expect(cold.trainings == keys.count)
        let stored = try FileManager.default.contentsOfDirectory(atPath: single).filter { !$0.hasPrefix(".") }
        #expect(Set(stored) == Set(keys.map(\.hex)))

        var trained: [TrainingKey] = []
        for i in 0..<3 {
            let report = try plan.train(try Shard(index: i, count: 3))
            #expect(report.alreadyCached == 0 && report.trained.count == report.assigned)
            trained += report.trained
        }
        #expect(trained.sorted() == keys.sorted())
        #expect(plan.cached() == Set(keys))
        // A worker started again (after a kill, say) finds its share done.
        let again = try plan.train(try Shard(index: 1, count: 3))
        #expect(again.trained.isEmpty && again.alreadyCached == again.assigned)

        let warmCache = TrainingCache(directory: shared)
        let warm = try Self.run(Self.weekly, cache: warmCache)
        #expect(warmCache.trainings == 0 && warmCache.diskHits == keys.count)
        for (a, b) in zip(warm, reference) {
            #expect(try a.json() == b.json(), "\(a.name)")
        }
    }

    @Test("Shards come from I/N, from a Slurm array task or a Kubernetes Indexed Job, with clear errors")
    func shardSettings() throws {
        #expect(try Shard(parsing: "0/4") == Shard(index: 0, count: 4))
        #expect(try Shard(setting: "3/4", environment: [:]) == Shard(index: 3, count: 4))
        func problem(_ setting: String, _ environment: [String: String] = [:]) -> String {
            do { _ = try Shard(setting: setting, environment: environment); return "no error" } catch { return error.description }
        }
        #expect(problem("4/4") == "shard '4/4': shards are numbered 0 to 3")
        #expect(problem("1/0") == "shard '1/0': the shard count must be at least 1")
        #expect(problem("two/4") == "shard 'two/4': expected I/N, e.g. 0/4 for the first of four shards")
        // Slurm numbers array tasks as --array says: counted from its first id.
        let slurm = ["SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_STEP": "1"]
        #expect(try Shard(setting: "auto", environment: slurm) == Shard(index: 1, count: 4))
        #expect(try Shard(setting: "auto", environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"]) == Shard(index: 0, count: 2))
        #expect(problem("auto", slurm.merging(["SLURM_ARRAY_TASK_STEP": "2"]) { $1 })
                == "SLURM_ARRAY_TASK_STEP is 2: shards need consecutive task ids (e.g. --array=0-3)")
        #expect(problem("auto", ["SLURM_ARRAY_TASK_ID": "1"]) == "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: the shard count is unknown")
        // Kubernetes gives a pod its index, not the number of completions.
        #expect(try Shard(setting: "auto", environment: ["JOB_COMPLETION_INDEX": "2", "ALPHALAB_SHARD_COUNT": "3"]) == Shard(index: 2, count: 3))
        #expect(problem("auto", ["JOB_COMPLETION_INDEX": "2"]) == "JOB_COMPLETION_INDEX is set but ALPHALAB_SHARD_COUNT is not: the shard count is unknown")
        #expect(problem("auto", ["JOB_COMPLETION_INDEX": "2", "ALPHALAB_SHARD_COUNT": "2"]) == "shard '2/2': shards are numbered 0 to 1")
        #expect(problem("auto", ["JOB_COMPLETION_INDEX": "x", "ALPHALAB_SHARD_COUNT": "2"]) == "environment variable JOB_COMPLETION_INDEX='x' is not a whole number")
        #expect(problem("auto").hasPrefix("shard 'auto': no batch system numbers this task"))
    }

    static func entry(_ key: String, _ cost: Double) -> TrainingPlan.Entry {
        .init(key: TrainingKey(hex: key), date: "2020-01-06", spec: "s", horizons: [5], features: ["F"], universe: "all",
              rows: Int(cost), cost: cost, cacheDirectory: "/c")
    }

    @Test("Shards are balanced by cost, cover every training once and are the same on every worker")
    func assignment() throws {
        // Longest first, each to the lightest shard: 7 | 5+2 | 4+3, by hand.
        let small = [Self.entry("a", 2), Self.entry("b", 7), Self.entry("c", 4), Self.entry("d", 5), Self.entry("e", 3)]
        let split = ShardAssignment(small, count: 3)
        #expect(split.shards.map { $0.map(\.key.hex) } == [["b"], ["a", "d"], ["c", "e"]])
        #expect(split.costs == [7, 7, 7] && split.imbalance == 1)

        // Phase 2-like costs (expanding windows: later decisions have more rows), two specs.
        var rng = RandomSource(seed: 7)
        let many = (0..<400).map { i in Self.entry(String(format: "%04x", i), (i % 2 == 0 ? 3e8 : 5e7) * (1 + Double(i / 2) / 200) * (0.9 + 0.2 * rng.uniform())) }
        let eight = ShardAssignment(many, count: 8)
        #expect(eight.imbalance <= 1.2)
        #expect(eight.imbalance < 1.01)
        let keys = eight.shards.flatMap { $0.map(\.key) }
        #expect(keys.count == many.count && Set(keys) == Set(many.map(\.key)))
        #expect(ShardAssignment(many, count: 8).shards == eight.shards)
        #expect(ShardAssignment(many, count: 1).shards == [many])
    }

    /// A small, fast training request on the quarter's panel.
    static func request(day: String = "2016-02-01") throws -> TrainingRequest {
        var spec = EnsembleSpec.seedMomentumModel
        spec.trainingStart = Day("2014-01-01")!
        spec.model = AnyRegressorSpec(XGBoostParameters(trees: 20, maxDepth: 3, learningRate: 0.1))
        let dataset = Dataset(panel: panel)
        return TrainingRequest(spec: spec, matrix: try dataset.matrix(FeatureCatalog.momentum), panel: panel,
                               tickers: dataset.tradableTickers, decisionDay: panel.calendar.firstIndex(onOrAfter: Day(day)!))
    }

    static func predictions(_ ensemble: TrainedEnsemble, _ request: TrainingRequest) throws -> [UInt64] {
        try ensemble.predict(matrix: request.matrix, tickers: request.tickers, day: request.decisionDay - 1)[5]!.map(\.bitPattern)
    }

    @Test("Workers storing the same key at once leave one valid entry and no temporary folders; one process trains a key once")
    func concurrentWriters() throws {
        let folder = Fixtures.temporaryFolder() + "/cache"
        let request = try Self.request()
        // Eight "workers" (caches of their own, as separate processes or nodes have) race on one key.
        let workers = (0..<8).map { _ in TrainingCache(directory: folder) }
        let results = try parallelMap(workers.count) { i in try Self.predictions(try workers[i].ensemble(for: request), request) }
        #expect(Set(results).count == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(names == [request.key.hex], "left behind: \(names)")
        let reader = TrainingCache(directory: folder)
        #expect(try Self.predictions(try reader.ensemble(for: request), request) == results[0])
        #expect(reader.diskHits == 1 && reader.trainings == 0)

        // Threads of one process asking together share one training.
        let shared = TrainingCache()
        _ = try parallelMap(6) { _ in try shared.ensemble(for: request) }
        #expect(shared.trainings == 1 && shared.memoryHits == 5)
    }

    @Test("A worker killed while writing leaves the cache valid: partial entries are not read, and are replaced")
    func interruptedWrites() throws {
        let folder = Fixtures.temporaryFolder() + "/cache"
        let request = try Self.request()
        let reference = try Self.predictions(try TrainingCache().ensemble(for: request), request)
        let entry = folder + "/" + request.key.hex
        // Killed before the rename: a temporary folder with half a model.
        try FileManager.default.createDirectory(atPath: folder + "/.\(request.key.hex)-node7-123-X", withIntermediateDirectories: true)
        Fixtures.write("{\"learner\":", to: folder + "/.\(request.key.hex)-node7-123-X/h5.json")
        #expect(!TrainingCache.isStored(request.key, in: folder))
        // An entry whose description is cut short (a filesystem that lost the end of a file).
        Fixtures.write("{\"spec\": \"horiz", to: entry + "/meta.json")
        #expect(TrainingCache.isStored(request.key, in: folder)) // present, but not readable:
        let cache = TrainingCache(directory: folder)
        #expect(try Self.predictions(try cache.ensemble(for: request), request) == reference)
        #expect(cache.trainings == 1 && cache.diskHits == 0)
        let later = TrainingCache(directory: folder)
        #expect(try Self.predictions(try later.ensemble(for: request), request) == reference)
        #expect(later.diskHits == 1)
        // A model file missing from a complete-looking entry is a miss too.
        try FileManager.default.removeItem(atPath: entry + "/h5.json")
        let third = TrainingCache(directory: folder)
        _ = try third.ensemble(for: request)
        #expect(third.trainings == 1)
    }

    @Test("The cache key covers the data, the spec, the date, the tickers and the universe")
    func keys() throws {
        let base = try Self.request()
        let later = try Self.request(day: "2016-02-08")
        var spec = base.spec
        spec.embargo = 2
        let embargoed = TrainingRequest(spec: spec, matrix: base.matrix, panel: base.panel, tickers: base.tickers, decisionDay: base.decisionDay)
        let fewer = TrainingRequest(spec: base.spec, matrix: base.matrix, panel: base.panel, tickers: Array(base.tickers.dropLast()), decisionDay: base.decisionDay)
        let survivors = TrainingRequest(spec: base.spec, matrix: base.matrix, panel: base.panel, tickers: base.tickers,
                                        decisionDay: base.decisionDay, universe: Universe(survivors: base.panel))
        let everyone = TrainingRequest(spec: base.spec, matrix: base.matrix, panel: base.panel, tickers: base.tickers,
                                       decisionDay: base.decisionDay, universe: Universe(all: base.panel))
        let otherData = try SyntheticMarket.generate({ var c = SyntheticMarketConfig(); c.tickerCount = 24; c.seed = 99; return c }())
            .sliced(from: Day("2005-01-01")!, through: Day("2016-03-31")!)
        let moved = TrainingRequest(spec: base.spec, matrix: try Dataset(panel: otherData).matrix(FeatureCatalog.momentum), panel: otherData,
                                    tickers: base.tickers, decisionDay: base.decisionDay)
        let keys = [base, later, embargoed, fewer, survivors, moved].map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(everyone.key == base.key) // every ticker is no restriction
    }

    /// The Phase 1 suite on a small synthetic market: 8 trainings (4 decisions x 2 specs).
    static let phaseOne = ["scripts/ml_improvement_experiments.lua", "--tickers", "20", "--end", "2024", "--retrain-weeks", "13"]

    @Test("alphalab plan counts the trainings the Phase 1 suite's cold run performs, and its dry run writes nothing")
    func planCommand() throws {
        let folder = Fixtures.temporaryFolder()
        let options = ["--cache", folder + "/cache", "--out", folder + "/out", "--runs", folder + "/runs.db"]
        let script = Fixtures.root.appendingPathComponent(Self.phaseOne[0]).path
        let planned = try Fixtures.alphalab(["plan", "--json", "--shards", "4", script] + Self.phaseOne.dropFirst() + options)
        #expect(planned.status == 0, "\(planned.err)")
        let plan = try JSONSerialization.jsonObject(with: Data(planned.out.utf8)) as! [String: Any]
        let trainings = plan["trainings"] as! [[String: Any]]
        #expect(trainings.count == 8)
        #expect(plan["requests"] as? Int == 32) // four of the eight experiments per spec share each training
        #expect(trainings.allSatisfy { $0["cached"] as? Bool == false && ($0["rows"] as? Int ?? 0) > 0 })
        #expect((plan["shards"] as! [[String: Any]]).map { ($0["keys"] as! [String]).count }.reduce(0, +) == 8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "the dry run wrote files")

        let cold = try Fixtures.alphalab([script] + Self.phaseOne.dropFirst() + options)
        #expect(cold.status == 0, "\(cold.err)")
        #expect(cold.err.contains("trainings: 8 done, 0 from the disk cache"), "\(cold.err)")
        let stored = try FileManager.default.contentsOfDirectory(atPath: folder + "/cache").filter { !$0.hasPrefix(".") }
        #expect(Set(stored) == Set(trainings.map { $0["key"] as! String }))

        let after = try Fixtures.alphalab(["plan", script] + Self.phaseOne.dropFirst() + options)
        #expect(after.out.contains("cached     8 of 8 in \(folder)/cache; 0 to train"), "\(after.out)")
    }

    @Test("--shard and plan errors name the problem")
    func shardErrors() throws {
        let script = Fixtures.root.appendingPathComponent(Self.phaseOne[0]).path
        let bad = try Fixtures.alphalab(["--shard", "4/4", script])
        #expect(bad.status == 1 && bad.err == "alphalab: shard '4/4': shards are numbered 0 to 3\n")
        let auto = try Fixtures.alphalab(["--shard=auto", script], environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(auto.err.contains("JOB_COMPLETION_INDEX is set but ALPHALAB_SHARD_COUNT is not"))
        // After the script's arguments (the place batch templates used): still taken, for a release, and said to be deprecated.
        let after = try Fixtures.alphalab([script, "--shard", "4/4"])
        #expect(after.status == 1 && after.err == "--shard after the script's arguments is deprecated: it is now an option before the script "
                + "(alphalab --shard I/N SCRIPT [ARGS...]); the old place goes in the next release\nalphalab: shard '4/4': shards are numbered 0 to 3\n",
                "\(after.err)")
        let failing = try Fixtures.alphalab(["plan", script, "--nope"])
        #expect(failing.status != 0)
        #expect(failing.err.contains("failed in the dry run that plans its trainings: unknown option --nope"), "\(failing.err)")
        let chunk = try Fixtures.alphalab(["-e", "print(1)", "--shard", "0/2"])
        #expect(chunk.status == 2 && chunk.err.contains("--shard needs a script file"))
    }

    @Test("The Kubernetes Indexed Job: pod I of N is shard I/N of the same command; the final job runs it without --shard")
    func kubernetesManifests() throws {
        let runner = Fixtures.root.appendingPathComponent("tools/k8s/run.sh").path
        let rendered = try Fixtures.alphalab(["-c", "'\(runner)' --dry-run --image registry/alphalab:1 --shards 3 -- scripts/phase2_validation.lua --cache results/cache"],
                                             executable: "/bin/bash")
        #expect(rendered.status == 0, "\(rendered.err)")
        let documents = rendered.out.components(separatedBy: "\n---\n")
        try #require(documents.count == 2)
        func command(_ yaml: String) throws -> [String] {
            let line = try #require(yaml.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("command:") })
            let list = line.split(separator: ":", maxSplits: 1)[1]
            return try JSONDecoder().decode([String].self, from: Data(list.utf8))
        }
        let script = ["alphalab", "scripts/phase2_validation.lua", "--cache", "results/cache"]
        #expect(try command(documents[0]) == ["alphalab", "--shard", "auto"] + script.dropFirst())
        #expect(try command(documents[1]) == script)
        let shards = documents[0]
        #expect(shards.contains("completionMode: Indexed") && shards.contains("completions: 3") && shards.contains("image: registry/alphalab:1"))
        let lines = shards.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let countLine = try #require(lines.firstIndex(of: "- name: ALPHALAB_SHARD_COUNT"))
        let count = lines[countLine + 1].replacingOccurrences(of: "value: ", with: "").replacingOccurrences(of: "\"", with: "")
        // Kubernetes numbers the pods' JOB_COMPLETION_INDEX 0..completions-1.
        for index in 0..<3 {
            #expect(try Shard(setting: "auto", environment: ["JOB_COMPLETION_INDEX": "\(index)", "ALPHALAB_SHARD_COUNT": count])
                    == Shard(index: index, count: 3))
        }
    }

    @Test("A sweep spread over shards: each runs its share and stores it; the ordinary run finds every result, runs nothing, and records them")
    func sweepShards() throws {
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.root.appendingPathComponent(Self.phaseOne[0]).path
        let options = Array(Self.phaseOne.dropFirst()) + ["--cache", folder + "/cache", "--out", folder + "/out", "--runs", folder + "/runs.db"]
        var ran = 0
        for i in 0..<3 {
            let shard = try Fixtures.alphalab(["--sweep-shard", "\(i)/3", script] + options)
            #expect(shard.status == 0, "\(shard.err)")
            let counts = shard.out.split(separator: " ").compactMap { Int($0) }
            ran += counts.first ?? 0
            #expect(shard.out.hasPrefix("sweep shard \(i)/3: \([3, 3, 2][i]) of the script's 8 storable runs are this shard's"), "\(shard.out)")
        }
        #expect(ran == 8)
        #expect(!FileManager.default.fileExists(atPath: folder + "/out") && !FileManager.default.fileExists(atPath: folder + "/runs.db"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cache/results").count == 8)

        let merged = try Fixtures.alphalab([script] + options)
        #expect(merged.status == 0, "\(merged.err)")
        #expect(merged.err.contains("trainings: 0 done, 0 from the disk cache, 0 shared in memory"), "\(merged.err)")
        #expect(merged.err.contains("recorded runs 1-8 in \(folder)/runs.db"))
        #expect(try Fixtures.runsWithoutTrial(folder + "/runs.db") == [], "runs merged from the shards have their trials beside them")
        let single = try Fixtures.alphalab([script] + Self.phaseOne.dropFirst() + ["--cache", "", "--out", folder + "/single", "--runs", ""])
        #expect(single.status == 0, "\(single.err)")
        let a = FileManager.default.contents(atPath: folder + "/out/ml_experiments_results.json")
        #expect(a != nil && a == FileManager.default.contents(atPath: folder + "/single/ml_experiments_results.json"))
    }
}
