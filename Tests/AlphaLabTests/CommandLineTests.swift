import AlphaLab
import Foundation
import Testing

/// The `alphalab` executable, run as a user runs it.
@Suite struct CommandLineTests {
    func alphalab(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try Fixtures.alphalab(arguments, environment: environment)
    }

    @Test func versionNamesTheLinkedLibraries() throws {
        let r = try alphalab(["--version"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("alphalab \(AlphaLabVersion.string) (Lua 5.4."))
        #expect(r.out.contains("XGBoost 1."))
    }

    @Test func importThenInfo() throws {
        let folder = Fixtures.temporaryFolder()
        Fixtures.write(BadInputTests.good, to: folder + "/in/AAA.csv")
        Fixtures.write("oops\n", to: folder + "/in/BBB.csv")
        Fixtures.write("Symbol,Name,Sector\nAAA,A Corp,Energy\n", to: folder + "/sectors.csv")
        let db = folder + "/store/market.db"
        let refused = try alphalab(["import", "alphavantage", folder + "/in", "--sectors", folder + "/sectors.csv", "--db", db])
        #expect(refused.status == 1 && refused.err.contains("BBB.csv:1: missing columns timestamp") && !FileManager.default.fileExists(atPath: db))
        let r = try alphalab(["import", "alphavantage", folder + "/in", "--sectors", folder + "/sectors.csv", "--db", db, "--allow-rejects"])
        #expect(r.status == 0)
        #expect(r.out.contains("imported 3 rows for 1 tickers from 1 of 2 files"))
        #expect(r.err.contains("BBB.csv:1: missing columns timestamp"))
        // ALPHALAB_DB names the store when --db is absent.
        let info = try alphalab(["info"], environment: ["ALPHALAB_DB": db])
        #expect(info.status == 0)
        #expect(info.out.contains("tickers      1"))
        #expect(info.out.contains("stocks       2021-01-04 .. 2021-01-06"))
        #expect(info.out.contains("benchmark    SPY not stored (excess returns need it)"))
        #expect(info.out.contains("Energy"))
    }

    @Test func errorsExitNonZeroWithAClearMessage() throws {
        let unknown = try alphalab(["import", "csvish", "x"])
        #expect(unknown.status != 0)
        #expect(unknown.err.contains("unknown import format 'csvish'; expected one of: alphavantage, yahoo, long, marketdb"))
        let missing = try alphalab(["info", "--db", "/nonexistent/market.db"])
        #expect(missing.status != 0)
        #expect(missing.err.contains("/nonexistent/market.db: no price store here"))
        let folder = Fixtures.temporaryFolder()
        Fixtures.write("", to: folder + "/in/EMPTY.csv")
        let nothing = try alphalab(["import", "yahoo", folder + "/in", "--db", folder + "/m.db"])
        #expect(nothing.status != 0)
        #expect(nothing.err.contains("nothing to import (1 of 1 files rejected)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/m.db"))
    }

    @Test func marketPrintsTheSyntheticSummary() throws {
        let r = try alphalab(["market", "--tickers", "20"])
        #expect(r.status == 0)
        #expect(r.out.contains("tickers      21 (benchmark SPY)"))
        #expect(r.out.contains("2005-01-03 .. 2025-12-31"))
    }
}
