import Foundation

/// The verdict judged as a statistical test, over seeded synthetic markets whose truth is
/// known: its size (how often it says "credible" on the null market, where nothing is
/// there to find) and its power (how often it says so for weekly 12-1 momentum on the
/// market with the planted momentum premium). On each null market a small random family
/// of momentum configs is run, the best of them (by its information ratio) is judged
/// against that family as its ledger: the search an analyst would do. On each planted
/// market the one config is judged against a ledger that holds only it.
public struct VerdictCalibration: Sendable {
    /// Which truth a market carries.
    public enum Truth: String, Sendable, CaseIterable {
        case null, planted
    }

    /// The markets and the verdict's effort.
    public struct Options: Sendable {
        /// Tickers and decision years of every market (its bars start two years earlier,
        /// so 12-1 momentum is known from the first decision).
        public var tickers = 100
        public var startYear = 2008
        public var endYear = 2024
        /// Configs tried on each null market.
        public var familySize = 8
        /// Placebos and family-test resamples of each verdict.
        public var permutations = 200
        public var familyResamples = 200

        public init() {}
    }

    /// One market's verdict.
    public struct Outcome: Sendable, Equatable {
        public var truth: Truth
        public var seed: UInt64
        /// The config judged (on a null market, the best of its family).
        public var config: ExperimentConfig
        public var headline: Verdict.Headline
        /// The judged run's excess over SPY, its t-statistic, the placebo's p-value and the
        /// outcome of each check.
        public var excessReturn: Double
        public var excessTStat: Double
        public var placeboPValue: Double
        /// On a null market, the placebo's p-value of 12-1 momentum itself (the config fixed
        /// before looking: under the null its p-value is uniform, the judged best's is not).
        public var prespecifiedPlaceboPValue: Double?
        public var placeboTurnover: Double
        public var runTurnover: Double
        public var checks: [VerdictCheck.Kind: VerdictCheck.Outcome]
    }

    public let options: Options

    public init(options: Options = Options()) { self.options = options }

    /// The market of `truth` drawn with `seed`.
    public func market(_ truth: Truth, seed: UInt64) throws -> Dataset {
        var config = truth == .null ? SyntheticMarketConfig.null(seed: seed) : SyntheticMarketConfig()
        config.seed = seed
        config.tickerCount = options.tickers
        config.start = Day(year: options.startYear - 2, month: 1, day: 1)!
        config.end = Day(year: options.endYear, month: 12, day: 31)!
        return try SyntheticMarket.market(config).dataset()
    }

    /// Weekly 12-1 momentum over the options' years.
    public var momentum: ExperimentConfig {
        ExperimentConfig.momentum12_1(name: "momentum", startYear: options.startYear, endYear: options.endYear).with { $0.rebalance = .weekly }
    }

    /// The null market's family: momentum configs drawn with `seed` (top_n, weighting,
    /// hold buffer, sector cap, momentum filter), 12-1 momentum itself first.
    public func family(seed: UInt64) -> [ExperimentConfig] {
        var random = RandomSource(seed: seed &* 31 &+ 7)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.uniform() * Double(choices.count))] }
        return [momentum] + (1..<max(1, options.familySize)).map { i in
            momentum.with { c in
                c.name = "trial_\(i)"
                c.topN = pick([5, 10, 15, 20])
                c.weighting = pick([.equal, .inverseVolatility, .scoreRank])
                c.holdBuffer = pick([1, 1.5, 2])
                c.maxSectorPct = pick([0.3, 1])
                c.useMomentumFilter = random.uniform() < 0.3
            }
        }
    }

    /// The verdict on the market of `truth` drawn with `seed`.
    public func outcome(_ truth: Truth, seed: UInt64) throws -> Outcome {
        let dataset = try market(truth, seed: seed)
        var judged = momentum
        var ledger: [TrialSample] = []
        if truth == .null {
            var best = -Double.infinity
            for config in family(seed: seed) {
                let result = try WalkForward(config: config, dataset: dataset, measuresQuality: false).run()
                let trial = Trial(result: result, scriptHash: nil, user: "calibration", host: "")
                ledger.append(trial.sample)
                if trial.annualSharpe > best { (best, judged) = (trial.annualSharpe, config) }
            }
        }
        var verdictOptions = VerdictOptions()
        verdictOptions.permutations = options.permutations
        verdictOptions.familyResamples = options.familyResamples
        verdictOptions.seed = seed
        let family = ledger
        let runner = try VerdictRunner(config: judged, dataset: dataset, options: verdictOptions, ledger: { result in
            let own = Trial(result: result, scriptHash: nil, user: "calibration", host: "").sample
            return family.contains { $0.configHash == own.configHash } ? family : family + [own]
        })
        let (v, result) = try runner.run()
        var prespecified: Double?
        if truth == .null {
            if judged == momentum {
                prespecified = v.placebo.pValue
            } else {
                let tape = ScoreTape()
                let run = try WalkForward(config: momentum, dataset: dataset, measuresQuality: false).run(scorer: tape.recording(momentum.defaultScorer))
                prespecified = try PlaceboTest.run(config: momentum, dataset: dataset, tape: tape, given: run, permutations: options.permutations,
                                                   seed: seed).pValue
            }
        }
        return Outcome(truth: truth, seed: seed, config: judged, headline: v.headline, excessReturn: result.excessReturn, excessTStat: result.excessTStat,
                       placeboPValue: v.placebo.pValue, prespecifiedPlaceboPValue: prespecified, placeboTurnover: v.placebo.meanTurnover, runTurnover: result.turnover,
                       checks: Dictionary(uniqueKeysWithValues: v.checks.map { ($0.kind, $0.outcome) }))
    }

    /// A rate with its Wilson score 95% interval.
    public struct Rate: Sendable, Equatable, CustomStringConvertible {
        public var hits: Int
        public var count: Int
        public var rate: Double { count > 0 ? Double(hits) / Double(count) : .nan }
        /// The Wilson score interval at 95% (z = 1.96).
        public var interval: (low: Double, high: Double) {
            guard count > 0 else { return (.nan, .nan) }
            let z = 1.959963984540054, n = Double(count), p = rate
            let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
            return (max(0, centre - half), min(1, centre + half))
        }

        public init(hits: Int, count: Int) {
            self.hits = hits
            self.count = count
        }

        public static func == (a: Rate, b: Rate) -> Bool { a.hits == b.hits && a.count == b.count }

        public var description: String {
            "\(hits)/\(count) = \(Format.rate(rate)) [\(Format.rate(interval.low)), \(Format.rate(interval.high))]"
        }
    }

    /// The share of `outcomes` where `predicate` holds.
    public static func rate(_ outcomes: [Outcome], _ predicate: (Outcome) -> Bool) -> Rate {
        Rate(hits: outcomes.filter(predicate).count, count: outcomes.count)
    }
}
