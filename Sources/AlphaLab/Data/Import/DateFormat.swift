/// How a file writes its dates: `YYYY-MM-DD` (ISO 8601, the default) or a pattern
/// such as `MM/DD/YYYY` or `DD.MM.YYYY`, where `YYYY`, `MM` and `DD` stand for the
/// year, month and day (a month or day of one digit is read too) and every other
/// character must appear as written.
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    private enum Part: Equatable { case year, month, day, literal(UInt8) }
    private let parts: [Part]
    /// The pattern as given.
    public let pattern: String

    /// ISO 8601 dates; a trailing time (`2020-01-02 00:00:00`, `2020-01-02T...`) is ignored.
    public static let iso = try! DateFormat("YYYY-MM-DD")

    /// A format from its pattern; throws when the pattern lacks one of `YYYY`, `MM`, `DD`
    /// or has one twice.
    public init(_ pattern: String) throws(DateFormatError) {
        self.pattern = pattern
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            if rest.hasPrefix("YYYY") { parts.append(.year); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("MM") { parts.append(.month); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("DD") { parts.append(.day); rest = rest.dropFirst(2) }
            else if c.isASCII, !c.isLetter, !c.isNumber { parts.append(.literal(c.asciiValue!)); rest = rest.dropFirst() }
            else { throw DateFormatError(pattern: pattern, problem: "'\(c)' is neither YYYY, MM, DD nor a separator") }
        }
        for (token, part) in [("YYYY", Part.year), ("MM", .month), ("DD", .day)] where parts.filter({ $0 == part }).count != 1 {
            throw DateFormatError(pattern: pattern, problem: "needs \(token) exactly once")
        }
        self.parts = parts
    }

    public var description: String { pattern }

    /// The date in `b`, or nil when it does not follow the pattern or names no real day.
    public func parse(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        if self == .iso { return Day(isoBytes: b) }
        var i = 0, year = 0, month = 0, day = 0
        func number(maxDigits: Int, exact: Bool) -> Int? {
            var value = 0, count = 0
            while i < b.count, count < maxDigits, b[i] >= 48, b[i] <= 57 {
                value = value * 10 + Int(b[i]) - 48
                i += 1
                count += 1
            }
            return count == 0 || (exact && count != maxDigits) ? nil : value
        }
        for part in parts {
            switch part {
            case .year: guard let v = number(maxDigits: 4, exact: true) else { return nil }; year = v
            case .month: guard let v = number(maxDigits: 2, exact: false) else { return nil }; month = v
            case .day: guard let v = number(maxDigits: 2, exact: false) else { return nil }; day = v
            case .literal(let c): guard i < b.count, b[i] == c else { return nil }; i += 1
            }
        }
        guard i == b.count || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T") else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// The date in `text`, or nil.
    public func parse(_ text: String) -> Day? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }
}

/// A date pattern that cannot be used.
public struct DateFormatError: Error, Equatable, CustomStringConvertible {
    public init(pattern: String, problem: String) {
        self.pattern = pattern
        self.problem = problem
    }
    public var pattern: String
    public var problem: String
    public var description: String { "date format '\(pattern)': \(problem) (e.g. YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY)" }
}
