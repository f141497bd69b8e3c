import AlphaLab
import Foundation
import Testing

/// Paths and shared fixtures for the tests.
enum Fixtures {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/data` beside the repository.
    static let sharedData = root.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let sp500Folder = sharedData.appendingPathComponent("sp500/daily_adjusted").path
    static let constituents = sharedData.appendingPathComponent("sp500/constituents.csv").path
    static let spyCSV = sharedData.appendingPathComponent("benchmarks/SPY.csv").path
    /// Whether the real data is there: without it the tests that read it are skipped
    /// (``Testing/Trait/needsSharedData``) and every other test runs.
    static let hasSharedData = FileManager.default.fileExists(atPath: sp500Folder)
        && FileManager.default.fileExists(atPath: spyCSV)

    /// The built products folder (the test bundle sits beside `alphalab`).
    static let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// A new empty folder for one test.
    static func temporaryFolder(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("alphalab-tests-\(getpid())/\(safe)-\(UUID().uuidString.prefix(8))").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a text file and returns its path.
    @discardableResult
    static func write(_ text: String, to path: String) -> String {
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The runs of the SQLite store at `path` whose family in the same store lacks their
    /// trial, by name (none, whichever way they were recorded).
    static func runsWithoutTrial(_ path: String) throws -> [String] {
        let query = "SELECT name FROM runs r WHERE NOT EXISTS (SELECT 1 FROM trials t WHERE t.family = r.family AND t.config_hash = r.config_hash)"
        let outcome = try run("/usr/bin/sqlite3", [path, query])
        #expect(outcome.status == 0, "\(outcome.err)")
        return outcome.out.split(separator: "\n").map(String.init)
    }

    /// The whole of `../shared/data/sp500` plus SPY, imported once per test process.
    static let realStore: (store: PriceStore, batch: ImportBatch, panel: Panel) = {
        let store = try! PriceStore(path: temporaryFolder("real") + "/market.db")
        let batch = try! PriceImporter(format: .alphavantage).read(source: sp500Folder)
        try! store.write(batch, info: try! readSectorFile(path: constituents), format: .alphavantage, source: sp500Folder)
        try! store.write(try! PriceImporter(format: .yahoo).read(source: spyCSV), format: .yahoo, source: spyCSV)
        return (store, batch, try! store.loadPanel())
    }()

    /// The rows of an AlphaVantage CSV, by date, as the file has them.
    static func csvRows(_ path: String) -> [String: [String]] {
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        var rows: [String: [String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            rows[fields[0]] = fields
        }
        return rows
    }

    /// The real data's file for a ticker.
    static func sp500File(_ ticker: String) -> String { sp500Folder + "/DA-\(ticker)-T-2021-04-21.csv" }
}

extension Trait where Self == ConditionTrait {
    /// A test (or suite) that reads `../shared/data`: skipped, with the reason, without it.
    static var needsSharedData: Self {
        .enabled(if: Fixtures.hasSharedData,
                 Comment(rawValue: "the real data is missing: \(Fixtures.sharedData.path) (sp500/daily_adjusted, benchmarks/SPY.csv) not found"))
    }
}
