import Foundation

/// Reads a universe's membership from a file, in any of three shapes:
///
/// - spells, CSV with a header: `ticker,start_date,end_date` (`symbol`, `start`, `end`
///   are accepted too; an empty end means still a member), the shape of
///   `../shared/data/sp500/membership/sp500_ticker_start_end.csv`;
/// - Qlib's instrument files, tab-separated without a header: `TICKER<TAB>START<TAB>END`;
/// - snapshots, CSV with a header `date,tickers`: one row per date with the members on
///   it (a quoted list separated by commas, spaces or semicolons). A ticker is a member
///   from a snapshot that lists it to the day before the first later snapshot that does
///   not; the last snapshot's members stay members.
///
/// Anything wrong (an empty file, a missing column, an unparsable date, an end before
/// its start, two spells of one ticker that overlap, a date listed twice) is an error
/// naming the file and line; nothing is read from a file with an error.
public enum MembershipFile {
    /// The membership in `path`, named `name`; dates as `dateFormat` says.
    public static func read(path: String, name: String, dateFormat: DateFormat = .iso) throws(DataFileError) -> Membership {
        let bytes = try DataFileError.contents(of: path)
        guard let firstLine = String(decoding: bytes.prefix(4096), as: UTF8.self).split(whereSeparator: \.isNewline)
            .first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw DataFileError(file: path, line: nil, message: "empty file")
        }
        let spells: [(spell: Membership.Spell, line: Int)]
        if firstLine.contains("\t") {
            spells = try qlib(bytes, path: path, dateFormat: dateFormat)
        } else {
            spells = try csv(bytes, path: path, dateFormat: dateFormat)
        }
        if spells.isEmpty { throw DataFileError(file: path, line: nil, message: "no members (header only)") }
        try checkOverlaps(spells, path: path)
        return Membership(name: name, spells: spells.map(\.spell))
    }

    private static func spell(_ ticker: String, _ start: String, _ end: String, _ format: DateFormat, path: String,
                              line: Int) throws(DataFileError) -> Membership.Spell {
        let symbol = ticker.trimmingCharacters(in: .whitespaces).uppercased()
        if let problem = TickerSymbol.problem(symbol) { throw DataFileError(file: path, line: line, message: problem) }
        let first = try DataFileError.day(start, format, path: path, line: line, what: "start date")
        let last = end.isEmpty ? nil : try DataFileError.day(end, format, path: path, line: line, what: "end date")
        if let last, last < first { throw DataFileError(file: path, line: line, message: "\(symbol): end \(last) is before start \(first)") }
        return Membership.Spell(ticker: symbol, start: first, end: last)
    }

    private static func qlib(_ bytes: [UInt8], path: String, dateFormat: DateFormat) throws(DataFileError) -> [(spell: Membership.Spell, line: Int)] {
        var result: [(spell: Membership.Spell, line: Int)] = []
        for (i, raw) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Only spaces and line ends are trimmed: a trailing tab leaves an empty end date.
            let text = raw.trimmingCharacters(in: CharacterSet(charactersIn: " \r"))
            if text.isEmpty { continue }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else {
                throw DataFileError(file: path, line: i + 1, message: "expected 3 tab-separated fields (TICKER START END), found \(fields.count)")
            }
            result.append((try spell(fields[0], fields[1], fields[2], dateFormat, path: path, line: i + 1), i + 1))
        }
        return result
    }

    private static func csv(_ bytes: [UInt8], path: String, dateFormat: DateFormat) throws(DataFileError) -> [(spell: Membership.Spell, line: Int)] {
        let file = try HeaderedRows(bytes: bytes, path: path)
        if let date = file.column(["date"]), let list = file.column(["tickers", "members", "constituents", "symbols"]) {
            return try snapshots(file.rows, date: date, list: list, width: file.header.count, path: path, dateFormat: dateFormat)
        }
        guard let ticker = file.column(["ticker", "symbol", "instrument"]), let start = file.column(["start_date", "start"]),
              let end = file.column(["end_date", "end"]) else {
            throw DataFileError(file: path, line: 1, message: "expected a header ticker,start_date,end_date (spells) or date,tickers (snapshots), found '\(file.header.joined(separator: ","))'")
        }
        var result: [(spell: Membership.Spell, line: Int)] = []
        for row in file.rows {
            try file.checkWidth(row)
            result.append((try spell(row.fields[ticker], row.fields[start], row.fields[end], dateFormat, path: path, line: row.line), row.line))
        }
        return result
    }

    private static func snapshots(_ rows: [(line: Int, fields: [String])], date: Int, list: Int, width: Int, path: String,
                                  dateFormat: DateFormat) throws(DataFileError) -> [(spell: Membership.Spell, line: Int)] {
        var dated: [(day: Day, line: Int, members: Set<String>)] = []
        for row in rows {
            guard row.fields.count == width else {
                throw DataFileError(file: path, line: row.line, message: "expected \(width) fields (quote the list of tickers), found \(row.fields.count)")
            }
            let day = try DataFileError.day(row.fields[date], dateFormat, path: path, line: row.line, what: "date")
            let members = row.fields[list].split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map { $0.uppercased() }
            if let problem = members.lazy.compactMap(TickerSymbol.problem).first { throw DataFileError(file: path, line: row.line, message: problem) }
            dated.append((day, row.line, Set(members)))
        }
        dated.sort { ($0.day, $0.line) < ($1.day, $1.line) }
        for (a, b) in zip(dated, dated.dropFirst()) where a.day == b.day {
            throw DataFileError(file: path, line: max(a.line, b.line), message: "date \(a.day) listed twice (lines \(min(a.line, b.line)) and \(max(a.line, b.line)))")
        }
        // Walk the snapshots, opening a spell when a ticker appears and closing it the day
        // before the first snapshot that no longer lists it.
        var open: [String: (start: Day, line: Int)] = [:]
        var result: [(spell: Membership.Spell, line: Int)] = []
        for snapshot in dated {
            for (ticker, since) in open where !snapshot.members.contains(ticker) {
                result.append((Membership.Spell(ticker: ticker, start: since.start, end: Day(ordinal: snapshot.day.ordinal - 1)), since.line))
                open[ticker] = nil
            }
            for ticker in snapshot.members where open[ticker] == nil { open[ticker] = (snapshot.day, snapshot.line) }
        }
        for (ticker, since) in open { result.append((Membership.Spell(ticker: ticker, start: since.start, end: nil), since.line)) }
        return result.sorted { ($0.spell.ticker, $0.spell.start) < ($1.spell.ticker, $1.spell.start) }
    }

    private static func checkOverlaps(_ spells: [(spell: Membership.Spell, line: Int)], path: String) throws(DataFileError) {
        let sorted = spells.sorted { ($0.spell.ticker, $0.spell.start, $0.line) < ($1.spell.ticker, $1.spell.start, $1.line) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.spell.ticker == b.spell.ticker {
            if a.spell.end.map({ $0 >= b.spell.start }) ?? true {
                let (first, second) = (min(a.line, b.line), max(a.line, b.line))
                throw DataFileError(file: path, line: second, message: "spells of \(a.spell.ticker) overlap (lines \(first) and \(second))")
            }
        }
    }
}
