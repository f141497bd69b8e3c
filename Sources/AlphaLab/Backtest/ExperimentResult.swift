/// Everything a walk-forward run produced: the seed's metrics, prediction quality,
/// curves, each period's picks and the figures of each retraining period.
public struct ExperimentResult: Sendable, Equatable {
    /// One position of one period.
    public struct Pick: Sendable, Equatable {
        public var ticker: String
        public var sector: String
        /// The scorer's value (before any inversion).
        public var score: Double
        /// Net of slippage and costs: the round trip's, or under `rebalance` the position's
        /// return over the period with the costs of its trades.
        public var netReturn: Double
        /// Whether the stop-loss closed it.
        public var stopped: Bool
        /// Its target weight.
        public var weight: Double
    }

    /// Why a period held cash.
    public enum CashReason: String, Sendable, Codable, CaseIterable {
        /// Fewer than min_stocks / 2 picks.
        case tooFewPicks = "too_few_picks"
        /// The drawdown circuit breaker was tripped.
        case circuitBreaker = "circuit_breaker"
    }

    /// One decision period.
    public struct Period: Sendable, Equatable {
        /// The decision date: entry at its open.
        public var date: Day
        /// The next decision date: exit at its open.
        public var exitDate: Day
        /// The close the scores were computed from.
        public var scoringDate: Day
        /// The portfolio's return (0 in cash).
        public var netReturn: Double
        /// What the picks returned, held or not (the shadow return while in cash).
        public var picksReturn: Double
        /// The benchmark over the same days: SPY open to open, or 0 for a long-short book
        /// (its benchmark is cash, ``Book/longShort``).
        public var spyReturn: Double
        /// Equity after the period.
        public var equity: Double
        public var cashReason: CashReason?
        /// Whether the model was retrained for this decision.
        public var retrained: Bool
        /// The Spearman IC of the signal against realised returns this period.
        public var ic: Double
        public var picks: [Pick]
        /// Notional traded at reference prices (buys and sells, stops included).
        public var traded: Double
        /// `traded` as a fraction of equity at the decision.
        public var turnover: Double
        /// Slippage (or spread and impact) and transaction costs paid, in dollars.
        public var costs: Double
        /// Notional the dollar-volume cap left undone.
        public var unfilled: Double
    }

    /// The periods between two retrainings.
    public struct RetrainPeriod: Sendable, Equatable {
        public var start: Day
        public var end: Day
        public var periods: Int
        public var totalReturn: Double
        public var sharpe: Double
        public var meanIC: Double
    }

    public var name: String
    public var config: ExperimentConfig
    /// The scorer's description.
    public var strategy: String
    public var metrics: PerformanceMetrics
    public var spyReturn: Double
    /// total_return - spy_return.
    public var excessReturn: Double
    /// t-statistic of the mean per-period excess return over SPY.
    public var excessTStat: Double
    /// Periods holding positions.
    public var weeksTraded: Int
    public var finalValue: Double
    /// Compounded return of the periods decided in each calendar year.
    public var yearlyReturns: [Int: Double]
    /// Mean share of names replaced from one invested period to the next.
    public var nameTurnover: Double
    /// Mean traded notional per period as a fraction of equity (a round trip of the whole book is 2).
    public var turnover: Double
    /// Costs paid as a fraction of equity, per year.
    public var costDrag: Double
    /// Costs paid over the run, in dollars.
    public var costsPaid: Double
    /// Mean trading days a position was held, from its first buy to its last sale.
    public var holdingDays: Double
    /// Notional the dollar-volume cap left undone, as a fraction of the notional wanted.
    public var unfilledFraction: Double
    public var quality: PredictionQuality
    public var periods: [Period]
    public var retrainPeriods: [RetrainPeriod]
    /// Models obtained (trained or taken from the cache), one per retraining; 0 for a rule or a caller's scorer.
    public var retrains: Int
    /// Loud notes every reader must see (look-ahead timing).
    public var warnings: [String]
    /// The data's fingerprint (tickers, dates, values).
    public var dataFingerprint: String
    /// Every ticker's scores and what drove the model, when the config asked (`explain`).
    public var explanation: Explanation? = nil
    /// For a run on a stored point-in-time universe: per year, the share of its members with
    /// a bar on the decision days (below 100%, the run chose among members that survived
    /// into the data).
    public var coverage: UniverseCoverage? = nil
    /// How many names the run chose among, and any `--limit` (nil for results recorded before it was kept).
    public var universeSize: UniverseSize? = nil
    /// Where its risk and return came from under the risk model (nil for results recorded
    /// before it was kept, and for runs without a period the model could estimate).
    public var attribution: RiskAttribution? = nil

