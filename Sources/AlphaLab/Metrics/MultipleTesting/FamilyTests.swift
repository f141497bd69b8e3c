import Foundation

/// The classical data-snooping tests over a family of trials in the ledger, for one of
/// them: Hansen's SPA and White's Reality Check (is the family's best better than the
/// benchmark, given how many were tried?), Romano and Wolf's StepM (which trials are,
/// family-wise error controlled), the CSCV probability of backtest overfitting, and
/// Harvey, Liu and Zhu's haircut of the trial's own ratio. Every trial is judged on the
/// statistic the trial claims (its active returns over SPY, or its returns over the
/// risk-free rate), on the periods they share.
public struct FamilyTests: Sendable, Equatable, Codable {
    /// What was tested: the claimed statistic, trials and periods, resamples and seed.
    public var claim: Claim
    public var trials: Int
    public var periods: Int
    public var reps: Int
    public var seed: UInt64
    public var blockSize: Int
    /// The largest mean differential over the benchmark, and the p-values (Hansen's SPA:
    /// consistent; White's Reality Check: upper; the lower bound).
    public var statistic: Double
    public var spaPValue: Double
    public var realityCheckPValue: Double
    public var lowerPValue: Double
    /// StepM at `size`: the config hashes of the trials found superior to the benchmark.
    public var size: Double
    public var superior: [String]
    /// Whether the judged trial is among them.
    public var judgedIsSuperior: Bool
    /// CSCV over 16 blocks (nil when the family or the run is too small for it).
    public var overfitting: BacktestOverfitting?
    /// The judged trial's haircut Sharpe ratio.
    public var haircut: HaircutSharpe

    /// The tests over `family` (the ledger's samples; the judged one is counted once) for
    /// `sample`, on `sample`'s claimed statistic; `reps` stationary-bootstrap resamples.
    public init(sample: TrialSample, family: [TrialSample], reps: Int = 1000, seed: UInt64 = 1, size: Double = 0.05) {
        var all = family.filter { $0.configHash != sample.configHash && $0.returns.count == sample.returns.count }
        all.append(sample)
        let statistics = all.map { $0.statistic(sample.claim) }
        let series = statistics.map(\.series)
        claim = sample.claim
        trials = all.count
        periods = sample.returns.count
        self.reps = reps
        self.seed = seed
        self.size = size
        let spa = SuperiorPredictiveAbility(differentials: series, reps: reps, seed: seed)
        blockSize = spa.blockSize
        statistic = spa.statistic
        spaPValue = spa.pValue(.consistent)
        realityCheckPValue = spa.pValue(.upper)
        lowerPValue = spa.pValue(.lower)
        let found = spa.stepM(size: size)
        superior = found.map { all[$0].configHash }
        judgedIsSuperior = found.contains(all.count - 1)
        overfitting = BacktestOverfitting(series: series)
        haircut = HaircutSharpe(index: all.count - 1, sharpes: statistics.map(\.sharpe), periods: periods, periodsPerYear: sample.periodsPerYear)
    }

    /// The tests in a few lines, for cards, commands and pages.
    public var lines: [String] {
        let against = claim == .active ? "SPY" : "the risk-free rate"
        var lines = ["family tests over \(trials) trial\(trials == 1 ? "" : "s") x \(periods) periods against \(against) (\(reps) stationary-bootstrap resamples, mean block \(blockSize), seed \(seed)):",
                     "  Hansen's SPA p = \(Format.num(spaPValue, "%.3f")), White's Reality Check p = \(Format.num(realityCheckPValue, "%.3f")) (best mean differential \(Format.pct(statistic)) a period)",
                     "  Romano-Wolf StepM at \(Format.num(size, "%.2f")): \(superior.count) of \(trials) beat \(against)\(judgedIsSuperior ? ", this one among them" : ", this one not")"]
        if let o = overfitting {
            lines.append("  probability of backtest overfitting (CSCV, \(o.blocks) blocks, \(o.splits) splits): \(Format.num(o.probability, "%.3f")), mean logit \(Format.num(o.meanLogit, "%.2f"))")
        } else {
            lines.append("  probability of backtest overfitting: needs at least 2 trials and 32 periods")
        }
        lines.append("  haircut \(claim.abbreviation) (Harvey-Liu-Zhu, \(haircut.tests) tests): \(Format.num(haircut.annualSharpe, "%.2f")) -> "
                     + haircut.adjusted.map { "\($0.method) \(Format.num($0.annualSharpe, "%.2f"))" }.joined(separator: ", "))
        return lines
    }
}
