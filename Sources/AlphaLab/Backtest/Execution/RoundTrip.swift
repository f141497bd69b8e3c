/// The seed's execution model (`execution = "round_trip"`): every period buys each pick
/// at the decision day's open plus its cost fraction and sells it at the next decision
/// day's open minus it, or earlier by the stop-loss, paying costs on the whole book
/// twice a period. A pick of negative weight (a `long_short` book's short) is sold short
/// at the open and covered at the exit, and pays the borrow fee for the days between.
///
/// Its book is flat between periods, so its state is its equity and the holding days
/// of the positions it closed.
public struct RoundTrip: PeriodExecution {
    /// Prices the picks' round trips.
    public let pricing: RoundTripPricing
    /// Equity after the last period (initial_cash before the first).
    public private(set) var equity: Double
    public private(set) var holdingDays: [Int] = []
    /// Nothing: every position is sold at the period's end.
    public var held: Set<Int> { [] }
    public var shorted: Set<Int> { [] }
    /// Nothing is held into a decision.
    public func heldWeights(atClose day: Int) -> [Int: Double] { [:] }

    /// The round trips `config` asks for on `panel`.
    public init(config: ExperimentConfig, panel: Panel) {
        pricing = RoundTripPricing(config: config, panel: panel)
        equity = config.initialCash
    }

    public mutating func execute(_ orders: PeriodOrders) -> PeriodOutcome {
        let legs = pricing.legs(orders, equity: equity)
        let startEquity = equity
        let invested = orders.cashReason == nil
        let periodReturn = invested ? legs.picksReturn : 0
        equity *= 1 + periodReturn
        var outcome = PeriodOutcome(periodReturn: periodReturn, equity: equity, picksReturn: legs.picksReturn,
                                    pickReturns: legs.trades.map(\.netReturn), stopped: legs.trades.map(\.stopped))
        guard invested else { return outcome }
        let panel = pricing.panel, d = orders.decisionDay
        for i in orders.picks.indices {
            let open = panel.value(.open, ticker: orders.picks[i].ticker, day: d), trade = legs.trades[i]
            let size = abs(orders.weights[i]) * startEquity
            let shares = size / trade.entry
            if orders.weights[i] < 0 {
                let exitPrice = trade.exit / (1 + legs.fractions[i])
                outcome.traded += shares * (open + exitPrice)
                outcome.costs += shares * (open - trade.entry + trade.exit - exitPrice) + 2 * pricing.costs.transactionCost * size
                    + pricing.costs.borrowFee(panel, value: size, from: d, to: trade.exitDay)
            } else {
                let exitPrice = trade.exit / (1 - legs.fractions[i])
                outcome.traded += shares * (open + exitPrice)
                outcome.costs += shares * (trade.entry - open + exitPrice - trade.exit) + 2 * pricing.costs.transactionCost * size
            }
            holdingDays.append(trade.exitDay - d)
        }
        return outcome
    }
}

/// The picks' round trips of one period: what ``RoundTrip`` trades, and under
/// `rebalance` the shadow return of the picks while the portfolio sits in cash (which
/// the circuit breaker follows).
public struct RoundTripPricing: Sendable {
    public let panel: Panel
    public let costs: FillCosts
    public let stop: StopRule?
    /// Whether the picks are equally weighted and all long (their mean return, the seed's sum).
    public let equalWeights: Bool

    /// The round trips `config` asks for on `panel`.
    public init(config: ExperimentConfig, panel: Panel) {
        self.panel = panel
        costs = FillCosts(config: config)
        stop = StopRule(config: config)
        equalWeights = config.weighting == .equal && config.book == .longOnly
    }

    /// One position's life.
    public struct Trade: Sendable, Equatable {
        /// Entry fill: a buy at open x (1 + fraction), a short sale at open x (1 - fraction).
        public var entry: Double
        /// Exit fill: a sale at the exit price x (1 - fraction), a cover at it x (1 + fraction).
        public var exit: Double
        /// Return net of the cost fraction and transaction costs (and a short's borrow fee).
        public var netReturn: Double
        /// The day the position was closed on (the next decision day when held through).
        public var exitDay: Int
        /// Whether the stop closed it.
        public var stopped: Bool
    }

    /// Every pick's round trip, each at its cost fraction for `weight x equity` dollars.
    public struct Legs: Sendable {
        public var trades: [Trade]
        public var fractions: [Double]
        /// The picks' return: their mean when equally weighted and long, else the sum of each
        /// trade's return times its weight's size (a short's return is what it kept of its sale).
        public var picksReturn: Double
    }

    /// The legs of `orders`' picks, sized on `equity`.
    public func legs(_ orders: PeriodOrders, equity: Double) -> Legs {
        let fractions = zip(orders.picks, orders.weights).map { c, w in
            costs.fraction(panel, ticker: c.ticker, notional: w * equity, scoringDay: orders.scoringDay)
        }
        let trades = orders.picks.indices.map { i in
            trade(ticker: orders.picks[i].ticker, fraction: fractions[i], side: orders.weights[i] < 0 ? .short : .long,
                  entryDay: orders.decisionDay, exitDay: orders.exitDay)!
        }
        let picksReturn = trades.isEmpty ? 0
            : equalWeights ? trades.reduce(0) { $0 + $1.netReturn } / Double(trades.count)
            : zip(trades, orders.weights).reduce(0) { $0 + $1.0.netReturn * abs($1.1) }
        return Legs(trades: trades, fractions: fractions, picksReturn: picksReturn)
    }

    /// The trade of ticker `t` on `side` entered at the open of `entryDay` and held until
    /// the open of `exitDay` or the ``StopRule``'s breach, each fill paying `fraction` of the
    /// price; nil when it cannot be entered (no open that day). A ticker without an open on
    /// `exitDay` (delisted, halted) is closed at its ``Panel/holdingPrice(ticker:day:)``,
    /// its delisting value for a short too.
    public func trade(ticker t: Int, fraction: Double, side: Side = .long, entryDay: Int, exitDay: Int) -> Trade? {
        let open = panel.value(.open, ticker: t, day: entryDay)
        guard open.isFinite, open > 0 else { return nil }
        let entry = open * (1 + side.sign * fraction)
        let breach = stop.flatMap {
            $0.breach(panel, ticker: t, level: $0.level(side, from: entry), side: side, days: entryDay..<exitDay, gapsFrom: entryDay + 1)
        }
        let exitPrice = breach?.price ?? ForwardReturn.exitPrice(panel, ticker: t, exitDay: exitDay, fallback: open)
        let exit = exitPrice * (1 - side.sign * fraction)
        let closed = breach?.day ?? exitDay
        let netReturn = side == .long ? exit / entry - 1 - 2 * costs.transactionCost
            : 1 - exit / entry - 2 * costs.transactionCost - costs.borrowFee(panel, value: 1, from: entryDay, to: closed)
        return Trade(entry: entry, exit: exit, netReturn: netReturn, exitDay: closed, stopped: breach != nil)
    }
}
