/// The `rebalance` execution model: a portfolio that keeps what stays, trades the
/// difference to each decision's target weights at the decision day's open, and pays
/// costs on what it trades. Negative weights are shorts (a `long_short` book): the
/// same steps apply to them with the signs turned, and they pay the borrow fee.
///
/// One call of ``period(decision:exit:scoringDay:picks:weights:isLast:)`` does a
/// decision's trades and holds the result to the next decision day:
/// 1. A held ticker without an open on the decision day (its bars ended, or a halt) is
///    closed at its last close, with its delisting return when it left the market (a
///    short is covered at that value too). A held position that opens through its stop
///    is stopped at that open and is not traded again before the next decision.
/// 2. Targets are `weight x equity` at the open's prices. What left the picks is sold,
///    what entered is bought; a position that stayed is trimmed or topped up unless the
///    difference is smaller than `band x target` (the no-trade band). With `maxADV`, no
///    trade exceeds that fraction of the ticker's 20-day dollar volume; the rest is left
///    undone (cash for a buy, the old position for a sell) and counted as unfilled.
/// 3. Sells (and short sales) go first; buys (and covers) are then scaled down together
///    when their cost exceeds the cash.
/// 4. Until the next decision, shares are held and their weights drift with prices. The
///    ``StopRule`` applies to each position's cost basis; the proceeds are cash until the
///    next decision. Each short pays `borrow_bps` a year on its value at the decision's
///    open for the calendar days it is held in the period.
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
    public var held: Set<Int> { Set(portfolio.positions.filter { $0.value.shares > 0 }.keys) }
    public var shorted: Set<Int> { Set(portfolio.positions.filter { $0.value.shares < 0 }.keys) }

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
        // Each pick's value after the open's trades (negative for a short), with what trading it cost.
        let startValues = picks.map { c -> Double in
            portfolio.shares(c.ticker) * panel.value(.open, ticker: c.ticker, day: d) + (entryCosts[c.ticker] ?? 0)
        }
        let shortValues = Dictionary(uniqueKeysWithValues: portfolio.tickers.filter { portfolio.shares($0) < 0 }.map { t in
            (t, portfolio.shares(t) * panel.value(.open, ticker: t, day: d))
        })
        let stopProceeds = holdWithStops(from: d, to: exit, shortValues: shortValues, &outcome)
        let endValues = close(at: exit, from: d, isLast: isLast, shortValues: shortValues, stopProceeds: stopProceeds, &outcome)
        outcome.endValue = equity(day: exit)
        // A long's return is its end value over its cost; a short's is what it kept of the sale's proceeds.
        outcome.pickReturns = zip(picks, startValues).map { c, start in
            let end = endValues[c.ticker] ?? 0
            return start > 0 ? end / start - 1 : start < 0 ? (end - start) / -start : .nan
        }
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

    /// Closes the whole position in `t` (sells a long, covers a short) at `price` on `day`,
    /// its costs judged at `scoringDay`.
    private mutating func closeAll(_ t: Int, price: Double, day: Int, scoringDay: Int) -> Portfolio.Fill {
        let shares = portfolio.shares(t)
        return portfolio.trade(t, shares: -shares, price: price,
                               fraction: costs.fraction(panel, ticker: t, notional: abs(shares) * price, scoringDay: scoringDay),
                               transactionCost: costs.transactionCost, day: day)
    }

    /// Whether a position in `t` opening at `price` gapped through its stop.
    private func gapsThroughStop(_ t: Int, price: Double) -> Bool {
        guard let stop, let p = portfolio.positions[t] else { return false }
        let level = stop.level(p.side, from: p.costBasis)
        return p.side == .long ? price < level : price > level
    }

    /// Step 1: closes what has no open on `d` (bars ended, a halt) or gapped through its
    /// stop; returns the tickers stopped at the open.
    private mutating func forcedSales(day d: Int, scoringDay s: Int, _ outcome: inout Outcome) -> Set<Int> {
        var stoppedAtOpen: Set<Int> = []
        for t in portfolio.tickers {
            let price = mark(t, day: d)
            let ended = !hasOpen(t, d)
            let gapped = !ended && gapsThroughStop(t, price: price)
            guard ended || gapped else { continue }
            outcome.add(closeAll(t, price: price, day: d, scoringDay: s))
            if gapped { stoppedAtOpen.insert(t) }
        }
        return stoppedAtOpen
    }

    /// One trade of step 2: the notional to sell or buy of a ticker, and whether it takes
    /// the position to zero (then its shares, not the notional, say how much).
    private struct Order {
        var ticker: Int
        var notional: Double
        var closes: Bool
    }

    /// Step 2: the notional to sell and to buy of each ticker to reach `target` dollars
    /// (negative: short), within the no-trade band and the dollar-volume cap, in ticker order.
    private func trades(toward target: [Int: Double], day d: Int, scoringDay s: Int,
                        _ outcome: inout Outcome) -> (sells: [Order], buys: [Order]) {
        var sells: [Order] = [], buys: [Order] = []
        for t in Set(portfolio.tickers).union(target.keys).sorted() {
            let price = panel.value(.open, ticker: t, day: d)
            let wanted = target[t] ?? 0, current = portfolio.shares(t) * price
            var change = wanted - current
            if wanted != 0, (wanted > 0) == (current > 0), current != 0, abs(change) < band * abs(wanted) { continue }
            if maxADV > 0 {
                let limit = maxADV * Liquidity.dollarVolume(panel, ticker: t, day: s)
                if !(abs(change) <= limit) {
                    let allowed = limit.isFinite ? limit : 0
                    outcome.unfilled += abs(change) - allowed
                    change = change < 0 ? -allowed : allowed
                }
            }
            let closes = wanted == 0 && change == -current
            if change < 0 { sells.append(Order(ticker: t, notional: -change, closes: closes)) }
            else if change > 0 { buys.append(Order(ticker: t, notional: change, closes: closes)) }
        }
        return (sells, buys)
    }

    /// Step 3: the sells, then the buys scaled to the cash; returns each ticker's trading cost.
    private mutating func fill(sells: [Order], buys: [Order], day d: Int, scoringDay s: Int,
                               _ outcome: inout Outcome) -> [Int: Double] {
        var entryCosts: [Int: Double] = [:]
        for order in sells {
            let t = order.ticker, price = panel.value(.open, ticker: t, day: d)
            let held = portfolio.shares(t)
            // A sale of (nearly) the whole long sells its shares exactly.
            let all = order.closes || (held > 0 && order.notional >= held * price * (1 - 1e-12) && order.notional <= held * price * (1 + 1e-12))
            let fill = portfolio.trade(t, shares: all ? -held : -order.notional / price, price: price,
                                       fraction: costs.fraction(panel, ticker: t, notional: order.notional, scoringDay: s),
                                       transactionCost: costs.transactionCost, day: d)
            outcome.add(fill)
            entryCosts[t] = fill.cost
        }
        let buyFractions = buys.map { costs.fraction(panel, ticker: $0.ticker, notional: $0.notional, scoringDay: s) }
        let needed = zip(buys, buyFractions).reduce(0.0) { $0 + $1.0.notional * (1 + $1.1) * (1 + costs.transactionCost) }
        let scale = needed > portfolio.cash ? max(0, portfolio.cash) / needed : 1
        for (order, f) in zip(buys, buyFractions) {
            let t = order.ticker, price = panel.value(.open, ticker: t, day: d)
            let shares = order.closes && scale == 1 ? -portfolio.shares(t) : order.notional * scale / price
            let fill = portfolio.trade(t, shares: shares, price: price, fraction: f, transactionCost: costs.transactionCost, day: d)
            outcome.add(fill)
            entryCosts[t] = fill.cost
        }
        return entryCosts
    }

    /// Pays the borrow fee of short `t` (worth `value` at the decision's open `d`) up to day
    /// `to`; returns the fee.
    private mutating func payBorrow(_ t: Int, value: Double?, from d: Int, to: Int, _ outcome: inout Outcome) -> Double {
        guard let value else { return 0 }
        let fee = costs.borrowFee(panel, value: value, from: d, to: to)
        portfolio.cash -= fee
        outcome.costs += fee
        return fee
    }

    /// Step 4: holds from `d` to `exit`, closing at the stop; returns each stopped ticker's
    /// proceeds (negative for a covered short, its borrow fee included).
    private mutating func holdWithStops(from d: Int, to exit: Int, shortValues: [Int: Double], _ outcome: inout Outcome) -> [Int: Double] {
        var proceeds: [Int: Double] = [:]
        guard let stop else { return proceeds }
        for t in portfolio.tickers {
            let p = portfolio.positions[t]!
            let level = stop.level(p.side, from: p.costBasis)
            guard let breach = stop.breach(panel, ticker: t, level: level, side: p.side, days: d..<exit, gapsFrom: d) else { continue }
            let before = portfolio.cash
            outcome.add(closeAll(t, price: breach.price, day: breach.day, scoringDay: breach.day - 1))
            _ = payBorrow(t, value: shortValues[t], from: d, to: breach.day, &outcome)
            proceeds[t] = portfolio.cash - before
        }
        return proceeds
    }

    /// Step 5: each position's value at `exit` (closed there after the last period), its
    /// borrow fee for the period paid, with the stopped positions' proceeds.
    private mutating func close(at exit: Int, from d: Int, isLast: Bool, shortValues: [Int: Double], stopProceeds: [Int: Double],
                                _ outcome: inout Outcome) -> [Int: Double] {
        var endValues = stopProceeds
        for t in portfolio.tickers {
            let fee = payBorrow(t, value: shortValues[t], from: d, to: exit, &outcome)
            if isLast {
                let before = portfolio.cash
                outcome.add(closeAll(t, price: mark(t, day: exit), day: exit, scoringDay: exit - 1))
                endValues[t] = portfolio.cash - before - fee
            } else {
                endValues[t] = portfolio.shares(t) * mark(t, day: exit) - fee
            }
        }
        return endValues
    }
}
