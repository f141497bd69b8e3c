import Foundation
import Testing

/// The real REPL, driven through a pseudo-terminal as a person would use it.
@Suite("REPL")
struct ReplTests {
    @Test("Multi-line input, Tab completion, pretty printing, errors, Ctrl-C of Lua loops and engine runs, history across restarts")
    func session() throws {
        let folder = Fixtures.temporaryFolder()
        let environment = ["ALPHALAB_HISTORY": folder + "/history", "HOME": folder]
        let alphalab = Fixtures.products.appendingPathComponent("alphalab").path
        let tty = try PseudoTerminal(alphalab, environment: environment)
        #expect(tty.expect("help() for help").contains("AlphaLab"))
        tty.expect("> ")

        // An incomplete `for` loop continues over several lines with the >> prompt.
        tty.send("for i = 1, 3 do\n")
        tty.expect(">> ")
        tty.send("  print(i * 10)\n")
        tty.expect(">> ")
        tty.send("end\n")
        #expect(tty.expect("30\n").hasSuffix("10\n20\n30\n"))
        tty.expect("> ")

        // Tab completes `lab.synthe` to `lab.synthetic`; the rest is typed after it.
        tty.send("lab.synthe\t")
        tty.expect("tic")
        tty.send("{tickers = 5}.ticker_count\n")
        #expect(tty.expect("\n> ").contains("\n6\n"))
        // Tab twice after `lab.` lists the module's functions.
        tty.send("lab.\t\t")
        let listing = tty.expect("> lab.") // the listing, then the prompt redrawn
        #expect(listing.contains("lab.run") && listing.contains("lab.synthetic"))
        tty.send("\u{15}\n") // clear the line; an empty line just prompts again
        tty.expect("\n> ")

        // Expressions print through the pretty printer: sorted keys, nested tables.
        tty.send("{z = 1, a = {b = {1, 2}}, s = 'text'}\n")
        #expect(tty.expect("\n> ").contains(#"{ a = { b = { 1, 2 } }, s = "text", z = 1 }"#))

        // An error shows its traceback, and the REPL lives on.
        tty.send("error('boom')\n")
        let failure = tty.expect("\n> ")
        #expect(failure.contains("stdin:1: boom") && failure.contains("stack traceback:"))
        tty.send("1 + 1\n")
        #expect(tty.expect("\n> ").contains("\n2\n"))

        // Ctrl-C interrupts a Lua loop...
        tty.send("while true do end\n")
        Thread.sleep(forTimeInterval: 0.5)
        tty.send("\u{03}")
        #expect(tty.expect("\n> ").contains("interrupted!"))
        // ... and a long engine run.
        tty.send("lab.run({name = 'long', start_year = 2012, end_year = 2024, retrain_weeks = 1}, lab.synthetic{tickers = 40})\n")
        Thread.sleep(forTimeInterval: 2)
        tty.send("\u{03}")
        #expect(tty.expect("\n> ", timeout: 30).contains("interrupted"))
        tty.send("2 + 3\n")
        #expect(tty.expect("\n> ").contains("\n5\n"))

        // A result prints its summary with a sparkline of its equity curve.
        tty.send("lab.run({name = 'mom', strategy = 'momentum_12_1', rebalance = 'monthly', start_year = 2012, end_year = 2014}, lab.synthetic{tickers = 10})\n")
        let summary = tty.expect("\n> ", timeout: 60)
        #expect(summary.contains("mom: 2012-01-03 .. 2014-12-01, 35 months") && summary.range(of: "equity [▁▂▃▄▅▆▇█]{35,36} ", options: .regularExpression) != nil)
        tty.send("2 + 3\n")
        #expect(tty.expect("\n> ").contains("\n5\n"))

        // Ctrl-D leaves.
        #expect(tty.leave() == 0)

        // The history survives a restart: Up brings back the last line.
        let again = try PseudoTerminal(alphalab, environment: environment)
        again.expect("> ")
        again.send("\u{1b}[A\n")
        #expect(again.expect("\n> ").contains("2 + 3\n5\n"))
        #expect(again.leave() == 0)
    }

