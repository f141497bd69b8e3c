import AlphaLab
import Foundation
import Testing

/// Each metric against a computation by hand.
@Suite struct MetricsTests {
    @Test func metricsOfFourWeeks() {
        // Weekly returns +10%, -5%, +2%, -10%: the curve is 1.10, 1.045, 1.0659, 0.95931.
        let m = PerformanceMetrics(returns: [0.10, -0.05, 0.02, -0.10], years: 1)
        #expect(abs(m.totalReturn - -0.04069) < 1e-12)
        #expect(abs(m.cagr - -0.04069) < 1e-12)
        // mean -0.0075; sample sd sqrt(0.022675 / 3) = 0.0869387; x sqrt(52).
        #expect(abs(m.volatility - 0.0869387 * 52.0.squareRoot()) < 1e-6)
        #expect(abs(m.sharpe - (-0.0075 * 52 - 0.04) / (0.0869387 * 52.0.squareRoot())) < 1e-5)
        // Sortino's one target is the risk-free rate, 0.04 / 52 = 0.000769231 a week, in the numerator
        // and under the downside: sqrt(((-0.05 - 0.000769231)^2 + (-0.10 - 0.000769231)^2) / 4) = 0.0564180.
        // (Measured below 0 instead, the downside would be 0.0559017 and Sortino -1.0667.)
        #expect(abs(m.sortino - (-0.43) / (0.0564180 * 52.0.squareRoot())) < 1e-5)
        #expect(abs(m.sortino - -1.05694) < 1e-4)
        // The peak 1.10 falls to 0.95931.
        #expect(abs(m.maxDrawdown - (1 - 0.95931 / 1.10)) < 1e-12)
        #expect(abs(m.calmar - -0.04069 / (1 - 0.95931 / 1.10)) < 1e-9)
        #expect(m.winRate == 0.5)
        #expect(m.periods == 4)
    }

    @Test func drawdownFromTheStartingValueCounts() {
        // A first week's loss is a drawdown from the initial capital.
        #expect(abs(PerformanceMetrics(returns: [-0.2, 0.1], years: 1).maxDrawdown - 0.2) < 1e-12)
        #expect(PerformanceMetrics.drawdowns(curve: [1, 1.2, 0.9, 1.3]).map { ($0 * 1000).rounded() / 1000 } == [0, 0, 0.25, 0])
    }

    @Test func cagrOverSeveralYears() {
        // +21% over two years is 10% a year.
        let m = PerformanceMetrics(returns: [0.1, 0.1], years: 2)
        #expect(abs(m.cagr - 0.1) < 1e-12)
    }

    @Test func spearmanAveragesTies() {
        // Ranks (1, 2.5, 2.5, 4, 5) and (2, 1, 5, 3.5, 3.5): 0.368421 (as scipy.stats.spearmanr).
        #expect(abs(Statistics.spearman([1, 2, 2, 3, 5], [2, 1, 4, 3, 3]) - 0.36842105263157904) < 1e-12)
        #expect(Statistics.ranks([10, 30, 20, 20]) == [1, 4, 2.5, 2.5])
        let t = Statistics.tStatistic([1, 2, 3])
        #expect(t.mean == 2 && abs(t.t - 2 / (1 / 3.0.squareRoot())) < 1e-12)
    }

    @Test("The cumulative spread of an h-day spread sampled every 5 days compounds the (5 / h)th root of each sample")
    func cumulativeSpreadOfOverlappingHorizons() {
        // A 20-day spread of 4% on every weekly sample: each 20-day span is covered by four samples.
        let weekly = FactorReport.cumulativeSpread([0.04, 0.04, 0.04, 0.04, .nan, 0.04], horizon: 20, spacing: 5)
        #expect(abs(weekly[3] - 1.04) < 1e-12, "four weeks earn one 20-day spread: \(weekly[3])")
        #expect(weekly[4] == weekly[3], "a date without a spread leaves the level")
        #expect(abs(weekly[5] - pow(1.04, 1.25)) < 1e-12)
        // Compounding every sample in full would have counted each day four times: 1.04^4 = 1.1699 after four weeks.
        #expect(abs(weekly[3] - pow(1.04, 4)) > 0.1)
        // Non-overlapping samples (5-day spread weekly, 1-day daily) compound in full.
        #expect(FactorReport.cumulativeSpread([0.01, 0.02], horizon: 5, spacing: 5) == [1.01, 1.01 * 1.02])
        #expect(FactorReport.cumulativeSpread([0.01, -0.5], horizon: 1, spacing: 1) == [1.01, 1.01 * 0.5])
    }

    @Test("Quantiles are cut as pandas.qcut cuts ranks: 44 names in 5 are 9, 9, 8, 9, 9; 10 in 5 are 2 each; 7 in 3 are 3, 2, 2")
    func quantileSizesByHand() {
        func sizes(_ n: Int, _ q: Int) -> [Int] {
            let buckets = FactorAnalysis.quantileIndices((0..<n).map { Double($0 * 7 % n) }, quantiles: q)
            return (0..<q).map { b in buckets.filter { $0 == b }.count }
        }
        // pandas.qcut(range(1, 45), 5, labels=False): edges 1, 9.6, 18.2, 26.8, 35.4, 44.
        #expect(sizes(44, 5) == [9, 9, 8, 9, 9])
        #expect(sizes(10, 5) == [2, 2, 2, 2, 2])
        // Edges 1, 3, 5, 7: ranks 1-3, 4-5, 6-7.
        #expect(sizes(7, 3) == [3, 2, 2])
        #expect(sizes(1, 5) == [1, 0, 0, 0, 0])
        // The lowest values go to bucket 0, the highest to the top, ties by position.
        #expect(FactorAnalysis.quantileIndices([5, 1, 3, 3, 9], quantiles: 2) == [1, 0, 0, 0, 1])
    }
}
