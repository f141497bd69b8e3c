import AlphaLab
import Foundation
import Testing

/// Warm retraining: full trainings every `full_refit_weeks` periods and, in between, the
/// full model continued on the grown window. Deterministic, cached, planned, sharded with
/// its full training, blind to the future, and audited against full retraining.
@Suite("Warm retraining")
struct WarmRetrainingTests {
    /// The cluster tests' quarter of weekly retraining, warm with a full refit every 4 weeks.
    static let warm: [ExperimentConfig] = ClusterTests.weekly.map { c in c.with { $0.retrainMode = .warm; $0.fullRefitWeeks = 4 } }

    @Test("The schedule: full at the first retraining of each block of full_refit_weeks periods, updates in between; full mode is all full")
    func schedule() {
        let weekly = RetrainSchedule(retrainWeeks: 1, mode: .warm, fullRefitWeeks: 13)
        #expect((0..<30).filter { weekly.kind(at: $0) == .full } == [0, 13, 26])
        #expect((0..<30).allSatisfy { weekly.kind(at: $0) != nil })
        let uneven = RetrainSchedule(retrainWeeks: 4, mode: .warm, fullRefitWeeks: 13)
        #expect((0..<60).compactMap { p in uneven.kind(at: p).map { (p, $0) } }.filter { $0.1 == .full }.map(\.0) == [0, 16, 28, 40, 52])
        #expect(uneven.kind(at: 5) == nil && uneven.kind(at: 4) == .update)
        #expect((0..<30).allSatisfy { RetrainSchedule(retrainWeeks: 1).kind(at: $0) == .full })
        #expect(throws: ConfigError.self) { try ExperimentConfig(values: ["retrain_mode": .string("lukewarm")]) }
        #expect(throws: ConfigError.self) { try ExperimentConfig(values: ["full_refit_weeks": .number(0)]) }
    }

    @Test("A warm run: its full refits are the full run's trainings, the updates are new; the plan counts both kinds; shards keep an update with its full training; a sharded run equals one process bit for bit")
    func planShardsAndCache() throws {
        let folder = Fixtures.temporaryFolder()
        // The full run first: the warm run's full refits are its trainings at the same dates.
        let cold = TrainingCache(directory: folder + "/single")
        let full = try ClusterTests.run(ClusterTests.weekly, cache: cold)
        let fullTrainings = cold.trainings
        let warm = try ClusterTests.run(Self.warm, cache: cold)
        let periods = warm[0].periods.count
        let fulls = (0..<periods).filter { Self.warm[0].retrainSchedule.kind(at: $0) == .full }.count
        #expect(fulls == 3 && periods == 12)
        #expect(cold.trainings - fullTrainings == 2 * (periods - fulls) && cold.updates == 2 * (periods - fulls), "only the updates are new")
        #expect(warm[0].retrains == periods && warm[0].strategy.contains("warm updates, full refit every 4 periods"))
        #expect(full[0].retrains == periods)

        let plan = TrainingPlan()
        _ = try ClusterTests.run(Self.warm, cache: TrainingCache(directory: folder + "/shared", plan: plan))
        let entries = plan.entries
        #expect(entries.filter { $0.kind == "full" }.count == 2 * fulls && entries.filter { $0.kind == "update" }.count == 2 * (periods - fulls))
        #expect(entries.filter { $0.kind == "update" }.allSatisfy { e in e.base != nil && entries.firstIndex { $0.key == e.base } ?? .max < entries.firstIndex(of: e)! })
        // An update costs its few rounds on the grown window and its sketch: a fraction of its full training.
        let update = try #require(entries.first { $0.kind == "update" }), base = try #require(entries.first { $0.key == update.base })
        #expect(update.cost < base.cost, "\(update.cost) vs \(base.cost)")
        let assignment = plan.assignment(count: 3)
        for shard in assignment.shards {
            let keys = Set(shard.map(\.key))
            #expect(shard.allSatisfy { $0.base.map(keys.contains) ?? true }, "an update and its full training are on one shard")
        }
        var trained: [TrainingKey] = []
        for i in 0..<3 { trained += try plan.train(try Shard(index: i, count: 3)).trained }
        #expect(trained.sorted() == entries.map(\.key).sorted(), "every training once")
        let sharded = TrainingCache(directory: folder + "/shared")
        let fromShards = try ClusterTests.run(Self.warm, cache: sharded)
        #expect(sharded.trainings == 0 && sharded.diskHits == entries.count)
        for (a, b) in zip(fromShards, warm) { #expect(try a.json() == b.json(), "\(a.name)") }
    }

    @Test("A warm update sees only labels known before its decision: trained with the future cut away it predicts bit for bit the same")
    func updateSeesNoFuture() throws {
        let m = ModelTests.planted
        var spec = EnsembleSpec.seedEnsemble
        spec.trainingStart = Day("2008-01-01")!
        spec.model = AnyRegressorSpec(XGBoostParameters(trees: 10, maxDepth: 3, learningRate: 0.1))
        spec.selection?.model = XGBoostParameters(trees: 5, maxDepth: 3, learningRate: 0.1)
        let universe = Array(0..<40)
        let d0 = m.panel.calendar.firstIndex(onOrAfter: Day("2009-06-01")!)
        let d = m.panel.calendar.firstIndex(onOrAfter: Day("2009-08-03")!)
        func update(_ panel: Panel) throws -> (TrainedEnsemble, FeatureMatrix) {
            let matrix = try FeatureMatrix(set: FeatureCatalog.momentum, panel: panel)
            let cache = TrainingCache()
            let base = TrainingRequest(spec: spec, matrix: matrix, panel: panel, tickers: universe, decisionDay: d0)
            return (try cache.ensemble(for: TrainingRequest(updating: base, decisionDay: d)), matrix)
        }
        let (whole, wholeMatrix) = try update(m.panel)
        let (cut, cutMatrix) = try update(m.panel.truncated(through: m.panel.calendar[d - 1]))
        let baseOnly = try TrainedEnsemble.train(spec: spec, matrix: wholeMatrix, panel: m.panel, tickers: universe, decisionDay: d0)
        for h in [1, 5, 20] {
            let a = try whole.predict(matrix: wholeMatrix, tickers: universe, day: d - 1)[h]!
            let b = try cut.predict(matrix: cutMatrix, tickers: universe, day: d - 1)[h]!
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "horizon \(h)")
            let before = try baseOnly.predict(matrix: wholeMatrix, tickers: universe, day: d - 1)[h]!
            #expect(a.map(\.bitPattern) != before.map(\.bitPattern), "the update changed the model (horizon \(h))")
        }
        #expect(whole.members.map(\.columns) == baseOnly.members.map(\.columns), "an update keeps the full training's features")
        for (updated, base) in zip(whole.members, baseOnly.members) {
            #expect(updated.horizon == base.horizon && updated.trainingRows > base.trainingRows, "on the grown window")
        }
    }

