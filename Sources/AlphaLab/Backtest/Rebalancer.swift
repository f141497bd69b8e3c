/// The `rebalance` execution model: a portfolio that keeps what stays, trades the
/// difference to each decision's target weights at the decision day's open, and pays
/// costs on what it trades.
///
/// One call of ``period(decision:exit:scoringDay:picks:weights:isLast:)`` does a
/// decision's trades and holds the result to the next decision day:
/// 1. A held ticker without an open on the decision day (its bars ended, or a halt) is
///    sold at its last close, with its delisting return when it left the market. A held position that opens below its stop is stopped at
///    that open and is not bought again before the next decision.
/// 2. Targets are `weight x equity` at the open's prices. What left the picks is sold,
///    what entered is bought; a position that stayed is trimmed or topped up unless the
///    difference is smaller than `band x target` (the no-trade band). With `maxADV`, no
///    trade exceeds that fraction of the ticker's 20-day dollar volume; the rest is left
///    undone (cash for a buy, the old position for a sell) and counted as unfilled.
/// 3. Sells go first; buys are then scaled down together when their cost exceeds the cash.
/// 4. Until the next decision, shares are held and their weights drift with prices. With
///    a stop, the first day whose low breaches `costBasis x (1 - stop)` sells at the stop,
///    or at that day's open when it opened below it; the proceeds are cash until the next
///    decision.
/// 5. Equity is marked at the next decision day's open (the last close for a ticker
///    without one); after the last period everything is sold.
public struct Rebalancer {
    public let panel: Panel
    public let costModel: any CostModel
    /// Fraction of each fill's notional paid on top (transaction_cost_bps / 10000).
    public let transactionCost: Double
    /// Trims and top-ups smaller than this fraction of the target are skipped.
    public let band: Double
    /// Largest trade as a fraction of 20-day dollar volume; 0 is no limit.
    public let maxADV: Double
    /// Stop distance below the cost basis, or nil without a stop-loss.
    public let stop: Double?
    public private(set) var portfolio: Portfolio

    /// The rebalancer `config` asks for on `panel`.
    public init(config: ExperimentConfig, panel: Panel) {
        self.panel = panel
        costModel = config.costModel
        transactionCost = config.transactionCostBps / 10_000
        band = config.noTradeBand
        maxADV = config.maxADVPct
        stop = config.useStopLoss ? config.stopLossPct : nil
        portfolio = Portfolio(cash: config.initialCash)
    }

