/// The `rebalance` execution model: a portfolio that keeps what stays, trades the
/// difference to each decision's target weights at the decision day's open, and pays
/// costs on what it trades.
///
/// One call of ``period(decision:exit:scoringDay:picks:weights:isLast:)`` does a
/// decision's trades and holds the result to the next decision day:
/// 1. A held ticker without an open on the decision day (its bars ended, or a halt) is
///    sold at its last close, with its delisting return when it left the market. A held
///    position that opens below its stop is stopped at that open and is not bought again
///    before the next decision.
/// 2. Targets are `weight x equity` at the open's prices. What left the picks is sold,
///    what entered is bought; a position that stayed is trimmed or topped up unless the
///    difference is smaller than `band x target` (the no-trade band). With `maxADV`, no
///    trade exceeds that fraction of the ticker's 20-day dollar volume; the rest is left
///    undone (cash for a buy, the old position for a sell) and counted as unfilled.
/// 3. Sells go first; buys are then scaled down together when their cost exceeds the cash.
/// 4. Until the next decision, shares are held and their weights drift with prices. The
///    ``StopRule`` applies to each position's cost basis; the proceeds are cash until the
///    next decision.
/// 5. Equity is marked at the next decision day's open (the last close for a ticker
///    without one); after the last period everything is sold.
///
/// While the walk-forward holds cash, the book is sold and the picks' round trips
/// (``RoundTripPricing``) give their shadow return.
public struct Rebalancer: PeriodExecution {
    public let panel: Panel
    public let costs: FillCosts
    /// Trims and top-ups smaller than this fraction of the target are skipped.
    public let band: Double
    /// Largest trade as a fraction of 20-day dollar volume; 0 is no limit.
    public let maxADV: Double
    public let stop: StopRule?
    /// The picks' round trips while in cash.
    public let shadow: RoundTripPricing
    public private(set) var portfolio: Portfolio
    /// Equity at the end of the last period (initial_cash before the first).
    public private(set) var equity: Double

    /// The rebalancer `config` asks for on `panel`.
    public init(config: ExperimentConfig, panel: Panel) {
        self.panel = panel
        costs = FillCosts(config: config)
        band = config.noTradeBand
        maxADV = config.maxADVPct
        stop = StopRule(config: config)
        shadow = RoundTripPricing(config: config, panel: panel)
        portfolio = Portfolio(cash: config.initialCash)
        equity = config.initialCash
    }

    public var holdingDays: [Int] { portfolio.holdingDays }
    public var held: Set<Int> { Set(portfolio.positions.keys) }

    public func heldWeights(atClose day: Int) -> [Int: Double] {
        // A position without a close that day is marked at its last one.
        // In ticker order (``Portfolio/tickers``): a dictionary's order is no order, and sums must repeat exactly.
        let tickers = portfolio.tickers
        let values = tickers.map { t in
            let price = panel.settlementPrice(ticker: t, day: day + 1)
            return price.isFinite ? portfolio.shares(t) * price : 0
        }
        let total = portfolio.cash + values.reduce(0, +)
        return total > 0 ? Dictionary(uniqueKeysWithValues: zip(tickers, values.map { $0 / total })) : [:]
    }

    public mutating func execute(_ orders: PeriodOrders) -> PeriodOutcome {
        let invested = orders.cashReason == nil
        let legs = invested ? nil : shadow.legs(orders, equity: equity)
        let held = period(decision: orders.decisionDay, exit: orders.exitDay, scoringDay: orders.scoringDay,
                          picks: invested ? orders.picks : [], weights: invested ? orders.weights : [], isLast: orders.isLast)
        let periodReturn = held.endValue / held.startValue - 1
        equity = held.endValue
        return PeriodOutcome(periodReturn: periodReturn, equity: equity, picksReturn: legs?.picksReturn ?? periodReturn,
                             pickReturns: legs?.trades.map(\.netReturn) ?? held.pickReturns,
                             stopped: legs?.trades.map(\.stopped) ?? held.stopped,
                             traded: held.traded, costs: held.costs, unfilled: held.unfilled)
    }

