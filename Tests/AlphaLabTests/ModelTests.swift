import AlphaLab
import Foundation
import Testing

@Suite struct ModelTests {
    /// A market of 300 tickers over 2005..2013.
    static func market(null: Bool) -> (panel: Panel, matrix: FeatureMatrix) {
        var config = null ? SyntheticMarketConfig.null(seed: 11) : SyntheticMarketConfig()
        config.seed = 11
        config.tickerCount = 300
        config.end = Day("2013-12-31")!
        let panel = try! SyntheticMarket.generate(config)
        return (panel, try! FeatureMatrix(set: FeatureCatalog.momentum, panel: panel))
    }
    static let planted = market(null: false)
    static let null = market(null: true)

    /// Trains the seed's momentum model for 2011-01-03 and returns the mean weekly Spearman IC
    /// of its scores against the realised 5-day returns over 2011..2013, with its t-statistic.
    func outOfSampleIC(_ m: (panel: Panel, matrix: FeatureMatrix)) throws -> (mean: Double, t: Double) {
        var spec = EnsembleSpec.seedMomentumModel
        spec.trainingStart = Day("2006-01-01")!
        let universe = m.panel.universe.map { m.panel.tickerIndex[$0]! }
        let decision = m.panel.calendar.firstIndex(onOrAfter: Day("2011-01-03")!)
        let model = try TrainedEnsemble.train(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: decision)
        let weeks = m.panel.calendar.weekStarts(from: Day("2011-01-03")!, through: Day("2013-12-20")!)
        let ics = try weeks.map { d -> Double in
            let scores = try model.predict(matrix: m.matrix, tickers: universe, day: d - 1)[5]!
            var s: [Double] = [], r: [Double] = []
            for (i, t) in universe.enumerated() where scores[i].isFinite {
                let realised = TrainingSet.forwardReturn(m.panel, ticker: t, day: d - 1, horizon: 5)
                if realised.isFinite { s.append(scores[i]); r.append(realised) }
            }
            return Statistics.spearman(s, r)
        }
        return Statistics.tStatistic(ics)
    }

    @Test func momentumModelFindsThePlantedEffectAndNothingInTheNullMarket() throws {
        let planted = try outOfSampleIC(Self.planted)
        // Bankruptcies (5-day labels of -50% and worse) and acquisitions (a jump in momentum,
        // then a price pinned to the deal) are in the training rows too, as in real data:
        // the IC is smaller than on a market without them, and still clearly there.
        #expect(planted.mean > 0.015 && planted.t > 3, "planted IC \(planted)")
        let null = try outOfSampleIC(Self.null)
        #expect(abs(null.t) < 2.5, "null IC \(null)")
    }

    func smallTraining() -> (rows: FeatureRows, labels: [Float]) {
        let m = Self.planted
        let universe = m.panel.universe.map { m.panel.tickerIndex[$0]! }
        let window = TrainingWindow(decisionDay: m.panel.calendar.firstIndex(onOrAfter: Day("2009-01-02")!), start: Day("2007-01-01")!)
        return TrainingSet.rows(matrix: m.matrix, panel: m.panel, tickers: universe, columns: Array(0..<10), horizon: 5, window: window)
    }

    @Test func savedModelsPredictIdentically() throws {
        let (rows, labels) = smallTraining()
        let model = try XGBoostModel.train(rows, labels: labels, parameters: XGBoostParameters(trees: 20, maxDepth: 4, learningRate: 0.1))
        let path = Fixtures.temporaryFolder() + "/model.json"
        try model.save(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{\"learner\""))
        let reloaded = try XGBoostModel.load(from: path, featureCount: 10)
        let a = try model.predict(rows), b = try reloaded.predict(rows)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(try model.gainImportance().contains { $0 > 0 })
    }

    @Test func trainingIsDeterministicWhateverTheThreadCount() throws {
        let (rows, labels) = smallTraining()
        var p = XGBoostParameters(trees: 20, maxDepth: 5, learningRate: 0.1)
        p.threads = 1
        let one = try XGBoostModel.train(rows, labels: labels, parameters: p).predict(rows)
        p.threads = 2
        let two = try XGBoostModel.train(rows, labels: labels, parameters: p).predict(rows)
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
    }

