/// How a portfolio moves from one decision's picks to the next.
public enum ExecutionModel: String, Sendable, Codable, CaseIterable {
    /// A portfolio that holds positions across periods and trades only the difference
    /// to its target weights at each decision, paying costs on traded notional (the default).
    case rebalance
    /// The seed's semantics: every position is bought at a decision's open and sold at the
    /// next decision's open, paying slippage and costs on the whole book twice a period.
    case roundTrip = "round_trip"
}

/// How the costs of a fill are estimated.
public enum CostModelKind: String, Sendable, Codable, CaseIterable {
    /// slippage_bps of the price on every fill (the seed's), plus transaction_cost_bps.
    case flat
    /// A half-spread plus square-root market impact, plus transaction_cost_bps.
    case squareRoot = "square_root"
}
