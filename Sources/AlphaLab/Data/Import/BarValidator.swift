/// Checks bars as they are read and decides, per problem, what happens:
///
/// - A bad value on one row (a number that does not parse, a price at or below
///   zero, high below low, a negative volume, a wrong number of fields) skips
///   that row with a counted warning: real files have the odd bad print, and one
///   must not cost a ticker its whole history.
/// - A broken order (a duplicate or an earlier date) rejects the whole file: the
///   file is not the single ascending history it claims to be, and no row of it
///   can be trusted to belong where it says.
struct BarValidator {
    let file: String
    private(set) var problems: [ImportProblem] = []
    /// The last accepted date and its line, per ticker.
    private var last: [String: (day: Day, line: Int)] = [:]

    init(file: String) { self.file = file }

    mutating func skip(_ line: Int, _ message: String) {
        problems.append(ImportProblem(file: file, line: line, message: message, action: .skippedRow))
    }

    func reject(_ line: Int?, _ message: String) -> ImportProblem {
        ImportProblem(file: file, line: line, message: message, action: .rejectedFile)
    }

    /// Validates one parsed row; returns false (after recording why) when it is skipped,
    /// and throws the file's rejection when dates are out of order.
    mutating func accept(ticker: String, day: Day, line: Int,
                         open: Double, high: Double, low: Double, close: Double, adjClose: Double, volume: Double) throws(ImportError) -> Bool {
        for (name, price) in [("open", open), ("high", high), ("low", low), ("close", close), ("adjusted close", adjClose)] where !(price > 0) {
            skip(line, "non-positive price \(price) in \(name)")
            return false
        }
        if high < low { skip(line, "high \(high) is below low \(low)"); return false }
        if !(volume >= 0) { skip(line, "negative volume \(volume)"); return false }
        if let previous = last[ticker] {
            if day == previous.day {
                throw .invalid(reject(line, "duplicate date \(day) for \(ticker) (first on line \(previous.line))"))
            }
            if day < previous.day {
                throw .invalid(reject(line, "unsorted dates: \(day) for \(ticker) comes after \(previous.day) on line \(previous.line)"))
            }
        }
        last[ticker] = (day, line)
        return true
    }
}
