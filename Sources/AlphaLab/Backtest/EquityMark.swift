import Foundation

/// An account's equity at one decision's open, for the circuit breaker of live picks:
/// the file `alphalab picks --equity` reads (`date,equity`, and optionally `picks_return`,
/// what the picks returned over the period the mark ends, for the breaker's early recovery).
public struct EquityMark: Sendable, Equatable {
    public var date: Day
    public var equity: Double
    /// The picks' return over the period this mark ends (the breaker's shadow return); 0 when unknown.
    public var picksReturn: Double

    public init(date: Day, equity: Double, picksReturn: Double = 0) {
        self.date = date
        self.equity = equity
        self.picksReturn = picksReturn
    }

    /// The marks of a CSV with a header naming `date` and `equity` (and optionally
    /// `picks_return`), oldest first; dates must rise, equity must be positive. A bad file
    /// is an error naming its line.
    public static func read(path: String) throws(ImportError) -> [EquityMark] {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path) }
        var columns: (date: Int, equity: Int, picks: Int?)?
        var marks: [EquityMark] = []
        var failure: ImportError?
        reader.forEachRecord { line, record in
            func fail(_ problem: String) -> Bool {
                failure = .invalid(ImportProblem(file: path, line: line, message: problem, action: .rejectedFile))
                return false
            }
            let fields = (0..<record.count).map { record.string($0).trimmingCharacters(in: .whitespaces) }
            guard let found = columns else {
                let header = fields.map { $0.lowercased() }
                guard let date = header.firstIndex(of: "date"), let equity = header.firstIndex(of: "equity") else {
                    return fail("expected a header with date and equity columns (and optionally picks_return), got '\(header.joined(separator: ","))'")
                }
                columns = (date, equity, header.firstIndex(of: "picks_return"))
                return true
            }
            guard fields.count > max(found.date, found.equity, found.picks ?? 0) else { return fail("expected \(max(found.date, found.equity) + 1) fields, got \(fields.count)") }
            guard let day = Day(fields[found.date]) else { return fail("date '\(fields[found.date])' is not YYYY-MM-DD") }
            guard let equity = Double(fields[found.equity]), equity > 0, equity.isFinite else { return fail("equity '\(fields[found.equity])' is not a positive number") }
            let picks = found.picks.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            guard picks == nil || Double(picks!)?.isFinite == true else { return fail("picks_return '\(picks!)' is not a number") }
            if let last = marks.last, day <= last.date { return fail("\(day) does not follow \(last.date): marks go oldest first, one a date") }
            marks.append(EquityMark(date: day, equity: equity, picksReturn: picks.flatMap(Double.init) ?? 0))
            return true
        }
        if let failure { throw failure }
        return marks
    }
}
