import Foundation

/// What a config buys at the next decision after the stocks' last bar: the walk-forward's
/// decision for a day it has not reached, made from the data as it stands.
///
/// The scoring close is the data's last close; the decision day is the next trading day
/// (or, with a date, that day, the data cut at its scoring close). The model is the one
/// the walk-forward would hold then: trained for the latest retraining decision of the
/// config's schedule (every `retrain_weeks` decisions from January 1 of `start_year`) on or
/// before it, by the label-known rule. Filters, sector cap and weighting are the run's:
/// both go through one ``DecisionPipeline``.
/// What depends on the account's history is conditional: given its equity marks, the
/// circuit breaker is tripped, or armed at an equity level for the open; with a stop-loss
/// each position carries the stop its fill will set.
public struct TargetPortfolio: Sendable {
    /// One position of the target.
    public struct Position: Sendable, Equatable {
        public var ticker: String
        public var sector: String
        public var score: Double
        public var weight: Double
        /// The last close, at which shares are counted.
        public var close: Double
        /// Whole shares of `weight` of the capital at `close` (negative: a short).
        public var shares: Int
        /// With a stop-loss: the stop the position gets if it fills at `close`
        /// (close x (1 - stop_loss_pct), a short's close x (1 + stop_loss_pct); the real stop is the fill x the same).
        public var stop: Double?
    }

    /// The day the portfolio is for (traded at its open).
    public let decisionDate: Day
    /// The close the scores come from.
    public let scoringDate: Day
    /// The decision the model was trained for (nil for a rule).
    public let trainedFor: Day?
    /// The capital the shares are counted for.
    public let capital: Double
    /// The positions, best score first; empty when the run would hold cash.
    public let positions: [Position]
    /// Why the run would hold cash, if it would.
    public let cashReason: String?
    /// The circuit breaker's outlook for this decision: nil without a breaker or without
    /// the account's equity history to judge it.
    public let breaker: CircuitBreaker.Outlook?
    /// With a breaker but no history: what is missing to judge it.
    public let breakerNote: String?

    /// The target of `config` on `dataset` for the next trading day after the stocks' last
    /// bar (past it only the benchmark's series goes on, and nothing could be bought), or
    /// for `date` (a trading day after the data's first; the data is cut at its scoring close).
    /// `held`: the tickers held long now, which the rank buffer (hold_buffer) keeps while they rank well.
    /// `equityMarks`: the account's equity at past decisions' opens, for the circuit breaker.
    public static func compute(config: ExperimentConfig, dataset full: Dataset, date: Day? = nil, capital: Double,
                               held: Set<String> = [], equityMarks: [EquityMark]? = nil) throws -> TargetPortfolio {
        let checked: CheckedConfig
        do { checked = try CheckedConfig(config) } catch { throw BacktestError.config(error) }
        return try compute(checked: checked, dataset: full, date: date, capital: capital, held: held, equityMarks: equityMarks)
    }

    /// ``compute(config:dataset:date:capital:held:equityMarks:)`` for a config checked where it came in.
    public static func compute(checked: CheckedConfig, dataset full: Dataset, date: Day? = nil, capital: Double,
                               held: Set<String> = [], equityMarks: [EquityMark]? = nil) throws -> TargetPortfolio {
        let config = checked.config
        guard config.signalTiming == .priorClose else {
            throw BacktestError.lookAheadTiming
        }
        guard capital > 0, capital.isFinite else { throw BacktestError.invalidCapital(capital) }
        let calendar = full.panel.calendar
        guard let dataEnd = calendar.last else { throw BacktestError.noData("the data has no trading days") }
        let last = full.panel.stocksLastBar >= 0 ? calendar[full.panel.stocksLastBar] : dataEnd
        let decision = date ?? NYSEHolidays.nextTradingDay(after: last)
        guard let scoringIndex = calendar.lastIndex(onOrBefore: decision.adding(days: -1)), scoringIndex >= 1 else {
            throw BacktestError.noData("\(decision): the data has no close before it (it starts \(calendar[0]))")
        }
        let dataset = scoringIndex == calendar.count - 1 ? full
            : Dataset(panel: full.panel.sliced(from: calendar[0], through: calendar[scoringIndex]), trainingCache: full.trainingCache,
                      memberships: Array(full.memberships.values))
        let panel = dataset.panel
        let d = panel.dayCount, s = d - 1 // the decision is the day after the data's last

        // The retraining schedule: the config's decisions up to this one.
        let scheduled = WalkForward.schedule(config, calendar: panel.calendar, through: panel.calendar[s])
        let period = scheduled.count
        let retrainDay = period % config.retrainWeeks == 0 ? d : scheduled[period - period % config.retrainWeeks]

        var scorer = config.defaultScorer
        let chosen = try DecisionPipeline(config: config, dataset: dataset)
            .decide(scorer: &scorer, decisionDay: retrainDay, scoringDay: s, period: period, retrain: true, tradingDay: nil,
                    held: config.execution == .rebalance ? Set(held.compactMap { panel.tickerIndex[$0] }) : [])
        let picks = chosen.picks, tooFew = chosen.tooFew
        // The marks before this decision only: a history that runs on is cut at its scoring close.
        let outlook = config.circuitBreakerDrawdown > 0 ? equityMarks.map { marks in
            CircuitBreaker.replaying(marks.filter { $0.date <= panel.calendar[s] }.map { ($0.equity, $0.picksReturn) }, config: config).outlook
        } : nil
        let tripped: Bool = if case .tripped? = outlook { true } else { false }
        let stop = StopRule(config: config)
        let positions: [Position] = tooFew || tripped ? [] : zip(picks, chosen.weights).map { c, w in
            let close = panel.value(.close, ticker: c.ticker, day: s)
            return Position(ticker: panel.tickers[c.ticker], sector: c.sector, score: c.score, weight: w, close: close,
                            shares: Int((w * capital / close).rounded(.towardZero)), stop: stop?.level(w < 0 ? .short : .long, from: close))
        }
        let cashReason = tooFew ? "too few picks (\(picks.count), min_stocks \(config.minStocks))"
            : tripped ? "the circuit breaker is tripped" : nil
        return TargetPortfolio(decisionDate: decision, scoringDate: panel.calendar[s],
                               trainedFor: config.strategy == .ml ? (retrainDay == d ? decision : panel.calendar[retrainDay]) : nil,
                               capital: capital, positions: positions, cashReason: cashReason, breaker: outlook,
                               breakerNote: config.circuitBreakerDrawdown > 0 && equityMarks == nil
                                ? "the config has a circuit breaker: give the account's equity history (--equity CSV, or --run ID) to know whether it trips" : nil)
    }
}
