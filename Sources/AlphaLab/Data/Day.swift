/// A calendar day, stored as days since 1970-01-01 (proleptic Gregorian, no time zone).
///
/// Market data is daily; a plain day count makes date arithmetic, hashing and
/// binary search trivial and keeps panels compact.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var ordinal: Int32

    /// Creates a day from its day count since 1970-01-01.
    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Creates a day from a year, month (1-12) and day of month (1-31); nil when invalid.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`2020-01-02 00:00:00`, as pandas writes).
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        let parsed = utf8.withUnsafeMutableBufferPointer { Day(isoBytes: UnsafeBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses `YYYY-MM-DD` from raw bytes (the CSV readers' hot path); trailing time text is ignored.
    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        if b.count > 10 && b[10] != UInt8(ascii: " ") && b[10] != UInt8(ascii: "T") { return nil }
        func digits(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for i in from..<to {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = digits(0, 4), let m = digits(5, 7), let d = digits(8, 10),
              let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    /// Year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(ordinal) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The calendar year.
    public var year: Int { components.year }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let w = (Int(ordinal) + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The Monday of this day's week; every day of a Monday-to-Sunday week shares it.
    public var weekStart: Day { Day(ordinal: ordinal - Int32(weekday - 1)) }

    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + Int32(n)) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        // ISO 8601: four-digit years (0993-03-08, never 993-03-08).
        let year = String(y)
        return (y >= 0 && y < 1000 ? String(repeating: "0", count: 4 - year.count) : "") + year + "-" + (m < 10 ? "0" : "") + String(m)
            + "-" + (d < 10 ? "0" : "") + String(d)
    }

    /// Writes `YYYY-MM-DD` into the ten bytes at `bytes` (the store's hot path, where a
    /// String per row would cost more than the row's insert); years outside 0...9999
    /// never reach it (the importers keep 1800...2199).
    func writeISO(into bytes: UnsafeMutablePointer<UInt8>) {
        let (y, m, d) = components
        func put(_ value: Int, at offset: Int, width: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(y, at: 0, width: 4)
        bytes[4] = UInt8(ascii: "-")
        put(m, at: 5, width: 2)
        bytes[7] = UInt8(ascii: "-")
        put(d, at: 8, width: 2)
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
