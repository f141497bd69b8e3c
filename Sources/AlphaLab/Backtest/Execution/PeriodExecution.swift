/// How a walk-forward carries out each period's decision: the seed's round trip
/// (``RoundTrip``) or a portfolio held across periods (``Rebalancer``). Each conformer
/// owns its book from the first period to the last and returns the same outcome, so
/// the walk-forward reads score -> select -> size -> execute -> record without caring
/// which one trades.
public protocol PeriodExecution {
    /// Trades `orders` at the decision day's open and holds to the exit day's open.
    mutating func execute(_ orders: PeriodOrders) -> PeriodOutcome
    /// Trading days each closed position was held, in the order they closed.
    var holdingDays: [Int] { get }
    /// The tickers held long into the next decision (the rank buffer keeps them while they rank well).
    var held: Set<Int> { get }
    /// The tickers held short into the next decision.
    var shorted: Set<Int> { get }
    /// Each held ticker's share of the book marked at close `day` (the scoring close of
    /// the next decision), negative for a short: where an optimizer's turnover is counted from.
    func heldWeights(atClose day: Int) -> [Int: Double]
}

/// One period's decision, as execution receives it.
public struct PeriodOrders: Sendable {
    /// The decision day: trades fill at its open.
    public var decisionDay: Int
    /// The next decision day: the period ends at its open.
    public var exitDay: Int
    /// The close the decision was made at.
    public var scoringDay: Int
    /// The picks, best first (a long-short book's longs, then its shorts), and their target
    /// weights (negative for a short).
    public var picks: [Selection.Candidate]
    public var weights: [Double]
    /// Why the period holds cash instead of the picks (nil: invested).
    public var cashReason: ExperimentResult.CashReason?
    /// Whether this is the run's last period (a held book is sold at its end).
    public var isLast: Bool
}

/// What one period did, whichever model executed it.
public struct PeriodOutcome: Sendable, Equatable {
    /// The portfolio's return over the period (0 in cash for the round trip).
    public var periodReturn: Double
    /// Equity at the end of the period.
    public var equity: Double
    /// What the picks returned, held or not (the shadow return while in cash).
    public var picksReturn: Double
    /// Each pick's return over the period with its costs (NaN when nothing was bought).
    public var pickReturns: [Double]
    /// Whether each pick's position was stopped out.
    public var stopped: [Bool]
    /// Notional traded at reference prices: the decision's trades, stops, forced sales.
    public var traded = 0.0
    /// Costs paid in dollars.
    public var costs = 0.0
    /// Notional the dollar-volume cap left undone.
    public var unfilled = 0.0
}

extension ExperimentConfig {
    /// The execution model the config asks for, starting with `initial_cash` on `panel`.
    public func periodExecution(on panel: Panel) -> any PeriodExecution {
        switch execution {
        case .roundTrip: RoundTrip(config: self, panel: panel)
        case .rebalance: Rebalancer(config: self, panel: panel)
        }
    }
}
