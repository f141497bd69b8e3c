/// Everything that defines one walk-forward experiment.
///
/// The first block is the seed's `ExperimentConfig`, with its defaults; the rest is
/// what a research desk adds, each off by default so a seed config means what it
/// meant there. Field names in ``ExperimentConfig/fields`` (and in JSON and Lua) are
/// the seed's snake_case names.
public struct ExperimentConfig: Sendable, Equatable {
    // The seed's fields.
    public var name = "experiment"
    public var startYear = 2024
    public var endYear = 2025
    /// Retrain every this many decision periods.
    public var retrainWeeks = 4
    public var topN = 10
    /// Paid on entry and on exit, in basis points of the price.
    public var slippageBps = 10.0
    public var initialCash = 100_000.0
    /// Buy the lowest scores instead of the highest.
    public var invertSignal = false
    /// The momentum model on the momentum features instead of the legacy ensemble.
    public var useMomentumFeatures = false
    /// Weight of each horizon's prediction in the combined score.
    public var horizonWeights: [Int: Double] = [1: 0.5, 5: 0.3, 20: 0.2]
    /// Only buy tickers whose 12-1 momentum is at least `momentumThreshold`.
    public var useMomentumFilter = false
    public var momentumThreshold = 0.0
    public var useStopLoss = false
    public var stopLossPct = 0.08
    /// At most this fraction of `topN` picks from one sector.
    public var maxSectorPct = 1.0
    /// Weeks with fewer than `minStocks / 2` picks hold cash.
    public var minStocks = 10

    // What real use adds.
    public var signalTiming = SignalTiming.priorClose
    public var strategy = StrategyKind.ml
    public var rebalance = Rebalance.weekly
    /// Paid on entry and on exit in addition to slippage, in basis points.
    public var transactionCostBps = 0.0
    /// Trading days dropped between the last training label and the decision.
    public var embargoDays = 0
    /// A rolling training window of this many trading days; 0 keeps the seed's expanding window.
    public var trainingWindowDays = 0
    /// Training rows are pooled from January 1 of this year (the seed: 2010).
    public var trainingStartYear = 2010
    /// Skip tickers whose close before the decision is below this.
    public var minPrice = 0.0
    /// Skip tickers whose mean daily dollar volume over the 20 days before the decision is below this.
    public var minDollarVolume = 0.0
    public var excludeTickers: [String] = []
    public var excludeSectors: [String] = []
    /// Go to cash when equity falls this fraction below its peak; 0 is off.
    public var circuitBreakerDrawdown = 0.0
    /// Periods spent in cash after the breaker trips.
    public var circuitBreakerWeeks = 4
    /// Resume early once the strategy's shadow equity rises this fraction above its low since the trip; 0 is off.
    public var circuitBreakerRecovery = 0.0

    /// The universe decisions pick from and models train on: `all` (every tradable
    /// ticker, the seed's), `survivors`, or a point-in-time membership the data carries.
    public var universe = Universe.allName

    /// Keep every ticker's score at every decision, each horizon's prediction, and per
    /// retraining the model's gain importance and mean |SHAP| (for factor analysis).
    public var explain = false

