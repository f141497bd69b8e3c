import AlphaLab
import Foundation
import Testing

/// Every kind of bad input gets a message naming the file, the line and the problem,
/// and never costs the store what it already held.
@Suite struct BadInputTests {
    static let header = "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
    static let good = header + """
        2021-01-04,10.0,11.0,9.5,10.5,10.5,1000,0.0,1.0
        2021-01-05,10.5,11.5,10.0,11.0,11.0,1200,0.0,1.0
        2021-01-06,11.0,11.2,10.1,10.2,10.2,900,0.0,1.0

        """

    /// A store holding one good ticker, and its contents before the bad import.
    func storeWithGoodData() throws -> (store: PriceStore, folder: String, before: [RawBars]) {
        let folder = Fixtures.temporaryFolder()
        let store = try PriceStore(path: folder + "/market.db")
        let path = Fixtures.write(Self.good, to: folder + "/in/GOOD.csv")
        try store.write(try PriceImporter(format: .alphavantage).read(source: path))
        return (store, folder, try storedRows(store))
    }

    func storedRows(_ store: PriceStore) throws -> [RawBars] {
        try PriceImporter(format: .marketdb).read(source: store.path).bars
    }

    /// Imports `text` as BAD.csv the way the CLI does (write only what was accepted) and
    /// returns the problems met.
    func importBad(_ text: String, into store: PriceStore, folder: String, format: ImportFormat = .alphavantage) throws -> ImportBatch {
        let path = Fixtures.write(text, to: folder + "/bad/BAD.csv")
        let batch = try PriceImporter(format: format).read(source: path)
        if !batch.bars.isEmpty { try store.write(batch) }
        return batch
    }

    /// A rejected file: the message, and the store exactly as before.
    func expectRejected(_ text: String, message: String, line: Int?, format: ImportFormat = .alphavantage) throws {
        let (store, folder, before) = try storeWithGoodData()
        let batch = try importBad(text, into: store, folder: folder, format: format)
        #expect(batch.bars.isEmpty)
        let problem = try #require(batch.rejectedFiles.first)
        #expect(problem.file.hasSuffix("bad/BAD.csv"))
        #expect(problem.line == line)
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(try storedRows(store) == before)
    }

    /// A skipped row: the message, the other rows imported, and the old data untouched.
    func expectSkipped(_ badRow: String, message: String) throws {
        let (store, folder, before) = try storeWithGoodData()
        let text = Self.header + "2021-01-04,5.0,5.5,4.5,5.2,5.2,10,0.0,1.0\n" + badRow + "\n2021-01-06,5.0,5.5,4.5,5.2,5.2,10,0.0,1.0\n"
        let batch = try importBad(text, into: store, folder: folder)
        let problem = try #require(batch.skippedRows.first)
        #expect(batch.skippedRows.count == 1)
        #expect(problem.line == 3)
        #expect(problem.message.contains(message), "\(problem.message)")
        #expect(problem.description.hasSuffix("bad/BAD.csv:3: \(problem.message) (row skipped)"))
        let after = try storedRows(store)
        #expect(after.first { $0.ticker == "GOOD" } == before.first)
        #expect(after.first { $0.ticker == "BAD" }?.days == [Day("2021-01-04")!, Day("2021-01-06")!])
    }

    @Test func missingColumnRejectsTheFile() throws {
        try expectRejected("timestamp,open,high,low,close,volume\n2021-01-04,1,1,1,1,1\n",
                           message: "missing column adjusted_close", line: 1)
    }

    @Test func notCSVRejectsTheFile() throws {
        try expectRejected("{\n    \"Error Message\": \"Invalid API call\"\n}\n", message: "missing columns timestamp", line: 1)
    }

    @Test func emptyFileRejectsTheFile() throws {
        try expectRejected("", message: "empty file", line: nil)
        try expectRejected(Self.header, message: "no data rows", line: nil)
    }

    @Test func duplicateDateRejectsTheFileNamingBothLines() throws {
        let text = Self.header + "2021-01-04,1,1,1,1,1,1,0,1\n2021-01-05,1,1,1,1,1,1,0,1\n2021-01-05,1,1,1,1,1,1,0,1\n"
        try expectRejected(text, message: "duplicate date 2021-01-05 for BAD on lines 3 and 4", line: 4)
        // Also when the two rows are far apart in a shuffled file.
        let shuffled = "ticker,date,open,high,low,close,volume\nAAA,2021-01-05,1,1,1,1,1\nBBB,2021-01-04,1,1,1,1,1\nAAA,2021-01-04,1,1,1,1,1\nAAA,2021-01-05,2,2,2,2,2\n"
        try expectRejected(shuffled, message: "duplicate date 2021-01-05 for AAA on lines 2 and 5", line: 5, format: .long)
    }

