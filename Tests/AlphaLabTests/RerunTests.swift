import AlphaLab
import Foundation
import Testing

/// `alphalab rerun ID`: a recorded run carries its script's text and hash, arguments,
/// data fingerprint and versions, and runs again from the store.
@Suite("Rerun", .serialized)
struct RerunTests {
    @Test("A rerun of a recorded Phase 1 run is identical; after the data changed it says so and names both fingerprints", .needsSharedData)
    func phaseOneRerun() throws {
        let folder = Fixtures.temporaryFolder()
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let tickers = try FileManager.default.contentsOfDirectory(atPath: Fixtures.sp500Folder).sorted().prefix(12)
        for file in tickers { try FileManager.default.copyItem(atPath: Fixtures.sp500Folder + "/" + file, toPath: data + "/" + file) }
        let script = Fixtures.root.appendingPathComponent("scripts/ml_improvement_experiments.lua").path
        let phase1 = try Fixtures.alphalab([script, "--csv", "data", "--benchmark", Fixtures.spyCSV, "--limit", "11", "--start", "2020",
                                            "--end", "2020", "--retrain-weeks", "26", "--only", "0,2", "--quiet"], directory: folder)
        #expect(phase1.status == 0, "\(phase1.err)")
        let store = try SQLiteRunStore(path: folder + "/results/runs.db")
        let provenance = try #require(try store.provenance(id: 2))
        #expect(provenance.scriptPath == script && provenance.sequence == 2 && provenance.workingDirectory.hasSuffix(folder.split(separator: "/").last!))
        #expect(provenance.scriptText == (try String(contentsOfFile: script, encoding: .utf8)))
        #expect(provenance.arguments == ["--csv", "data", "--benchmark", Fixtures.spyCSV, "--limit", "11", "--start", "2020", "--end", "2020",
                                         "--retrain-weeks", "26", "--only", "0,2", "--quiet"])
        #expect(provenance.xgboostVersion == XGBoostModel.libraryVersion && provenance.alphalabVersion == AlphaLabVersion.string)
        let listed = try store.list().first { $0.id == 2 }
        #expect(listed?.scriptHash == provenance.scriptHash && listed?.xgboostVersion == XGBoostModel.libraryVersion)
        let resultsBefore = try Data(contentsOf: URL(fileURLWithPath: folder + "/results/ml_experiments_results.json"))
        // The run keeps the data it ran on; its page's commands paste as they stand, from any folder.
        #expect(provenance.dataOptions == ["--csv", "data", "--benchmark", Fixtures.spyCSV, "--limit", "11"])
        // The limit survives the training cache the script adds to the data.
        #expect(try store.load(id: 2).universeSize?.limit == TickerLimit(kept: 11, available: 12))
        let page = RunBrowser(store: store).respond(to: WebRequest(target: "/runs/2")).body
        let commands = try #require(page.firstMatch(of: /<pre id="commands">([^<]*)<\/pre>/)).1.replacingOccurrences(of: "&quot;", with: "\"")
            .components(separatedBy: "\n")
        #expect(commands.first == "cd \(provenance.workingDirectory)" && !commands.contains { $0.contains("[data options]") }, "\(commands)")
        let picksLine = try #require(commands.first { $0.hasPrefix("alphalab picks") }).components(separatedBy: "#")[0]
        let picks = try Fixtures.alphalab(Array(picksLine.split(separator: " ").map(String.init).dropFirst()), directory: provenance.workingDirectory)
        #expect(picks.status == 0 && picks.out.contains("picks for 2021-04-22 (scored at the close of 2021-04-21"), "\(picksLine): \(picks.err)")
        #expect(page.contains("--csv data --benchmark \(Fixtures.spyCSV) --limit 11; 11 names in all (--limit kept 11 of 12); 2020-"), "the data row names the options")

        // Identical, from any folder, trained afresh too; nothing recorded or written.
        let same = try Fixtures.alphalab(["rerun", "2", "--runs", folder + "/results/runs.db", "--fresh"], directory: "/")
        #expect(same.status == 0, "\(same.err)")
        #expect(same.out.contains("run 2 '2_Momentum_Features': run 2 of `alphalab \(script) --csv data"))
        #expect(same.out.contains("script    hash \(provenance.scriptHash), rerun from the stored text; the file is unchanged"))
        let fingerprint = try store.load(id: 2).dataFingerprint
        #expect(same.out.contains("data      fingerprint \(fingerprint) then, \(fingerprint) now\n"))
        #expect(same.out.contains("identical: all ") && same.out.contains(" figures equal the recorded run's"))
        #expect(try store.count() == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/results/ml_experiments_results.json")) == resultsBefore)

        // One ticker's closes over a few June days change: the rerun differs and blames the data.
        let file = data + "/" + tickers.first!
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        for i in lines.indices where lines[i].hasPrefix("2020-06-1") {
            var fields = lines[i].components(separatedBy: ",")
            for column in [4, 5] { fields[column] = String(Double(fields[column])! * 1.3) }
            lines[i] = fields.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let changed = try Fixtures.alphalab(["rerun", "1"], directory: folder)
        #expect(changed.status == 1)
        let now = try #require(changed.out.firstMatch(of: /fingerprint (\w+) then, (\w+) now  CHANGED/))
        #expect(String(now.1) == fingerprint && String(now.2) != fingerprint)
        #expect(changed.out.contains("DIFFERENT: ") && changed.out.contains("total_return: "))
        #expect(changed.out.contains("what changed: the data (fingerprint \(fingerprint) then, \(now.2) now)"))
        #expect(try store.count() == 2)
    }

    @Test("A rerun names an edited script file, refuses a run without a script, and reports a failing script")
    func scriptsAndErrors() throws {
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.write("""
        local top = tonumber(... or "10")
        local r = lab.run({ name = "mom", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2014, end_year = 2014, top_n = top },
          lab.synthetic{ tickers = 20 })
        print("recorded", lab.runs():save(r))
        """, to: folder + "/mom.lua")
        #expect(try Fixtures.alphalab([script, "5"], directory: folder).status == 0)
        // The stored text reruns even after the file changed; the report says the file changed.
        try "error('edited')\n".write(toFile: script, atomically: true, encoding: .utf8)
        let edited = try Fixtures.alphalab(["rerun", "1"], directory: folder)
        #expect(edited.status == 0, "\(edited.err)")
        #expect(edited.out.contains("the file has changed since (hash ") && edited.out.contains("identical: all "))

        // Run from stdin: no script to keep.
        let piped = try Fixtures.alphalab(["-"], input: "lab.runs():save(lab.run({ strategy = 'momentum_12_1', rebalance = 'monthly', start_year = 2014, end_year = 2014 }, lab.synthetic{ tickers = 20 }))",
                                          directory: folder)
        #expect(piped.status == 0, "\(piped.err)")
        let none = try Fixtures.alphalab(["rerun", "2"], directory: folder)
        #expect(none.status != 0 && none.err.contains("run 2 in results/runs.db was recorded without a script"))

        // A chunk given with -e is kept and reruns; one that fails now says why.
        let chunk = try Fixtures.alphalab(["-e", "lab.runs():save(lab.run({ name = 'e', strategy = 'momentum_12_1', rebalance = 'monthly', start_year = 2014, end_year = 2014 }, lab.synthetic{ tickers = 20 }))"],
                                          directory: folder)
        #expect(chunk.status == 0)
        #expect(try Fixtures.alphalab(["rerun", "3"], directory: folder).out.contains("identical: all "))
        // A script that fails when run again: the rerun says so, with the script's error.
        _ = Fixtures.write("5\n", to: folder + "/top.txt")
        let reads = Fixtures.write("""
        local top = tonumber(assert(io.open("top.txt")):read("l"))
        lab.runs():save(lab.run({ name = "file", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2014, end_year = 2014, top_n = top },
          lab.synthetic{ tickers = 20 }))
        """, to: folder + "/reads.lua")
        #expect(try Fixtures.alphalab([reads], directory: folder).status == 0)
        try FileManager.default.removeItem(atPath: folder + "/top.txt")
        let failed = try Fixtures.alphalab(["rerun", "4"], directory: folder)
        #expect(failed.status != 0 && failed.err.contains("the rerun of run 4 failed: ") && failed.err.contains("top.txt: No such file or directory"),
                "\(failed.err)")
        // A run store from someone else: --sandbox reruns its script confined.
        let peeks = Fixtures.write("""
        local secret = io.open("/etc/hostname") and "seen" or "none"
        lab.runs():save(lab.run({ name = secret, strategy = "momentum_12_1", rebalance = "monthly", start_year = 2014, end_year = 2014 },
          lab.synthetic{ tickers = 20 }))
        """, to: folder + "/peeks.lua")
        #expect(try Fixtures.alphalab([peeks], directory: folder).status == 0)
        #expect(try Fixtures.alphalab(["rerun", "5"], directory: folder).out.contains("identical: all "))
        let confined = try Fixtures.alphalab(["rerun", "5", "--sandbox"], directory: folder)
        #expect(confined.status != 0 && confined.err.contains("the rerun of run 5 failed: ")
                && confined.err.contains("sandbox: cannot read '/etc/hostname'"), "\(confined.err)")
        // A script that keeps to the rules reruns identically confined (its run store is under results/).
        #expect(try Fixtures.alphalab(["rerun", "1", "--sandbox"], directory: folder).out.contains("identical: all "))
        let missing = try Fixtures.alphalab(["rerun", "9"], directory: folder)
        #expect(missing.status != 0 && missing.err.contains("no run with id 9 in results/runs.db"))
    }
}
