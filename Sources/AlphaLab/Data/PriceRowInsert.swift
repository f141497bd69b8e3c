import GRDB
import GRDBSQLite

/// The `INSERT OR REPLACE` of `price_data` rows, bound through SQLite's C API.
///
/// An import writes millions of rows; GRDB's arguments box every value and the date as a
/// String per row, which cost more than SQLite's own insert. Here the ticker is bound once
/// per series, the date is written into a ten-byte buffer and the prices are bound as
/// doubles, so an import runs close to the speed of sqlite3's `.import` (see
/// `alphalab-bench data`). It lives inside one GRDB write transaction like any statement.
struct PriceRowInsert {
    private let statement: Statement

    init(_ db: Database) throws {
        statement = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO price_data (ticker, date, open, high, low, close, volume, adj_close)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Inserts every bar of `bars`, replacing the rows of the same (ticker, date).
    func insert(_ bars: RawBars) throws {
        let s = statement.sqliteStatement
        let date = UnsafeMutablePointer<UInt8>.allocate(capacity: 10)
        defer { date.deallocate() }
        try bars.ticker.withCString { ticker in
            // SQLITE_STATIC (a nil destructor): both buffers outlive every step below.
            sqlite3_reset(s)
            try check(sqlite3_bind_text(s, 1, ticker, -1, nil))
            for i in 0..<bars.count {
                bars.days[i].writeISO(into: date)
                try check(sqlite3_bind_text(s, 2, date, 10, nil))
                try check(sqlite3_bind_double(s, 3, bars.open[i]))
                try check(sqlite3_bind_double(s, 4, bars.high[i]))
                try check(sqlite3_bind_double(s, 5, bars.low[i]))
                try check(sqlite3_bind_double(s, 6, bars.close[i]))
                try check(sqlite3_bind_double(s, 7, bars.volume[i]))
                try check(sqlite3_bind_double(s, 8, bars.adjClose[i]))
                let code = sqlite3_step(s)
                sqlite3_reset(s)
                guard code == SQLITE_DONE else { throw failure(code) }
            }
            sqlite3_clear_bindings(s)
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code),
                      message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement))),
                      sql: statement.sql)
    }
}