    // How the portfolio trades (the seed's semantics are `execution = .roundTrip`).
    /// Hold what stays and trade the difference (the default), or the seed's round trips.
    public var execution = ExecutionModel.rebalance
    /// Under `rebalance`, trims and top-ups smaller than this fraction of the target weight are skipped.
    public var noTradeBand = 0.25
    /// Under `rebalance`, a held name stays while its rank among the candidates is within
    /// `holdBuffer x topN` (1: only the top_n are held, the seed's rule).
    public var holdBuffer = 1.0
    /// Long only (the seed's) or dollar-neutral long-short (``Book``).
    public var book = Book.longOnly
    /// What a short pays to borrow its shares, basis points of its value a year.
    public var borrowBps = 50.0
    /// How the picks share the portfolio.
    public var weighting = Weighting.equal
    /// Under `weighting = .optimized` (``PortfolioConstruction``): the weight of predicted
    /// variance against alpha, the multiple of the cost model's one-way cost charged on
    /// each unit traded, the largest weight of one name, and the optional constraints.
    public var riskAversion = 10.0
    public var turnoverPenalty = 1.0
    public var maxPosition = 0.2
    /// The portfolio's beta exposure held to the estimation universe's (0, standardised).
    public var betaNeutral = false
    /// Each sector's weight held within 5 points of its share of the universe's members.
    public var sectorNeutral = false
    /// The largest one-way turnover a period may trade (a fraction of equity); 0 is no limit.
    public var maxTurnover = 0.0
    /// Under a long-only book, the largest predicted tracking error to the benchmark, annualised; 0 is no limit.
    public var maxTrackingError = 0.0
    /// How a fill's cost is estimated.
    public var costModelKind = CostModelKind.flat
    /// Half the bid-ask spread under the square-root cost model, in basis points.
    public var halfSpreadBps = 2.0
    /// The coefficient k of the square-root market impact.
    public var impactCoefficient = 1.0
    /// Under `rebalance`, the largest trade as a fraction of the ticker's 20-day dollar volume; 0 is no limit.
    public var maxADVPct = 0.0

    // How the run is judged.
    /// The annual risk-free rate in every Sharpe and Sortino ratio (the seed's 4%).
    public var riskFreeRate = 0.04
    /// What the strategy claims: an edge over the benchmark (`active`, the seed's: every
    /// strategy is judged against SPY) or an absolute return over the risk-free rate.
    /// The ledger's deflated Sharpe ratio deflates the claimed statistic: the information
    /// ratio of the active returns, or the Sharpe ratio.
    public var claim = Claim.active

    // How the model is retrained.
    /// Full trainings at every step (the seed's), or warm updates between full refits.
    public var retrainMode = RetrainMode.full
    /// Under `warm`, a full training every this many decision periods.
    public var fullRefitWeeks = 13

    /// The seed's defaults.
    public init(name: String = "experiment") { self.name = name }

    /// The config with `body` applied: `ExperimentConfig("x") { $0.topN = 5 }`.
    public init(_ name: String, _ body: (inout ExperimentConfig) -> Void) {
        self.name = name
        body(&self)
    }

    /// A copy with `body` applied: `config.with { $0.topN = 5 }`.
    public func with(_ body: (inout ExperimentConfig) -> Void) -> ExperimentConfig {
        var copy = self
        body(&copy)
        return copy
    }

