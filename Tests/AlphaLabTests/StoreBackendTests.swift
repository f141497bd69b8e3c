import AlphaLab
import AlphaLabLua
import Foundation
import Testing

/// The two run-store backends answer alike: the same sequence of saves, lists, loads and
/// deletes against SQLite and against a real PostgreSQL server gives the same answers.
@Suite("Run store backends", .serialized)
struct StoreBackendTests {
    /// Three results that differ in name, Sharpe (one has none) and execution.
    static let results: [ExperimentResult] = {
        var b = RunStoreTests.result
        b.name = "Other"
        b.metrics.sharpe = 9
        var c = RunStoreTests.result
        c.name = "momentum_lower"
        c.metrics.sharpe = .nan
        c.config.execution = .roundTrip
        return [RunStoreTests.result, b, c]
    }()

    /// A small verdict (momentum on a tiny synthetic market, 5 placebos) to keep with a run.
    static let verdict: Verdict = {
        var options = VerdictOptions()
        options.permutations = 5
        var small = SyntheticMarketConfig()
        small.tickerCount = 24
        let market = try! SyntheticMarket.market(small).dataset()
        return try! VerdictRunner(config: .momentum12_1(startYear: 2014, endYear: 2016), dataset: market, options: options).run().verdict
    }()

    /// What a store answers to one fixed sequence of calls, as text to compare. `user` is who
    /// the store records as the analyst (SQLite: the OS user; PostgreSQL: the session's role).
    static func answers(_ store: any RunStore, user: String) throws -> [String] {
        var out: [String] = []
        let provenance = RunProvenance(scriptPath: "/x/s.lua", scriptText: "print(1)", arguments: ["--a", "b"], workingDirectory: "/x", sequence: 1)
        let ids = try results.enumerated().map { i, r in try store.save(r, seconds: Double(i) + 0.25, provenance: i == 0 ? provenance : nil) }
        out.append("ids \(ids)")
        func line(_ s: RunSummary) -> String {
            let run: [String] = [String(s.id), String(s.seconds), s.version, s.scriptHash ?? "-", s.xgboostVersion ?? "-", s.universe ?? "-",
                                 s.rebalance ?? "-", s.user == user ? "USER" : s.user ?? "-", s.scriptPath ?? "-", s.family ?? "-",
                                 s.configHash ?? "-", s.strategy ?? "-", s.parameters ?? "-"]
            // Every stored figure, as the registry declares them.
            let figures: [String] = ResultField.columns.map { field in s.figures[field.key].map { "\(field.key)=\($0)" } ?? "\(field.key)=-" }
            return (run + figures).joined(separator: " ")
        }
        for filter in [RunFilter(), RunFilter(name: "MOM%"), RunFilter(minSharpe: 1), RunFilter(orderBy: "sharpe"),
                       RunFilter(orderBy: "total_return", limit: 2), RunFilter(since: "2999-01-01")] {
            out.append("list " + (try store.list(filter).map(line).joined(separator: " | ")))
        }
        // The run browser's filters, orders and pages.
        var paged = RunFilter(orderBy: "name", limit: 2)
        paged.offset = 1
        paged.descending = true
        var narrowed = RunFilter()
        (narrowed.execution, narrowed.universe, narrowed.timing) = ("round_trip", "all", "prior_close")
        (narrowed.until, narrowed.user) = ("2999-01-01", user)
        var scripted = RunFilter()
        scripted.script = "%S.LUA"
        for filter in [paged, narrowed, scripted, RunFilter(orderBy: "max_drawdown"), RunFilter(orderBy: "verdict"), RunFilter(orderBy: "user")] {
            out.append("browse " + (try store.list(filter).map(\.id).map(String.init).joined(separator: ",")) + " of \(try store.count(filter))")
        }
        for id in ids { out.append("load \(id) " + String(decoding: try store.load(id: id).json(pretty: false), as: UTF8.self)) }
        out.append("provenance \(String(describing: try store.provenance(id: ids[0])))")
        out.append("provenance \(String(describing: try store.provenance(id: ids[1])))")
        try store.saveVerdict(Self.verdict, run: ids[0])
        try store.saveVerdict(Self.verdict, run: ids[0]) // kept again: replaced, not added
        out.append("verdict \(try store.verdict(id: ids[0])!.json() == Self.verdict.json()) \(String(describing: try store.verdict(id: ids[2]))) "
                   + "listed \(try store.list(RunFilter()).map { $0.verdict ?? "-" })")
        do { try store.saveVerdict(Self.verdict, run: 999) } catch { out.append("\(error)".replacingOccurrences(of: store.location, with: "STORE")) }
        out.append("delete \(try store.delete(id: ids[1])) \(try store.delete(id: ids[1])) count \(try store.count())")
        do { _ = try store.load(id: ids[1]) } catch { out.append("\(error)".replacingOccurrences(of: store.location, with: "STORE")) }
        do { _ = try store.list(RunFilter(orderBy: "speed")) } catch { out.append("\(error)") }
        // Tags and notes: a tag filters the list (whole tags, case aside), a tag taken off stays in the history.
        try store.tag(ids[0], ["phase2", "keep_me"])
        try store.tag(ids[2], ["phase2"])
        try store.untag(ids[0], ["phase2"])
        try store.note(ids[2], "looks like luck:\nrerun on 2022")
        for tag in ["phase2", "PHASE2", "keep_me", "keep", "keepXme"] {
            var filter = RunFilter()
            filter.tag = tag
            out.append("tag \(tag): \(try store.list(filter).map(\.id)) of \(try store.count(filter))")
        }
        out.append("tags " + (try store.list(RunFilter()).map { "\($0.id):\($0.tags.joined(separator: "+"))" }.joined(separator: " ")))
        out.append("annotations " + (try store.annotations(id: ids[0]) + store.annotations(id: ids[2])).map {
            "\($0.kind.rawValue) \($0.text) \($0.user == user ? "USER" : $0.user) \($0.createdAt.count)"
        }.joined(separator: " | "))
        for (kind, text) in [(RunAnnotation.Kind.tag, "two words"), (.tag, ""), (.note, "  ")] {
            do { try store.annotate(run: ids[0], kind, text) } catch { out.append("\(error)") }
        }
        do { try store.note(999, "x") } catch { out.append("\(error)".replacingOccurrences(of: store.location, with: "STORE")) }
        return out
    }

