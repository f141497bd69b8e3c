import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab import FORMAT SOURCE [--sectors CSV] [--db PATH]`, and
/// `alphalab import membership FILE --universe NAME`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import daily prices into the price store.",
        discussion: """
            FORMAT is one of: alphavantage, yahoo, long, marketdb. SOURCE is a file or a folder of files; \
            for per-ticker formats the ticker comes from the file name (SPY.csv is SPY, \
            DA-AAPL-T-2021-04-21.csv is AAPL). Rows may come in any order: they are sorted by date.

            A file with a broken structure (empty, missing a column, not CSV, two rows of a ticker on one date) \
            is rejected and named; a row with a bad value (unparsable number or date, price at or below zero, \
            high below low, wrong field count) is skipped with a warning. The rest imports in one \
            transaction: an interrupted import leaves the store as it was.

            FORMAT membership imports a universe's point-in-time membership (index constituents) under \
            --universe NAME, replacing what that universe held: spells (ticker,start_date,end_date; an \
            empty end means still a member), Qlib's tab-separated TICKER START END files, or snapshots \
            (date,tickers with the members of each date). Any error names the file and line and imports nothing.
            """
    )

    @Argument(help: "alphavantage, yahoo, long, marketdb or membership.")
    var format: String

    @Argument(help: "A file or a folder of files.")
    var source: String

    @Option(help: ArgumentHelp("A constituents CSV (Symbol,Name,Sector) for names and sectors.", valueName: "CSV"))
    var sectors: String?

    @Option(help: ArgumentHelp("long files: the ticker column's header when it is not ticker or symbol.", valueName: "NAME"))
    var tickerColumn: String?

    @Option(help: ArgumentHelp("How dates are written, e.g. MM/DD/YYYY or DD.MM.YYYY (default YYYY-MM-DD).", valueName: "PATTERN"))
    var dateFormat: String?

    @Option(help: ArgumentHelp("membership: the universe's name (e.g. sp500).", valueName: "NAME"))
    var universe: String?

    @OptionGroup var store: StoreOption

    @Flag(help: "Print every skipped row, not just the first few.")
    var verbose = false

    func run() throws {
        var dates = DateFormat.iso
        if let dateFormat {
            do throws(DateFormatError) { dates = try DateFormat(dateFormat) } catch { throw CommandFailure(description: error.description) }
        }
        if format.lowercased() == "membership" { return try importMembership(dates) }
        if universe != nil { throw CommandFailure(description: "--universe is for `alphalab import membership FILE --universe NAME`") }
        guard let format = ImportFormat(rawValue: format.lowercased()) else {
            throw CommandFailure(description: ImportError.unknownFormat(format).description + ", membership")
        }
        if tickerColumn != nil && format != .long { throw CommandFailure(description: "--ticker-column is for long files (one file with a ticker column)") }
        let clock = Stopwatch()
        let info = try sectors.map { path in try readSectorFile(path: path) } ?? []
        let batch = try PriceImporter(format: format, options: CSVImportOptions(tickerColumn: tickerColumn, dateFormat: dates)).read(source: source)
        for problem in batch.rejectedFiles { FileHandle.standardError.write("rejected: \(problem)\n") }
        let skipped = batch.skippedRows
        for problem in verbose ? skipped : Array(skipped.prefix(10)) { FileHandle.standardError.write("warning: \(problem)\n") }
        if !verbose && skipped.count > 10 { FileHandle.standardError.write("warning: \(skipped.count - 10) more rows skipped (--verbose lists them)\n") }
        guard !batch.bars.isEmpty || !info.isEmpty else {
            throw CommandFailure(description: "\(source): nothing to import (\(batch.rejectedFiles.count) of \(batch.filesRead) files rejected)")
        }
        let store = try PriceStore(path: self.store.resolved)
        let written = try store.write(batch, info: info, format: format, source: source)
        print("imported \(written.rows) rows for \(written.tickers) tickers from \(batch.filesRead - batch.rejectedFiles.count) of \(batch.filesRead) files"
              + (info.isEmpty ? "" : ", \(info.count) sector entries") + " into \(store.path) in \(String(format: "%.1f", clock.seconds)) s")
        if !batch.problems.isEmpty {
            print("\(batch.rejectedFiles.count) files rejected, \(skipped.count) rows skipped (see messages above)")
        }
    }
}

extension ImportCommand {
    /// Reads a membership file whole, then stores it in one transaction.
    func importMembership(_ dates: DateFormat) throws {
        guard let universe, !universe.isEmpty else {
            throw CommandFailure(description: "import membership needs --universe NAME (the name configs use: universe = \"NAME\")")
        }
        guard ![Universe.allName, Universe.survivorsName].contains(universe) else {
            throw CommandFailure(description: "--universe \(universe): the name is built in; choose another")
        }
        let clock = Stopwatch()
        let membership: Membership
        do { membership = try MembershipFile.read(path: source, name: universe, dateFormat: dates) } catch {
            throw CommandFailure(description: error.description)
        }
        let store = try PriceStore(path: self.store.resolved)
        try store.write(membership, source: source)
        print("imported universe \(universe): \(membership.spells.count) spells of \(membership.tickers.count) tickers, "
              + "\(membership.first?.description ?? "-") .. \(membership.last?.description ?? "open"), into \(store.path) in "
              + String(format: "%.2f s", clock.seconds))
    }
}

extension FileHandle {
    func write(_ text: String) { write(Data(text.utf8)) }
}