    /// Checks ranges and combinations; the message names the field.
    public func validate() throws(ConfigError) {
        func fail(_ key: String, _ problem: String) -> ConfigError { ConfigError(key: key, problem: problem) }
        if name.isEmpty { throw fail("name", "must not be empty") }
        if !(1900...2200).contains(startYear) { throw fail("start_year", "\(startYear) is not a plausible year") }
        if endYear < startYear { throw fail("end_year", "\(endYear) is before start_year \(startYear)") }
        if retrainWeeks < 1 { throw fail("retrain_weeks", "must be at least 1, got \(retrainWeeks)") }
        if fullRefitWeeks < 1 { throw fail("full_refit_weeks", "must be at least 1, got \(fullRefitWeeks)") }
        if topN < 1 { throw fail("top_n", "must be at least 1, got \(topN)") }
        if !(slippageBps >= 0 && slippageBps < 10_000) { throw fail("slippage_bps", "must be in [0, 10000), got \(slippageBps)") }
        if !(transactionCostBps >= 0 && transactionCostBps < 10_000) { throw fail("transaction_cost_bps", "must be in [0, 10000), got \(transactionCostBps)") }
        if !(initialCash > 0 && initialCash.isFinite) { throw fail("initial_cash", "must be positive, got \(initialCash)") }
        if horizonWeights.isEmpty { throw fail("horizon_weights", "must name at least one horizon") }
        for (h, w) in horizonWeights {
            if h < 1 { throw fail("horizon_weights", "horizon \(h) is not a positive number of days") }
            if !(w >= 0 && w.isFinite) { throw fail("horizon_weights", "weight of horizon \(h) must be non-negative, got \(w)") }
        }
        if horizonWeights.values.reduce(0, +) <= 0 { throw fail("horizon_weights", "weights must not all be zero") }
        if !momentumThreshold.isFinite { throw fail("momentum_threshold", "must be a number") }
        if !(stopLossPct > 0 && stopLossPct < 1) { throw fail("stop_loss_pct", "must be in (0, 1), got \(stopLossPct)") }
        if !(maxSectorPct > 0 && maxSectorPct <= 1) { throw fail("max_sector_pct", "must be in (0, 1], got \(maxSectorPct)") }
        if minStocks < 0 { throw fail("min_stocks", "must not be negative, got \(minStocks)") }
        if embargoDays < 0 { throw fail("embargo_days", "must not be negative, got \(embargoDays)") }
        if trainingWindowDays < 0 { throw fail("training_window_days", "must not be negative, got \(trainingWindowDays)") }
        if !(1900...2200).contains(trainingStartYear) { throw fail("training_start_year", "\(trainingStartYear) is not a plausible year") }
        if !(minPrice >= 0) { throw fail("min_price", "must not be negative, got \(minPrice)") }
        if !(minDollarVolume >= 0) { throw fail("min_dollar_volume", "must not be negative, got \(minDollarVolume)") }
        if !(circuitBreakerDrawdown >= 0 && circuitBreakerDrawdown < 1) { throw fail("circuit_breaker_drawdown", "must be in [0, 1), got \(circuitBreakerDrawdown)") }
        if circuitBreakerWeeks < 1 { throw fail("circuit_breaker_weeks", "must be at least 1, got \(circuitBreakerWeeks)") }
        if !(circuitBreakerRecovery >= 0) { throw fail("circuit_breaker_recovery", "must not be negative, got \(circuitBreakerRecovery)") }
        if universe.isEmpty { throw fail("universe", "must not be empty (all, survivors, or a stored universe's name)") }
        if !(noTradeBand >= 0 && noTradeBand < 1) { throw fail("no_trade_band", "must be in [0, 1), got \(noTradeBand)") }
        if !(riskFreeRate >= 0 && riskFreeRate < 1) { throw fail("risk_free_rate", "must be in [0, 1) (an annual rate), got \(riskFreeRate)") }
        if !(riskAversion >= 0 && riskAversion.isFinite) { throw fail("risk_aversion", "must be a non-negative number, got \(riskAversion)") }
        if !(turnoverPenalty >= 0 && turnoverPenalty.isFinite) { throw fail("turnover_penalty", "must be a non-negative number, got \(turnoverPenalty)") }
        if !(maxPosition > 0 && maxPosition <= 1) { throw fail("max_position", "must be in (0, 1], got \(maxPosition)") }
        if !(maxTurnover >= 0 && maxTurnover.isFinite) { throw fail("max_turnover", "must not be negative, got \(maxTurnover)") }
        if !(holdBuffer >= 1 && holdBuffer <= 100) { throw fail("hold_buffer", "must be in [1, 100] (a multiple of top_n), got \(holdBuffer)") }
        if !(halfSpreadBps >= 0 && halfSpreadBps < 10_000) { throw fail("half_spread_bps", "must be in [0, 10000), got \(halfSpreadBps)") }
        if !(impactCoefficient >= 0 && impactCoefficient.isFinite) { throw fail("impact_coefficient", "must not be negative, got \(impactCoefficient)") }
        if !(maxADVPct >= 0 && maxADVPct <= 1) { throw fail("max_adv_pct", "must be in [0, 1], got \(maxADVPct)") }
        if !(borrowBps >= 0 && borrowBps < 10_000) { throw fail("borrow_bps", "must be in [0, 10000), got \(borrowBps)") }
        if !(maxTrackingError >= 0 && maxTrackingError < 1) { throw fail("max_tracking_error", "must be in [0, 1) (annualised), got \(maxTrackingError)") }
        if maxTrackingError > 0, weighting != .optimized {
            throw fail("max_tracking_error", "needs weighting = optimized: only the optimizer can hold a book near the benchmark")
        }
        if maxTrackingError > 0, book == .longShort {
            throw fail("max_tracking_error", "applies to a long_only book: a long_short book's benchmark is cash, its risk is all tracking error")
        }
        if maxADVPct > 0, execution == .roundTrip {
            throw fail("max_adv_pct", "needs execution = rebalance: round_trip always buys and sells the whole book")
        }
    }