    @Test("Ctrl-C at the prompt or at a continuation line cancels the line and keeps the session; an unclosed quote is an error as in lua; a long lab.run draws a progress line; engine tables print as tables")
    func keepsItsState() throws {
        let environment = ["ALPHALAB_HISTORY": Fixtures.temporaryFolder() + "/history", "ALPHALAB_RUNS": ""]
        let tty = try PseudoTerminal(Fixtures.products.appendingPathComponent("alphalab").path, environment: environment)
        tty.expect("> ")
        tty.send("x = 41\n")
        tty.expect("\n> ")
        // Typed, then abandoned with Ctrl-C: the process lives on and x is still 41.
        tty.send("x = 0 -- never mind")
        tty.send("\u{03}")
        tty.expect("\n> ")
        tty.send("for i = 1, 3 do\n")
        tty.expect(">> ")
        tty.send("x = 0\n")
        tty.expect(">> ")
        tty.send("\u{03}")
        tty.expect("\n> ")
        tty.send("x + 1\n")
        #expect(tty.expect("\n> ").contains("\n42\n"))

        // Inside a call's table constructor, Tab completes the function's options.
        tty.send("d = lab.synthetic{ti\t")
        tty.expect("tickers")
        tty.send(" = 4}\n")
        tty.expect("\n> ")
        tty.send("d.ticker_count\n")
        #expect(tty.expect("\n> ").contains("\n5\n"))

        tty.send("print(\"unclosed\n")
        #expect(tty.expect("\n> ").contains("unfinished string"))

        tty.send("print(lab.synthetic{tickers = 3}:tickers())\n")
        let printed = tty.expect("\n> ")
        #expect(printed.contains(#"{ "FIN001", "HLT001", "SPY", "TEC001" }"#) && !printed.contains("table: 0x"), "\(printed)")

        tty.send("r = lab.run({name = 'barred', start_year = 2015, end_year = 2015, retrain_weeks = 8}, lab.synthetic{tickers = 20})\n")
        // The line is redrawn in place and wiped at the end, so the prompt follows the wipe.
        let drawn = tty.expect("\u{1B}[K> ", timeout: 120)
        #expect(drawn.contains("barred [#") && drawn.contains(" 2015-") && drawn.contains("trainings "), "\(drawn)")
        tty.send("r.name\n")
        #expect(tty.expect("\n> ").contains("barred"))
        #expect(tty.leave() == 0)
    }

    @Test("Every help text is whole: brackets closed, no sentence cut off, in help(lab), help(object) and every function's text")
    func helpTextsAreWhole() throws {
        let r = try Fixtures.alphalab(["-e", """
            local texts = {}
            for _, record in pairs(debug.getregistry()["alphalab.help"]) do texts[#texts + 1] = record.text end
            local d = lab.synthetic{ tickers = 5 }
            local result = lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2012 }, d)
            for _, value in ipairs{ lab, d, result, result.config, require("experiment"), require("runs"), lab.runs(os.tmpname()) } do
              for line in help(value):gmatch("[^\\n]+") do texts[#texts + 1] = line end
            end
            for _, t in ipairs(texts) do print((t:gsub("\\n", " "))) end
            """])
        #expect(r.status == 0, "\(r.err)")
        // A stdlib function written in Lua: its annotated comment, under the name it is called by.
        let stdlib = try Fixtures.alphalab(["-e", "io.write(help(require('experiment').phase_one_with))"], environment: ["ALPHALAB_RUNS": ""])
        #expect(stdlib.out.hasPrefix("experiment.phase_one_with(changes, only)\n  The Phase 1 configs with `changes` applied")
                && stdlib.out.contains("@return Config[]"), "\(stdlib.out)")
        let texts = r.out.split(separator: "\n").map(String.init)
        #expect(texts.count > 200, "\(texts.count)")
        let dangling: Set<String> = ["the", "a", "an", "of", "and", "or", "to", "in", "with", "for", "by", "its"]
        for text in texts {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            var depth = 0
            for c in trimmed { if "([{".contains(c) { depth += 1 } else if ")]}".contains(c) { depth -= 1 } }
            #expect(depth == 0, "brackets left open: \(trimmed)")
            #expect(!(trimmed.last.map { ",;([{".contains($0) } ?? false), "cut off: \(trimmed)")
            #expect(!dangling.contains(String(trimmed.split(separator: " ").last ?? "")), "cut off: \(trimmed)")
        }
    }
}
