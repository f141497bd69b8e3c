import Foundation
import Testing

/// The PostgreSQL server the store tests use: `tools/test.sh` starts a throwaway one and
/// names it in `ALPHALAB_TEST_POSTGRES`. Without it those tests fail, saying so.
enum Postgres {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// The test server's URL (its `postgres` database).
    static func server() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ALPHALAB_TEST_POSTGRES"], !url.isEmpty else {
            throw Unavailable(description: "ALPHALAB_TEST_POSTGRES is not set: the store tests need the PostgreSQL server that "
                              + "tools/test.sh starts (run the suite with tools/test.sh)")
        }
        return url
    }

    /// A new empty database on the test server; returns its URL.
    static func newDatabase() throws -> String {
        let server = try server()
        let name = "alphalab_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try psql(server, "CREATE DATABASE \(name)")
        var parts = URLComponents(string: server)!
        parts.path = "/" + name
        return parts.string!
    }

    /// Runs one SQL statement with `psql` against `url`; returns its unaligned output.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Unavailable(description: "psql \(sql): \(problem)") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
