import Foundation

/// What a config buys at the next decision after the data's last bar: the walk-forward's
/// decision for a day it has not reached, made from the data as it stands.
///
/// The scoring close is the data's last close; the decision day is the next trading day
/// (or, with a date, that day, the data cut at its scoring close). The model is the one
/// the walk-forward would hold then: trained for the latest retraining decision of the
/// config's schedule (every `retrain_weeks` decisions from January 1 of `start_year`) on or
/// before it, by the label-known rule. Filters, sector cap and weighting are the run's:
/// both go through one ``DecisionPipeline``.
/// What the run's history would add is left out: the circuit breaker and stop-losses.
public struct TargetPortfolio: Sendable {
    /// One position of the target.
    public struct Position: Sendable, Equatable {
        public var ticker: String
        public var sector: String
        public var score: Double
        public var weight: Double
        /// The last close, at which shares are counted.
        public var close: Double
        /// Whole shares of `weight` of the capital at `close`.
        public var shares: Int
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

    /// The target of `config` on `dataset` for the next trading day after its last bar, or
    /// for `date` (a trading day after the data's first; the data is cut at its scoring close).
    /// `held`: the tickers held now, which the rank buffer (hold_buffer) keeps while they rank well.
    public static func compute(config: ExperimentConfig, dataset full: Dataset, date: Day? = nil, capital: Double,
                               held: Set<String> = []) throws -> TargetPortfolio {
        do { try config.validate() } catch { throw BacktestError.config(error) }
        guard config.signalTiming == .priorClose else {
            throw BacktestError.noPeriods("picks score at the last close before the decision: signal_timing must be prior_close")
        }
        guard capital > 0, capital.isFinite else { throw BacktestError.noPeriods("capital must be positive, got \(capital)") }
        let calendar = full.panel.calendar
        guard let last = calendar.last else { throw BacktestError.noPeriods("the data has no trading days") }
        let decision = date ?? NYSEHolidays.nextTradingDay(after: last)
        guard let scoringIndex = calendar.lastIndex(onOrBefore: decision.adding(days: -1)), scoringIndex >= 1 else {
            throw BacktestError.noPeriods("\(decision): the data has no close before it (it starts \(calendar[0]))")
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
        let positions: [Position] = tooFew ? [] : zip(picks, chosen.weights).map { c, w in
            let close = panel.value(.close, ticker: c.ticker, day: s)
            return Position(ticker: panel.tickers[c.ticker], sector: c.sector, score: c.score, weight: w, close: close,
                            shares: Int((w * capital / close).rounded(.down)))
        }
        return TargetPortfolio(decisionDate: decision, scoringDate: panel.calendar[s],
                               trainedFor: config.strategy == .ml ? (retrainDay == d ? decision : panel.calendar[retrainDay]) : nil,
                               capital: capital, positions: positions,
                               cashReason: tooFew ? "too few picks (\(picks.count), min_stocks \(config.minStocks))" : nil)
    }
}
