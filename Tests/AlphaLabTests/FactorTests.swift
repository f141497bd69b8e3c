import AlphaLab
import Foundation
import Testing

/// Factor research: every figure by hand on a tiny panel, the planted and null markets,
/// causality, and what drives the model (SHAP).
@Suite("Factor research", .serialized)
struct FactorTests {
    /// Six tickers whose opens move on known days; a hand-made signal on two dates.
    static func tiny() -> (panel: Panel, signal: FactorSignal) {
        var market = TinyMarket()
        // Scoring closes Jan 5 and Jan 12 (Fridays): returns from the next open (Jan 8, Jan 16).
        let moves: [(String, Double, Double)] = [("A1", 110, 104), ("A2", 105, 102), ("A3", 100, 100), ("A4", 98, 101), ("A5", 95, 90), ("A6", 90, 99)]
        for (t, afterFirst, afterSecond) in moves {
            market.flat(t, afterFirst, from: "2024-01-09", through: "2024-01-16")
            market.flat(t, afterSecond, from: "2024-01-17")
        }
        let panel = market.panel
        let days = [panel.calendar.index(of: Day("2024-01-05")!)!, panel.calendar.index(of: Day("2024-01-12")!)!]
        let tickers = ["A1", "A2", "A3", "A4", "A5", "A6"].map { panel.tickerIndex[$0]! }
        let values: [[Double]] = [[6, 5, 4, 3, 2, 1], [1, 2, 6, 5, 4, 3]]
        return (panel, FactorSignal(name: "hand", days: days, tickers: tickers, values: values))
    }

