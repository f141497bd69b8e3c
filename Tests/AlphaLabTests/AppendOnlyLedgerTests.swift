import AlphaLab
import Foundation
import Testing

/// The ledger is evidence: a saved run brings its trial into the store it is saved in,
/// trials and tombstones cannot be changed or deleted (SQLite triggers; PostgreSQL
/// triggers that hold even for the owner, with a recorded maintenance role as the only way
/// through), a deleted run leaves a tombstone and its trial still counts, every family is
/// a hash chain that `verify` recomputes, and on PostgreSQL a row's analyst is the
/// session's role, whatever `$USER` says.
@Suite("Append-only ledger", .serialized)
struct AppendOnlyLedgerTests {
    static let market: Dataset = {
        var small = SyntheticMarketConfig()
        small.tickerCount = 30
        return try! SyntheticMarket.market(small).dataset()
    }()

    static func runs(_ count: Int) throws -> [ExperimentResult] {
        try (0..<count).map { i in
            try WalkForward(config: .momentum12_1(name: "trial \(i)", startYear: 2012, endYear: 2015, topN: 3 + i), dataset: market).run()
        }
    }

    /// A provenance that lies about who ran it.
    static let lying = RunProvenance(scriptPath: "s.lua", scriptText: "-- s", arguments: [], workingDirectory: "/tmp", sequence: 1,
                                     user: "someone_else", host: "desk")

    /// What both backends must show: saving records the trial, deleting keeps it and a
    /// tombstone, the chain verifies; returns the family key.
    static func saveDeleteVerify(_ store: any RunStore) throws -> String {
        let results = try runs(3)
        let ids = try results.map { try store.save($0, seconds: 1, provenance: lying) }
        let family = TrialFamily(result: results[0]).key
        #expect(try store.trials(family: family).count == 3, "each saved run brought its trial")
        _ = try store.save(results[0], seconds: 1, provenance: nil)
        #expect(try store.trials(family: family).count == 3, "the same config again is the same trial")
        #expect(try store.delete(id: ids[1], reason: "a typo in the config"))
        #expect(try store.trials(family: family).count == 3, "a deleted run's trial still counts")
        let tombstone = try #require(try store.tombstones().first)
        #expect(tombstone.runID == ids[1] && tombstone.reason == "a typo in the config" && tombstone.family == family && !tombstone.deletedBy.isEmpty)
        let verification = try store.verifyLedger()
        #expect(verification.isIntact && verification.trials == 3 && verification.unchained == 0, "\(verification.report)")
        return family
    }

    @Test("SQLite: save brings the trial; UPDATE and DELETE of trials and tombstones are refused by triggers; verify names an altered and a removed row")
    func sqlite() throws {
        let path = Fixtures.temporaryFolder() + "/runs.db"
        let store = try SQLiteRunStore(path: path)
        let family = try Self.saveDeleteVerify(store)
        for sql in ["UPDATE trials SET annual_sharpe = 9.99", "DELETE FROM trials WHERE id = 1", "UPDATE run_tombstones SET reason = ''",
                    "DELETE FROM run_tombstones"] {
            let r = try Fixtures.run("/usr/bin/sqlite3", [path, sql])
            #expect(r.status != 0 && r.err.contains("append-only"), "\(sql): \(r.err)")
        }
        // Someone with the file drops the triggers and edits: verify finds it.
        let tamper = "DROP TRIGGER trials_append_only_update; DROP TRIGGER trials_append_only_delete; "
            + "UPDATE trials SET returns = '0.5,' || returns WHERE id = 1; DELETE FROM trials WHERE id = 2;"
        #expect(try Fixtures.run("/usr/bin/sqlite3", [path, tamper]).status == 0)
        let verification = try store.verifyLedger()
        #expect(!verification.isIntact)
        #expect(verification.problems.contains { $0.row == 1 && $0.why.contains("altered") }, "\(verification.report)")
        #expect(verification.problems.contains { $0.row == 3 && $0.why.contains("removed") }, "\(verification.report)")
        #expect(verification.problems.allSatisfy { $0.family == family })
        // The command says the same, and fails.
        let command = try Fixtures.alphalab(["trials", "--verify", "--runs", path])
        #expect(command.status == 1 && command.out.contains("row 1") && command.out.contains("altered") && command.out.contains("run 2"), "\(command.out)\(command.err)")
        // The SQLite store records the OS user it runs as (provenance's claim aside).
        #expect(try store.trials(family: family).allSatisfy { $0.user == "someone_else" || $0.user == RunProvenance.currentUser })
    }