    /// What one period did.
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
    }

    /// The price a held ticker is worth on `day` (``Panel/holdingPrice(ticker:day:)``).
    func mark(_ t: Int, day: Int) -> Double {
        let price = panel.holdingPrice(ticker: t, day: day)
        return price.isFinite ? price : 0
    }

    /// Cash plus every position at ``mark(_:day:)``.
    func equity(day: Int) -> Double {
        portfolio.tickers.reduce(portfolio.cash) { $0 + portfolio.shares($1) * mark($1, day: day) }
    }

    private func fraction(_ t: Int, notional: Double, scoringDay: Int) -> Double {
        costModel.fraction(panel, ticker: t, notional: notional, scoringDay: max(0, scoringDay))
    }

    private func hasOpen(_ t: Int, _ day: Int) -> Bool {
        let open = panel.value(.open, ticker: t, day: day)
        return open.isFinite && open > 0
    }

    /// Trades decision day `d` (scored at the close of `s`) to `weights` of `picks` (an
    /// empty list holds cash) and holds until `exit`; with `isLast`, sells everything at `exit`.
    public mutating func period(decision d: Int, exit: Int, scoringDay s: Int, picks: [Selection.Candidate], weights: [Double],
                                isLast: Bool) -> Outcome {
        var outcome = Outcome(startValue: equity(day: d), endValue: 0)
        func record(_ fill: Portfolio.Fill) {
            outcome.traded += fill.notional
            outcome.costs += fill.cost
        }

        // 1. Forced sales: bars ended (or halted) at the open, or gapped below the stop.
        var stoppedAtOpen: Set<Int> = []
        for t in portfolio.tickers {
            let price = mark(t, day: d), shares = portfolio.shares(t)
            let ended = !hasOpen(t, d)
            let gapped = !ended && stop.map { price < portfolio.positions[t]!.costBasis * (1 - $0) } == true
            guard ended || gapped else { continue }
            record(portfolio.sell(t, price: price, fraction: fraction(t, notional: shares * price, scoringDay: s),
                                  transactionCost: transactionCost, day: d))
            if gapped { stoppedAtOpen.insert(t) }
        }

        // 2. Targets and the trades to reach them.
        let value = equity(day: d)
        var target: [Int: Double] = [:]
        for (c, w) in zip(picks, weights) where !stoppedAtOpen.contains(c.ticker) { target[c.ticker] = w * value }
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

        // 3. Sells, then buys within the cash.
        var entryCosts: [Int: Double] = [:]
        for (t, notional) in sells {
            let price = panel.value(.open, ticker: t, day: d)
            let all = notional >= portfolio.shares(t) * price * (1 - 1e-12)
            let fill = portfolio.sell(t, shares: all ? nil : notional / price, price: price,
                                      fraction: fraction(t, notional: notional, scoringDay: s), transactionCost: transactionCost, day: d)
            record(fill)
            entryCosts[t] = fill.cost
        }
        let buyFractions = buys.map { fraction($0.0, notional: $0.1, scoringDay: s) }
        let needed = zip(buys, buyFractions).reduce(0.0) { $0 + $1.0.1 * (1 + $1.1) * (1 + transactionCost) }
        let scale = needed > portfolio.cash ? max(0, portfolio.cash) / needed : 1
        for ((t, notional), f) in zip(buys, buyFractions) {
            let price = panel.value(.open, ticker: t, day: d)
            let fill = portfolio.buy(t, shares: notional * scale / price, price: price, fraction: f, transactionCost: transactionCost, day: d)
            record(fill)
            entryCosts[t] = fill.cost
        }

        // Each pick's value after the open's trades, with what trading it cost.
        let startValues = picks.map { c -> Double in
            portfolio.shares(c.ticker) * panel.value(.open, ticker: c.ticker, day: d) + (entryCosts[c.ticker] ?? 0)
        }

        // 4. Hold to the exit, with stops.
        var stopProceeds: [Int: Double] = [:]
        if let stop {
            for t in portfolio.tickers {
                let level = portfolio.positions[t]!.costBasis * (1 - stop)
                for k in d..<exit {
                    let low = panel.value(.low, ticker: t, day: k)
                    guard low.isFinite else { continue }
                    let open = panel.value(.open, ticker: t, day: k)
                    let price: Double
                    if open.isFinite, open < level { price = open } else if low < level { price = level } else { continue }
                    let shares = portfolio.shares(t), before = portfolio.cash
                    record(portfolio.sell(t, price: price, fraction: fraction(t, notional: shares * price, scoringDay: k - 1),
                                          transactionCost: transactionCost, day: k))
                    stopProceeds[t] = portfolio.cash - before
                    break
                }
            }
        }

        // 5. Mark at the exit, or sell everything after the last period.
        var endValues: [Int: Double] = stopProceeds
        if isLast {
            for t in portfolio.tickers {
                let price = mark(t, day: exit), shares = portfolio.shares(t), before = portfolio.cash
                record(portfolio.sell(t, price: price, fraction: fraction(t, notional: shares * price, scoringDay: exit - 1),
                                      transactionCost: transactionCost, day: exit))
                endValues[t] = portfolio.cash - before
            }
        } else {
            for t in portfolio.tickers { endValues[t] = portfolio.shares(t) * mark(t, day: exit) }
        }
        outcome.endValue = equity(day: exit)
        outcome.pickReturns = zip(picks, startValues).map { c, start in start > 0 ? (endValues[c.ticker] ?? 0) / start - 1 : .nan }
        outcome.stopped = picks.map { stopProceeds[$0.ticker] != nil || stoppedAtOpen.contains($0.ticker) }
        return outcome
    }
}
