/// The stop-loss both execution models apply: a long is closed the first day its low
/// falls below `reference x (1 - distance)` (the reference is the entry fill, or the cost
/// basis of a held position), a short the first day its high rises above
/// `reference x (1 + distance)`, at the stop price, or at that day's open when the day
/// opened through the stop (a gap: the stop fills no better than the open).
public struct StopRule: Sendable, Equatable {
    /// The stop distance from the reference price (stop_loss_pct).
    public let distance: Double

    /// The stop `config` asks for, or nil without a stop-loss.
    public init?(config: ExperimentConfig) {
        guard config.useStopLoss else { return nil }
        distance = config.stopLossPct
    }

    /// The stop price of a position on `side` whose reference price is `reference`.
    public func level(_ side: Side = .long, from reference: Double) -> Double {
        side == .long ? reference * (1 - distance) : reference * (1 + distance)
    }

    /// The first day of `days` on which ticker `t` breaches `level` against a position on
    /// `side`, and the price the stop fills at (before costs). An open through the level
    /// counts from day `gapsFrom` on: the open a position was entered at cannot have gapped
    /// through its own stop.
    public func breach(_ panel: Panel, ticker t: Int, level: Double, side: Side = .long, days: Range<Int>,
                       gapsFrom: Int) -> (day: Int, price: Double)? {
        for k in days {
            let extreme = panel.value(side == .long ? .low : .high, ticker: t, day: k)
            guard extreme.isFinite else { continue }
            let open = panel.value(.open, ticker: t, day: k)
            if side == .long {
                if k >= gapsFrom, open.isFinite, open < level { return (k, open) }
                if extreme < level { return (k, level) }
            } else {
                if k >= gapsFrom, open.isFinite, open > level { return (k, open) }
                if extreme > level { return (k, level) }
            }
        }
        return nil
    }
}
