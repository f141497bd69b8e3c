import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq, PostgreSQL's own client library:
/// synchronous statements with text parameters and results. libpq brings the conventions
/// users know: `PGPASSWORD`, `~/.pgpass`, `PGSERVICE`, `sslmode` in the URL.
///
/// A lock serialises statements: the connection may be reached from several threads.
final class PostgresConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    private let lock = NSLock()
    /// The database as the user named it (never with a password).
    let location: String

    /// Connects to `url` (a `postgres://` URL without a password).
    init(url: String) throws {
        location = url
        guard let c = PQconnectdb(url) else { throw StoreError.badQuery("\(url): libpq could not allocate a connection") }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(c)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(c)
            throw StoreError.badQuery("cannot connect to the run store \(url): \(message)")
        }
        connection = c
        // Notices (CREATE ... IF NOT EXISTS) are not the user's business.
        _ = try execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(connection) }

    /// The rows of one statement's result, as text (nil for NULL).
    struct Rows {
        let columns: [String]
        let values: [[String?]]
        /// The value of `column` in row `row`.
        subscript(row: Int, column: String) -> String? { values[row][columns.firstIndex(of: column)!] }
        /// The value of the column at `column` (its position in the SELECT list) in row `row`.
        subscript(row: Int, position column: Int) -> String? { values[row][column] }
        /// The value, or nil when the result has no such row.
        subscript(safe row: Int, column: String) -> String? { row < values.count ? self[row, column] : nil }
        var count: Int { values.count }
    }

    /// One row of a result as libpq holds it, read in place (no copy of a value not asked for).
    struct RowView {
        fileprivate let result: OpaquePointer
        fileprivate let row: Int32

        /// The value of `column` as text (nil for NULL).
        func text(_ column: Int32) -> String? {
            PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
        }

        /// The value of `column` as libpq's C string (nil for NULL), for parsing in place.
        func cString(_ column: Int32) -> UnsafeMutablePointer<CChar>? {
            PQgetisnull(result, row, column) == 1 ? nil : PQgetvalue(result, row, column)
        }
    }

    /// Runs `sql` (as ``execute(_:_:)``) and maps each row of its result with `transform`.
    func map<T>(_ sql: String, _ parameters: [String?] = [], _ transform: (RowView) -> T) throws -> [T] {
        try withResult(sql, parameters) { result in
            (0..<PQntuples(result)).map { transform(RowView(result: result, row: $0)) }
        }
    }

    /// Runs `sql` with `$1`, `$2`, ... bound to `parameters` (text; nil is NULL). Values
    /// travel apart from the statement, so no text of a run can change it.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
        try withResult(sql, parameters) { result in
            let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
            let values = (0..<PQntuples(result)).map { row in
                (0..<Int32(columns.count)).map { RowView(result: result, row: row).text($0) }
            }
            return Rows(columns: columns, values: values)
        }
    }

    /// Runs `sql` and hands its successful result to `body` (cleared after).
    private func withResult<T>(_ sql: String, _ parameters: [String?], _ body: (OpaquePointer) -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for p in copies { free(p) } }
        // Without parameters, PQexec (which also runs several statements, as a migration has).
        let result = parameters.isEmpty ? PQexec(connection, sql) : copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard let result, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let message = result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(connection))
            throw StoreError.badQuery("the run store \(location): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return body(result)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }
}