    @Test("A newest-first AlphaVantage file and a shuffled long file import to exactly the rows of their ascending twins")
    func unsortedRowsAreSorted() throws {
        let folder = Fixtures.temporaryFolder()
        let rows = Self.good.split(separator: "\n").dropFirst().map(String.init)
        let newestFirst = Fixtures.write(Self.header + rows.reversed().joined(separator: "\n") + "\n", to: folder + "/desc/GOOD.csv")
        let ascending = Fixtures.write(Self.good, to: folder + "/asc/GOOD.csv")
        let a = try PriceImporter(format: .alphavantage).read(source: newestFirst), b = try PriceImporter(format: .alphavantage).read(source: ascending)
        #expect(a.problems.isEmpty && a.bars == b.bars && a.bars[0].days.count == 3)

        let long = ["AAA,2021-01-04,10,11,9,10.5,100", "BBB,2021-01-04,20,21,19,20.5,200", "AAA,2021-01-05,10.5,12,10,11,150",
                    "BBB,2021-01-05,20.5,22,20,21,250", "AAA,2021-01-06,11,11.5,10,10.2,120"]
        let header = "ticker,date,open,high,low,close,volume\n"
        let shuffled = Fixtures.write(header + [long[4], long[1], long[2], long[0], long[3]].joined(separator: "\n") + "\n", to: folder + "/shuffled.csv")
        let sorted = Fixtures.write(header + long.joined(separator: "\n") + "\n", to: folder + "/sorted.csv")
        let c = try PriceImporter(format: .long).read(source: shuffled), d = try PriceImporter(format: .long).read(source: sorted)
        #expect(c.problems.isEmpty && c.bars.sorted { $0.ticker < $1.ticker } == d.bars.sorted { $0.ticker < $1.ticker })
        #expect(c.bars.first { $0.ticker == "AAA" }!.close == [10.5, 11, 10.2])
    }

    @Test("Dates in another format: the error names the first value and the expected format; --date-format imports them")
    func otherDateFormats() throws {
        let folder = Fixtures.temporaryFolder()
        let text = "Date,Open,High,Low,Close,Adj Close,Volume\n01/29/1993,43.97,43.97,43.75,43.94,25.8,1003200\n02/01/1993,43.97,44.25,43.97,44.25,25.9,480500\n"
        let path = Fixtures.write(text, to: folder + "/SPY.csv")
        let batch = try PriceImporter(format: .yahoo).read(source: path)
        let problem = try #require(batch.rejectedFiles.first)
        #expect(problem.message == "no valid rows (2 skipped; the first, line 2: unparsable date '01/29/1993' (expected YYYY-MM-DD; other formats with --date-format))")
        let us = try PriceImporter(format: .yahoo, options: CSVImportOptions(dateFormat: try DateFormat("MM/DD/YYYY"))).read(source: path)
        #expect(us.problems.isEmpty && us.bars[0].days == [Day("1993-01-29")!, Day("1993-02-01")!])

        // The same through the command line, with a bad pattern refused by name.
        let db = folder + "/market.db"
        let refused = try Fixtures.alphalab(["import", "yahoo", path, "--db", db])
        #expect(refused.status != 0 && refused.err.contains("unparsable date '01/29/1993' (expected YYYY-MM-DD"))
        let imported = try Fixtures.alphalab(["import", "yahoo", path, "--date-format", "MM/DD/YYYY", "--db", db])
        #expect(imported.status == 0 && imported.out.contains("imported 2 rows for 1 tickers"), "\(imported.err)")
        let badPattern = try Fixtures.alphalab(["import", "yahoo", path, "--date-format", "MM/DD/YY", "--db", db])
        #expect(badPattern.status != 0 && badPattern.err.contains("date format 'MM/DD/YY': 'Y' is neither YYYY, MM, DD nor a separator"))
        #expect(try DateFormat("DD.MM.YYYY").parse("29.01.1993") == Day("1993-01-29") && DateFormat.iso.parse("1993-02-30") == nil)
        #expect(throws: DateFormatError(pattern: "DD/MM", problem: "needs YYYY exactly once")) { try DateFormat("DD/MM") }
    }