    @Test("The same sequence against SQLite and PostgreSQL gives the same answers")
    func sameAnswers() throws {
        let sqlite = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/runs.db")
        let url = try Postgres.newDatabase()
        let postgres = try RunStores.open(url)
        #expect(postgres is PostgresRunStore)
        let a = try Self.answers(sqlite, user: RunProvenance.currentUser), b = try Self.answers(postgres, user: try Postgres.psql(url, "SELECT current_user"))
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) { #expect(x == y) }
        // The figures survive both: the stored result is the original.
        #expect(try postgres.load(id: 1).json() == Self.results[0].json())
    }

    @Test("PostgreSQL: schema versions are recorded once, however many open the store at once")
    func migrations() throws {
        let url = try Postgres.newDatabase()
        let group = DispatchGroup()
        nonisolated(unsafe) var failures: [String] = []
        let lock = NSLock()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                do { _ = try PostgresRunStore(url: url) } catch { lock.withLock { failures.append("\(error)") } }
            }
        }
        group.wait()
        #expect(failures.isEmpty, "\(failures)")
        #expect(try PostgresRunStore(url: url).schemaVersions().sorted() == PostgresRunStore.versions.sorted())
        #expect(try Postgres.psql(url, "SELECT count(*) FROM alphalab_migrations") == "\(PostgresRunStore.versions.count)")
    }

    @Test("A figure given a column reaches stores made before it, in both backends: its generated migration adds the column and fills it from each stored result; it lists, sorts and reaches Lua")
    func generatedFigureColumn() throws {
        let field = try #require(ResultField.named("calmar"))
        #expect(field.isColumn && RunFilter.orders.contains { $0.key == "calmar" })
        let sqlitePath = Fixtures.temporaryFolder() + "/runs.db"
        let url = try Postgres.newDatabase()
        // Each store as a version without the figure's column left it: the column and its version gone.
        let sqlite = try SQLiteRunStore(path: sqlitePath)
        let postgres = try PostgresRunStore(url: url)
        for store in [sqlite, postgres] as [any RunStore] { for r in Self.results { try store.save(r, seconds: 1) } }
        let dropSQLite = Process()
        dropSQLite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        dropSQLite.arguments = [sqlitePath, "ALTER TABLE runs DROP COLUMN calmar; DELETE FROM grdb_migrations WHERE identifier = 'figure: calmar';"]
        try dropSQLite.run()
        dropSQLite.waitUntilExit()
        #expect(dropSQLite.terminationStatus == 0)
        _ = try Postgres.psql(url, "ALTER TABLE runs DROP COLUMN calmar; DELETE FROM alphalab_migrations WHERE version = 'figure: calmar'")
        for store in [try SQLiteRunStore(path: sqlitePath), try PostgresRunStore(url: url)] as [any RunStore] {
            let listed = try store.list(RunFilter(orderBy: "calmar"))
            let calmars = listed.map { $0.number("calmar") }
            #expect(listed.count == Self.results.count && calmars.allSatisfy(\.isFinite), "\(store.location): \(calmars)")
            for s in listed { #expect(s.number("calmar") == (try store.load(id: s.id)).metrics.calmar) }
            #expect(calmars == calmars.sorted(by: >), "sorted best first")
        }
        // The runs list shows it under its header, and the Lua summary carries it.
        let page = RunBrowser(store: sqlite).respond(to: WebRequest(target: "/?sort=calmar"))
        #expect(page.status == 200 && page.body.contains("Calmar"))
        let lua = try Fixtures.alphalab(["-e", "local s = lab.runs('\(sqlitePath)'):list{ order = 'calmar' }[1]; print(type(s.calmar), s.calmar ~= nil)"],
                                        environment: ["XDG_DATA_HOME": Fixtures.temporaryFolder()])
        #expect(lua.out.contains("number\ttrue"), "\(lua.out)\(lua.err)")
    }

    @Test("A URL with a password is refused without echoing it; a server that is not there is named")
    func badURLs() throws {
        let server = try Postgres.server()
        var parts = URLComponents(string: server)!
        parts.password = "s3cret-planted"
        do {
            _ = try RunStores.open(parts.string!)
            Issue.record("a URL with a password was accepted")
        } catch {
            #expect("\(error)".contains("PGPASSWORD or ~/.pgpass") && !"\(error)".contains("s3cret-planted"), "\(error)")
        }
        parts = URLComponents(string: server)!
        parts.password = nil
        parts.port = 1
        do {
            _ = try RunStores.open(parts.string!)
            Issue.record("a store on a closed port opened")
        } catch {
            #expect("\(error)".hasPrefix("cannot connect to the run store \(parts.string!)"), "\(error)")
        }
    }

    @Test("SQLite refuses a store on a network filesystem and points to PostgreSQL")
    func networkFilesystem() throws {
        let mounts = """
            /dev/sda1 / ext4 rw 0 0
            server:/export /mnt/team nfs4 rw 0 0
            //nas/share /mnt/nas cifs rw 0 0
            /dev/sdb1 /mnt/team/local ext4 rw 0 0
            """
        #expect(SQLiteRunStore.filesystemType(of: "/mnt/team/runs.db", mounts: mounts) == "nfs4")
        #expect(SQLiteRunStore.filesystemType(of: "/mnt/team/local/runs.db", mounts: mounts) == "ext4")
        #expect(SQLiteRunStore.filesystemType(of: "/mnt/nas/x/runs.db", mounts: mounts) == "cifs")
        #expect(SQLiteRunStore.filesystemType(of: "/home/a/runs.db", mounts: mounts) == "ext4")
        #expect(SQLiteRunStore.networkFilesystem("nfs4") == "NFS" && SQLiteRunStore.networkFilesystem("cifs") == "SMB/CIFS")
        #expect(SQLiteRunStore.networkFilesystem("ext4") == nil && SQLiteRunStore.networkFilesystem("tmpfs") == nil)
    }

    @Test("Lua: lab.runs takes a postgres:// URL; a sandboxed script opens only the store named on its command line")
    func fromLua() throws {
        let url = try Postgres.newDatabase()
        let other = try Postgres.newDatabase()
        let folder = Fixtures.temporaryFolder()
        try AtomicFile.write(try Self.results[0].json(), to: folder + "/result.json")
        let script = Fixtures.write("""
            local store = lab.runs(arg[1])
            local id = store:save(lab.load_result(arg[2]))
            print(store.location, id, store:count(), store:list()[1].name)
            assert(store.path == store.location)
            if arg[3] then lab.runs(arg[3]) end
            """, to: folder + "/store.lua")
        let plain = try Fixtures.alphalab([script, url, folder + "/result.json"])
        #expect(plain.status == 0, "\(plain.err)")
        #expect(plain.out == "\(url)\t1\t1\tMomentum_12_1\n")
        // The old name still answers, with a deprecation message once.
        #expect(plain.err.components(separatedBy: "store.path is deprecated: it is now store.location").count == 2, "\(plain.err)")
        let confined = try Fixtures.alphalab(["--sandbox", "--output", folder, script, url, folder + "/result.json"])
        #expect(confined.status == 0 && confined.out.hasPrefix("\(url)\t2\t2\t"), "\(confined.err)")
        let reached = try Fixtures.alphalab(["--sandbox", "--output", folder, "-e", "lab.runs('\(other)')"])
        #expect(reached.status != 0 && reached.err.contains("sandbox: cannot open the run store '\(other)'"), "\(reached.err)")
        #expect(try Postgres.psql(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'runs'") == "0")
    }
}

