/// The full-day market holidays of the New York Stock Exchange, by rule.
///
/// Used to build trading calendars for synthetic markets and to check the
/// calendars of imported data. The rules are those in force since 1998
/// (Juneteenth from 2022); one-off closures (national days of mourning,
/// 2001-09-11..14, Hurricane Sandy 2012-10-29/30) are listed explicitly.
public enum NYSEHolidays {
    /// Whether the exchange is closed on `day` for a holiday (weekends are not holidays here).
    public static func isHoliday(_ day: Day) -> Bool {
        holidays(in: day.year).contains(day)
    }

    /// Whether `day` is a regular trading day: a weekday that is not a holiday.
    public static func isTradingDay(_ day: Day) -> Bool {
        day.weekday <= 5 && !isHoliday(day)
    }

    /// The first trading day after `day`.
    public static func nextTradingDay(after day: Day) -> Day {
        var next = day.adding(days: 1)
        while !isTradingDay(next) { next = next.adding(days: 1) }
        return next
    }

    /// Every trading day from `start` through `end`, inclusive.
    public static func tradingDays(from start: Day, through end: Day) -> [Day] {
        guard start <= end else { return [] }
        var closed = Set<Day>()
        for year in start.year...end.year { closed.formUnion(holidays(in: year)) }
        var days: [Day] = []
        days.reserveCapacity(Int(end.ordinal - start.ordinal) * 5 / 7 + 2)
        var d = start
        while d <= end {
            if d.weekday <= 5 && !closed.contains(d) { days.append(d) }
            d = d.adding(days: 1)
        }
        return days
    }

    /// The holidays of one year.
    public static func holidays(in year: Int) -> Set<Day> {
        var days: [Day] = [
            observed(Day(year: year, month: 1, day: 1)!),
            nthWeekday(3, weekday: 1, month: 1, year: year),   // Martin Luther King Jr. Day
            nthWeekday(3, weekday: 1, month: 2, year: year),   // Washington's Birthday
            easterSunday(year).adding(days: -2),               // Good Friday
            lastWeekday(1, month: 5, year: year),              // Memorial Day
            observed(Day(year: year, month: 7, day: 4)!),
            nthWeekday(1, weekday: 1, month: 9, year: year),   // Labor Day
            nthWeekday(4, weekday: 4, month: 11, year: year),  // Thanksgiving
            observed(Day(year: year, month: 12, day: 25)!),
        ]
        if year >= 2022 { days.append(observed(Day(year: year, month: 6, day: 19)!)) }
        days += specialClosures.filter { $0.year == year }
        // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule 7.2).
        return Set(days.filter { $0.year == year && $0.weekday <= 5 })
    }

    static let specialClosures: [Day] = [
        "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11",
        "2007-01-02", "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
    ].map { Day($0)! }

    /// Saturday holidays move to Friday, Sunday holidays to Monday.
    static func observed(_ day: Day) -> Day {
        switch day.weekday {
        case 6: return day.adding(days: -1)
        case 7: return day.adding(days: 1)
        default: return day
        }
    }

    static func nthWeekday(_ n: Int, weekday: Int, month: Int, year: Int) -> Day {
        let first = Day(year: year, month: month, day: 1)!
        let offset = (weekday - first.weekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> Day {
        let last = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        return last.adding(days: -((last.weekday - weekday + 7) % 7))
    }

    /// Easter Sunday (anonymous Gregorian algorithm).
    static func easterSunday(_ year: Int) -> Day {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: day)!
    }
}
