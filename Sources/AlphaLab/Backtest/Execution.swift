/// How a position makes the seed's round trip: bought at the decision day's open plus
/// slippage, sold at the next decision day's open minus slippage, or earlier by a
/// stop-loss. (`rebalance` runs trade through ``Rebalancer`` instead.)
public struct Execution: Sendable, Equatable {
    /// Fraction of the price paid on each fill (slippage_bps / 10000).
    public var slippage: Double
    /// Fraction of the notional paid on each fill in addition (transaction_cost_bps / 10000).
    public var cost: Double
    /// Stop distance below the entry fill, or nil without a stop-loss.
    public var stop: Double?

    /// The fills `config` asks for.
    public init(config: ExperimentConfig) {
        slippage = config.slippageBps / 10_000
        cost = config.transactionCostBps / 10_000
        stop = config.useStopLoss ? config.stopLossPct : nil
    }

    public init(slippage: Double, cost: Double = 0, stop: Double? = nil) {
        self.slippage = slippage
        self.cost = cost
        self.stop = stop
    }

    /// The same fills with another slippage (a cost model's fraction for one trade).
    public func with(slippage: Double) -> Execution {
        var copy = self
        copy.slippage = slippage
        return copy
    }

    /// One position's life.
    public struct Trade: Sendable, Equatable {
        /// Buy fill (open x (1 + slippage)).
        public var entry: Double
        /// Sell fill (exit price x (1 - slippage)).
        public var exit: Double
        /// Return net of slippage and costs.
        public var netReturn: Double
        /// The day's position the position was closed on (the next decision day when held through).
        public var exitDay: Int
        /// Whether the stop closed it.
        public var stopped: Bool
    }

    /// The trade of ticker `t` entered at the open of `entryDay` and held until the open
    /// of `exitDay`, or nil when it cannot be bought (no open that day).
    ///
    /// With a stop at `entry x (1 - stop)`, the first day in `entryDay..<exitDay` whose low
    /// falls below it closes the position at the stop price, or at that day's open when
    /// the day opened below the stop (a gap: the stop fills no better than the open).
    /// A ticker without an open on `exitDay` (delisted, halted) is sold at its last close,
    /// with its delisting return when it left the market for good.
    public func trade(_ panel: Panel, ticker t: Int, entryDay: Int, exitDay: Int) -> Trade? {
        let open = panel.value(.open, ticker: t, day: entryDay)
        guard open.isFinite, open > 0 else { return nil }
        let entry = open * (1 + slippage)
        var exitPrice = Double.nan, closedOn = exitDay, stopped = false
        if let stop {
            let level = entry * (1 - stop)
            for k in entryDay..<exitDay {
                let low = panel.value(.low, ticker: t, day: k)
                guard low.isFinite else { continue }
                let dayOpen = panel.value(.open, ticker: t, day: k)
                if k > entryDay, dayOpen.isFinite, dayOpen < level {
                    exitPrice = dayOpen
                } else if low < level {
                    exitPrice = level
                } else {
                    continue
                }
                closedOn = k
                stopped = true
                break
            }
        }
        if !stopped { exitPrice = Self.exitPrice(panel, ticker: t, exitDay: exitDay, fallback: open) }
        let exit = exitPrice * (1 - slippage)
        return Trade(entry: entry, exit: exit, netReturn: exit / entry - 1 - 2 * cost, exitDay: closedOn, stopped: stopped)
    }

    /// The price a position held to `exitDay` is sold at, before slippage: its
    /// ``Panel/holdingPrice(ticker:day:)``, or `fallback` when it has none.
    static func exitPrice(_ panel: Panel, ticker t: Int, exitDay: Int, fallback: Double) -> Double {
        let price = panel.holdingPrice(ticker: t, day: exitDay)
        return price.isFinite ? price : fallback
    }

    /// The open-to-open return of a ticker over a period, without costs: what the
    /// prediction-quality figures compare scores with.
    public static func realisedReturn(_ panel: Panel, ticker t: Int, entryDay: Int, exitDay: Int) -> Double {
        let open = panel.value(.open, ticker: t, day: entryDay)
        guard open.isFinite, open > 0 else { return .nan }
        return exitPrice(panel, ticker: t, exitDay: exitDay, fallback: open) / open - 1
    }
}