    /// What one period of the held book did.
    public struct Outcome: Sendable, Equatable {
        /// Equity marked at the decision day's open, before its trades.
        public var startValue: Double
        /// Equity marked at the next decision day's open (after the final sale for the last period).
        public var endValue: Double
        /// Notional traded at reference prices: the decision's trades, stops, forced sales.
        public var traded = 0.0
        /// Costs paid in dollars.
        public var costs = 0.0
        /// Notional the dollar-volume cap left undone.
        public var unfilled = 0.0
        /// Each pick's return over the period, its entry and exit costs included (NaN when nothing was bought).
        public var pickReturns: [Double] = []
        /// Whether each pick's position was stopped out.
        public var stopped: [Bool] = []

        mutating func add(_ fill: Portfolio.Fill) {
            traded += fill.notional
            costs += fill.cost
        }
    }

    /// Trades decision day `d` (scored at the close of `s`) to `weights` of `picks` (an
    /// empty list holds cash) and holds until `exit`; with `isLast`, sells everything at `exit`.
    public mutating func period(decision d: Int, exit: Int, scoringDay s: Int, picks: [Selection.Candidate], weights: [Double],
                                isLast: Bool) -> Outcome {
        var outcome = Outcome(startValue: equity(day: d), endValue: 0)
        let stoppedAtOpen = forcedSales(day: d, scoringDay: s, &outcome)
        let value = equity(day: d)
        var target: [Int: Double] = [:]
        for (c, w) in zip(picks, weights) where !stoppedAtOpen.contains(c.ticker) { target[c.ticker] = w * value }
        let (sells, buys) = trades(toward: target, day: d, scoringDay: s, &outcome)
        let entryCosts = fill(sells: sells, buys: buys, day: d, scoringDay: s, &outcome)
        // Each pick's value after the open's trades, with what trading it cost.
        let startValues = picks.map { c -> Double in
            portfolio.shares(c.ticker) * panel.value(.open, ticker: c.ticker, day: d) + (entryCosts[c.ticker] ?? 0)
        }
        let stopProceeds = holdWithStops(from: d, to: exit, &outcome)
        let endValues = close(at: exit, isLast: isLast, stopProceeds: stopProceeds, &outcome)
        outcome.endValue = equity(day: exit)
        outcome.pickReturns = zip(picks, startValues).map { c, start in start > 0 ? (endValues[c.ticker] ?? 0) / start - 1 : .nan }
        outcome.stopped = picks.map { stopProceeds[$0.ticker] != nil || stoppedAtOpen.contains($0.ticker) }
        return outcome
    }

    /// The price a held ticker is worth on `day` (``Panel/holdingPrice(ticker:day:)``).
    func mark(_ t: Int, day: Int) -> Double {
        ForwardReturn.exitPrice(panel, ticker: t, exitDay: day, fallback: 0)
    }

    /// Cash plus every position at ``mark(_:day:)``.
    func equity(day: Int) -> Double {
        portfolio.tickers.reduce(portfolio.cash) { $0 + portfolio.shares($1) * mark($1, day: day) }
    }

    private func hasOpen(_ t: Int, _ day: Int) -> Bool {
        let open = panel.value(.open, ticker: t, day: day)
        return open.isFinite && open > 0
    }

    /// Sells the whole position in `t` at `price` on `day`, its costs judged at `scoringDay`.
    private mutating func sellAll(_ t: Int, price: Double, day: Int, scoringDay: Int) -> Portfolio.Fill {
        let shares = portfolio.shares(t)
        return portfolio.sell(t, price: price, fraction: costs.fraction(panel, ticker: t, notional: shares * price, scoringDay: scoringDay),
                              transactionCost: costs.transactionCost, day: day)
    }

    /// Step 1: sells what has no open on `d` (bars ended, a halt) or gapped below its stop;
    /// returns the tickers stopped at the open.
    private mutating func forcedSales(day d: Int, scoringDay s: Int, _ outcome: inout Outcome) -> Set<Int> {
        var stoppedAtOpen: Set<Int> = []
        for t in portfolio.tickers {
            let price = mark(t, day: d)
            let ended = !hasOpen(t, d)
            let gapped = !ended && stop.map { price < $0.level(below: portfolio.positions[t]!.costBasis) } == true
            guard ended || gapped else { continue }
            outcome.add(sellAll(t, price: price, day: d, scoringDay: s))
            if gapped { stoppedAtOpen.insert(t) }
        }
        return stoppedAtOpen
    }

