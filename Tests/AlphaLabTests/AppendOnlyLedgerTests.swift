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
        try store.note(1, "kept as written")
        for sql in ["UPDATE trials SET annual_sharpe = 9.99", "DELETE FROM trials WHERE id = 1", "UPDATE run_tombstones SET reason = ''",
                    "DELETE FROM run_tombstones", "UPDATE run_annotations SET text = ''", "DELETE FROM run_annotations"] {
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
        try store.note(1, "kept as written")
        for sql in ["UPDATE trials SET annual_sharpe = 9.99", "DELETE FROM trials", "TRUNCATE trials", "DELETE FROM run_tombstones",
                    "UPDATE trials SET user_name = 'x'", "UPDATE run_annotations SET text = ''", "DELETE FROM run_annotations"] {
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

/// The deflated Sharpe ratio from a family's running sums (one row) agrees with the one
/// from every trial's returns, on both backends; the sums are verified like the chain.
@Suite("Family running sums", .serialized)
struct FamilyRunningSumsTests {
    /// 40 trials of one family: noisy copies of a run's returns, a quarter of them claiming
    /// an absolute Sharpe ratio at another risk-free rate.
    static func trials() throws -> [Trial] {
        let base = Trial(result: try AppendOnlyLedgerTests.runs(1)[0], scriptHash: nil, user: "a", host: "h")
        var random = RandomSource(seed: 17)
        return (0..<40).map { k in
            let noise = base.returns.map { _ in 0.02 * random.normal() }
            return Trial(configHash: String(format: "%016x", k), family: base.family, name: "t\(k)", returns: zip(base.returns, noise).map(+),
                         activeReturns: zip(base.activeReturns, noise).map(+), claim: k % 4 == 3 ? .absolute : .active,
                         riskFree: k % 4 == 3 ? 0.02 : 0.04, scriptHash: nil, user: "a", host: "h", recordedAt: base.recordedAt)
        }
    }

    /// Every trial judged from the running sums equals the judgement from all samples, and
    /// so does a trial the family lacks.
    static func agree(_ store: any RunStore) throws {
        let trials = try Self.trials()
        for trial in trials.dropLast() { try store.record(trial) }
        let family = trials[0].family.key
        let samples = try store.samples(family: family)
        for trial in [trials[0], trials[3], trials[20], trials[39]] {
            let fast = try store.judge(trial.sample, family: family), full = TrialVerdict(sample: trial.sample, family: samples)
            #expect(fast.trials == (trial.configHash == trials[39].configHash ? 40 : 39) && fast.trials == full.trials)
            for (a, b) in [(fast.deflated, full.deflated), (fast.variance, full.variance), (fast.effectiveTrials, full.effectiveTrials),
                           (fast.meanCorrelation, full.meanCorrelation), (fast.bestAnnualSharpe, full.bestAnnualSharpe), (fast.sharpe, full.sharpe)] {
                #expect(a == b, "\(trial.name): \(a) from the sums, \(b) from the returns")
            }
            #expect(fast.deflated > 0 && fast.deflated < 1 && fast.effectiveTrials > 1)
        }
        #expect(try store.judge(configHash: trials[39].configHash, family: family) == nil, "not in the family")
        #expect(try store.judge(configHash: trials[5].configHash, family: family)?.trials == 39)
        // The claim decides the statistic of the whole family: an absolute claim's variance is not an active one's.
        #expect(try store.judge(trials[3].sample, family: family).variance != (try store.judge(trials[0].sample, family: family).variance))
        #expect(try store.verifyLedger().isIntact)
    }

    @Test("SQLite: judged from the running sums as from every trial's returns; an altered sum is named by verify; a family recorded before the sums gets them on its next trial")
    func sqlite() throws {
        let path = Fixtures.temporaryFolder() + "/runs.db"
        let store = try SQLiteRunStore(path: path)
        try Self.agree(store)
        let tamper = "DROP TRIGGER trials_append_only_update; UPDATE trials SET family_moments = replace(family_moments, 'v1;39,', 'v1;3,') WHERE id = 39;"
        #expect(try Fixtures.run("/usr/bin/sqlite3", [path, tamper]).status == 0)
        let verification = try store.verifyLedger()
        #expect(verification.problems.map(\.row) == [39] && verification.problems[0].why.contains("running sums"), "\(verification.report)")

        // Rows recorded before the sums were kept: the judgement falls back to the returns,
        // and the next trial appended computes the sums from every earlier row.
        let legacy = Fixtures.temporaryFolder() + "/legacy.db"
        let old = try SQLiteRunStore(path: legacy)
        let trials = try Self.trials()
        for trial in trials.prefix(10) { try old.record(trial) }
        #expect(try Fixtures.run("/usr/bin/sqlite3", [legacy, "DROP TRIGGER trials_append_only_update; UPDATE trials SET family_moments = NULL;"]).status == 0)
        let family = trials[0].family.key
        #expect(try old.judge(trials[2].sample, family: family).deflated == TrialVerdict(sample: trials[2].sample, family: Array(trials.prefix(10)).map(\.sample)).deflated)
        try old.record(trials[10])
        let rows = try old.ledgerRows()
        #expect(rows.last?.storedMoments == FamilyMoments(trials.prefix(11).map(\.sample)).encoded)
        #expect(try old.verifyLedger().isIntact)
    }

    @Test("PostgreSQL: judged from the running sums as from every trial's returns")
    func postgres() throws {
        try Self.agree(try RunStores.open(try Postgres.newDatabase()))
    }
}

/// One place: whichever way a run reaches a store, its trial is in that store's ledger,
/// even when the session's ledger is elsewhere (the per-user one).
@Suite("Trials where runs are", .serialized)
struct TrialsWhereRunsAre {
    @Test("Scripts, -e, piped REPL input, the Jupyter kernel, verdict, rerun and store:save: every stored run's family holds its trial in the same store")
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
        // The Jupyter kernel, driven by Jupyter's own client.
        if let python = KernelTests.python() {
            let client = """
                import sys
                from jupyter_client.manager import start_new_kernel
                manager, client = start_new_kernel(kernel_name="alphalab")
                try:
                    reply = client.execute_interactive(sys.argv[1], timeout=300)
                    sys.exit(0 if reply["content"]["status"] == "ok" else 1)
                finally:
                    client.stop_channels()
                    manager.shutdown_kernel(now=True)
                """
            let kernel = try Fixtures.run(python, ["-c", client, chunk("kernel", 6)],
                                          environment: environment.merging(["JUPYTER_PATH": try KernelTests.installKernels()]) { $1 })
            #expect(kernel.status == 0, "\(kernel.out)\(kernel.err)")
        }
        let config = Fixtures.write("{\"name\": \"judged\", \"strategy\": \"momentum_12_1\", \"start_year\": 2012, \"end_year\": 2015}", to: work + "/c.json")
        let verdict = try Fixtures.alphalab(["verdict", "--config", config, "--tickers", "20", "--permutations", "5", "--runs", store, "--cache", ""],
                                            environment: environment, directory: work)
        #expect(verdict.status == 0, "\(verdict.err)")
        // A rerun of the script's run runs it again and stores nothing.
        let rerun = try Fixtures.alphalab(["rerun", "1", "--runs", store], environment: environment, directory: work)
        #expect(rerun.status == 0 && rerun.out.contains("identical"), "\(rerun.out)\(rerun.err)")
        let runs = try Fixtures.run("/usr/bin/sqlite3", [store, "SELECT name FROM runs ORDER BY id"]).out.split(separator: "\n")
        #expect(runs == ["script", "chunk", "repl", "kernel", "judged"], "\(runs)")
        #expect(try Fixtures.runsWithoutTrial(store) == [], "every stored run has its trial in the same store")
        #expect(try SQLiteRunStore(path: store).verifyLedger().isIntact)
    }
}
