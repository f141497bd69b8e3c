import Foundation

/// What the deflated Sharpe ratio needs of a family, as running sums over its trials in
/// ledger order: how many there are, the mean and spread of their per-period ratios
/// (Welford's update), the best annualised ratio, and the sum of their standardised series
/// (for the mean pairwise correlation, ``CorrelationSum``). Each trial row of the ledger
/// carries the sums up to and including itself, so a verdict against 10,000 trials reads
/// one row instead of 10,000 return series; `alphalab trials --verify` recomputes every
/// row's sums from the stored returns. The sums are kept for both claims, because a
/// family's trials are judged on the statistic of the trial being judged.
public struct FamilyMoments: Sendable, Equatable {
    /// The running sums of one claimed statistic.
    public struct Running: Sendable, Equatable {
        /// Trials folded in.
        public var trials = 0
        /// Welford's running mean and sum of squared deviations of the per-period ratios.
        public var mean = 0.0
        public var squaredDeviations = 0.0
        /// The best finite annualised ratio (-infinity before any).
        public var bestAnnual = -Double.infinity
        public var correlation = CorrelationSum()

        public init() {}

        /// Folds in one trial's statistic.
        public mutating func add(_ statistic: TrialSample.Statistic) {
            trials += 1
            let delta = statistic.sharpe - mean
            mean += delta / Double(trials)
            squaredDeviations += delta * (statistic.sharpe - mean)
            if statistic.annualSharpe.isFinite { bestAnnual = max(bestAnnual, statistic.annualSharpe) }
            correlation.add(statistic.series)
        }

        /// The sample variance of the ratios (0 for fewer than two trials).
        public var variance: Double { trials > 1 ? squaredDeviations / Double(trials - 1) : 0 }

        /// The effective number of independent trials and the mean pairwise correlation.
        public var effectiveTrials: (effective: Double, meanCorrelation: Double) { correlation.effectiveTrials(among: trials) }
    }

    public var active = Running()
    public var absolute = Running()

    public init() {}

    /// The running sums of `samples` folded in their order.
    public init(_ samples: [TrialSample]) {
        for sample in samples { add(sample) }
    }

    /// Folds in one trial, on both claims.
    public mutating func add(_ sample: TrialSample) {
        active.add(sample.statistic(.active))
        absolute.add(sample.statistic(.absolute))
    }

    /// The sums of the statistic `claim` judges.
    public subscript(claim: Claim) -> Running { claim == .active ? active : absolute }

    /// The canonical text the ledger stores: every number in its shortest exact form, so
    /// that it reads back to the same doubles on either backend.
    public var encoded: String {
        ["family-moments-v1", Self.encode(active), Self.encode(absolute)].joined(separator: ";")
    }

    /// The sums `text` encodes (``encoded``), or nil when it is not such a text.
    public init?(encoded text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "family-moments-v1", let active = Self.decode(parts[1]), let absolute = Self.decode(parts[2]) else {
            return nil
        }
        (self.active, self.absolute) = (active, absolute)
    }

    private static func encode(_ r: Running) -> String {
        (["\(r.trials)", "\(r.mean)", "\(r.squaredDeviations)", "\(r.bestAnnual)", "\(r.correlation.series)"]
            + r.correlation.sum.map { "\($0)" }).joined(separator: ",")
    }

    private static func decode(_ text: Substring) -> Running? {
        // Every page that shows a deflated Sharpe ratio reads these sums (a number per
        // period): a split into substrings parsed one by one was a quarter of its time.
        guard let fields = NumberList.strict(text), fields.count >= 5, let trials = Int(exactly: fields[0]), let series = Int(exactly: fields[4]) else { return nil }
        let (mean, squared, best) = (fields[1], fields[2], fields[3])
        let sum = Array(fields.dropFirst(5))
        var r = Running()
        (r.trials, r.mean, r.squaredDeviations, r.bestAnnual) = (trials, mean, squared, best)
        r.correlation = CorrelationSum(sum: sum, series: series)
        return r
    }
}

/// The sum of standardised series (each demeaned and divided by its norm, so that the dot
/// product of two is their correlation), of the length of the first series that moves:
/// |Σz|² = N + Σ_{i≠j} z_i·z_j gives the mean pairwise correlation in N x T time, not
/// N² x T. Series of another length, and series that never move, count as trials but not
/// in the correlation.
public struct CorrelationSum: Sendable, Equatable {
    /// The running sum (empty before the first series that moves).
    public private(set) var sum: [Double]
    /// Series in the sum.
    public private(set) var series: Int

    public init(sum: [Double] = [], series: Int = 0) {
        self.sum = sum
        self.series = series
    }

    /// Folds in one series.
    public mutating func add(_ x: [Double]) {
        guard x.count > 1, sum.isEmpty || x.count == sum.count else { return }
        let m = DeflatedSharpe.Moments(x)
        guard m.sd > 0 else { return }
        if sum.isEmpty { sum = [Double](repeating: 0, count: x.count) }
        let norm = m.sd * Double(x.count - 1).squareRoot()
        for t in x.indices { sum[t] += (x[t] - m.mean) / norm }
        series += 1
    }

    /// The effective number of independent trials among `trials` (`ρ + (1 - ρ) N`, never
    /// below 1 nor above N) and the mean pairwise correlation ρ (NaN with fewer than two
    /// moving series: then every trial counts).
    public func effectiveTrials(among trials: Int) -> (effective: Double, meanCorrelation: Double) {
        let n = Double(trials), moving = Double(series)
        guard trials > 1, series > 1 else { return (n, .nan) }
        let squared = sum.reduce(0) { $0 + $1 * $1 }
        let rho = min(1, max(-1 / (moving - 1), (squared - moving) / (moving * (moving - 1))))
        return (min(n, max(1, rho + (1 - rho) * n)), rho)
    }
}
