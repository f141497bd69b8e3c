import AlphaLab
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The run browser behind `alphalab serve`: its pages in process (escaping, filters, sort,
/// paging, comparisons, errors), then the real server driven by headless Chromium, and the
/// token that guards it off the loopback address.
@Suite("Run browser", .serialized)
struct RunBrowserTests {
    static let payload = "\"><img src=x onerror=\"window.__pwned=1;document.title='pwned'\">"

    /// A store with real runs on a synthetic market, each also a trial of the ledger: two
    /// that differ only in top_n, a weekly one, and one named like a script whose config
    /// excludes a ticker named like an HTML payload.
    static func filledStore(_ path: String) throws -> SQLiteRunStore {
        let store = try SQLiteRunStore(path: path)
        var small = SyntheticMarketConfig()
        small.tickerCount = 40
        let market = try SyntheticMarket.market(small).dataset()
        let base = ExperimentConfig.momentum12_1(startYear: 2012, endYear: 2016)
        let configs = [base.with { $0.name = "momentum_5"; $0.topN = 5 }, base.with { $0.name = "momentum_10"; $0.topN = 10 },
                       base.with { $0.name = "momentum_weekly"; $0.rebalance = .weekly },
                       base.with { $0.name = "<script>alert(1)</script>"; $0.topN = 7; $0.excludeTickers = [payload] }]
        for config in configs {
            let result = try WalkForward(config: config, dataset: market).run()
            try store.save(result, seconds: 0.1)
            try store.record(Trial(result: result, scriptHash: nil, user: "ana", host: "desk"))
        }
        return store
    }

    static func get(_ browser: RunBrowser, _ target: String) -> WebResponse { browser.respond(to: WebRequest(target: target)) }

    @Test("Tags and notes: shown on the list and the run page (escaped), filterable; a comparison of different periods warns; periods are paged")
    func tagsNotesAndSpans() throws {
        let store = try Self.filledStore(Fixtures.temporaryFolder() + "/runs.db")
        try store.tag(1, ["keep", "phase-2"])
        try store.tag(3, ["keep"])
        try store.note(1, "<b>too good</b>\nrerun it")
        let browser = RunBrowser(store: store)
        let kept = Self.get(browser, "/?tag=keep")
        #expect(kept.status == 200 && kept.body.contains("2 runs match") && kept.body.contains("<a class=\"tag\" href=\"/?tag=phase-2\">phase-2</a>"))
        #expect(Self.get(browser, "/?tag=phase-2").body.contains("1 run match"))
        // Each run's strategy and the fields it chose away from the defaults.
        #expect(kept.body.contains("momentum_12_1<br><span class=\"meta params\">") && kept.body.contains("top_n=5"), "\(kept.body)")
        #expect(Self.get(browser, "/?tag=two%20words").status == 400)
        let run = Self.get(browser, "/runs/1")
        #expect(run.body.contains("<h2>Tags and notes</h2>") && run.body.contains("&lt;b&gt;too good&lt;/b&gt;<br>rerun it") && !run.body.contains("<b>too good"))
        #expect(!run.body.contains("Best Sharpe") && run.body.contains(", 1 run,"), "a run is not its own best")
        // Monthly against weekly: the comparison says their periods differ.
        let compare = Self.get(browser, "/compare?runs=1,3")
        #expect(compare.body.contains("id=\"span-warning\"") && compare.body.contains("cover different periods"))
        #expect(!Self.get(browser, "/compare?runs=1,2").body.contains("span-warning"))
        // The weekly run's periods a page at a time.
        let weekly = Self.get(browser, "/runs/3")
        #expect(weekly.body.contains("Periods 1-52 of") && weekly.body.contains("?periods=2#periods-heading"))
        #expect(Self.get(browser, "/runs/3?periods=2").body.contains("Periods 53-104 of"))
        #expect(Self.get(browser, "/runs/3?periods=99").status == 404)
        // Only the shown periods' picks are decoded, and they are the run's: on a first view
        // (with the outline) and for another window of a run already seen.
        let full = try store.load(id: 3)
        let json = try store.document(id: 3)
        var outline = try ExperimentResult(outlineJSON: json, keepingPicksOf: 50..<60)
        #expect(outline.periods[50..<60].map(\.picks) == full.periods[50..<60].map(\.picks) && outline.periods[49].picks.isEmpty && outline.periods[60].picks.isEmpty)
        #expect(try ExperimentResult.picks(json: json, periods: 100..<1000) == full.periods[100...].map(\.picks))
        for i in outline.periods.indices { outline.periods[i].picks = full.periods[i].picks }
        #expect(try outline.json() == full.json(), "an outline is the result but its picks")
        for (browser, page) in [(RunBrowser(store: store), 2), (browser, 3)] {
            let body = Self.get(browser, "/runs/3?periods=\(page)").body
            let rows = full.periods[(page - 1) * 52..<min(full.periods.count, page * 52)]
            #expect(!rows.isEmpty && rows.allSatisfy { p in body.contains("<td>\(p.date)</td>") && body.contains(">\(p.picks.map(\.ticker).joined(separator: " "))</td></tr>") })
        }
        // A family's trials link to their runs; a family of one trial draws no histogram.
        let monthly = try #require(try store.list(RunFilter()).first { $0.id == 1 }?.family)
        let family = Self.get(browser, "/trials?family=\(monthly)")
        #expect(family.body.contains("<a href=\"/runs/1\">1</a>") && family.body.contains("<a href=\"/runs/2\">2</a>"), "\(family.body)")
        let alone = try #require(try store.list(RunFilter()).first { $0.id == 3 }?.family)
        #expect(Self.get(browser, "/trials?family=\(alone)").body.contains("id=\"no-histogram\""))
        // A page seen before is drawn from the decoded result it kept, unless the run was deleted since.
        #expect(Self.get(browser, "/runs/2").status == 200)
        try store.delete(id: 2, reason: "test")
        #expect(Self.get(browser, "/runs/2").status == 404 && Self.get(browser, "/runs/2/report").status == 404)
    }

    @Test("Pages: every string from the store escaped; filters, sort, compare and trials answer; bad input is a 400 or 404 page")
    func pages() throws {
        let browser = RunBrowser(store: try Self.filledStore(Fixtures.temporaryFolder() + "/runs.db"))
        let list = Self.get(browser, "/")
        #expect(list.status == 200 && list.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !list.body.contains("<script>alert(1)"))
        #expect(list.body.contains("0.") && list.body.contains("(3)"), "deflated Sharpe with the family's 3 trials")
        let run = Self.get(browser, "/runs/4")
        #expect(run.status == 200 && !run.body.contains("<img src=x") && run.body.contains("&quot;&gt;&lt;img src=x onerror="))
        #expect(run.body.contains("alphalab rerun 4 --runs") && run.body.contains("id=\"periods\""))
        let filtered = Self.get(browser, "/?name=momentum&sort=name&dir=asc")
        let names = filtered.body.components(separatedBy: "<tr><td><input").dropFirst().map { row in
            ["momentum_10", "momentum_5", "momentum_weekly"].first { row.contains(">\($0)<") } ?? "?"
        }
        #expect(names == ["momentum_10", "momentum_5", "momentum_weekly"], "\(names)")
        // The deflated Sharpe ratio is no column, yet the list ranks by it both ways, runs without a trial last.
        func deflated(_ target: String) -> [Double] {
            Self.get(browser, target).body.matches(of: /&amp;run=\d+">(-?[0-9.]+) \(\d+\)<\/a>/).map { Double(String($0.1))! }
        }
        let ranked = deflated("/?sort=dsr"), reversed = deflated("/?sort=dsr&dir=asc")
        #expect(ranked.count >= 3 && ranked == ranked.sorted(by: >) && reversed == ranked.reversed() && Set(ranked).count > 1, "\(ranked) \(reversed)")
        #expect(Self.get(browser, "/?sort=dsr").body.contains("Deflated Sharpe (trials) ▼"))
        #expect(Self.get(browser, "/?timing=same_day_close").body.contains("0 runs match"))
        #expect(Self.get(browser, "/?execution=rebalance&universe=all&user=\(RunProvenance.currentUser)").body.contains("4 runs match"))
        let compare = Self.get(browser, "/compare?runs=1,2")
        // Every field but the name is compared.
        #expect(compare.status == 200 && compare.body.contains("1 of \(ExperimentConfig.fields.count - 1) fields differ"))
        #expect(Self.get(browser, "/compare?runs=1,2&all=1").body.components(separatedBy: "<tr").count > ExperimentConfig.fields.count)
        #expect(Self.get(browser, "/trials").body.contains("<td>3</td>"))
        let family = try #require(run.body.range(of: #"/trials\?family=[0-9a-f]+&amp;run=4"#, options: .regularExpression).map { String(run.body[$0]) })
        let sits = Self.get(browser, family.replacingOccurrences(of: "&amp;", with: "&"))
        #expect(sits.status == 200 && sits.body.contains("Run 4 (&lt;script&gt;alert(1)&lt;/script&gt;): information ratio") && sits.body.contains("rank "), "\(family)")
        for (target, status, message) in [("/runs/99", 404, "no run with id 99"), ("/runs/x", 400, "not a run id"), ("/nowhere", 404, "no page at /nowhere"),
                                          ("/compare?runs=1", 400, "2 to 10 different runs"), ("/compare?runs=1,x", 400, "must list run ids"),
                                          ("/?sort=speed", 400, "'sort' must be one of"), ("/?page=0", 400, "'page' must be"),
                                          ("/?since=yesterday", 400, "'since' must be a date"), ("/trials?family=nope", 404, "no family")] {
            let r = Self.get(browser, target)
            #expect(r.status == status && r.body.contains(message), "\(target): \(r.status)")
        }
    }

    @Test("10,000 runs: the list pages through them, 50 at a time, sorted by any column")
    func paging() throws {
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/many.db")
        var result = RunStoreTests.result
        for i in 0..<10_000 {
            result.metrics.sharpe = Double(i % 97) / 10
            try store.save(result, seconds: 0)
        }
        let browser = RunBrowser(store: store)
        let clock = ContinuousClock.now
        let last = Self.get(browser, "/?sort=sharpe&page=200")
        let elapsed = ContinuousClock.now - clock
        print("runs page 200 of 10,000 runs sorted by Sharpe: \(elapsed)")
        #expect(last.status == 200 && last.body.contains("Page 200 of 200") && last.body.components(separatedBy: "<tr><td><input").count - 1 == 50)
        #expect(!last.body.contains("rel=\"next\"") && last.body.contains("rel=\"prev\""))
    }

    /// Starts `alphalab serve` on a free port; returns the process and its base URL.
    static func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, String, String) {
        let process = Process()
        process.executableURL = Fixtures.products.appendingPathComponent("alphalab")
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        var text = ""
        while text.components(separatedBy: "\n").count < 3 {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let url = text.range(of: #"http://[0-9.:\[\]]+"#, options: .regularExpression).map { String(text[$0]) } ?? ""
        return (process, url, text)
    }

    @Test("In headless Chromium: list, filter, select two runs, compare (only what differs, two curves), a run and its report, trials, errors")
    func chromium() throws {
        guard let python = ProcessInfo.processInfo.environment["ALPHALAB_TEST_PYTHON"] else {
            Issue.record("ALPHALAB_TEST_PYTHON is not set: the browser test drives Chromium with selenium from the virtual environment tools/test.sh makes (run the suite with tools/test.sh)")
            return
        }
        let folder = Fixtures.temporaryFolder()
        _ = try Self.filledStore(folder + "/runs.db")
        let (server, url, banner) = try Self.serve(["--runs", folder + "/runs.db"])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(banner.contains("(4 runs) at http://127.0.0.1:") && banner.contains("loopback only, no token"), "\(banner)")
        let shots = Fixtures.root.appendingPathComponent(".build/test-output/run-browser").path
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: python)
        driver.arguments = [Fixtures.root.appendingPathComponent("Tests/browser/run_browser.py").path, url, shots]
        let out = Pipe()
        driver.standardOutput = out
        driver.standardError = out
        try driver.run()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        driver.waitUntilExit()
        print(log)
        #expect(driver.terminationStatus == 0 && log.contains("all checks passed"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: shots + "/compare.png"))
    }

    /// A GET that does not follow redirects: status, headers and body.
    static func fetch(_ url: String, headers: [String: String] = [:]) throws -> (status: Int, headers: [String: String], body: String) {
        final class NoRedirects: NSObject, URLSessionTaskDelegate {
            func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) { completionHandler(nil) }
        }
        var request = URLRequest(url: URL(string: url)!)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: (Int, [String: String], String)?
        session.dataTask(with: request) { data, response, _ in
            if let http = response as? HTTPURLResponse {
                answer = (http.statusCode, http.allHeaderFields.reduce(into: [:]) { $0["\($1.key)".lowercased()] = "\($1.value)" },
                          String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        done.wait()
        guard let answer else { throw URLError(.badServerResponse) }
        return answer
    }

    @Test("Off the loopback address a token is required: refused without one at start; header, bearer and a one-time sign-in cookie admit")
    func token() throws {
        let folder = Fixtures.temporaryFolder()
        _ = try SQLiteRunStore(path: folder + "/runs.db")
        let (refused, _, message) = try Self.serve(["--runs", folder + "/runs.db", "--host", "0.0.0.0"], environment: ["ALPHALAB_TOKEN": ""])
        refused.waitUntilExit()
        #expect(refused.terminationStatus != 0 && message.contains("give a token (--token or ALPHALAB_TOKEN)"), "\(message)")

        let token = "a-long-shared-secret-0123456789"
        let (server, url, banner) = try Self.serve(["--runs", folder + "/runs.db", "--host", "0.0.0.0"], environment: ["ALPHALAB_TOKEN": token])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(banner.contains("a token is required on 0.0.0.0") && !banner.contains(token), "\(banner)")
        let base = url.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        #expect(try Self.fetch(base + "/").status == 401)
        #expect(try Self.fetch(base + "/", headers: ["X-AlphaLab-Token": token + "x"]).status == 401)
        #expect(try Self.fetch(base + "/", headers: ["X-AlphaLab-Token": token]).status == 200)
        #expect(try Self.fetch(base + "/", headers: ["Authorization": "Bearer " + token]).status == 200)
        let code = try #require(banner.range(of: #"code=[0-9a-f]+"#, options: .regularExpression).map { String(banner[$0].dropFirst(5)) })
        let signIn = try Self.fetch(base + "/login?code=" + code)
        #expect(signIn.status == 303 && signIn.headers["set-cookie"]?.contains("alphalab_token=\(token)") == true, "\(signIn.headers)")
        #expect(try Self.fetch(base + "/login?code=" + code).status == 403, "the sign-in URL works once")
        #expect(try Self.fetch(base + "/", headers: ["Cookie": "theme=dark; alphalab_token=\(token)"]).status == 200)
    }
}
