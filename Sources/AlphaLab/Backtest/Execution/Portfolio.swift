/// Positions held across periods, and cash: what a `rebalance` run owns.
///
/// Every fill pays the cost model's fraction of the price (buys above the reference
/// price, sells below it) and `transactionCost` of the fill's notional on top. Positions
/// are kept by ticker position and always visited in ticker order, so sums (and results)
/// never depend on hashing.
public struct Portfolio: Sendable, Equatable {
    /// One holding.
    public struct Position: Sendable, Equatable {
        public var shares: Double
        /// Average fill price paid per share: the stop-loss reference.
        public var costBasis: Double
        /// The day the position was opened from flat.
        public var openedOn: Int
    }

    /// What one fill did.
    public struct Fill: Sendable, Equatable {
        /// Traded notional at the reference price.
        public var notional: Double
        /// Slippage or spread and impact, plus transaction costs, in dollars.
        public var cost: Double
    }

    public var cash: Double
    public private(set) var positions: [Int: Position] = [:]
    /// Trading days each closed position was held, in the order they closed.
    public private(set) var holdingDays: [Int] = []

    public init(cash: Double) { self.cash = cash }

    /// The tickers held, in ticker order.
    public var tickers: [Int] { positions.keys.sorted() }

    /// Shares of ticker `t` held (0 when none).
    public func shares(_ t: Int) -> Double { positions[t]?.shares ?? 0 }

    /// Buys `shares` of `t` at `price x (1 + fraction)` plus `transactionCost` of the fill notional on day `day`.
    @discardableResult
    public mutating func buy(_ t: Int, shares: Double, price: Double, fraction: Double, transactionCost: Double, day: Int) -> Fill {
        let fillPrice = price * (1 + fraction)
        let fee = shares * fillPrice * transactionCost
        cash -= shares * fillPrice + fee
        if var p = positions[t] {
            p.costBasis = (p.shares * p.costBasis + shares * fillPrice) / (p.shares + shares)
            p.shares += shares
            positions[t] = p
        } else {
            positions[t] = Position(shares: shares, costBasis: fillPrice, openedOn: day)
        }
        return Fill(notional: shares * price, cost: shares * price * fraction + fee)
    }

    /// Sells `shares` of `t` (all of it when nil) at `price x (1 - fraction)` less
    /// `transactionCost` of the fill notional, on day `day`.
    @discardableResult
    public mutating func sell(_ t: Int, shares: Double? = nil, price: Double, fraction: Double, transactionCost: Double, day: Int) -> Fill {
        guard var p = positions[t] else { return Fill(notional: 0, cost: 0) }
        let q = min(shares ?? p.shares, p.shares)
        let fillPrice = price * (1 - fraction)
        let fee = q * fillPrice * transactionCost
        cash += q * fillPrice - fee
        p.shares -= q
        if shares == nil || p.shares <= 0 {
            positions[t] = nil
            holdingDays.append(day - p.openedOn)
        } else {
            positions[t] = p
        }
        return Fill(notional: q * price, cost: q * price * fraction + fee)
    }
}
