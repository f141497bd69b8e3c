/// What one fill costs, as a fraction of the traded notional at the reference price
/// (the open the trade fills at). Buys fill at `price x (1 + fraction)`, sells at
/// `price x (1 - fraction)`; `transaction_cost_bps` (commissions, fees) comes on top.
public protocol CostModel: Sendable {
    /// The cost fraction of trading `notional` dollars of ticker `t`, judged on data up
    /// to `scoringDay` (the close before the trade).
    func fraction(_ panel: Panel, ticker t: Int, notional: Double, scoringDay: Int) -> Double
}

/// The seed's cost: a fixed slippage on every fill.
public struct FlatCost: CostModel, Equatable {
    /// Fraction of the price (slippage_bps / 10000).
    public var slippage: Double

    public init(slippage: Double) { self.slippage = slippage }

    public func fraction(_ panel: Panel, ticker t: Int, notional: Double, scoringDay: Int) -> Double { slippage }
}

/// The square-root law of market impact: half the bid-ask spread plus
/// `k x daily volatility x sqrt(traded dollars / average daily dollar volume)`.
///
/// The square-root form and a coefficient of order one are the empirical consensus:
/// Almgren, Thum, Hauptmann and Li (2005, "Direct estimation of equity market impact")
/// estimate an exponent of 0.6 on Citigroup's US equity orders; Toth et al. (2011,
/// "Anomalous price impact and the critical nature of liquidity") find the square root
/// with a prefactor Y of order 1 across markets; Frazzini, Israel and Moskowitz (2018,
/// "Trading costs") fit the same form to AQR's live trades of 1998-2016 and find real
/// costs well below the usual academic estimates, dominated by the spread for trades
/// that are small against daily volume. The defaults (`half_spread_bps` 2, `impact_coefficient` 1) are those orders
/// of magnitude for large US stocks; volatility and dollar volume are the 20-day ones
/// known at the scoring close.
public struct SquareRootImpact: CostModel, Equatable {
    /// Half the quoted spread, as a fraction of the price.
    public var halfSpread: Double
    /// The impact coefficient k.
    public var coefficient: Double

    public init(halfSpread: Double, coefficient: Double) {
        self.halfSpread = halfSpread
        self.coefficient = coefficient
    }

    /// Unknown liquidity is not free: a ticker without a known dollar volume is charged as
    /// if it traded a whole day's volume (participation 1), and one without a known
    /// volatility at 2% a day.
    public func fraction(_ panel: Panel, ticker t: Int, notional: Double, scoringDay: Int) -> Double {
        let sigma = Liquidity.dailyVolatility(panel, ticker: t, day: scoringDay, days: Liquidity.averagingDays)
        let adv = Liquidity.dollarVolume(panel, ticker: t, day: scoringDay)
        let participation = adv > 0 ? abs(notional) / adv : 1
        return halfSpread + coefficient * (sigma.isFinite ? sigma : 0.02) * participation.squareRoot()
    }
}

extension ExperimentConfig {
    /// The cost model the config asks for.
    public var costModel: any CostModel {
        switch costModelKind {
        case .flat: FlatCost(slippage: slippageBps / 10_000)
        case .squareRoot: SquareRootImpact(halfSpread: halfSpreadBps / 10_000, coefficient: impactCoefficient)
        }
    }
}
