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

    /// What the breaker will do at the next decision, whose opening equity (the mark it
    /// records first) is not known yet: live picks decide before the open.
    public enum Outlook: Sendable, Equatable {
        /// No breaker (circuit_breaker_drawdown 0).
        case off
        /// Cash at the next decision: `cashPeriodsLeft` periods in cash, this one included
        /// (fewer if the shadow equity recovers first, when the config resumes early).
        case tripped(cashPeriodsLeft: Int)
        /// Invested again at the next decision: the cash periods are over.
        case resuming
        /// Cash at the next decision only if equity at its open is at or below `cashAtOrBelow`
        /// (`peak` x (1 - drawdown)).
        case armed(cashAtOrBelow: Double, peak: Double)
    }

    /// Where the breaker stands before the next decision's mark.
    public var outlook: Outlook {
        guard drawdown > 0 else { return .off }
        if remaining > 1 { return .tripped(cashPeriodsLeft: remaining - 1) }
        if remaining == 1 { return .resuming }
        return .armed(cashAtOrBelow: peak * (1 - drawdown), peak: peak)
    }

    /// The breaker of `config` after the equity marks of an account's history, oldest first:
    /// the equity at each decision's open after the first (as the backtest records them),
    /// with what the picks returned over the period that mark ends (the shadow return,
    /// which only the early recovery reads; 0 when unknown).
    public static func replaying(_ marks: [(equity: Double, shadowReturn: Double)], config: ExperimentConfig) -> CircuitBreaker {
        var breaker = CircuitBreaker(config: config)
        for mark in marks { breaker.record(equity: mark.equity, shadowReturn: mark.shadowReturn) }
        return breaker
    }

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
