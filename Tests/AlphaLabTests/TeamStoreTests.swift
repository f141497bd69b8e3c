import AlphaLab
import Foundation
import Testing

/// The README's team recipe on a fresh PostgreSQL 15 database, exactly as written: the
/// administrator runs `alphalab store init` and `store add-analyst`; two analysts then start
/// at the same moment and both succeed; each row carries the analyst's role (one of them
/// lying in `$USER`); an analyst cannot delete another's run nor touch the ledger; two
/// analysts' verdicts on one run are kept side by side.
@Suite("Team store", .serialized)
struct TeamStoreTests {
    static let script = """
        local d = lab.synthetic({ tickers = 20 })
        local r = lab.run({ name = arg[1], strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2014, top_n = tonumber(arg[2]) }, d)
        print(lab.runs(os.getenv("ALPHALAB_RUNS")):save(r))
        """

    /// The URL of `database` on the test server as `role`.
    static func url(_ server: String, role: String, database: String) -> String {
        var parts = URLComponents(string: server)!
        parts.user = role
        parts.path = "/" + database
        return parts.string!
    }

    @Test("store init, add-analyst, two analysts at once: both record, as their roles; no analyst edits the ledger or deletes another's run; verdicts kept beside")
    func recipe() throws {
        let admin = try Postgres.newDatabase()
        let database = String(URLComponents(string: admin)!.path.dropFirst())
        let server = try Postgres.server()
        let team = "team_" + database.suffix(6), ana = "ana_" + database.suffix(6), ben = "ben_" + database.suffix(6)
        let home = ["XDG_DATA_HOME": Fixtures.temporaryFolder() + "/home"]
        let initialised = try Fixtures.alphalab(["store", "init", admin, "--team", team], environment: home)
        #expect(initialised.status == 0 && initialised.out.contains("schema up to date"), "\(initialised.err)")
        for name in [ana, ben] {
            let added = try Fixtures.alphalab(["store", "add-analyst", name, "--runs", admin], environment: home)
            #expect(added.status == 0, "\(added.err)")
        }
        let anaURL = Self.url(server, role: ana, database: database), benURL = Self.url(server, role: ben, database: database)
        let work = Fixtures.temporaryFolder()
        let script = Fixtures.write(Self.script, to: work + "/save.lua")
        // At the same moment; ben claims to be ana in $USER.
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var outcomes: [Int: Outcome] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let (url, name) = i == 0 ? (anaURL, "by_ana") : (benURL, "by_ben")
            let o = try? Fixtures.alphalab([script, name, String(4 + i)], environment: home.merging(["ALPHALAB_RUNS": url, "USER": ana]) { $1 })
            results.lock.withLock { results.outcomes[i] = o }
        }
        for i in 0..<2 { #expect(results.outcomes[i]?.status == 0, "\(results.outcomes[i]?.err ?? "did not run")") }
        #expect(try Postgres.psql(admin, "SELECT string_agg(name || '=' || user_name, ',' ORDER BY name) FROM runs") == "by_ana=\(ana),by_ben=\(ben)")
        #expect(try Postgres.psql(admin, "SELECT string_agg(name || '=' || user_name, ',' ORDER BY name) FROM trials") == "by_ana=\(ana),by_ben=\(ben)")
        // Ben cannot delete Ana's run, nor edit or delete the ledger, nor rewrite who ran what.
        let anaRun = try Postgres.psql(admin, "SELECT id FROM runs WHERE name = 'by_ana'")
        let deleting = try Fixtures.alphalab(["-e", "local s = lab.runs(os.getenv('ALPHALAB_RUNS')); s:delete(\(anaRun))"],
                                             environment: home.merging(["ALPHALAB_RUNS": benURL]) { $1 })
        #expect(deleting.status != 0 && deleting.err.contains("only its analyst"), "\(deleting.err)")
        for sql in ["UPDATE trials SET sharpe = 9.99", "DELETE FROM trials", "UPDATE runs SET user_name = 'x'", "DELETE FROM run_tombstones",
                    "CREATE TABLE sneaky (x int)"] {
            #expect(throws: (any Error).self, "\(sql) as an analyst") { try Postgres.psql(benURL, sql) }
        }
        // Two analysts' verdicts on Ana's run: both kept, each with its analyst.
        for url in [anaURL, benURL] { try RunStores.open(url).saveVerdict(StoreBackendTests.verdict, run: Int64(anaRun)!) }
        let kept = try RunStores.open(admin).verdicts(id: Int64(anaRun)!)
        #expect(kept.map(\.user) == [ana, ben])
        // Ben tags and annotates Ana's run: each row his, and no analyst rewrites the history.
        try RunStores.open(benURL).tag(Int64(anaRun)!, ["reviewed"])
        try RunStores.open(benURL).note(Int64(anaRun)!, "checked the costs")
        #expect(try RunStores.open(admin).annotations(id: Int64(anaRun)!).map { "\($0.user) \($0.kind.rawValue) \($0.text)" }
                == ["\(ben) tag reviewed", "\(ben) note checked the costs"])
        for sql in ["UPDATE run_annotations SET text = 'x'", "DELETE FROM run_annotations", "UPDATE runs SET name = 'x'"] {
            #expect(throws: (any Error).self, "\(sql) as an analyst") { try Postgres.psql(anaURL, sql) }
        }
        #expect(try RunStores.open(admin).verifyLedger().isIntact)
    }
}