/// What sharing a store must never do: leak a password, or run a colleague's code unconfined.
@Suite("Safe to share", .serialized)
struct SafeToShareTests {
    @Test("A rerun of a run recorded by someone else runs in the sandbox by default and says so; --trust runs it unconfined")
    func foreignRerun() throws {
        let folder = Fixtures.temporaryFolder()
        let escape = Fixtures.temporaryFolder() + "/escape.txt"
        let script = Fixtures.write("""
            local r = lab.run({ name = "shared", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 },
              lab.synthetic({ tickers = 20 }))
            lab.runs(arg[1]):save(r)
            local f = assert(io.open("\(escape)", "w")); f:write("outside"); f:close()
            """, to: folder + "/shared.lua")
        let store = folder + "/results/runs.db"
        let first = try Fixtures.alphalab([script, store], directory: folder)
        #expect(first.status == 0, "\(first.err)")
        // As if a colleague had recorded it on their machine.
        let update = Process()
        update.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        update.arguments = [store, "UPDATE run_documents SET provenance = json_set(provenance, '$.user', 'mallory', '$.host', 'elsewhere')"]
        try update.run()
        update.waitUntilExit()
        #expect(try SQLiteRunStore(path: store).provenance(id: 1)?.user == "mallory")
        try FileManager.default.removeItem(atPath: escape)

        let confined = try Fixtures.alphalab(["rerun", "1", "--runs", store])
        #expect(confined.status != 0)
        #expect(confined.err.contains("run 1 was recorded by mallory on elsewhere: its script is rerun in the sandbox (--trust reruns it unconfined)"),
                "\(confined.err)")
        #expect(confined.err.contains("sandbox: cannot write '\(escape)'"), "\(confined.err)")
        #expect(!FileManager.default.fileExists(atPath: escape))
        let trusted = try Fixtures.alphalab(["rerun", "1", "--runs", store, "--trust"])
        #expect(trusted.status == 0 && trusted.out.contains("identical"), "\(trusted.out)\(trusted.err)")
        #expect(!FileManager.default.fileExists(atPath: escape), "a rerun discards the files a script writes")
    }

    @Test("A password planted in a URL and in the environment appears in no output, provenance, result or ledger row")
    func noPasswordAnywhere() throws {
        let url = try Postgres.newDatabase()
        let secret = "pw-\(UUID().uuidString.prefix(8))"
        var withPassword = URLComponents(string: url)!
        withPassword.password = secret
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.write("""
            local cli = require "cli"
            local o = cli.parse(arg, { runs = cli.runs_option() })
            local r = lab.run({ name = "p", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 },
              lab.synthetic({ tickers = 20 }))
            local store = lab.runs(o.runs)
            print(store, store:save(r))
            """, to: folder + "/p.lua")
        let environment = ["PGPASSWORD": secret, "XDG_DATA_HOME": folder + "/home"]
        let refused = try Fixtures.alphalab([script, "--runs", withPassword.string!], environment: environment)
        #expect(refused.status != 0 && refused.err.contains("PGPASSWORD or ~/.pgpass"), "\(refused.err)")
        let ran = try Fixtures.alphalab([script, "--runs", url], environment: environment, directory: folder)
        #expect(ran.status == 0, "\(ran.err)")
        let stored = try Postgres.psql(url, "SELECT provenance || result FROM runs") + (try Postgres.psql(url, "SELECT row_to_json(t)::text FROM trials t"))
        for text in [refused.out, refused.err, ran.out, ran.err, stored] { #expect(!text.contains(secret)) }
        #expect(stored.contains("\"scriptText\"") && stored.contains("config_hash"), "the provenance and the ledger row were read")
    }
}

