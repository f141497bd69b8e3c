/// The drawdown circuit breaker: after equity falls a set fraction below its peak,
/// the portfolio sits in cash for a number of periods, or until the strategy's shadow
/// equity (what its picks would have made) has recovered a set fraction off its low.
public struct CircuitBreaker: Sendable, Equatable {
    /// Trip at this drawdown; 0 is off.
    public var drawdown: Double
    /// Periods in cash after a trip.
    public var cashPeriods: Int
    /// Resume early on this rise of the shadow equity off its low; 0 is off.
    public var recovery: Double

    private var peak = 1.0
    private var remaining = 0
    private var shadow = 1.0, shadowLow = 1.0

    /// The breaker `config` asks for.
    public init(config: ExperimentConfig) {
        self.init(drawdown: config.circuitBreakerDrawdown, cashPeriods: config.circuitBreakerWeeks, recovery: config.circuitBreakerRecovery)
    }

    public init(drawdown: Double, cashPeriods: Int, recovery: Double = 0) {
        self.drawdown = drawdown
        self.cashPeriods = cashPeriods
        self.recovery = recovery
    }

    /// Whether the next period must hold cash.
    public var inCash: Bool { remaining > 0 }

    /// Records the equity after a period and what the picks returned (held or not).
    public mutating func record(equity: Double, shadowReturn: Double) {
        guard drawdown > 0 else { return }
        if remaining > 0 {
            remaining -= 1
            shadow *= 1 + shadowReturn
            shadowLow = min(shadowLow, shadow)
            if recovery > 0, shadow >= shadowLow * (1 + recovery) { remaining = 0 }
            // Back in the market: the drawdown that tripped the breaker is not held against it again.
            if remaining == 0 { peak = equity }
            return
        }
        peak = max(peak, equity)
        if equity <= peak * (1 - drawdown) {
            remaining = cashPeriods
            shadow = 1
            shadowLow = 1
        }
    }
}