    /// Picks of one sector allowed among `topN`: at least one.
    public var sectorLimit: Int { max(1, Int((maxSectorPct * Double(topN)).rounded(.down) + 1e-9)) }

    /// The training recipe this config asks for.
    public var ensembleSpec: EnsembleSpec {
        var spec = useMomentumFeatures ? EnsembleSpec.seedMomentumModel : EnsembleSpec.seedEnsemble
        spec.trainingStart = Day(year: trainingStartYear, month: 1, day: 1)!
        spec.embargo = embargoDays
        spec.windowDays = trainingWindowDays > 0 ? trainingWindowDays : nil
        return spec
    }

    /// The feature set the model reads.
    public var featureSet: FeatureSet { useMomentumFeatures ? FeatureCatalog.momentum : FeatureCatalog.legacy }
}

/// A config field with a bad value.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// The field's snake_case name.
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "config field '\(key)': \(problem)" }
}

extension ExperimentConfig {
    /// The seed's eight Phase 1 experiments, as its plan defines them.
    public static let phaseOne: [ExperimentConfig] = [
        ExperimentConfig(name: "0_Baseline_Current"),
        ExperimentConfig("1_Signal_Inversion") { $0.invertSignal = true },
        ExperimentConfig("2_Momentum_Features") { $0.useMomentumFeatures = true },
        ExperimentConfig("3_Long_Horizon_Weights") { $0.horizonWeights = [1: 0.1, 5: 0.3, 20: 0.6] },
        ExperimentConfig("4_ML_Momentum_Hybrid") { $0.useMomentumFilter = true; $0.momentumThreshold = 0 },
        ExperimentConfig("5_Stop_Loss") { $0.useStopLoss = true; $0.stopLossPct = 0.08 },
        ExperimentConfig("6_Combined_Improvements") {
            $0.invertSignal = true
            $0.useMomentumFilter = true
            $0.momentumThreshold = 0
            $0.useStopLoss = true
            $0.stopLossPct = 0.08
            $0.horizonWeights = [1: 0.2, 5: 0.3, 20: 0.5]
        },
        ExperimentConfig("7_Pure_Momentum_ML") { $0.useMomentumFeatures = true; $0.useStopLoss = true; $0.stopLossPct = 0.10 },
    ]

    /// The seed's rule-based comparison: top N by 12-1 momentum, rebalanced monthly.
    public static func momentum12_1(name: String = "Momentum_12_1", startYear: Int, endYear: Int, topN: Int = 10) -> ExperimentConfig {
        ExperimentConfig(name) {
            $0.strategy = .momentum12_1
            $0.rebalance = .monthly
            $0.startYear = startYear
            $0.endYear = endYear
            $0.topN = topN
        }
    }
}

extension ExperimentConfig {
    /// When and how the model is retrained (``RetrainSchedule``).
    public var retrainSchedule: RetrainSchedule {
        RetrainSchedule(retrainWeeks: retrainWeeks, mode: retrainMode, fullRefitWeeks: fullRefitWeeks)
    }
}