/// Nothing lost when many write at once, when a writer dies, or when the server goes.
@Suite("Run store under load and faults", .serialized)
struct StoreLoadTests {
    /// `count` processes at once, each running and saving `runs` distinct backtests into the
    /// store at `location` (which is also their ledger); returns their exit statuses.
    static func writers(_ count: Int, runs: Int, location: String) throws -> [Outcome] {
        let script = Fixtures.write("""
            local d = lab.synthetic({ tickers = 12 })
            local store, k = lab.runs(arg[1]), tonumber(arg[2])
            for i = 1, \(runs) do
              local r = lab.run({ name = "w" .. k .. "_" .. i, strategy = "momentum_12_1", rebalance = "monthly", top_n = i, min_price = k,
                start_year = 2013, end_year = 2013 }, d)
              store:save(r)
            end
            """, to: Fixtures.temporaryFolder() + "/writer.lua")
        nonisolated(unsafe) var outcomes = [Outcome?](repeating: nil, count: count)
        let group = DispatchGroup()
        for k in 0..<count {
            DispatchQueue.global().async(group: group) {
                outcomes[k] = try? Fixtures.alphalab([script, location, String(k)], environment: ["ALPHALAB_RUNS": location])
            }
        }
        group.wait()
        return outcomes.map { $0 ?? Outcome(status: -1, out: "", err: "did not start") }
    }