    @Test func xgboostErrorsBecomeSwiftErrors() throws {
        let rows = FeatureRows(values: [1, 2, 3, 4, 5, 6], featureCount: 2)
        do {
            _ = try XGBoostModel.train(rows, labels: [0.1, .nan, 0.3], parameters: XGBoostParameters(trees: 2, maxDepth: 2, learningRate: 0.1))
            Issue.record("NaN labels were accepted")
        } catch let error as ModelError {
            guard case .xgboost(let message) = error else { Issue.record("not an XGBoost error: \(error)"); return }
            #expect(message.contains("Label contains NaN"), "\(message)")
        }
        let model = try XGBoostModel.train(rows, labels: [0.1, 0.2, 0.3], parameters: XGBoostParameters(trees: 2, maxDepth: 2, learningRate: 0.1))
        #expect(throws: ModelError.shape("the model expects 2 features, got 3")) {
            try model.predict(FeatureRows(values: [1, 2, 3], featureCount: 3))
        }
        do {
            _ = try XGBoostModel(json: Data("{\"learner\": 5}".utf8), featureCount: 2)
            Issue.record("a broken model file was accepted")
        } catch let error as ModelError {
            guard case .xgboost(let message) = error else { Issue.record("not an XGBoost error: \(error)"); return }
            #expect(!message.isEmpty)
        }
    }

    @Test func ridgeRecoversALinearRelation() throws {
        var rng = RandomSource(seed: 3)
        var values: [Float] = [], labels: [Float] = []
        for _ in 0..<2000 {
            let x = (rng.normal(), rng.normal(), rng.normal())
            values += [Float(x.0), Float(x.1), Float(x.2)]
            labels.append(Float(0.5 + 2 * x.0 - 1 * x.1 + 0.01 * rng.normal()))
        }
        let model = try RidgeModel.train(FeatureRows(values: values, featureCount: 3), labels: labels, lambda: 0.001)
        let p = try model.predict(FeatureRows(values: [1, 0, 0, 0, 1, 0, 0, 0, 0], featureCount: 3))
        #expect(abs(p[0] - 2.5) < 0.01 && abs(p[1] - -0.5) < 0.01 && abs(p[2] - 0.5) < 0.01, "\(p)")
        let spec: any RegressorSpec = RidgeParameters(lambda: 1)
        #expect(try spec.fit(FeatureRows(values: values, featureCount: 3), labels: labels).featureCount == 3)
    }

    @Test func trainingSeesOnlyLabelsKnownBeforeTheDecision() throws {
        let m = Self.planted
        let d = m.panel.calendar.firstIndex(onOrAfter: Day("2009-06-01")!)
        let window = TrainingWindow(decisionDay: d, start: Day("2006-01-01")!)
        #expect(window.dayRange(horizon: 20, calendar: m.panel.calendar).last == d - 21) // t + 20 < d
        #expect(TrainingWindow(decisionDay: d, start: Day("2006-01-01")!, embargo: 5).dayRange(horizon: 1, calendar: m.panel.calendar).last == d - 7)
        #expect(TrainingWindow(decisionDay: d, start: Day("2006-01-01")!, windowDays: 100).dayRange(horizon: 1, calendar: m.panel.calendar).count == 100)
        // The same ensemble trained with the future cut away predicts identically.
        var spec = EnsembleSpec.seedEnsemble
        spec.trainingStart = Day("2008-01-01")!
        spec.model = AnyRegressorSpec(XGBoostParameters(trees: 10, maxDepth: 3, learningRate: 0.1))
        spec.selection?.model = XGBoostParameters(trees: 5, maxDepth: 3, learningRate: 0.1)
        let universe = Array(0..<40)
        let full = try TrainedEnsemble.train(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d)
        let cutPanel = m.panel.truncated(through: m.panel.calendar[d - 1])
        let cutMatrix = try FeatureMatrix(set: FeatureCatalog.momentum, panel: cutPanel)
        let cut = try TrainedEnsemble.train(spec: spec, matrix: cutMatrix, panel: cutPanel, tickers: universe, decisionDay: d)
        let a = try full.predict(matrix: m.matrix, tickers: universe, day: d - 1)
        let b = try cut.predict(matrix: cutMatrix, tickers: universe, day: d - 1)
        for h in [1, 5, 20] { #expect(a[h]!.map(\.bitPattern) == b[h]!.map(\.bitPattern), "horizon \(h)") }
        #expect(full.members.map(\.columns) == cut.members.map(\.columns))
    }

    @Test func ridgePlugsIntoTheEnsembleAndItsDiskCache() throws {
        let m = Self.planted
        let spec = EnsembleSpec(horizons: [5, 20], trainingStart: Day("2007-01-01")!, selection: nil, model: RidgeParameters(lambda: 10))
        let universe = m.panel.universe.map { m.panel.tickerIndex[$0]! }
        let d = m.panel.calendar.firstIndex(onOrAfter: Day("2010-01-04")!)
        let folder = Fixtures.temporaryFolder() + "/cache"
        let trained = try TrainingCache(directory: folder).ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        #expect(trained.members.allSatisfy { $0.model is RidgeModel })
        let later = TrainingCache(directory: folder)
        let reloaded = try later.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        #expect(later.diskHits == 1)
        let a = try trained.predict(matrix: m.matrix, tickers: universe, day: d - 1)[20]!
        let b = try reloaded.predict(matrix: m.matrix, tickers: universe, day: d - 1)[20]!
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(a.filter(\.isFinite).count > universe.count / 2)
    }

    @Test func combinedScoreWeighsDailyRates() {
        let combined = TrainedEnsemble.combine([1: [0.01, .nan], 5: [0.05, 0.1], 20: [0.2, 0.4]], weights: [1: 0.5, 5: 0.3, 20: 0.2])
        #expect(abs(combined[0] - (0.5 * 0.01 + 0.3 * 0.05 / 5 + 0.2 * 0.2 / 20)) < 1e-15)
        #expect(combined[1].isNaN)
    }

    @Test func trainingCacheSharesIdenticalTrainingsOnly() throws {
        let m = Self.planted
        var spec = EnsembleSpec.seedMomentumModel
        spec.trainingStart = Day("2008-01-01")!
        spec.model = AnyRegressorSpec(XGBoostParameters(trees: 10, maxDepth: 3, learningRate: 0.1))
        let universe = Array(0..<40)
        let d = m.panel.calendar.firstIndex(onOrAfter: Day("2009-06-01")!)
        let folder = Fixtures.temporaryFolder() + "/cache"
        let cache = TrainingCache(directory: folder)
        let first = try cache.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        let again = try cache.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        #expect((first.members[0].model as! XGBoostModel) === (again.members[0].model as! XGBoostModel))
        #expect(cache.trainings == 1 && cache.memoryHits == 1)
        // Any changed input trains anew: decision date, parameters, universe.
        _ = try cache.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d + 5))
        var deeper = spec
        deeper.model = AnyRegressorSpec(XGBoostParameters(trees: 10, maxDepth: 4, learningRate: 0.1))
        _ = try cache.ensemble(for: TrainingRequest(spec: deeper, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        _ = try cache.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: Array(0..<41), decisionDay: d))
        #expect(cache.trainings == 4)
        // A new process (a new cache on the same folder) finds the training on disk.
        let later = TrainingCache(directory: folder)
        let fromDisk = try later.ensemble(for: TrainingRequest(spec: spec, matrix: m.matrix, panel: m.panel, tickers: universe, decisionDay: d))
        #expect(later.trainings == 0 && later.diskHits == 1)
        let a = try first.predict(matrix: m.matrix, tickers: universe, day: d)[5]!
        let b = try fromDisk.predict(matrix: m.matrix, tickers: universe, day: d)[5]!
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    }
}