    /// The warning a coverage below ``UniverseCoverage/warningShare`` in some year earns, naming the worst year.
    /// Under `--limit`, the warning says that the cut, not survivorship alone, left members out.
    public static func coverageWarning(_ coverage: UniverseCoverage, limit: TickerLimit? = nil) -> String? {
        guard let worst = coverage.worst, worst.share < UniverseCoverage.warningShare else { return nil }
        let cause = limit.map { "--limit kept \($0.kept) of \($0.available) tickers, so most members are missing for the limit's sake" }
            ?? "the run chose among the members that survived into the data"
        return String(format: "coverage: in %d only %.1f%% of %@'s members had a bar on the decision days (below %.0f%% in %d of %d years): %@",
                      worst.year, worst.share * 100, coverage.universe, UniverseCoverage.warningShare * 100,
                      coverage.years.filter { $0.share < UniverseCoverage.warningShare }.count, coverage.years.count, cause)
    }

    /// The first decision date.
    public var startDate: Day? { periods.first?.date }
    /// The last exit date.
    public var endDate: Day? { periods.last?.exitDate }

    /// Equity at each decision date and at the last exit.
    public var equityCurve: [(date: Day, value: Double)] {
        guard let first = periods.first else { return [] }
        return [(first.date, config.initialCash)] + periods.map { ($0.exitDate, $0.equity) }
    }

    /// The fall from the running peak at each point of ``equityCurve``.
    public var drawdownCurve: [(date: Day, value: Double)] {
        let curve = equityCurve
        return zip(curve, PerformanceMetrics.drawdowns(curve: curve.map(\.value))).map { ($0.date, $1) }
    }

    /// A readable summary, warnings first.
    public var summary: String {
        let pct = Format.pct, rate = Format.rate
        func num(_ x: Double) -> String { Format.num(x, "%.2f") }
        var lines = warnings.map { "!! " + $0 }
        let span = startDate.map { "\($0) .. \(endDate!)" } ?? "no periods"
        lines.append("\(name): \(span), \(periods.count) \(config.rebalance == .weekly ? "weeks" : "months"), \(retrains) retrains, \(config.signalTiming.rawValue), \(config.execution.rawValue)")
        lines.append("  return \(pct(metrics.totalReturn))  \(config.book.benchmarkName) \(pct(spyReturn))  excess \(pct(excessReturn)) (t \(num(excessTStat)))  CAGR \(pct(metrics.cagr))")
        lines.append("  Sharpe \(num(metrics.sharpe))  Sortino \(num(metrics.sortino))  max drawdown \(rate(metrics.maxDrawdown))  win rate \(rate(metrics.winRate))")
        var trading = "  turnover \(rate(turnover)) a period (names \(rate(nameTurnover)))  cost drag \(rate(costDrag)) a year  held \(String(format: "%.1f", holdingDays)) days"
        if unfilledFraction > 0 { trading += "  unfilled \(rate(unfilledFraction))" }
        lines.append(trading)
        if !periods.isEmpty {
            lines.append("  equity \(Sparkline.render(equityCurve.map(\.value)))  \(String(format: "%.0f", config.initialCash)) -> \(String(format: "%.0f", finalValue))")
        }
        if let universeSize { lines.append("  " + universeSize.summary) }
        if let attribution { lines.append("  " + attribution.summary) }
        lines.append("  IC \(num(quality.meanIC)) (t \(num(quality.icTStat)))  directional accuracy \(rate(quality.directionalAccuracy))  hit rate \(rate(quality.hitRate))")
        return lines.joined(separator: "\n")
    }
}

extension ExperimentResult: CustomStringConvertible {
    public var description: String { summary }
}
