import AlphaLab
import Foundation
import Testing

/// `alphalab` as a Lua interpreter: the standalone `lua`'s conventions, the stdlib's
/// Lua tests, and the errors a script author sees.
@Suite("Lua command line")
struct LuaCommandLineTests {
    @Test("The stdlib's Lua tests pass (Tests/lua/run.lua)")
    func luaTests() throws {
        let r = try Fixtures.alphalab([Fixtures.root.appendingPathComponent("Tests/lua/run.lua").path])
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
        #expect(r.out.contains(" passed, 0 failed"))
        #expect(!r.out.contains("FAIL"), "\(r.out)")
    }

    @Test("-e runs a chunk; -v prints the version; -l requires a module into a global")
    func options() throws {
        #expect(try Fixtures.alphalab(["-e", "print(lab.version)"]).out == AlphaLabVersion.string + "\n")
        let v = try Fixtures.alphalab(["-v"])
        #expect(v.status == 0 && v.out.hasPrefix("AlphaLab \(AlphaLabVersion.string) (Lua 5.4"))
        let l = try Fixtures.alphalab(["-l", "tabulate", "-e", "print(type(tabulate.format))"])
        #expect(l.out == "function\n")
        let bad = try Fixtures.alphalab(["-x"])
        #expect(bad.status == 2 && bad.err.contains("unrecognized option '-x'") && bad.err.contains("usage: alphalab"))
    }

    @Test("A script with a shebang runs directly and with 'run', with arg and ... set; require finds its folder, stdlib and ALPHALAB_PATH")
    func scripts() throws {
        let folder = Fixtures.temporaryFolder()
        let shared = folder + "/team"
        Fixtures.write("return { greet = function(n) return 'hello ' .. n end }\n", to: shared + "/teamlib.lua")
        Fixtures.write("return 42\n", to: folder + "/scripts/local_module.lua")
        let script = Fixtures.write("""
        #!/usr/bin/env alphalab
        local t = require "teamlib"
        local tab = require "tabulate"
        print(t.greet(arg[1]), require("local_module"), select("#", ...), arg[0]:match("[^/]+$"), type(tab.format))
        """, to: folder + "/scripts/hello.lua")
        chmod(script, 0o755)
        let environment = ["ALPHALAB_PATH": shared, "PATH": Fixtures.products.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]
        let direct = try Fixtures.alphalab(["world", "two"], environment: environment, executable: script)
        #expect(direct.status == 0, "\(direct.err)")
        #expect(direct.out == "hello world\t42\t2\thello.lua\tfunction\n")
        let run = try Fixtures.alphalab(["run", script, "x"], environment: environment, directory: "/")
        #expect(run.out == "hello x\t42\t1\thello.lua\tfunction\n")
    }

    @Test("A failing script exits non-zero with the error and a traceback on stderr, after what it printed")
    func failingScript() throws {
        let folder = Fixtures.temporaryFolder()
        let script = Fixtures.write("print('before')\nlocal function f() error('it broke') end\nf()\n", to: folder + "/fail.lua")
        let r = try Fixtures.alphalab([script])
        #expect(r.status == 1)
        #expect(r.out == "before\n")
        #expect(r.err.contains("alphalab: \(script):2: it broke") && r.err.contains("stack traceback:") && r.err.contains("in local 'f'"))
        let missing = try Fixtures.alphalab([folder + "/nope.lua"])
        #expect(missing.status == 1 && missing.err.contains("cannot open \(folder)/nope.lua"))
        let syntax = try Fixtures.alphalab(["-e", "for"])
        #expect(syntax.status == 1 && syntax.err.contains("(command line):1:"))
        let engine = try Fixtures.alphalab(["-e", "lab.run({name = 'x', top_n = 0}, lab.synthetic{tickers = 3})"])
        #expect(engine.status == 1 && engine.err.contains("config field 'top_n': must be at least 1, got 0"))
    }