    @Test("8 processes each saving 50 runs and their trials into one PostgreSQL store: 400 runs, 400 trials, ids unique")
    func postgresLoad() throws {
        let url = try Postgres.newDatabase()
        let outcomes = try Self.writers(8, runs: 50, location: url)
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.err))")
        #expect(try Postgres.psql(url, "SELECT count(*), count(DISTINCT id) FROM runs") == "400|400")
        #expect(try Postgres.psql(url, "SELECT count(*), count(DISTINCT config_hash) FROM trials") == "400|400")
        let store = try RunStores.open(url)
        #expect(try store.families().map(\.trials) == [400])
        // Eight writers at once still leave one chain and one sequence of running sums.
        let verification = try store.verifyLedger()
        #expect(verification.isIntact && verification.trials == 400, "\(verification.report)")
    }

    @Test("4 processes on one SQLite store: 200 runs, 200 trials")
    func sqliteLoad() throws {
        let path = Fixtures.temporaryFolder() + "/runs.db"
        let outcomes = try Self.writers(4, runs: 50, location: path)
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.err))")
        let store = try SQLiteRunStore(path: path)
        #expect(try store.count() == 200 && Set(try store.list(RunFilter(limit: 1000)).map(\.id)).count == 200)
        #expect(try store.families().map(\.trials) == [200])
        #expect(try store.verifyLedger().isIntact)
    }

    @Test("A writer killed with SIGKILL in the middle of saving leaves no half-written run in PostgreSQL")
    func killedWriter() throws {
        let url = try Postgres.newDatabase()
        let folder = Fixtures.temporaryFolder()
        try AtomicFile.write(try RunStoreTests.result.json(), to: folder + "/result.json")
        let process = Process()
        process.executableURL = Fixtures.products.appendingPathComponent("alphalab")
        process.arguments = ["-e", "local r = lab.load_result('\(folder)/result.json'); local s = lab.runs('\(url)'); while true do s:save(r) end"]
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The server ends the dead client's session on its own time: an INSERT it had
        // received may still commit (whole) just after. Read once that session is gone.
        let others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        for _ in 0..<100 where try Postgres.psql(url, others) != "0" { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try Postgres.psql(url, others) == "0")
        let store = try RunStores.open(url)
        let summaries = try store.list(RunFilter(limit: 100_000))
        let count = try store.count()
        #expect(summaries.count >= 1 && summaries.count == count)
        let expected = try RunStoreTests.result.json()
        for s in summaries { #expect(try store.load(id: s.id).json() == expected) }
    }

    @Test("A server that goes away mid-run: a clear error naming the store, and the results are still in the output folder")
    func serverGone() throws {
        let folder = Fixtures.temporaryFolder()
        let server = Fixtures.root.appendingPathComponent("tools/postgres/local-server.sh").path
        let started = try Fixtures.run("/bin/bash", [server, "start", folder + "/pg"])
        let url = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(started.status == 0 && url.hasPrefix("postgres://"), "\(started.err)")
        defer { _ = try? Fixtures.run("/bin/bash", [server, "stop", folder + "/pg"]) }
        let script = Fixtures.write("""
            local store = lab.runs(arg[1])
            local r = lab.run({ name = "gone", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 },
              lab.synthetic({ tickers = 20 }))
            io.open(arg[2] .. "/opened", "w"):close()
            local deadline = lab.clock() + 60
            while not io.open(arg[2] .. "/stopped") and lab.clock() < deadline do end
            r:save(arg[2] .. "/out/result.json")
            store:save(r)
            """, to: folder + "/gone.lua")
        let process = Process()
        process.executableURL = Fixtures.products.appendingPathComponent("alphalab")
        process.arguments = [script, url, folder]
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_DATA_HOME": folder + "/home", "ALPHALAB_RUNS": ""]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: folder + "/opened") { Thread.sleep(forTimeInterval: 0.1) }
        _ = try Fixtures.run("/bin/bash", [server, "stop", folder + "/pg"])
        FileManager.default.createFile(atPath: folder + "/stopped", contents: Data())
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("the run store \(url)"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: folder + "/out/result.json"))
    }
}