    /// Step 2: the notional to sell and to buy of each ticker to reach `target` dollars,
    /// within the no-trade band and the dollar-volume cap, in ticker order.
    private func trades(toward target: [Int: Double], day d: Int, scoringDay s: Int,
                        _ outcome: inout Outcome) -> (sells: [(Int, Double)], buys: [(Int, Double)]) {
        var sells: [(Int, Double)] = [], buys: [(Int, Double)] = []
        for t in Set(portfolio.tickers).union(target.keys).sorted() {
            let price = panel.value(.open, ticker: t, day: d)
            let wanted = target[t] ?? 0, current = portfolio.shares(t) * price
            var change = wanted - current
            if wanted > 0, current > 0, abs(change) < band * wanted { continue }
            if maxADV > 0 {
                let limit = maxADV * Liquidity.dollarVolume(panel, ticker: t, day: s)
                if !(abs(change) <= limit) {
                    let allowed = limit.isFinite ? limit : 0
                    outcome.unfilled += abs(change) - allowed
                    change = change < 0 ? -allowed : allowed
                }
            }
            if change < 0 { sells.append((t, -change)) } else if change > 0 { buys.append((t, change)) }
        }
        return (sells, buys)
    }

    /// Step 3: the sells, then the buys scaled to the cash; returns each ticker's trading cost.
    private mutating func fill(sells: [(Int, Double)], buys: [(Int, Double)], day d: Int, scoringDay s: Int,
                               _ outcome: inout Outcome) -> [Int: Double] {
        var entryCosts: [Int: Double] = [:]
        for (t, notional) in sells {
            let price = panel.value(.open, ticker: t, day: d)
            let all = notional >= portfolio.shares(t) * price * (1 - 1e-12)
            let fill = portfolio.sell(t, shares: all ? nil : notional / price, price: price,
                                      fraction: costs.fraction(panel, ticker: t, notional: notional, scoringDay: s),
                                      transactionCost: costs.transactionCost, day: d)
            outcome.add(fill)
            entryCosts[t] = fill.cost
        }
        let buyFractions = buys.map { costs.fraction(panel, ticker: $0.0, notional: $0.1, scoringDay: s) }
        let needed = zip(buys, buyFractions).reduce(0.0) { $0 + $1.0.1 * (1 + $1.1) * (1 + costs.transactionCost) }
        let scale = needed > portfolio.cash ? max(0, portfolio.cash) / needed : 1
        for ((t, notional), f) in zip(buys, buyFractions) {
            let price = panel.value(.open, ticker: t, day: d)
            let fill = portfolio.buy(t, shares: notional * scale / price, price: price, fraction: f,
                                     transactionCost: costs.transactionCost, day: d)
            outcome.add(fill)
            entryCosts[t] = fill.cost
        }
        return entryCosts
    }

    /// Step 4: holds from `d` to `exit`, selling at the stop; returns each stopped ticker's proceeds.
    private mutating func holdWithStops(from d: Int, to exit: Int, _ outcome: inout Outcome) -> [Int: Double] {
        var proceeds: [Int: Double] = [:]
        guard let stop else { return proceeds }
        for t in portfolio.tickers {
            let level = stop.level(below: portfolio.positions[t]!.costBasis)
            guard let breach = stop.breach(panel, ticker: t, level: level, days: d..<exit, gapsFrom: d) else { continue }
            let before = portfolio.cash
            outcome.add(sellAll(t, price: breach.price, day: breach.day, scoringDay: breach.day - 1))
            proceeds[t] = portfolio.cash - before
        }
        return proceeds
    }

    /// Step 5: each position's value at `exit` (sold there after the last period), with
    /// the stopped positions' proceeds.
    private mutating func close(at exit: Int, isLast: Bool, stopProceeds: [Int: Double], _ outcome: inout Outcome) -> [Int: Double] {
        var endValues = stopProceeds
        for t in portfolio.tickers {
            if isLast {
                let before = portfolio.cash
                outcome.add(sellAll(t, price: mark(t, day: exit), day: exit, scoringDay: exit - 1))
                endValues[t] = portfolio.cash - before
            } else {
                endValues[t] = portfolio.shares(t) * mark(t, day: exit)
            }
        }
        return endValues
    }
}
