/// What a ticker's recent trading says about how costly and how risky it is to hold,
/// from bars up to a scoring close only (never the decision day's own).
public enum Liquidity {
    /// Days in the dollar-volume average (and the cost model's volatility).
    public static let averagingDays = 20

    /// Mean daily dollar volume (close x volume) over the `days` days ending at `day`,
    /// over the days with a bar; NaN when there is none.
    public static func dollarVolume(_ panel: Panel, ticker t: Int, day: Int, days: Int = averagingDays) -> Double {
        var total = 0.0, count = 0
        for d in max(0, day - days + 1)...day {
            let value = panel.value(.close, ticker: t, day: d) * panel.value(.volume, ticker: t, day: d)
            if value.isFinite { total += value; count += 1 }
        }
        return count == 0 ? .nan : total / Double(count)
    }

    /// Standard deviation of the daily close-to-close returns over the `days` returns
    /// ending at `day` (not annualised); NaN with fewer than two returns.
    public static func dailyVolatility(_ panel: Panel, ticker t: Int, day: Int, days: Int) -> Double {
        guard day >= 1 else { return .nan }
        var returns: [Double] = []
        returns.reserveCapacity(days)
        for d in max(1, day - days + 1)...day {
            let r = panel.value(.close, ticker: t, day: d) / panel.value(.close, ticker: t, day: d - 1) - 1
            if r.isFinite { returns.append(r) }
        }
        return returns.count < 2 ? .nan : Statistics.standardDeviation(returns)
    }
}
