/// The stop-loss both execution models apply: a position is closed the first day its
/// low falls below `reference x (1 - distance)` (the reference is the entry fill, or
/// the cost basis of a held position), at the stop price, or at that day's open when
/// the day opened below the stop (a gap: the stop fills no better than the open).
public struct StopRule: Sendable, Equatable {
    /// The stop distance below the reference price (stop_loss_pct).
    public let distance: Double

    /// The stop `config` asks for, or nil without a stop-loss.
    public init?(config: ExperimentConfig) {
        guard config.useStopLoss else { return nil }
        distance = config.stopLossPct
    }

    /// The stop price of a position whose reference price is `reference`.
    public func level(below reference: Double) -> Double { reference * (1 - distance) }

    /// The first day of `days` on which ticker `t` breaches `level`, and the price the
    /// stop fills at (before costs). An open below the level counts from day `gapsFrom`
    /// on: the open a position was bought at cannot have gapped through its own stop.
    public func breach(_ panel: Panel, ticker t: Int, level: Double, days: Range<Int>, gapsFrom: Int) -> (day: Int, price: Double)? {
        for k in days {
            let low = panel.value(.low, ticker: t, day: k)
            guard low.isFinite else { continue }
            let open = panel.value(.open, ticker: t, day: k)
            if k >= gapsFrom, open.isFinite, open < level { return (k, open) }
            if low < level { return (k, level) }
        }
        return nil
    }
}
