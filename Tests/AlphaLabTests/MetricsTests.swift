import AlphaLab
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
        // Downside deviation sqrt((0.05^2 + 0.10^2) / 4) = 0.0559017.
        #expect(abs(m.sortino - (-0.43) / (0.0559017 * 52.0.squareRoot())) < 1e-5)
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
}