    @Test("lab.risk_model: exposures, covariance and specific risk at a date; a portfolio's risk adds up; a wrong ticker is named")
    func riskModel() throws {
        let r = try Fixtures.alphalab(["--no-ledger", "-e", """
            local d = lab.synthetic{tickers = 40}
            local m = lab.risk_model(d, {date = "2015-06-30", weights = {[d:tickers()[1]] = 0.5, [d:tickers()[2]] = 0.5}})
            print(m.date, #m.factors, #m.tickers, m.observations, #m.covariance == #m.factors)
            print(string.format("%.12f", m.predicted_risk ^ 2 - m.factor_risk ^ 2 - m.specific_part ^ 2))
            print(m.exposures[m.tickers[1]].beta ~= nil, m.specific_risk[m.tickers[1]] > 0, m.exposure.momentum ~= nil)
            print(pcall(lab.risk_model, d, {weights = {NOPE = 1}}))
            local r = lab.run({name = "m", strategy = "momentum_12_1", start_year = 2014, end_year = 2015}, d)
            local a = r:attribution()
            print(#a.periods == #r:decision_periods(), a.factors[#a.factors], a.mean_exposures.momentum > 0)
            """])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("2015-06-30\t") && lines[0].hasSuffix("\t252\ttrue"), "\(lines[0])")
        #expect(lines[1] == "0.000000000000" || lines[1] == "-0.000000000000", "\(lines[1])")
        #expect(lines[2] == "true\ttrue\ttrue")
        #expect(lines[3].contains("false") && lines[3].contains("option 'weights': no ticker 'NOPE' in the data"), "\(lines[3])")
        #expect(lines[4] == "true\tsectors\ttrue", "lab.run's results carry their attribution: \(lines[4])")
    }

    @Test("A verdict's records reach Lua in their JSON's shape, and the two keys that shape renamed (a span's t, the placebo's gross_actual) still read, each with one deprecation message")
    func verdictRecordsInTheirJSONShape() throws {
        let r = try Fixtures.alphalab(["--no-ledger", "-e", """
            local data = lab.synthetic{tickers = 20, start = "2012-01-03", ["end"] = "2016-12-30"}
            local v = lab.verdict({name = "v", strategy = "momentum_12_1", start_year = 2014, end_year = 2016}, data, {permutations = 5})
            for _, span in ipairs(v.years) do
              for _ = 1, 2 do assert(span.t == span.t_stat) end
              print(span.label, string.format("%.17g", span.t_stat), string.format("%.17g", span.excess_return))
            end
            assert(v.placebo.gross_actual == v.placebo.actual_gross and v.nothing == nil)
            print(string.format("%.17g", v.placebo.actual_gross), #v.placebo.gross_excess_returns, v:check("placebo").outcome, v.evidence.calendar_years)
            local c = v.coverage
            print(c.universe, #c.years, c.years[1].member_days, c.years[1].covered, string.format("%.6f", c.years[1].share), c.worst_year)
            print(v:json())
            """])
        #expect(r.status == 0, "\(r.err)")
        var lines = r.out.split(separator: "\n").map(String.init)
        let last = lines.popLast()
        let verdict = try Verdict(json: Data(try #require(last).utf8))
        let expected = verdict.years.map { "\($0.label)\t\(String(format: "%.17g", $0.tStat))\t\(String(format: "%.17g", $0.excessReturn))" }
            + ["\(String(format: "%.17g", try #require(verdict.placebo.actualGross)))\t5\t\(try #require(verdict.check(.placebo)).outcome.rawValue)\t"
               + "\(try #require(verdict.evidence).calendarYears)"]
            + [try #require(verdict.coverage).lua]
        #expect(lines == expected)
        for (old, new) in [("t", "t_stat"), ("gross_actual", "actual_gross")] {
            let message = "the field \(old) is deprecated: it is now \(new); \(old) goes in the next release"
            #expect(r.err.components(separatedBy: message).count == 2, "\(old): \(r.err)")
        }
    }

    @Test("Renamed names keep working for a release: r:weeks(), r:periods() and store.path answer as r:decision_periods(), r:retrain_periods() and store.location, each with one deprecation message")
    func deprecatedNames() throws {
        let folder = Fixtures.temporaryFolder()
        let r = try Fixtures.alphalab(["--no-ledger", "-e", """
            local r = lab.run({name = "m", strategy = "momentum_12_1", start_year = 2015, end_year = 2015}, lab.synthetic{tickers = 20})
            for _ = 1, 3 do assert(#r:weeks() == #r:decision_periods() and r:weeks()[2].date == r:decision_periods()[2].date) end
            assert(#r:periods() == #r:retrain_periods() and r:periods()[1].start == r:retrain_periods()[1].start)
            local store = lab.runs("\(folder)/runs.db")
            assert(store.path == store.location and store.path == store.location)
            print(#r:decision_periods(), #r:retrain_periods())
            """])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "51\t13\n", "\(r.out)")
        for (old, new) in [("r:weeks()", "r:decision_periods()"), ("r:periods()", "r:retrain_periods()"), ("store.path", "store.location")] {
            let message = "\(old) is deprecated: it is now \(new); \(old) goes in the next release"
            #expect(r.err.components(separatedBy: message).count == 2, "\(old): \(r.err)")
        }
    }

    @Test("A script on stdin runs, as with lua -")
    func stdin() throws {
        let r = try Fixtures.alphalab(["-"], input: "print(1 + 2)\n")
        #expect(r.out == "3\n")
    }
}

private extension UniverseCoverage {
    /// The line the verdict test prints of a coverage: universe, years, the first year's figures, the worst year.
    var lua: String {
        let first = years[0]
        return "\(universe)\t\(years.count)\t\(first.memberDays)\t\(first.covered)\t\(String(format: "%.6f", first.share))\t\(worst.map { String($0.year) } ?? "nil")"
    }
}
