/// What every fill costs under a config, for both execution models: the cost model's
/// fraction of the reference price (slippage, or spread and impact; buys fill above the
/// price, sells below it) and `transaction_cost_bps` of the fill's notional on top.
public struct FillCosts: Sendable {
    /// The per-fill fraction of the price.
    public let model: any CostModel
    /// Fraction of each fill's notional paid on top (transaction_cost_bps / 10000).
    public let transactionCost: Double
    /// What a short pays to borrow its shares, a fraction of its value a year (borrow_bps / 10000).
    public let borrow: Double

    /// The costs `config` asks for.
    public init(config: ExperimentConfig) {
        model = config.costModel
        transactionCost = config.transactionCostBps / 10_000
        borrow = config.borrowBps / 10_000
    }

    /// The borrow fee of a short worth `value` dollars when opened at day `from`'s open and
    /// closed on day `to`, by calendar days (fees accrue over weekends and holidays too).
    public func borrowFee(_ panel: Panel, value: Double, from: Int, to: Int) -> Double {
        guard borrow > 0, to > from else { return 0 }
        return abs(value) * borrow * Double(panel.calendar[to].ordinal - panel.calendar[from].ordinal) / 365
    }

    /// The price fraction of trading `notional` dollars of ticker `t`, judged on the data
    /// up to `scoringDay` (the close before the trade; never before the first day).
    public func fraction(_ panel: Panel, ticker t: Int, notional: Double, scoringDay: Int) -> Double {
        model.fraction(panel, ticker: t, notional: notional, scoringDay: max(0, scoringDay))
    }
}
