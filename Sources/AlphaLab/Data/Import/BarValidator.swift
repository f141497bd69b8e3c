/// Checks bars as they are read: a bad value on one row (a number that does not
/// parse, a price at or below zero, high below low, a negative volume, a wrong number
/// of fields) skips that row with a counted warning: real files have the odd bad
/// print, and one must not cost a ticker its whole history. (Row order is the
/// importer's business: it sorts, and rejects a file with a duplicate date.)
struct BarValidator {
    let file: String
    private(set) var problems: [ImportProblem] = []

    init(file: String) { self.file = file }

    mutating func skip(_ line: Int, _ message: String) {
        problems.append(ImportProblem(file: file, line: line, message: message, action: .skippedRow))
    }

    func reject(_ line: Int?, _ message: String) -> ImportProblem {
        ImportProblem(file: file, line: line, message: message, action: .rejectedFile)
    }

    /// Validates one parsed row; returns false (after recording why) when it is skipped.
    mutating func accept(line: Int, open: Double, high: Double, low: Double, close: Double, adjClose: Double, volume: Double) -> Bool {
        for (name, price) in [("open", open), ("high", high), ("low", low), ("close", close), ("adjusted close", adjClose)] where !(price > 0) {
            skip(line, "non-positive price \(price) in \(name)")
            return false
        }
        if high < low { skip(line, "high \(high) is below low \(low)"); return false }
        if !(volume >= 0) { skip(line, "negative volume \(volume)"); return false }
        return true
    }
}