    @Test("The retraining audit compares the two modes on the same data; a verdict of a warm config carries the retraining check")
    func audit() throws {
        let dataset = Dataset(panel: ClusterTests.panel, trainingCache: TrainingCache())
        let config = Self.warm[1]
        let audit = try RetrainingAudit.run(config: config, dataset: dataset)
        #expect(audit.periods == 12 && audit.fastRunUpdates == 9)
        #expect(audit.fastRunTrainings == 9, "the full refits came from the full run")
        #expect(audit.identicalPicks > 0.5 && audit.identicalPicks <= 1, "\(audit.summary)")
        #expect(audit.scoreRankCorrelation > 0.5 && audit.scoreRankCorrelation <= 1, "\(audit.details)")
        #expect(audit.excessStandardError > 0 && audit.fullIC.isFinite && audit.fastIC.isFinite)
        // The same run against itself decides the same, exactly.
        let same = RetrainingAudit(full: try WalkForward(config: config, dataset: dataset).run(), fast: try WalkForward(config: config, dataset: dataset).run(),
                                   fullScores: [[1, 2, 3]], fastScores: [[1, 2, 3]])
        #expect(same.identicalPicks == 1 && same.icDifference == 0 && same.excessDifference == 0 && same.decidesTheSame)
        #expect(same.check.outcome == .pass && same.check.kind == .retraining)

        var options = VerdictOptions()
        options.permutations = 5
        let (verdict, _) = try VerdictRunner(config: config, dataset: dataset, options: options).run()
        let check = try #require(verdict.check(.retraining))
        #expect(check.figure.contains("warm (full refit every 4 periods) against full") && verdict.twins.contains { $0.label == "retraining: full" })
        let fullVerdict = try VerdictRunner(config: ClusterTests.weekly[1], dataset: dataset, options: options).run().verdict
        #expect(fullVerdict.check(.retraining) == nil, "full retraining needs no audit")
    }

    @Test("The audit's floor: full retraining held against full retraining on a window one trading day shorter, the same comparison on those two runs; absent unless asked")
    func auditFloor() throws {
        let dataset = Dataset(panel: ClusterTests.panel, trainingCache: TrainingCache())
        let config = Self.warm[1]
        #expect(try RetrainingAudit.run(config: config, dataset: dataset).floor == nil)
        let audit = try RetrainingAudit.run(config: config, dataset: dataset, floor: true)
        let floor = try #require(audit.floor)
        // The two full runs, made here on their own: the floor is their comparison.
        let full = config.with { $0.retrainMode = .full }
        let a = try WalkForward(config: full, dataset: dataset).run()
        let b = try WalkForward(config: full.with { $0.embargoDays += 1 }, dataset: dataset).run()
        let expected = RetrainingAudit(full: a, fast: b, fullScores: [], fastScores: [])
        #expect(floor.identicalPicks == expected.identicalPicks && floor.icDifference == expected.icDifference)
        #expect(floor.excessDifference == expected.excessDifference && floor.excessStandardError == expected.excessStandardError)
        #expect(floor.scoreRankCorrelation > 0.5 && floor.scoreRankCorrelation <= 1, "\(floor.summary)")
        #expect(expected.periods == audit.periods && b.periods.map(\.date) == a.periods.map(\.date), "the same decisions, one day less of rows")
        #expect(audit.details.last == floor.summary, "\(audit.details)")
    }
}
