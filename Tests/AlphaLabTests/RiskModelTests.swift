import AlphaLab
import Foundation
import Testing

/// The factor risk model: point-in-time, and its predicted risk matches realised risk on
/// the planted market (Barra's bias statistic) over several seeds and many random portfolios.
@Suite("Risk model", .serialized)
struct RiskModelTests {
    static func market(seed: UInt64, tickers: Int = 80) throws -> Dataset {
        var config = SyntheticMarketConfig()
        (config.seed, config.tickerCount) = (seed, tickers)
        config.start = Day(year: 2010, month: 1, day: 1)!
        config.end = Day(year: 2016, month: 12, day: 31)!
        return try SyntheticMarket.market(config).dataset()
    }

    @Test("A model at a close equals the model on the data cut at that close: nothing after it is read")
    func pointInTime() throws {
        let full = try Self.market(seed: 3)
        let panel = full.panel
        let s = panel.calendar.firstIndex(onOrAfter: Day(year: 2013, month: 6, day: 3)!)
        let tickers = panel.tradableTickers.filter { panel.value(.close, ticker: $0, day: s).isFinite }
        let cut = Dataset(panel: panel.truncated(through: panel.calendar[s]))
        let a = try #require(full.riskModels.model(at: s, tickers: tickers))
        let b = try #require(cut.riskModels.model(at: s, tickers: tickers))
        #expect(a.factors == b.factors && a.exposures == b.exposures && a.factorCovariance == b.factorCovariance
                && a.specificVariance == b.specificVariance && a.observations == 252)
        // And the future does move it: the same stocks a year later have another model.
        let later = try #require(full.riskModels.model(at: s + 252, tickers: tickers))
        #expect(later.factorCovariance != a.factorCovariance)
        // Styles are standardised (weighted mean 0 in the estimation, clipped to ±3); one sector each.
        let k = a.factors.count, styles = RiskStyle.allCases.count
        for i in a.tickers.indices {
            #expect((0..<styles).allSatisfy { abs(a.exposures[i * k + $0]) <= 3 })
            #expect((styles..<k).map { a.exposures[i * k + $0] }.reduce(0, +) == 1)
        }
    }

    /// Barra's bias statistic: the standard deviation of realised returns over predicted risk.
    static func bias(seed: UInt64) throws -> (bias: Double, count: Int) {
        let data = try market(seed: seed)
        let panel = data.panel, horizon = 5
        var random = RandomSource(seed: seed &+ 100)
        var z: [Double] = []
        var s = panel.calendar.firstIndex(onOrAfter: Day(year: 2012, month: 1, day: 2)!)
        while s + horizon < panel.dayCount {
            let alive = panel.tradableTickers.filter { panel.value(.close, ticker: $0, day: s).isFinite && panel.value(.close, ticker: $0, day: s + horizon).isFinite }
            guard let model = data.riskModels.model(at: s, tickers: alive) else { s += horizon; continue }
            for kind in 0..<4 {
                // Long-only over 20 names, or long 20 short 20, random weights.
                var weights = [Double](repeating: 0, count: alive.count)
                let chosen = alive.indices.shuffled(using: &random).prefix(kind < 2 ? 20 : 40)
                for (j, i) in chosen.enumerated() {
                    let w = Double.random(in: 0.5...1.5, using: &random)
                    weights[i] = kind < 2 || j < 20 ? w : -w
                }
                let long = weights.filter { $0 > 0 }.reduce(0, +), short = -weights.filter { $0 < 0 }.reduce(0, +)
                weights = weights.map { $0 > 0 ? $0 / long : short > 0 ? $0 / short : 0 }
                let realised = zip(alive, weights).reduce(0.0) { sum, pair in
                    sum + pair.1 * (panel.value(.close, ticker: pair.0, day: s + horizon) / panel.value(.close, ticker: pair.0, day: s) - 1)
                }
                z.append(realised / model.risk(weights, days: horizon))
            }
            s += horizon
        }
        return (Statistics.standardDeviation(z), z.count)
    }

    @Test("Predicted risk matches realised risk on the planted market: bias statistic within 0.8-1.2 on each of 4 seeds")
    func biasStatistic() throws {
        for seed: UInt64 in [1, 2, 3, 4] {
            let (bias, count) = try Self.bias(seed: seed)
            // The statistic of N independent standard normals has a standard error of about 1/sqrt(2N).
            let error = 1 / (2 * Double(count)).squareRoot()
            print(String(format: "risk model bias statistic, seed %d: %.3f ± %.3f (95%%) over %d portfolio-weeks", seed, bias, 1.96 * error, count))
            #expect(bias > 0.8 && bias < 1.2, "seed \(seed): bias \(bias)")
        }
    }
}
