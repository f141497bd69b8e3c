/// Positions held across periods, and cash: what a `rebalance` run owns.
///
/// A position's shares are signed: a short holds negative shares, its sale's proceeds in
/// cash, so equity is always cash plus shares times price. Every fill pays the cost
/// model's fraction of the price (buys above the reference price, sells below it) and
/// `transactionCost` of the fill's notional on top. Positions are kept by ticker position
/// and always visited in ticker order, so sums (and results) never depend on hashing.
public struct Portfolio: Sendable, Equatable {
    /// One holding.
    public struct Position: Sendable, Equatable {
        /// Shares held: negative for a short.
        public var shares: Double
        /// Average fill price per share of the side held: the stop-loss reference.
        public var costBasis: Double
        /// The day the position was opened from flat.
        public var openedOn: Int
        /// The side the position is on.
        public var side: Side { shares < 0 ? .short : .long }
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

    /// The tickers held, long or short, in ticker order.
    public var tickers: [Int] { positions.keys.sorted() }

    /// Shares of ticker `t` held (negative for a short, 0 when none).
    public func shares(_ t: Int) -> Double { positions[t]?.shares ?? 0 }

    /// Trades `shares` of `t` (positive buys, negative sells; a sale beyond the shares held
    /// goes short, a purchase covers a short first) at `price x (1 ± fraction)` plus
    /// `transactionCost` of the fill notional, on day `day`. A position brought to zero
    /// (or through it) is closed; its holding days are recorded.
    @discardableResult
    public mutating func trade(_ t: Int, shares: Double, price: Double, fraction: Double, transactionCost: Double, day: Int) -> Fill {
        guard shares != 0 else { return Fill(notional: 0, cost: 0) }
        let fillPrice = price * (shares > 0 ? 1 + fraction : 1 - fraction)
        let fee = abs(shares) * fillPrice * transactionCost
        cash -= shares * fillPrice + fee
        let before = positions[t]
        let after = (before?.shares ?? 0) + shares
        if let p = before, (p.shares > 0) == (shares > 0) {
            // Adding to the side held: the cost basis averages.
            positions[t] = Position(shares: after, costBasis: (p.shares * p.costBasis + shares * fillPrice) / after, openedOn: p.openedOn)
        } else if let p = before, abs(after) <= abs(p.shares) * 1e-12 || (after > 0) == (p.shares > 0) {
            // Reducing it: the basis stays; closed when nothing is left.
            if abs(after) <= abs(p.shares) * 1e-12 {
                positions[t] = nil
                holdingDays.append(day - p.openedOn)
            } else {
                positions[t]!.shares = after
            }
        } else {
            // Opening from flat, or through zero to the other side.
            if let p = before { holdingDays.append(day - p.openedOn) }
            positions[t] = Position(shares: after, costBasis: fillPrice, openedOn: day)
        }
        return Fill(notional: abs(shares) * price, cost: abs(shares) * price * fraction + fee)
    }
}
