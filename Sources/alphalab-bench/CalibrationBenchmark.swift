import AlphaLab
import Foundation

/// `alphalab-bench calibration [--seeds N] [--first SEED]`: the verdict as a statistical
/// test. N null markets (the best of a small random family of momentum configs, judged
/// against that family) and N planted markets (weekly 12-1 momentum, judged alone), each
/// 100 tickers 2008-2024; prints each headline's rate with its Wilson 95% interval, the
/// placebo's size on the null markets, and power by the excess's t-statistic.
func calibrationBenchmark(_ arguments: [String]) throws {
    var seeds = 200, first: UInt64 = 1000
    var rest = arguments[...]
    while let option = rest.popFirst() {
        switch option {
        case "--seeds": guard let n = rest.popFirst().flatMap(Int.init), n > 0 else { throw BenchmarkFailure(description: "--seeds needs a positive number") }
            seeds = n
        case "--first": guard let n = rest.popFirst().flatMap(UInt64.init) else { throw BenchmarkFailure(description: "--first needs a seed") }
            first = n
        case "--help", "-h":
            print("""
                alphalab-bench calibration [--seeds N] [--first SEED]
                  The verdict over N seeded null markets and N planted markets (default 200 each, seeds
                  from SEED, default 1000; the tests use other seeds). Prints the rate of each headline
                  with its Wilson 95% interval against the targets: credible on at most 5% of null
                  markets; on planted markets, credible on at least 90% of those whose excess has t > 3
                  and at most 20% of those with t < 2; the placebo's p < 0.05 on at most 7% of nulls.
                """)
            return
        default: throw BenchmarkFailure(description: "calibration: unknown option '\(option)' (try --help)")
        }
    }
    let calibration = VerdictCalibration()
    print("calibration: \(seeds) null and \(seeds) planted markets (seeds \(first)..\(first + UInt64(seeds) - 1)), \(calibration.options.tickers) tickers, "
          + "\(calibration.options.startYear)-\(calibration.options.endYear) weekly, \(calibration.options.permutations) placebos each, "
          + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
    let clock = Stopwatch()
    var outcomes: [VerdictCalibration.Outcome] = []
    for truth in VerdictCalibration.Truth.allCases {
        for i in 0..<seeds {
            let o = try calibration.outcome(truth, seed: first + UInt64(i))
            outcomes.append(o)
            let c = o.config
            print("  \(c.name): top_n \(c.topN), \(c.weighting.rawValue), hold_buffer \(c.holdBuffer), max_sector_pct \(c.maxSectorPct), momentum filter \(c.useMomentumFilter)")
            print(String(format: "  %@ seed %d: %@ (excess t %+.2f, placebo p %.3f (12-1 momentum %.3f), turnover run %.0f%% placebos %.0f%%) %@", truth.rawValue,
                         Int(o.seed), o.headline.rawValue, o.excessTStat, o.placeboPValue, o.prespecifiedPlaceboPValue ?? .nan, o.runTurnover * 100, o.placeboTurnover * 100,
                         VerdictCheck.Kind.allCases.map { "\($0.rawValue)=\(o.checks[$0]?.rawValue ?? "-")" }.joined(separator: " ")))
            fflush(nil) // a line per market as it is judged, even into a pipe
        }
    }
    let null = outcomes.filter { $0.truth == .null }, planted = outcomes.filter { $0.truth == .planted }
    print("")
    print("headline rates (Wilson 95% intervals), \(String(format: "%.0f", clock.seconds)) s:")
    for h in [Verdict.Headline.credible, .fragile, .inconclusive, .artefact] {
        figure("  null: \(h.rawValue)", "\(VerdictCalibration.rate(null) { $0.headline == h })", target: h == .credible ? "target <= 5%" : "")
    }
    figure("  null: placebo p < 0.05, 12-1 momentum", "\(VerdictCalibration.rate(null) { ($0.prespecifiedPlaceboPValue ?? 1) < 0.05 })",
           target: "target <= 7%")
    figure("  null: placebo p < 0.05, best of the family", "\(VerdictCalibration.rate(null) { $0.placeboPValue < 0.05 })",
           target: "(selected: the ledger's check)")
    for h in [Verdict.Headline.credible, .fragile, .inconclusive, .artefact] {
        figure("  planted: \(h.rawValue)", "\(VerdictCalibration.rate(planted) { $0.headline == h })")
    }
    let strong = planted.filter { $0.excessTStat > 3 }, weak = planted.filter { $0.excessTStat < 2 }
    figure("  planted, excess t > 3: credible", "\(VerdictCalibration.rate(strong) { $0.headline == .credible })", target: "target >= 90%")
    figure("  planted, excess t < 2: credible", "\(VerdictCalibration.rate(weak) { $0.headline == .credible })", target: "target <= 20%")
    figure("  planted, 2 <= t <= 3: credible",
           "\(VerdictCalibration.rate(planted.filter { $0.excessTStat >= 2 && $0.excessTStat <= 3 }) { $0.headline == .credible })")
}
