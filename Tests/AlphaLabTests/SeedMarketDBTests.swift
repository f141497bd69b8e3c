import AlphaLab
import Foundation
import Testing

/// The seed project's own SQLite cache, as pandas' `to_sql` writes it: an index column,
/// timestamps with a time part, integer volumes, no primary key.
@Suite struct SeedMarketDBTests {
    func seedDatabase() throws -> String {
        let path = Fixtures.temporaryFolder() + "/market.db"
        let sql = """
            CREATE TABLE price_data ("index" INTEGER, ticker TEXT, date TIMESTAMP, open REAL, high REAL, low REAL,
                                     close REAL, volume INTEGER, adj_close REAL);
            INSERT INTO price_data VALUES (0, 'AAA', '2021-01-04 00:00:00', 10, 11, 9, 10, 1000, 5);
            INSERT INTO price_data VALUES (1, 'AAA', '2021-01-05 00:00:00', 10, 12, 10, 11, 1500, 5.5);
            INSERT INTO price_data VALUES (2, 'BBB', '2021-01-05 00:00:00', 20, 21, 19, 20, 300, 20);
            INSERT INTO price_data VALUES (3, 'BBB', '2021-01-06 00:00:00', 20, 19, 21, 20, 300, 20);
            """
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, sql]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        return path
    }

    @Test func importsASeedCacheAndSkipsItsBadRow() throws {
        let batch = try PriceImporter(format: .marketdb).read(source: try seedDatabase())
        #expect(batch.bars.map(\.ticker) == ["AAA", "BBB"])
        #expect(batch.bars[0].days == [Day("2021-01-04")!, Day("2021-01-05")!])
        #expect(batch.bars[0].volume == [1000, 1500])
        let skipped = try #require(batch.skippedRows.first)
        #expect(skipped.message == "high 19.0 is below low 21.0")
        #expect(skipped.line == 4)
    }

    @Test func opensASeedCacheDirectlyWithoutChangingIt() throws {
        let path = try seedDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try PriceStore(readingExisting: path)
        let panel = try store.loadPanel()
        #expect(panel.tickers == ["AAA", "BBB"])
        #expect(panel.calendar.days == [Day("2021-01-04")!, Day("2021-01-05")!, Day("2021-01-06")!])
        // Adjusted from the rows: AAA's high on the 5th is 12 * 5.5 / 11.
        #expect(panel.value(.high, ticker: 0, day: 1) == 6)
        #expect(try store.summary().rows == 4)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("A seed cache opened for writing (to import delistings or SPY into it) keeps its rows visible: the same panel as read-only")
    func aSeedCacheOpenedForWritingKeepsItsRows() throws {
        let path = try seedDatabase()
        let readOnly = try PriceStore(readingExisting: path).loadPanel()
        let store = try PriceStore(path: path)
        try store.write([Delisting(ticker: "BBB", day: Day("2021-01-07")!, delistingReturn: -0.5)])
        let panel = try store.loadPanel()
        #expect(panel.tickers == readOnly.tickers && panel.calendar.days == readOnly.calendar.days)
        for field in PriceField.allCases {
            #expect(panel.tickers.indices.allSatisfy { t in panel.series(field, ticker: t).elementsEqual(readOnly.series(field, ticker: t)) { $0 == $1 || ($0.isNaN && $1.isNaN) } })
        }
        #expect(try store.summary().rows == 4)
        #expect(panel.delistingReturns[0].isNaN && panel.delistingReturns[1] == -0.5)
    }

    @Test func aFileThatIsNotAPriceCacheIsRejected() throws {
        let folder = Fixtures.temporaryFolder()
        let notSQLite = Fixtures.write("hello", to: folder + "/x.db")
        let batch = try PriceImporter(format: .marketdb).read(source: notSQLite)
        #expect(batch.rejectedFiles.first?.message.hasPrefix("not a readable SQLite price cache") == true)
        #expect(throws: StoreError.self) { try PriceStore(readingExisting: folder + "/missing.db") }
    }
}
