import AlphaLab
import Foundation
import Testing

/// Commands that say what they mean: every command answers --help, the top-level help is the
/// argument parser's list, global options stand before or after a command's name, and config
/// errors name the file, line and column.
@Suite struct CommandHelpTests {
    static let commands = ["run", "verdict", "picks", "plan", "rerun", "trials", "import", "info", "market", "serve", "kernel", "store"]

    @Test("alphalab --help lists every command once and fits 80 columns")
    func topLevelHelp() throws {
        let r = try Fixtures.alphalab(["--help"])
        #expect(r.status == 0, "\(r.err)")
        let wide = r.out.split(separator: "\n").filter { $0.count > 80 }
        #expect(wide.isEmpty, "lines wider than 80 columns: \(wide)")
        for command in Self.commands {
            let entries = r.out.split(separator: "\n").filter { $0.hasPrefix("  \(command) ") }
            #expect(entries.count == 1, "one entry for \(command): \(r.out)")
        }
    }

    @Test("Every command, and alphalab-bench with each benchmark, answers --help without running")
    func everyCommandAnswersHelp() throws {
        for command in Self.commands {
            let r = try Fixtures.alphalab([command, "--help"])
            #expect(r.status == 0 && r.out.count > 100, "alphalab \(command) --help: \(r.status) \(r.out) \(r.err)")
            #expect(!r.err.contains("cannot open"), "\(command): \(r.err)")
        }
        let bench = Fixtures.products.appendingPathComponent("alphalab-bench").path
        let list = try Fixtures.alphalab(["--help"], executable: bench)
        #expect(list.status == 0 && list.out.contains("alphalab-bench store"), "\(list.out)")
        let names = list.out.split(separator: "\n").compactMap { $0.firstMatch(of: /^alphalab-bench (\w+)/).map { String($0.1) } }
        #expect(names.count >= 14, "\(names)")
        for name in names {
            let r = try Fixtures.alphalab([name, "--help"], executable: bench)
            #expect(r.status == 0 && r.out.hasPrefix("alphalab-bench \(name)") && r.out.split(separator: "\n").count >= 2, "\(name): \(r.out) \(r.err)")
        }
        let unknown = try Fixtures.alphalab(["nope"], executable: bench)
        #expect(unknown.status == 2 && unknown.err.contains("no benchmark named 'nope'"), "\(unknown.err)")
    }

    @Test("--no-ledger works before or after a command's name, and is refused by a command it does not apply to")
    func globalOptionsEitherSide() throws {
        let home = Fixtures.temporaryFolder()
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.write("""
            lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2013 }, lab.synthetic({ tickers = 20 }))
            """, to: folder + "/run.lua")
        let environment = ["XDG_DATA_HOME": home, "ALPHALAB_RUNS": ""]
        for words in [["--no-ledger", "run", script], ["run", "--no-ledger", script]] {
            let r = try Fixtures.alphalab(words, environment: environment)
            #expect(r.status == 0 && r.err.contains("not recorded as trials"), "\(words): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: home + "/alphalab/ledger.db"), "\(words)")
        }
        let recorded = try Fixtures.alphalab(["run", script], environment: environment)
        #expect(recorded.status == 0 && FileManager.default.fileExists(atPath: home + "/alphalab/ledger.db"), "\(recorded.err)")
        let before = try Fixtures.alphalab(["--no-ledger", "verdict", "--help"])
        #expect(before.status == 0 && before.out.contains("usage: alphalab verdict"), "\(before.err)")
        let info = try Fixtures.alphalab(["--no-ledger", "info"])
        #expect(info.status != 0 && info.err.contains("--no-ledger applies to the commands that run backtests"), "\(info.err)")
    }

    @Test("A config file's error names the file, line and column and the hint, without the decoder's words")
    func configErrorsArePlaced() throws {
        let folder = Fixtures.temporaryFolder()
        let cases: [(name: String, text: String, expected: String)] = [
            ("typo.json", "{\n  \"name\": \"x\",\n  \"top_nn\": 5\n}\n", "typo.json:3:3: config field 'top_nn': unknown field (did you mean 'top_n'?)"),
            ("syntax.json", "{\n  \"name\": \"x\",\n  \"top_n\": 5 x\n}\n", "syntax.json:3:14: not valid JSON"),
            ("type.json", "{\n  \"top_n\": \"five\"\n}\n", "type.json:2:3: config field 'top_n': expected an integer, got string"),
            ("list.json", "[1, 2]", "list.json:1:1: a config is a JSON object of config fields"),
            ("typo.lua", "return {\n  name = \"x\",\n    top_nn = 5,\n}\n", "typo.lua:3:5: config field 'top_nn': unknown field (did you mean 'top_n'?)"),
            ("syntax.lua", "return { top_n = 5\n", "syntax.lua:2: '}' expected (to close '{' at line 1)"),
        ]
        for c in cases {
            let path = Fixtures.write(c.text, to: folder + "/" + c.name)
            let r = try Fixtures.alphalab(["verdict", "--config", path, "--tickers", "20"])
            #expect(r.status != 0 && r.err.contains(c.expected), "\(c.name): \(r.err)")
            #expect(!r.err.contains("DecodingError") && !r.err.contains("valid fields:") && !r.err.contains("stack traceback"), "\(c.name): \(r.err)")
        }
        let good = Fixtures.write("return { name = \"lua config\", strategy = \"momentum_12_1\", top_n = 7 }\n", to: folder + "/good.lua")
        let r = try Fixtures.alphalab(["-e", "local c = lab.config('\(good)'); print(c.name, c.top_n)"])
        #expect(r.status == 0 && r.out == "lua config\t7\n", "\(r.out) \(r.err)")
    }
}