    @Test("By hand: IC, quantile means, spread, Newey-West t, turnover and rank autocorrelation on a tiny panel")
    func handComputations() throws {
        let (panel, signal) = Self.tiny()
        var options = FactorOptions()
        options.horizons = [1]
        options.quantiles = 3
        options.minimumTickers = 3
        let report = try FactorAnalysis.analyze(signal, panel: panel, options: options)
        let h = try #require(report.horizon(1))
        // Date 1: bought at the Jan 8 open (100), 1-day return to the Jan 9 open: +10%, +5%, 0, -2%, -5%, -10%.
        let r1: [Double] = [0.10, 0.05, 0, -0.02, -0.05, -0.10]
        #expect(abs(h.ics[0] - 1) < 1e-12) // the signal ranks the returns exactly
        // Date 2: from the Jan 16 open to the Jan 17 open: 104/110, 102/105, 100/100, 101/98, 90/95, 99/90, minus 1.
        let ratios: [Double] = [104.0 / 110, 102.0 / 105, 1, 101.0 / 98, 90.0 / 95, 99.0 / 90]
        let r2: [Double] = ratios.map { $0 - 1 }
        let ic2 = Statistics.correlation([1, 2, 6, 5, 4, 3], [1, 3, 4, 5, 2, 6]) // ranks of the signal and of r2, by hand
        #expect(abs(h.ics[1] - ic2) < 1e-12)
        #expect(abs(h.meanIC - (1 + ic2) / 2) < 1e-12)
        // Quantiles of three: {lowest two, middle two, top two} by signal.
        let q1: [Double] = [(r1[4] + r1[5]) / 2, (r1[2] + r1[3]) / 2, (r1[0] + r1[1]) / 2]
        let q2: [Double] = [(r2[0] + r2[1]) / 2, (r2[4] + r2[5]) / 2, (r2[2] + r2[3]) / 2]
        for q in 0..<3 { #expect(abs(h.quantileReturns[q] - (q1[q] + q2[q]) / 2) < 1e-12) }
        #expect(abs(h.spreads[0] - (q1[2] - q1[0])) < 1e-12 && abs(h.spreads[1] - (q2[2] - q2[0])) < 1e-12)
        // Newey-West with lag 0 for a 1-day horizon sampled weekly: mean / sqrt(var / n), 1/n variance.
        let mean: Double = (1 + ic2) / 2
        let variance: Double = ((1 - mean) * (1 - mean) + (ic2 - mean) * (ic2 - mean)) / 2
        let t: Double = mean / (variance / 2).squareRoot()
        #expect(h.lags == 0 && abs(h.icT - t) < 1e-12)
        // Top third: {A1, A2} then {A3, A4}: all replaced.
        #expect(report.topTurnover == 1)
        #expect(abs(report.rankAutocorrelation - Statistics.spearman([6, 5, 4, 3, 2, 1], [1, 2, 6, 5, 4, 3])) < 1e-12)
    }

    @Test("Newey-West by hand: lags weigh the autocovariances with Bartlett weights")
    func neweyWest() {
        let x = [0.1, 0.3, -0.2, 0.4, 0.0]
        let n = 5.0, m = x.reduce(0, +) / n
        func gamma(_ l: Int) -> Double { (l..<x.count).reduce(0) { $0 + (x[$1] - m) * (x[$1 - l] - m) } / n }
        let variance = gamma(0) + 2 * (2.0 / 3) * gamma(1) + 2 * (1.0 / 3) * gamma(2)
        #expect(abs(Statistics.neweyWestT(x, lags: 2).t - m / (variance / n).squareRoot()) < 1e-12)
        #expect(abs(Statistics.neweyWestT(x, lags: 0).t - m / (gamma(0) / n).squareRoot()) < 1e-12)
    }

    static let planted = try! SyntheticMarket.market().dataset()
    /// The null market for rank statistics (log returns): on the default null, whose simple
    /// returns all have mean zero, compounding gives volatile tickers lower *median* returns,
    /// and Spearman ICs of the volatility features see that (ATR_PCT at 20 days: t -5.4),
    /// while their quantile mean returns show nothing.
    static let null = try! SyntheticMarket.market(.rankNull()).dataset()

    static func analyze(_ data: Dataset, _ feature: String) throws -> FactorReport {
        let days = FactorSignal.scoringDays(data.panel, cadence: .weekly, from: Day("2007-01-01")!, through: Day("2025-12-31")!)
        let universe = try data.universe(named: "all")
        return try FactorAnalysis.analyze(try FactorSignal.feature(feature, dataset: data, days: days, universe: universe), panel: data.panel)
    }

    @Test("Planted market: 12-1 momentum predicts 20-day returns, the 1-day return reverses; the quantiles' extremes rise with momentum")
    func plantedEffects() throws {
        let momentum = try Self.analyze(Self.planted, "MOM_12_1"), reversal = try Self.analyze(Self.planted, "RET_1D")
        let m20 = try #require(momentum.horizon(20)), r1 = try #require(reversal.horizon(1))
        print(momentum.summary)
        print(reversal.summary)
        #expect(m20.meanIC > 0 && m20.icT > 3 && m20.lags == 3)
        #expect(r1.meanIC < 0 && r1.icT < -3)
        // The extremes are ordered, and each outer pair beats its inner one. Quantiles 2 and 3
        // differ by a few hundredths of a percent, and which is higher is noise (the delisting
        // returns counted since the forward returns settle delistings swapped them: +0.20%, +0.17%).
        let q = m20.quantileReturns
        #expect(q.first == q.min() && q.last == q.max() && q[0] < q[1] && q[3] < q[4] && q[1] < q[3], "\(q)")
    }

    @Test("The tear sheet's risk attribution: 12-1 momentum's top-minus-bottom book loads on the momentum style, its parts add up to its return, and the page draws it")
    func spreadAttribution() throws {
        let days = FactorSignal.scoringDays(Self.planted.panel, cadence: .weekly, from: Day("2010-01-01")!, through: Day("2014-12-31")!)
        let signal = try FactorSignal.feature("MOM_12_1", dataset: Self.planted, days: days, universe: try Self.planted.universe(named: "all"))
        var options = FactorOptions()
        options.attribution = true
        let report = try FactorAnalysis.analyze(signal, dataset: Self.planted, options: options)
        let a = try #require(report.attribution)
        let momentum = try #require(a.factors.firstIndex(of: "momentum")), reversal = try #require(a.factors.firstIndex(of: "reversal"))
        print("momentum spread: exposures \(zip(a.factors, a.meanExposures).map { "\($0) \(String(format: "%+.2f", $1))" })")
        // Long the winners, short the losers: far more momentum than any other style, a dollar-neutral book no sector bet.
        #expect(a.meanExposures[momentum] > 1.5 && a.meanExposures.indices.allSatisfy { $0 == momentum || abs(a.meanExposures[$0]) < a.meanExposures[momentum] })
        #expect(abs(a.meanExposures[a.factors.count - 1]) < 1e-9 && a.periods.count > 200)
        #expect(abs(a.meanExposures[reversal]) < a.meanExposures[momentum])
        for p in a.periods { #expect(abs(p.contributions.reduce(0, +) + p.specificReturn - p.bookReturn) < 1e-12) }
        let page = FactorTearSheet(title: "t", reports: [report]).render()
        #expect(page.contains("Risk attribution of the top-minus-bottom book") && page.contains("Cumulative contribution to return"))
        // Off by default: an analysis on the panel alone, or without the option, has none.
        #expect(try FactorAnalysis.analyze(signal, dataset: Self.planted).attribution == nil)
    }

    /// 35 features at three horizons are 105 tests: by chance alone one |t| in 20 families
    /// of that size would pass 3.5. Bonferroni's bar for a family-wise 5% is
    /// Phi^-1(1 - 0.05 / (2 x 105)) = 3.49; every t must stay below it.
    @Test("Null market: no built-in feature predicts any default horizon (|t| below Bonferroni's 3.49 for 105 tests)")
    func nullMarketHasNoFactor() throws {
        var largest = (name: "", horizon: 0, t: 0.0)
        for name in FactorCatalogNames.all {
            let report = try Self.analyze(Self.null, name)
            for h in report.horizons where abs(h.icT) > abs(largest.t) { largest = (name, h.horizon, h.icT) }
            #expect(report.horizons.allSatisfy { abs($0.icT) < 3.49 }, "\(report.summary)")
        }
        print("null market: largest |IC t| \(largest)")
    }

    @Test("Causality: the signal on each date is unchanged when the panel ends right after that date's close")
    func signalIsCausal() throws {
        let data = Self.planted
        let universe = try data.universe(named: "all")
        for date in ["2010-03-05", "2016-11-11", "2023-06-30"] {
            let s = data.panel.calendar.index(of: Day(date)!)!
            let cut = Dataset(panel: data.panel.truncated(through: Day(date)!))
            let cutUniverse = try cut.universe(named: "all")
            for name in ["MOM_12_1", "RELATIVE_STRENGTH", "RET_1D", "VOLATILITY"] {
                let full = try FactorSignal.feature(name, dataset: data, days: [s], universe: universe)
                let truncated = try FactorSignal.feature(name, dataset: cut, days: [s], universe: cutUniverse)
                #expect(full.values[0].map(\.bitPattern) == truncated.values[0].map(\.bitPattern), "\(name) on \(date)")
                let known = full.values[0].filter(\.isFinite)
                #expect(FactorAnalysis.quantileIndices(known, quantiles: 5) == FactorAnalysis.quantileIndices(truncated.values[0].filter(\.isFinite), quantiles: 5))
            }
            let rule = try FactorSignal.scorer(MomentumScorer(), name: "rule", dataset: data, days: [s], universe: universe)
            let ruleCut = try FactorSignal.scorer(MomentumScorer(), name: "rule", dataset: cut, days: [s], universe: cutUniverse)
            #expect(rule.values[0].map(\.bitPattern) == ruleCut.values[0].map(\.bitPattern))
        }
    }

    @Test("SHAP: contributions plus the bias equal the prediction; the planted feature ranks first")
    func shap() throws {
        var random = RandomSource(seed: 5)
        let n = 4000, f = 5
        var values: [Float] = [], labels: [Float] = []
        for _ in 0..<n {
            let row = (0..<f).map { _ in Float(random.normal()) }
            values += row
            labels.append(2 * row[2] + 0.3 * row[0] * row[4] + Float(0.1 * random.normal()))
        }
        let rows = FeatureRows(values: values, featureCount: f)
        let model = try XGBoostModel.train(rows, labels: labels, parameters: XGBoostParameters(trees: 60, maxDepth: 4, learningRate: 0.1))
        let predictions = try model.predict(rows)
        let (contributions, bias) = try model.contributions(rows)
        var worst: Float = 0
        for r in 0..<n {
            let total = (0..<f).reduce(bias[r]) { $0 + contributions[r * f + $1] }
            worst = max(worst, abs(total - predictions[r]))
        }
        #expect(worst < 1e-4, "largest gap \(worst)")
        let meanAbsolute = (0..<f).map { j in (0..<n).reduce(0.0) { $0 + Double(abs(contributions[$1 * f + j])) } / Double(n) }
        #expect(meanAbsolute.indices.max { meanAbsolute[$0] < meanAbsolute[$1] } == 2, "\(meanAbsolute)")
        let gain = try model.gainImportance()
        #expect(gain.indices.max { gain[$0] < gain[$1] } == 2)
    }

    @Test("A walk-forward with explain = true keeps every score and each horizon's prediction: each is a factor; importance per retraining")
    func modelPredictionsAsFactors() throws {
        var config = SyntheticMarketConfig()
        config.tickerCount = 60
        let data = try SyntheticMarket.market(config).dataset()
        let run = ExperimentConfig("2_Momentum_Features") {
            $0.useMomentumFeatures = true; $0.startYear = 2014; $0.endYear = 2015; $0.retrainWeeks = 26; $0.explain = true
        }
        let r = try WalkForward(config: run, dataset: data).run()
        let explanation = try #require(r.explanation)
        #expect(explanation.scores.count == r.periods.count && explanation.horizonScores[5]?.count == r.periods.count)
        #expect(explanation.importance.count == r.retrains && explanation.importance.allSatisfy { $0.features.count == 10 && $0.rows > 0 })
        // The kept score of each pick is the score it was picked by.
        let column = Dictionary(uniqueKeysWithValues: explanation.tickers.enumerated().map { ($1, $0) })
        for (p, period) in r.periods.enumerated() {
            for pick in period.picks { #expect(explanation.scores[p][column[pick.ticker]!] == Float(pick.score)) }
        }
        let combined = try FactorAnalysis.analyze(try FactorSignal.result(r, panel: data.panel), panel: data.panel)
        let five = try FactorAnalysis.analyze(try FactorSignal.result(r, panel: data.panel, horizon: 5), panel: data.panel)
        #expect(combined.dates.count == r.periods.count && five.name.hasSuffix(" h5"))
        #expect(throws: AnalysisError.noHorizon(20, [5])) { try FactorSignal.result(r, panel: data.panel, horizon: 20) }
        // The run's report draws what drove the model over time.
        let page = HTMLReport(title: "explained", results: [r]).render()
        #expect(page.contains("What drives 2_Momentum_Features (horizon 5)") && page.contains("Mean |SHAP| of the top features per retraining"))
        // The explanation survives JSON, and a run without it has none.
        #expect(try ExperimentResult(json: try r.json()).json() == (try r.json()))
        let plain = try WalkForward(config: run.with { $0.explain = false }, dataset: data).run()
        #expect(plain.explanation == nil && plain.periods.map(\.netReturn) == r.periods.map(\.netReturn))
        #expect(throws: AnalysisError.noScores("2_Momentum_Features")) { try FactorSignal.result(plain, panel: data.panel) }
    }
}

/// The built-in features' names.
enum FactorCatalogNames {
    static var all: [String] { FeatureCatalog.names }
}
