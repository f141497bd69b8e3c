import AlphaLab
import Foundation
import Testing

/// The family's multiple-testing tests against references: Python's `arch` for Hansen's
/// SPA, White's Reality Check and Romano-Wolf's StepM (statistics to 1e-9, p-values within
/// the Monte Carlo error of 10,000 resamples each), and independent NumPy implementations
/// of the CSCV probability of backtest overfitting (equal to 1e-12: it is deterministic)
/// and of Harvey-Liu-Zhu's haircut (Tests/reference/family_tests.py).
@Suite("Family tests")
struct FamilyTestsTests {
    /// `strategies` seeded differential series of `periods` weekly periods: a common factor,
    /// own noise, and the drifts given (the rest drift 0).
    static func family(strategies: Int, periods: Int, drifts: [Double], seed: UInt64) -> [[Double]] {
        var random = RandomSource(seed: seed)
        let common = (0..<periods).map { _ in random.normal() * 0.01 }
        return (0..<strategies).map { s in
            (0..<periods).map { t in (s < drifts.count ? drifts[s] : 0) + 0.6 * common[t] + random.normal() * 0.02 }
        }
    }

    struct Reference: Decodable {
        var statistic: Double
        var variances: [Double]
        var pvalues: [String: Double]
        var superior: [Int]
        var pbo: Double
        var mean_logit: Double
        var splits: Int
        var haircut: [String: [String: Double]]
    }

    static func reference(_ series: [[Double]], reps: Int, block: Int, judged: Int) throws -> Reference {
        guard let python = ProcessInfo.processInfo.environment["ALPHALAB_TEST_PYTHON"] else {
            throw FamilyTestError("ALPHALAB_TEST_PYTHON is not set: the reference figures come from arch, NumPy and SciPy in the virtual environment tools/test.sh makes (run the suite with tools/test.sh)")
        }
        let csv = Fixtures.temporaryFolder() + "/differentials.csv"
        let rows = (0..<series[0].count).map { t in series.map { "\($0[t])" }.joined(separator: ",") }
        try rows.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let script = Fixtures.root.appendingPathComponent("Tests/reference/family_tests.py").path
        let run = try Fixtures.run(python, [script, csv, String(reps), String(block), "1", String(judged), "52"])
        guard run.status == 0 else { throw FamilyTestError("family_tests.py failed: \(run.err)") }
        return try JSONDecoder().decode(Reference.self, from: Data(run.out.utf8))
    }

    struct FamilyTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func close(_ a: Double, _ b: Double, relative: Double) -> Bool { abs(a - b) <= relative * max(1, abs(b)) }

    @Test("SPA, Reality Check and the kernel variances match arch; p-values within the Monte Carlo error of 10,000 resamples")
    func superiorPredictiveAbility() throws {
        // Interior p-values: small drifts, so the best of 20 is borderline.
        let series = Self.family(strategies: 20, periods: 480, drifts: [0.0012, 0.0008, 0.0005], seed: 11)
        let spa = SuperiorPredictiveAbility(differentials: series, reps: 10_000, seed: 3)
        let ref = try Self.reference(series, reps: 10_000, block: spa.blockSize, judged: 0)
        #expect(Self.close(spa.statistic, ref.statistic, relative: 1e-9), "\(spa.statistic) vs \(ref.statistic)")
        #expect(zip(spa.variances, ref.variances).allSatisfy { Self.close($0, $1, relative: 1e-9) }, "\(spa.variances) vs \(ref.variances)")
        for (kind, key) in [(SuperiorPredictiveAbility.Recentring.lower, "lower"), (.consistent, "consistent"), (.upper, "upper")] {
            let ours = spa.pValue(kind), theirs = ref.pvalues[key]!
            // Two independent estimates of p from 10,000 resamples each: their difference has
            // a standard deviation of sqrt(2 p (1 - p) / 10,000); allow four of them.
            let tolerance = max(0.004, 4 * (2 * theirs * (1 - theirs) / 10_000).squareRoot())
            #expect(abs(ours - theirs) <= tolerance, "\(key): \(ours) vs arch \(theirs)")
        }
        #expect(ref.pvalues["consistent"]! > 0.01 && ref.pvalues["upper"]! < 0.99, "the case must test interior p-values: \(ref.pvalues)")
        #expect(spa.pValue(.lower) <= spa.pValue(.consistent) && spa.pValue(.consistent) <= spa.pValue(.upper))
    }

    @Test("StepM finds the strategies arch finds; CSCV PBO and the haircut Sharpe equal their NumPy references")
    func stepMOverfittingHaircut() throws {
        // Three clearly superior strategies among 24 (t about 4.4, 3.3 and 2.2 over 480 weeks).
        let series = Self.family(strategies: 24, periods: 480, drifts: [0.004, 0.003, 0.002], seed: 5)
        let spa = SuperiorPredictiveAbility(differentials: series, reps: 2_000, seed: 3)
        let ref = try Self.reference(series, reps: 2_000, block: spa.blockSize, judged: 1)
        #expect(spa.stepM(size: 0.05) == ref.superior, "\(spa.stepM(size: 0.05)) vs arch \(ref.superior)")
        #expect(ref.superior.contains(0) && !ref.superior.contains(23))

        let pbo = try #require(BacktestOverfitting(series: series))
        #expect(pbo.splits == 12_870 && ref.splits == 12_870)
        #expect(abs(pbo.probability - ref.pbo) <= 1e-12 && abs(pbo.meanLogit - ref.mean_logit) <= 1e-12,
                "PBO \(pbo.probability) vs \(ref.pbo), logit \(pbo.meanLogit) vs \(ref.mean_logit)")
        // Families of pure noise overfit about half the time on average; one with real winners rarely.
        let noise = try (20..<30).map { seed in try #require(BacktestOverfitting(series: Self.family(strategies: 24, periods: 480, drifts: [], seed: seed))).probability }
        let meanNoise = noise.reduce(0, +) / Double(noise.count)
        #expect(meanNoise > 0.3 && meanNoise < 0.7 && pbo.probability < 0.1, "noise \(noise), planted \(pbo.probability)")

        let sharpes = series.map { DeflatedSharpe.Moments($0).sharpe }
        let haircut = HaircutSharpe(index: 1, sharpes: sharpes, periods: 480, periodsPerYear: 52)
        for adjusted in haircut.adjusted {
            let theirs = try #require(ref.haircut[adjusted.method])
            #expect(Self.close(adjusted.pValue, theirs["p"]!, relative: 1e-9), "\(adjusted.method) p \(adjusted.pValue) vs \(theirs["p"]!)")
            #expect(Self.close(adjusted.annualSharpe, theirs["sharpe"]!, relative: 1e-9), "\(adjusted.method) \(adjusted.annualSharpe) vs \(theirs["sharpe"]!)")
        }
        // Holm never cuts deeper than Bonferroni; every adjustment cuts.
        #expect(haircut.adjusted[0].annualSharpe <= haircut.adjusted[1].annualSharpe + 1e-12)
        #expect(haircut.adjusted.allSatisfy { $0.annualSharpe < haircut.annualSharpe && $0.haircut > 0 })
    }
}
