import Foundation

/// Reads delistings from a CSV file with a header naming three columns (any order, any
/// case, other columns ignored):
///
/// - the ticker: `ticker`, `symbol` or `tic`;
/// - the delisting date: `date`, `dlstdt` or `delisting_date`;
/// - the delisting return: `return`, `dlret` or `delisting_return`, a decimal in CRSP's
///   convention (-1 = total loss, 0.3 = +30%; a trailing `%` means percent).
///
/// The file is read whole or not at all: any problem (a missing column, a malformed
/// ticker (``TickerSymbol``), an unparsable date or return, an empty return, a return
/// below -100% or above +1,000%, a ticker listed twice) is an error naming the file and
/// line. An empty return is refused rather than guessed: CRSP leaves many performance
/// delistings without a DLRET, and the value to use (Shumway (1997) suggests -0.30) is
/// the analyst's call, written in the file.
public enum DelistingFile {
    /// The delistings in `path`, in file order; dates as `dateFormat` says.
    public static func read(path: String, dateFormat: DateFormat = .iso) throws(DataFileError) -> [Delisting] {
        let file = try HeaderedRows(bytes: try DataFileError.contents(of: path), path: path)
        guard let ticker = file.column(["ticker", "symbol", "tic"]), let date = file.column(["date", "dlstdt", "delisting_date"]),
              let value = file.column(["return", "dlret", "delisting_return"]) else {
            throw DataFileError(file: path, line: 1, message: "expected a header ticker,date,return (or CRSP's tic,dlstdt,dlret), found '\(file.header.joined(separator: ","))'")
        }
        var result: [Delisting] = []
        var seen: [String: Int] = [:]
        for row in file.rows {
            try file.checkWidth(row)
            let d = try delisting(row.fields[ticker], row.fields[date], row.fields[value], dateFormat, path: path, line: row.line)
            if let first = seen[d.ticker] {
                throw DataFileError(file: path, line: row.line, message: "\(d.ticker) is listed twice (lines \(first) and \(row.line)); a ticker delists once")
            }
            seen[d.ticker] = row.line
            result.append(d)
        }
        if result.isEmpty { throw DataFileError(file: path, line: nil, message: "no delistings (header only)") }
        return result
    }

    private static func delisting(_ ticker: String, _ date: String, _ value: String, _ format: DateFormat, path: String,
                                  line: Int) throws(DataFileError) -> Delisting {
        let symbol = ticker.uppercased()
        if let problem = TickerSymbol.problem(symbol) { throw DataFileError(file: path, line: line, message: problem) }
        let day = try DataFileError.day(date, format, path: path, line: line, what: "date")
        guard !value.isEmpty else {
            throw DataFileError(file: path, line: line, message: "\(symbol): empty return; write the value to use "
                                + "(0 settles at the last close; Shumway (1997) suggests -0.30 for a performance delisting)")
        }
        let percent = value.hasSuffix("%")
        guard let number = Double(percent ? String(value.dropLast()).trimmingCharacters(in: .whitespaces) : value), number.isFinite else {
            throw DataFileError(file: path, line: line, message: "\(symbol): unparsable return '\(value)' (a decimal: -1 is a total loss, 0.3 is +30%)")
        }
        let r = percent ? number / 100 : number
        guard r >= -1 else { throw DataFileError(file: path, line: line, message: "\(symbol): return \(value) is below -100%") }
        guard r <= 10 else {
            throw DataFileError(file: path, line: line, message: "\(symbol): return \(value) is above +1,000%: percent written as a decimal? (0.3 is +30%, or write 30%)")
        }
        return Delisting(ticker: symbol, day: day, delistingReturn: r)
    }
}
