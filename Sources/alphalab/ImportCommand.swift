import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab import FORMAT SOURCE [--sectors CSV] [--db PATH]`,
/// `alphalab import membership FILE --universe NAME` and `alphalab import delistings FILE`.
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
            high below low, wrong field count) is skipped with a warning. Then nothing is imported and the \
            exit status is 1, unless --allow-rejects imports the rest. An import is one transaction: an \
            interrupted import leaves the store as it was.

            FORMAT membership imports a universe's point-in-time membership (index constituents) under \
            --universe NAME, replacing what that universe held: spells (ticker,start_date,end_date; an \
            empty end means still a member), Qlib's tab-separated TICKER START END files, or snapshots \
            (date,tickers with the members of each date). Any error names the file and line and imports nothing.

            FORMAT delistings imports each ticker's exit from the market: a CSV of ticker,date,return (CRSP's \
            tic,dlstdt,dlret are read too) where date is the delisting date, on or after the ticker's last bar, \
            and return is CRSP's DLRET: the return from the last close to what holders received (-1 a total \
            loss, 0.3 a 30% acquisition premium). A position still held when the bars end is then worth its \
            last close times 1 + return, in backtests and in factor analysis. An empty return is refused (write \
            the value to use); a delisting dated before the ticker's last stored bar is refused. Any error \
            names the file and line and imports nothing.
            """
    )

    @Argument(help: "alphavantage, yahoo, long, marketdb, membership or delistings.")
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

    @Flag(help: "Import the rest when files are rejected or rows skipped (without it such an import stores nothing and exits 1).")
    var allowRejects = false

    func run() throws {
        var dates = DateFormat.iso
        if let dateFormat {
            do throws(DateFormatError) { dates = try DateFormat(dateFormat) } catch { throw CommandFailure(description: error.description) }
        }
        if format.lowercased() == "membership" { return try importMembership(dates) }
        if universe != nil { throw CommandFailure(description: "--universe is for `alphalab import membership FILE --universe NAME`") }
        if format.lowercased() == "delistings" { return try importDelistings(dates) }
        guard let format = ImportFormat(rawValue: format.lowercased()) else {
            throw CommandFailure(description: ImportError.unknownFormat(format).description + ", membership, delistings")
        }
        if tickerColumn != nil && format != .long { throw CommandFailure(description: "--ticker-column is for long files (one file with a ticker column)") }
        let clock = Stopwatch()
        let info = try sectors.map { path in try readSectorFile(path: path) } ?? []
        let batch = try PriceImporter(format: format, options: CSVImportOptions(tickerColumn: tickerColumn, dateFormat: dates)).read(source: source)
        for line in batch.problemLines(rowLimit: verbose ? nil : 10) { FileHandle.standardError.write(line + "\n") }
        guard !batch.bars.isEmpty || !info.isEmpty else {
            throw CommandFailure(description: "\(source): nothing to import (\(batch.rejectedFiles.count) of \(batch.filesRead) files rejected)")
        }
        if let summary = batch.problemSummary, !allowRejects {
            throw CommandFailure(description: "\(source): \(summary) (named above): nothing imported; correct them, "
                                 + "or import the rest with --allow-rejects")
        }
        let store = try PriceStore(path: self.store.resolved)
        let written = try store.write(batch, info: info, format: format, source: source)
        print("imported \(written.rows) rows for \(written.tickers) tickers from \(batch.filesRead - batch.rejectedFiles.count) of \(batch.filesRead) files"
              + (info.isEmpty ? "" : ", \(info.count) sector entries") + " into \(store.path) in \(String(format: "%.1f", clock.seconds)) s")
        if let summary = batch.problemSummary { print(summary + " (see messages above)") }
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

extension ImportCommand {
    /// Reads a delisting file whole, then stores it in one transaction.
    func importDelistings(_ dates: DateFormat) throws {
        if sectors != nil || tickerColumn != nil { throw CommandFailure(description: "--sectors and --ticker-column are for price files") }
        let clock = Stopwatch()
        let delistings: [Delisting]
        do { delistings = try DelistingFile.read(path: source, dateFormat: dates) } catch { throw CommandFailure(description: error.description) }
        let store = try PriceStore(path: self.store.resolved)
        let summary: PriceStore.DelistingSummary
        do { summary = try store.write(delistings, source: source) } catch let error as StoreError { throw CommandFailure(description: "\(source): \(error)") }
        print("imported \(summary.stored) delistings into \(store.path) in " + String(format: "%.2f s", clock.seconds))
        if !summary.withoutPrices.isEmpty {
            print("note: no prices in the store yet for \(summary.withoutPrices.count) of them: " + Self.sample(summary.withoutPrices))
        }
        if !summary.lateAfterLastBar.isEmpty {
            print("note: \(summary.lateAfterLastBar.count) are dated more than 10 days after their last bar (the return is realised the "
                  + "trading day after that bar): " + Self.sample(summary.lateAfterLastBar))
        }
    }

    private static func sample(_ tickers: [String]) -> String {
        tickers.prefix(8).joined(separator: ", ") + (tickers.count > 8 ? ", ..." : "")
    }
}

extension FileHandle {
    func write(_ text: String) { write(Data(text.utf8)) }
}

