import AlphaLab
import Testing

@Suite struct CalendarTests {
    @Test func daysRoundTripThroughText() {
        for text in ["1970-01-01", "1999-11-01", "2000-02-29", "2020-08-31", "2025-12-31", "1969-12-31"] {
            #expect(Day(text)?.description == text)
        }
        #expect(Day("1970-01-01")?.ordinal == 0)
        #expect(Day("2020-01-02 00:00:00") == Day("2020-01-02"))
        #expect(Day("2021-02-29") == nil)
        #expect(Day("2021-13-01") == nil)
        #expect(Day("20210101") == nil)
        #expect(Day("2021-01-0x") == nil)
    }

    @Test func weekdaysAndWeekStarts() {
        #expect(Day("2020-01-20")!.weekday == 1) // a Monday
        #expect(Day("2024-06-16")!.weekday == 7) // a Sunday
        #expect(Day("2024-06-16")!.weekStart == Day("2024-06-10"))
        #expect(Day("2024-06-10")!.weekStart == Day("2024-06-10"))
    }

    @Test func nyseHolidaysOf2020And2022() {
        let expected2020 = ["2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25",
                            "2020-07-03", "2020-09-07", "2020-11-26", "2020-12-25"]
        #expect(NYSEHolidays.holidays(in: 2020) == Set(expected2020.map { Day($0)! }))
        // 2022: New Year's Day on a Saturday is not observed; Juneteenth observed on Monday the 20th.
        let expected2022 = ["2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20",
                            "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26"]
        #expect(NYSEHolidays.holidays(in: 2022) == Set(expected2022.map { Day($0)! }))
        #expect(NYSEHolidays.tradingDays(from: Day("2020-01-01")!, through: Day("2020-12-31")!).count == 253)
    }

    @Test(.needsSharedData) func realCalendarMatchesTheNYSERules() {
        // The S&P 500 files trade on exactly the NYSE days (2001-09-11 week and Sandy included).
        let panel = Fixtures.realStore.panel
        let span = panel.calendar.days.filter { $0 >= Day("2000-01-01")! && $0 <= Day("2021-04-21")! }
        #expect(span == NYSEHolidays.tradingDays(from: Day("2000-01-01")!, through: Day("2021-04-21")!))
    }

    @Test func weekStartsMoveToTuesdayAfterAMondayHoliday() {
        let calendar = TradingCalendar.nyse(from: Day("2020-01-01")!, through: Day("2020-02-29")!)
        let starts = calendar.weekStarts(from: Day("2020-01-01")!, through: Day("2020-02-29")!).map { calendar[$0].description }
        // Wednesday 2020-01-01 is a holiday, so the first week starts on Thursday the 2nd;
        // MLK day (Monday 20th) and Presidents' Day (Monday 17 Feb) move those weeks to Tuesday.
        #expect(starts == ["2020-01-02", "2020-01-06", "2020-01-13", "2020-01-21", "2020-01-27",
                           "2020-02-03", "2020-02-10", "2020-02-18", "2020-02-24"])
        // A range starting mid-week does not count that partial week.
        let mid = calendar.weekStarts(from: Day("2020-01-08")!, through: Day("2020-01-31")!).map { calendar[$0].description }
        #expect(mid == ["2020-01-13", "2020-01-21", "2020-01-27"])
        let months = calendar.monthStarts(from: Day("2020-01-01")!, through: Day("2020-02-29")!).map { calendar[$0].description }
        #expect(months == ["2020-01-02", "2020-02-03"])
    }

    @Test func calendarLookups() {
        let calendar = TradingCalendar.nyse(from: Day("2020-07-01")!, through: Day("2020-07-10")!)
        #expect(calendar.index(of: Day("2020-07-03")!) == nil) // Independence Day observed
        #expect(calendar.firstIndex(onOrAfter: Day("2020-07-03")!) == calendar.index(of: Day("2020-07-06")!))
        #expect(calendar.lastIndex(onOrBefore: Day("2020-07-05")!) == calendar.index(of: Day("2020-07-02")!))
        #expect(calendar.lastIndex(onOrBefore: Day("2020-06-30")!) == nil)
    }
}
