/// The ordered trading days of a panel: its master time axis.
///
/// Every panel column is indexed by a position in this calendar. Look-ups by
/// day are binary searches, so a calendar of 30 years answers in a few steps.
public struct TradingCalendar: Sendable, Equatable, RandomAccessCollection {
    /// The trading days, strictly ascending.
    public let days: [Day]

    /// Creates a calendar; the days are sorted and de-duplicated.
    public init(days: some Sequence<Day>) {
        self.days = Array(Set(days)).sorted()
    }

    /// A calendar of NYSE trading days from `start` through `end`.
    public static func nyse(from start: Day, through end: Day) -> TradingCalendar {
        TradingCalendar(sortedUniqueDays: NYSEHolidays.tradingDays(from: start, through: end))
    }

    init(sortedUniqueDays: [Day]) { self.days = sortedUniqueDays }

    public var startIndex: Int { 0 }
    public var endIndex: Int { days.count }
    public subscript(position: Int) -> Day { days[position] }

    /// The position of `day`, or nil when it is not a trading day of this calendar.
    public func index(of day: Day) -> Int? {
        let i = firstIndex(onOrAfter: day)
        return i < days.count && days[i] == day ? i : nil
    }

    /// The position of the first trading day on or after `day` (`count` when there is none).
    public func firstIndex(onOrAfter day: Day) -> Int {
        var lo = 0, hi = days.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if days[mid] < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The position of the last trading day on or before `day` (nil when there is none).
    public func lastIndex(onOrBefore day: Day) -> Int? {
        let i = firstIndex(onOrAfter: day.adding(days: 1))
        return i > 0 ? i - 1 : nil
    }

    /// Positions of the first trading day of each Monday-to-Sunday week whose first
    /// trading day falls within `start...end` (a Tuesday after a Monday holiday, and so on).
    public func weekStarts(from start: Day, through end: Day) -> [Int] {
        var result: [Int] = []
        var i = firstIndex(onOrAfter: start)
        while i < days.count && days[i] <= end {
            // A day mid-week in range is skipped: a week counts only from its first trading day.
            if i == 0 || days[i - 1].weekStart != days[i].weekStart { result.append(i) }
            i += 1
        }
        return result
    }

    /// Positions of the first trading day of each calendar month within `start...end`.
    public func monthStarts(from start: Day, through end: Day) -> [Int] {
        var result: [Int] = []
        var i = firstIndex(onOrAfter: start)
        while i < days.count && days[i] <= end {
            let c = days[i].components
            if i == 0 || days[i - 1].components.month != c.month || days[i - 1].year != c.year {
                result.append(i)
            }
            i += 1
        }
        return result
    }
}
