import AlphaLab
import Foundation
import Testing

/// The run store: round trips, filters, concurrent writers, a writer killed mid-write.
@Suite("Run store")
struct RunStoreTests {
    static let result: ExperimentResult = {
        var config = SyntheticMarketConfig()
        config.tickerCount = 30
        let dataset = Dataset(panel: try! SyntheticMarket.generate(config))
        return try! WalkForward(config: .momentum12_1(startYear: 2012, endYear: 2015), dataset: dataset).run()
    }()

    @Test("A stored run loads back equal to the original, and lists with its metrics")
    func roundTrip() throws {
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/runs.db")
        let id = try store.save(Self.result, seconds: 1.5)
        #expect(try store.load(id: id).json() == Self.result.json())
        let listed = try store.list()
        #expect(listed.count == 1 && listed[0].id == id && listed[0].name == "Momentum_12_1" && listed[0].seconds == 1.5)
        #expect(listed[0].number("sharpe") == Self.result.metrics.sharpe && listed[0].text("data_fingerprint") == Self.result.dataFingerprint)
        #expect(listed[0].version == AlphaLabVersion.string)
    }

    @Test("From Lua: store:tag, store:untag and store:note; store:list{tag=} filters; store:annotations keeps the history; a bad tag is an error")
    func tagsFromLua() throws {
        let path = Fixtures.temporaryFolder() + "/runs.db"
        let r = try Fixtures.alphalab(["-e", """
            local store = lab.runs('\(path)')
            local r = lab.run({strategy='momentum_12_1', rebalance='monthly', start_year=2012, end_year=2012}, lab.synthetic{tickers=20})
            local id = store:save(r)
            store:tag(id, 'keep', 'phase2')
            store:untag(id, 'phase2')
            store:note(id, 'hello')
            print(#store:list{tag='keep'}, #store:list{tag='phase2'}, table.concat(store:list()[1].tags, ','))
            for _, a in ipairs(store:annotations(id)) do print(a.kind, a.text) end
            print(pcall(store.tag, store, id, 'two words'))
            """], environment: ["ALPHALAB_RUNS": ""])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "1\t0\tkeep\ntag\tkeep\ntag\tphase2\nuntag\tphase2\nnote\thello\n"
                + "false\tRunStore:tag: 'two words' is not a tag: 1 to 40 letters, digits, - _ . : or /\n", "\(r.out)")
    }

    @Test("Filters by name, date and Sharpe; orders; deletes")
    func filters() throws {
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/runs.db")
        var other = Self.result
        other.name = "Other"
        other.metrics.sharpe = 9
        let a = try store.save(Self.result), b = try store.save(other)
        #expect(try store.list(.init(name: "Mom%")).map(\.id) == [a])
        #expect(try store.list(.init(minSharpe: 5)).map(\.id) == [b])
        #expect(try store.list(.init(orderBy: "sharpe")).map(\.id) == [b, a])
        #expect(try store.list(.init(since: "2999-01-01")).isEmpty)
        #expect(throws: StoreError.badQuery("order must be one of \(RunFilter.orders.map(\.key).joined(separator: ", ")), got 'speed'")) { try store.list(.init(orderBy: "speed")) }
        #expect(try store.delete(id: a) && !(try store.delete(id: a)))
        #expect(try store.count() == 1)
        #expect(throws: StoreError.badQuery("no run with id \(a) in \(store.path)")) { try store.load(id: a) }
    }

    @Test("Two processes recording runs at once lose nothing")
    func concurrentWriters() throws {
        let folder = Fixtures.temporaryFolder()
        try AtomicFile.write(try Self.result.json(), to: folder + "/result.json")
        let script = "local r = lab.load_result('\(folder)/result.json'); local s = lab.runs('\(folder)/runs.db'); for i = 1, 40 do s:save(r) end"
        let group = DispatchGroup()
        nonisolated(unsafe) var statuses: [Int32] = [0, 0]
        for i in 0..<2 {
            DispatchQueue.global().async(group: group) { statuses[i] = (try? Fixtures.alphalab(["-e", script]).status) ?? -1 }
        }
        group.wait()
        #expect(statuses == [0, 0])
        let store = try SQLiteRunStore(path: folder + "/runs.db")
        #expect(try store.count() == 80)
        #expect(Set(try store.list(.init(limit: 100)).map(\.id)).count == 80)
    }

    @Test("A writer killed mid-write leaves the store readable and the previous results file intact")
    func killedWriter() throws {
        let folder = Fixtures.temporaryFolder()
        let previous = try Self.result.json()
        try AtomicFile.write(previous, to: folder + "/results.json")
        try AtomicFile.write(previous, to: folder + "/result.json")
        let process = Process()
        process.executableURL = Fixtures.products.appendingPathComponent("alphalab")
        process.arguments = ["-e", """
            local r = lab.load_result('\(folder)/result.json')
            local s = lab.runs('\(folder)/runs.db')
            local big = r:json() .. string.rep(' ', 20000000)
            while true do s:save(r); lab.write_file('\(folder)/results.json', big) end
            """]
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let store = try SQLiteRunStore(path: folder + "/runs.db")
        let count = try store.count()
        #expect(count >= 1)
        #expect(try store.load(id: try store.list(.init(limit: 1))[0].id).json() == previous)
        // The results file is the previous one or a whole new one, never a torn write.
        let text = try Data(contentsOf: URL(fileURLWithPath: folder + "/results.json"))
        #expect(text == previous || text.count == previous.count + 20_000_000)
        #expect(try ExperimentResult(json: text).json() == previous)
    }

    @Test("A store and results written before execution models open: their runs are the seed's round trips, nothing is lost")
    func olderStore() throws {
        let folder = Fixtures.temporaryFolder()
        // The result as the previous version wrote it: no execution in its config, no cost figures.
        var json = try JSONSerialization.jsonObject(with: try Self.result.json()) as! [String: Any]
        var config = json["config"] as! [String: Any]
        for key in ["execution", "no_trade_band", "weighting", "cost_model", "half_spread_bps", "impact_coefficient", "max_adv_pct"] { config[key] = nil }
        json["config"] = config
        for key in ["execution", "name_turnover", "cost_drag", "costs_paid", "holding_days", "unfilled_fraction"] { json[key] = nil }
        let old = try JSONSerialization.data(withJSONObject: json)
        try old.write(to: URL(fileURLWithPath: folder + "/old.json"))
        let loaded = try ExperimentResult(json: old)
        #expect(loaded.config.execution == .roundTrip && loaded.costDrag.isNaN && loaded.metrics.sharpe == Self.result.metrics.sharpe)

        // The first version's schema, with one run in it.
        let sql = """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1');
            CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created_at TEXT NOT NULL, seconds REAL NOT NULL,
                alphalab_version TEXT NOT NULL, data_fingerprint TEXT NOT NULL, start_date TEXT, end_date TEXT, signal_timing TEXT NOT NULL,
                total_return REAL, cagr REAL, sharpe REAL, max_drawdown REAL, win_rate REAL, spy_return REAL, excess_return REAL, mean_ic REAL,
                config TEXT NOT NULL, result BLOB NOT NULL);
            INSERT INTO runs (name, created_at, seconds, alphalab_version, data_fingerprint, signal_timing, sharpe, config, result)
                VALUES ('old', '2026-11-01T00:00:00Z', 1, '0.1', 'x', 'prior_close', 0.5, '{}', readfile('\(folder)/old.json'));
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [folder + "/runs.db", sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let store = try SQLiteRunStore(path: folder + "/runs.db")
        let listed = try store.list()
        #expect(listed.count == 1 && listed[0].name == "old" && listed[0].text("execution") == "round_trip" && listed[0].number("cost_drag").isNaN)
        #expect(try store.load(id: listed[0].id).config.execution == .roundTrip)
        let id = try store.save(Self.result)
        let saved = try store.list(.init(name: "Momentum%"))[0]
        #expect(saved.text("execution") == "rebalance" && id > listed[0].id && saved.universe == "all" && saved.family != nil)
        #expect(listed[0].universe == nil && listed[0].family == nil, "an old run's config named no universe; its family is unknown")
    }
}