    @Test("--ticker-column reads long files whose ticker column has another name")
    func tickerColumn() throws {
        let folder = Fixtures.temporaryFolder()
        let path = Fixtures.write("date,open,high,low,close,volume,Name\n2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL\n", to: folder + "/all_stocks_5yr.csv")
        let missing = try PriceImporter(format: .long).read(source: path)
        #expect(missing.rejectedFiles.first?.message.contains("missing column ticker") == true)
        #expect(missing.rejectedFiles.first?.message.contains("the tickers look to be in 'Name': add --ticker-column Name") == true,
                "\(missing.rejectedFiles)")
        let bare = Fixtures.write("date,open,high,low,close,volume,Label\n2013-02-08,1,1,1,1,1,AAL\n", to: folder + "/bare.csv")
        #expect(try PriceImporter(format: .long).read(source: bare).rejectedFiles.first?.message
            .contains("name the column that holds the tickers with --ticker-column COLUMN") == true)
        let lua = try Fixtures.alphalab(["-e", "print(lab.read_csv('\(path)', { format = 'long', ticker_column = 'Name' }):tickers()[1])"])
        #expect(lua.out == "AAL\n", "\(lua.err)")
        let named = try PriceImporter(format: .long, options: CSVImportOptions(tickerColumn: "Name")).read(source: path)
        #expect(named.problems.isEmpty && named.bars.map(\.ticker) == ["AAL"])
        let cli = try Fixtures.alphalab(["import", "long", path, "--ticker-column", "Name", "--db", folder + "/m.db"])
        #expect(cli.status == 0 && cli.out.contains("imported 1 rows for 1 tickers"), "\(cli.err)")
    }

    @Test func unparsableNumberSkipsTheRow() throws {
        try expectSkipped("2021-01-05,5.0,5.5,4.5,abc,5.2,10,0.0,1.0", message: "unparsable number 'abc' in column close")
    }

    @Test func nonPositivePriceSkipsTheRow() throws {
        try expectSkipped("2021-01-05,0.0,5.5,4.5,5.2,5.2,10,0.0,1.0", message: "non-positive price 0.0 in open")
        try expectSkipped("2021-01-05,5.0,5.5,4.5,-5.2,5.2,10,0.0,1.0", message: "non-positive price -5.2 in close")
    }

    @Test func highBelowLowSkipsTheRow() throws {
        try expectSkipped("2021-01-05,5.0,4.4,4.5,5.2,5.2,10,0.0,1.0", message: "high 4.4 is below low 4.5")
    }

    @Test func wrongFieldCountAndBadDateSkipTheRow() throws {
        try expectSkipped("2021-01-05,5.0,5.5,4.5,5.2,5.2", message: "expected 9 fields, found 6")
        try expectSkipped("2021-01-32,5.0,5.5,4.5,5.2,5.2,10,0.0,1.0", message: "unparsable date '2021-01-32'")
    }

    @Test func aBadFileAmongManyIsNamedAndTheRestImport() throws {
        let folder = Fixtures.temporaryFolder()
        Fixtures.write(Self.good, to: folder + "/in/AAA.csv")
        Fixtures.write("", to: folder + "/in/BBB.csv")
        Fixtures.write(Self.good, to: folder + "/in/CCC.csv")
        let batch = try PriceImporter(format: .alphavantage).read(source: folder + "/in")
        #expect(batch.bars.map(\.ticker) == ["AAA", "CCC"])
        #expect(batch.rejectedFiles.map { ($0.file as NSString).lastPathComponent } == ["BBB.csv"])
    }

    @Test("A malformed row and a file with a duplicate date: import, lab.read_csv and --csv all name both; --strict and strict make them errors; import stores nothing without --allow-rejects")
    func everyReaderReportsWhatItDrops() throws {
        let folder = Fixtures.temporaryFolder()
        Fixtures.write(Self.good.replacingOccurrences(of: "2021-01-05,10.5,11.5,10.0,11.0", with: "2021-01-05,10.5,11.5,10.0,x"), to: folder + "/in/AAA.csv")
        Fixtures.write(Self.header + "2021-01-04,1,1,1,1,1,10,0,1\n2021-01-04,1,1,1,1,1,10,0,1\n", to: folder + "/in/BBB.csv")
        for i in 0..<20 { Fixtures.write(Self.good, to: folder + "/in/T\(i).csv") }
        func namesBoth(_ text: String) -> Bool {
            text.contains("AAA.csv:3: unparsable number 'x' in column close (row skipped)")
                && text.contains("BBB.csv:3: duplicate date 2021-01-04 for BBB on lines 2 and 3 (file rejected)")
        }
        let db = folder + "/market.db"
        let refused = try Fixtures.alphalab(["import", "alphavantage", folder + "/in", "--db", db])
        #expect(refused.status == 1 && namesBoth(refused.err) && refused.err.contains("1 of 22 files rejected, 1 row skipped"), "\(refused.err)")
        #expect(refused.err.contains("nothing imported") && !FileManager.default.fileExists(atPath: db))
        let allowed = try Fixtures.alphalab(["import", "alphavantage", folder + "/in", "--db", db, "--allow-rejects"])
        #expect(allowed.status == 0 && namesBoth(allowed.err) && allowed.out.contains("imported 62 rows for 21 tickers"), "\(allowed.out) \(allowed.err)")

        let lua = try Fixtures.alphalab(["-e", "print(lab.read_csv('\(folder)/in').ticker_count)"])
        #expect(lua.status == 0 && lua.out == "21\n" && namesBoth(lua.err) && lua.err.contains("lab.read_csv: 1 of 22 files rejected, 1 row skipped"), "\(lua.err)")
        let strict = try Fixtures.alphalab(["-e", "lab.read_csv('\(folder)/in', { strict = true })"])
        #expect(strict.status == 1 && namesBoth(strict.err) && strict.err.contains("(strict)"), "\(strict.err)")

        let script = Fixtures.root.appendingPathComponent("scripts/momentum_vs_spy.lua").path
        let csv = try Fixtures.alphalab([script, "--csv", folder + "/in", "--help"])
        #expect(csv.status == 0 && csv.out.contains("--strict"), "\(csv.out)")
        let strictCSV = try Fixtures.alphalab([script, "--csv", folder + "/in", "--strict"])
        #expect(strictCSV.status == 1 && namesBoth(strictCSV.err), "\(strictCSV.err)")
    }

    @Test func aWriteThatFailsMidwayLeavesTheStoreAsItWas() throws {
        let (store, folder, before) = try storeWithGoodData()
        // Make the database refuse the second ticker's rows: the first ticker's rows,
        // already inserted in the same transaction, must be rolled back too.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [store.path, "CREATE TRIGGER refuse BEFORE INSERT ON price_data WHEN NEW.ticker = 'ZZZ' BEGIN SELECT RAISE(ABORT, 'refused'); END;"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        Fixtures.write(Self.good, to: folder + "/two/AAA.csv")
        Fixtures.write(Self.good, to: folder + "/two/ZZZ.csv")
        let batch = try PriceImporter(format: .alphavantage).read(source: folder + "/two")
        #expect(throws: (any Error).self) { try store.write(batch) }
        #expect(try storedRows(store) == before)
    }

    @Test func reimportingTheSameDataChangesNothing() throws {
        let (store, folder, before) = try storeWithGoodData()
        try store.write(try PriceImporter(format: .alphavantage).read(source: folder + "/in/GOOD.csv"))
        #expect(try storedRows(store) == before)
        #expect(try store.summary().rows == 3)
    }

    @Test("An import that overlaps stored rows: new days added, shared days replaced, and the packed series the store loads is the adjustment of exactly those rows")
    func overlappingImportKeepsTheSeriesInStepWithTheRows() throws {
        let (store, folder, _) = try storeWithGoodData()
        let newer = Self.header + """
            2020-12-31,9.0,9.5,8.5,9.2,9.2,800,0.0,1.0
            2021-01-05,20.0,22.0,19.0,21.0,10.5,600,0.0,2.0
            2021-01-07,10.2,10.4,9.9,10.0,10.0,700,0.0,1.0

            """
        try store.write(try PriceImporter(format: .alphavantage).read(source: Fixtures.write(newer, to: folder + "/new/GOOD.csv")))
        let rows = try #require(try storedRows(store).first { $0.ticker == "GOOD" })
        #expect(rows.days.map(\.description) == ["2020-12-31", "2021-01-04", "2021-01-05", "2021-01-06", "2021-01-07"])
        #expect(rows.close == [9.2, 10.5, 21.0, 10.2, 10.0])
        let panel = try store.loadPanel()
        let t = try #require(panel.tickers.firstIndex(of: "GOOD"))
        let expected = PriceSeries(adjusting: rows)
        for (k, day) in expected.days.enumerated() {
            let d = try #require(panel.calendar.days.firstIndex(of: day))
            #expect(panel.value(.close, ticker: t, day: d) == expected.close[k])
            #expect(panel.value(.open, ticker: t, day: d) == expected.open[k])
        }
        // The 2-for-1 day is halved by its adjusted close: 20 x 10.5 / 21.
        #expect(expected.open[2] == 10.0)
        #expect(try store.summary().rows == 5)
    }

    @Test("A ticker with a comma, a quote or a control character is a broken row, not a symbol: skipped in a long file, refused in a membership file and as a file name; exchange punctuation passes")
    func malformedTickers() throws {
        let folder = Fixtures.temporaryFolder()
        let long = Fixtures.write("date,open,high,low,close,volume,ticker\n2020-01-02,1,1,1,1,1,\"A,B\"\n2020-01-02,1,1,1,1,1,BRK.B\n"
                                  + "2020-01-02,1,1,1,1,1,^GSPC\n2020-01-02,1,1,1,1,1,AAPL US\n", to: folder + "/long.csv")
        let batch = try PriceImporter(format: .long).read(source: long)
        #expect(batch.bars.map(\.ticker).sorted() == ["AAPL US", "BRK.B", "^GSPC"])
        #expect(batch.skippedRows.first?.description.hasSuffix("long.csv:2: ticker 'A,B' holds ',': a ticker has letters, digits and . - _ ^ / = : & or a space (row skipped)") == true,
                "\(batch.problems)")
        let membership = Fixtures.write("ticker,start_date,end_date\nAAA,2020-01-01,\n\"B\tB\",2020-01-01,\n", to: folder + "/m.csv")
        #expect(throws: DataFileError(file: membership, line: 3, message: "ticker 'B\tB' holds U+9: a ticker has letters, digits and . - _ ^ / = : & or a space")) {
            try MembershipFile.read(path: membership, name: "m")
        }
        let named = Fixtures.write(Self.good, to: folder + "/names/A\"B.csv")
        #expect(try PriceImporter(format: .alphavantage).read(source: named).rejectedFiles.first?.message
                .contains("the file's name gives ticker 'A\"B' holds '\"'") == true)
    }

    @Test func sectorFileProblemsRejectIt() throws {
        let folder = Fixtures.temporaryFolder()
        let missing = Fixtures.write("Symbol,Name\nAAA,A Corp\n", to: folder + "/a.csv")
        #expect(throws: ImportError.self) { try readSectorFile(path: missing) }
        do { _ = try readSectorFile(path: missing) } catch {
            #expect(error.description.contains("a.csv:1: missing column Symbol or Sector"))
        }
        let duplicate = Fixtures.write("Symbol,Name,Sector\nAAA,A,Energy\nAAA,A,Energy\n", to: folder + "/b.csv")
        do { _ = try readSectorFile(path: duplicate); Issue.record("accepted a duplicate symbol") } catch {
            #expect(error.description.contains("b.csv:3: duplicate symbol AAA (first on line 2)"))
        }
        let quoted = Fixtures.write("Symbol,Name,Sector\nAAA,\"A, Inc.\",Energy\n", to: folder + "/c.csv")
        #expect(try readSectorFile(path: quoted) == [TickerInfo(ticker: "AAA", name: "A, Inc.", sector: "Energy")])
    }

    @Test func otherFormatsImport() throws {
        let folder = Fixtures.temporaryFolder()
        let yahoo = Fixtures.write("Date,Open,High,Low,Close,Adj Close,Volume\r\n2021-01-04,10,11,9,10,5,100\r\n2021-01-05,10,12,9,11,5.5,100\r\n", to: folder + "/QQQ.csv")
        let y = try PriceImporter(format: .yahoo).read(source: yahoo)
        #expect(y.bars.map(\.ticker) == ["QQQ"])
        #expect(PriceSeries(adjusting: y.bars[0]).high == [5.5, 6])
        let long = Fixtures.write("date,ticker,open,high,low,close,volume\n2021-01-04,aaa,1,2,1,2,10\n2021-01-04,BBB,3,3,3,3,0\n2021-01-05,AAA,2,2,1,1,10\n", to: folder + "/long.csv")
        let l = try PriceImporter(format: .long).read(source: long)
        #expect(l.bars.map(\.ticker) == ["AAA", "BBB"])
        #expect(l.bars[0].adjClose == [2, 1]) // no adjusted column: the close is used
        #expect(tickerFromFileName("/x/DA-BRK.B-T-2021-04-21.csv") == "BRK.B")
        #expect(tickerFromFileName("spy.csv") == "SPY")
    }
}