    @Test("PostgreSQL: trials refuse UPDATE, DELETE and TRUNCATE even to their owner; a maintenance role with a reason gets through and is logged; the analyst is the session's role")
    func postgres() throws {
        let url = try Postgres.newDatabase()
        let store = try RunStores.open(url)
        let family = try Self.saveDeleteVerify(store)
        let owner = try Postgres.psql(url, "SELECT current_user")
        #expect(try store.trials(family: family).allSatisfy { $0.user == owner }, "the role, not the provenance's 'someone_else'")
        for sql in ["UPDATE trials SET annual_sharpe = 9.99", "DELETE FROM trials", "TRUNCATE trials", "DELETE FROM run_tombstones",
                    "UPDATE trials SET user_name = 'x'"] {
            #expect(throws: (any Error).self, "\(sql) must be refused") { try Postgres.psql(url, sql) }
        }
        #expect(try store.verifyLedger().isIntact)
        // Maintenance: a member of alphalab_maintenance who states a reason acts, and the act is logged.
        try? Postgres.psql(url, "CREATE ROLE alphalab_maintenance")
        try Postgres.psql(url, "GRANT alphalab_maintenance TO \(owner)")
        #expect(throws: (any Error).self, "a reason is required") { try Postgres.psql(url, "UPDATE trials SET name = 'renamed' WHERE id = 1") }
        try Postgres.psql(url, "SET alphalab.maintenance_reason = 'rename for the audit'; UPDATE trials SET name = 'renamed' WHERE id = 1")
        #expect(try Postgres.psql(url, "SELECT operation || ' ' || table_name || ' ' || row_id || ' ' || reason FROM ledger_maintenance")
                == "UPDATE trials 1 rename for the audit")
        #expect(throws: (any Error).self) { try Postgres.psql(url, "DELETE FROM ledger_maintenance") }
        // The renamed row no longer matches its hash: verify says so.
        let verification = try store.verifyLedger()
        #expect(verification.problems.map(\.row) == [1] && verification.problems[0].why.contains("altered"), "\(verification.report)")
    }
}

/// One place: whichever way a run reaches a store, its trial is in that store's ledger,
/// even when the session's ledger is elsewhere (the per-user one).
@Suite("Trials where runs are", .serialized)
struct TrialsWhereRunsAre {
    @Test("Scripts, -e, piped REPL input, verdict and store:save: every stored run's family holds its trial in the same store")
    func everyPath() throws {
        let work = Fixtures.temporaryFolder()
        let store = work + "/team.db"
        // The session's ledger is the per-user one: the store is named only where runs are saved.
        let environment = ["XDG_DATA_HOME": work + "/home", "ALPHALAB_RUNS": ""]
        let save = """
            local d = lab.synthetic({ tickers = 20 })
            local r = lab.run({ name = "NAME", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2014, top_n = TOP }, d)
            lab.runs("\(store)"):save(r)
            """
        func chunk(_ name: String, _ top: Int) -> String {
            save.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "TOP", with: String(top))
        }
        let script = Fixtures.write(chunk("script", 3), to: work + "/save.lua")
        #expect(try Fixtures.alphalab([script], environment: environment, directory: work).status == 0)
        #expect(try Fixtures.alphalab(["-e", chunk("chunk", 4)], environment: environment, directory: work).status == 0)
        let piped = try Fixtures.alphalab(["-i"], environment: environment, input: chunk("repl", 5).replacingOccurrences(of: "\n", with: " ") + "\n",
                                          directory: work)
        #expect(piped.status == 0, "\(piped.err)")
        let config = Fixtures.write("{\"name\": \"judged\", \"strategy\": \"momentum_12_1\", \"start_year\": 2012, \"end_year\": 2015}", to: work + "/c.json")
        let verdict = try Fixtures.alphalab(["verdict", "--config", config, "--tickers", "20", "--permutations", "5", "--runs", store, "--cache", ""],
                                            environment: environment, directory: work)
        #expect(verdict.status == 0, "\(verdict.err)")
        let runs = try Fixtures.run("/usr/bin/sqlite3", [store, "SELECT name FROM runs ORDER BY id"]).out.split(separator: "\n")
        #expect(runs == ["script", "chunk", "repl", "judged"], "\(runs)")
        let orphans = try Fixtures.run("/usr/bin/sqlite3", [store, "SELECT COUNT(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM trials t WHERE t.family = r.family AND t.config_hash = r.config_hash)"])
        #expect(orphans.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "every stored run has its trial in the same store")
        #expect(try SQLiteRunStore(path: store).verifyLedger().isIntact)
    }
}
