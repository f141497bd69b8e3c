import AlphaLabLua
import Foundation
import Testing

/// `alphalab --sandbox`: a script from someone else tries every way out, and each fails
/// with an error that says what the sandbox refused, while nothing outside the output
/// folder changes. (Every script in scripts/ runs under --sandbox in ScriptTests.)
@Suite("Sandbox")
struct SandboxTests {
    /// Every file under `folder` with its contents (symbolic links as their targets).
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            let path = folder + "/" + name
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) { files[name] = Data(target.utf8); continue }
            files[name] = FileManager.default.contents(atPath: path) ?? Data()
        }
        return files
    }

    @Test("Every escape fails with a clear error naming what was refused; nothing outside the output folder changes")
    func escapes() throws {
        let folder = Fixtures.temporaryFolder()
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/work/results", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: folder + "/private", withIntermediateDirectories: true)
        _ = Fixtures.write("ticker,shares\nAAA,10\n", to: folder + "/data/holdings.csv")
        _ = Fixtures.write("secret\n", to: folder + "/private/secret.txt")
        _ = Fixtures.write("return { answer = 42 }\n", to: folder + "/work/helper.lua")
        _ = Fixtures.write("not a shared library\n", to: folder + "/work/cmod.so")
        // A link inside the output folder that points out of it.
        try fm.createSymbolicLink(atPath: folder + "/work/results/out", withDestinationPath: folder + "/private")
        let script = Fixtures.write(#"""
        local outside, holdings = ...
        local private = os.getenv("PRIVATE")
        local d = lab.synthetic{ tickers = 5 }
        local r = lab.run({ strategy = "momentum_12_1", rebalance = "monthly", start_year = 2015, end_year = 2015 }, d)
        local tries = {
          { "os.execute", function() return os.execute("touch " .. private .. "/pwned") end },
          { "io.popen", function() return io.popen("id") end },
          { "package.loadlib", function() return package.loadlib("libc.so.6", "*") end },
          { "require C", function() package.cpath = "./?.so"; return require("cmod") end },
          { "load binary", function() return load(string.dump(function() return 1 end)) end },
          { "load mode b", function() return load("return 1", "x", "b") end },
          { "loadfile binary", function()
              local f = io.open("results/chunk.luac", "wb"); f:write(string.dump(function() return 1 end)); f:close()
              local ok, message = loadfile("results/chunk.luac")
              error(message)
            end },
          { "debug.getinfo", function() return debug.getinfo(1) end },
          { "debug.sethook", function() return debug.sethook() end },
          { "read outside", function() return io.open(private .. "/secret.txt") end },
          { "read lines", function() return io.lines(private .. "/secret.txt") end },
          { "dofile outside", function() return dofile(private .. "/secret.txt") end },
          { "write outside", function() return io.open(outside, "w") end },
          { "append outside", function() return io.open(private .. "/secret.txt", "a") end },
          { "io.output", function() return io.output(private .. "/new.txt") end },
          { "os.remove", function() return os.remove(private .. "/secret.txt") end },
          { "os.rename", function() return os.rename(private .. "/secret.txt", "results/stolen.txt") end },
          { "os.tmpname", function() return os.tmpname() end },
          { "lab.write_file", function() return lab.write_file(outside, "x") end },
          { "lab.write_file ..", function() return lab.write_file("results/../escaped.txt", "x") end },
          { "lab.write_file link", function() return lab.write_file("results/out/linked.txt", "x") end },
          { "lab.report", function() return lab.report({ r }, private .. "/report.html") end },
          { "r:save", function() return r:save(private .. "/r.json") end },
          { "lab.runs", function() return lab.runs(private .. "/runs.db") end },
          { "with_cache", function() return d:with_cache(private .. "/cache") end },
          { "model:save", function() return lab.train(d, { date = "2015-06-01", horizons = { 1 }, trees = 5 }):save(private .. "/model") end },
          { "lab.load_result", function() return lab.load_result(private .. "/secret.txt") end },
          { "lab.read_csv", function() return lab.read_csv(private) end },
          { "lab.open", function() return lab.open(private .. "/market.db") end },
        }
        for _, t in ipairs(tries) do
          local ok, message = pcall(t[2])
          print(t[1] .. " => " .. (ok and "ALLOWED" or (tostring(message):gsub("\n%s*", " "))))
        end
        -- What stays allowed: modules beside the script, the data given, the output folder.
        print("helper", require("helper").answer)
        print("holdings", io.open(holdings):read("l"))
        lab.write_file("results/sub/ok.txt", "fine")
        print("output", io.open("results/sub/ok.txt"):read("a"))
        print("traceback", (debug.traceback("here"):gsub("\n.*", "")))
        """#, to: folder + "/work/escape.lua")
        let outside = folder + "/outside.txt"
        _ = Fixtures.write("untouched\n", to: outside)
        let before = Self.snapshot(folder)

        let r = try Fixtures.alphalab(["--sandbox", "--env", "PRIVATE", script, outside, folder + "/data/holdings.csv"], environment: ["PRIVATE": folder + "/private"],
                                      directory: folder + "/work")
        #expect(r.status == 0, "\(r.err)")
        var lines: [String: String] = [:]
        for line in r.out.split(separator: "\n") {
            let parts = line.components(separatedBy: " => ")
            if parts.count == 2 { lines[parts[0]] = parts[1] }
        }
        func refused(_ name: String, _ fragment: String) {
            #expect(lines[name]?.contains(fragment) == true, "\(name): \(lines[name] ?? "no line")")
        }
        refused("os.execute", "sandbox: os.execute is not allowed (it runs programs)")
        refused("io.popen", "sandbox: io.popen is not allowed (it runs programs)")
        refused("package.loadlib", "sandbox: package.loadlib is not allowed (it loads native code)")
        refused("require C", "no C module 'cmod' (the sandbox loads no native code)")
        // Unconfined, the same require hands cmod.so to the dynamic loader.
        let unconfined = try Fixtures.alphalab(["-e", "package.cpath = './?.so'; require('cmod')"], directory: folder + "/work")
        #expect(unconfined.status == 1 && unconfined.err.contains("cmod.so") && !unconfined.err.contains("sandbox"), "\(unconfined.err)")
        refused("load binary", "sandbox: binary chunks are not allowed")
        refused("load mode b", "sandbox: binary chunks are not allowed (load mode must be \"t\")")
        refused("loadfile binary", "attempt to load a binary chunk (mode is 't')")
        refused("debug.getinfo", "sandbox: debug.getinfo is not allowed (only debug.traceback)")
        refused("debug.sethook", "sandbox: debug.sethook is not allowed")
        for name in ["read outside", "read lines", "dofile outside", "lab.load_result", "lab.read_csv", "lab.open"] {
            refused(name, "sandbox: cannot read '\(folder)/private")
            refused(name, "files are read only under")
        }
        for name in ["write outside", "append outside", "io.output", "os.remove", "os.rename", "lab.write_file", "lab.write_file ..",
                     "lab.write_file link", "lab.report", "r:save", "lab.runs", "with_cache", "model:save"] {
            refused(name, "sandbox: cannot write")
            refused(name, "files are written only under '\(Sandbox.resolve(folder + "/work/results"))'")
        }
        refused("os.tmpname", "sandbox: os.tmpname is not allowed")
        // A path given on the command line grants reading, not writing.
        #expect(lines["write outside"]?.contains(outside) == true)
        #expect(r.out.contains("helper\t42") && r.out.contains("holdings\tticker,shares") && r.out.contains("output\tfine"))
        #expect(r.out.contains("traceback\there"))

        // Nothing outside the output folder changed.
        let after = Self.snapshot(folder)
        #expect(after.filter { !$0.key.hasPrefix("work/results") } == before.filter { !$0.key.hasPrefix("work/results") })
        #expect(Set(after.keys.filter { $0.hasPrefix("work/results") }) == ["work/results", "work/results/out", "work/results/chunk.luac", "work/results/sub",
                                                                            "work/results/sub/ok.txt"])
    }

    @Test("An endless loop stops at the CPU limit, a memory bomb at the memory cap; engine time does not count; a caught memory error leaves the script running")
    func limits() throws {
        let folder = Fixtures.temporaryFolder()
        let loop = Fixtures.write("local n = 0\nwhile true do n = n + 1 end\n", to: folder + "/loop.lua")
        let stopped = try Fixtures.alphalab(["--sandbox", "--cpu-limit", "1", loop], directory: folder)
        #expect(stopped.status == 1)
        #expect(stopped.err.contains("loop.lua:2: CPU time limit exceeded: Lua code ran for more than 1.0 s (--cpu-limit SECONDS)"), "\(stopped.err)")

        let bomb = Fixtures.write("""
        local ok, message = pcall(function() local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 4096) .. i end end)
        print("caught", ok, message)
        collectgarbage()
        print("recovered", collectgarbage("count") < 32 * 1024)
        local t = {}
        for i = 1, 1e9 do t[i] = string.rep("y", 4096) .. i end
        """, to: folder + "/bomb.lua")
        let capped = try Fixtures.alphalab(["--sandbox", "--memory-limit", "32", bomb], directory: folder)
        #expect(capped.status == 1)
        #expect(capped.out.contains("caught\tfalse\tnot enough memory") && capped.out.contains("recovered\ttrue"), "\(capped.out)")
        #expect(capped.err.contains("memory limit exceeded: Lua code may hold at most 32 MB (--memory-limit MB)"), "\(capped.err)")

        // Engine work inside a lab call is not Lua time: features of a large market take longer than the limit.
        let engine = Fixtures.write("""
        local t = lab.clock()
        local d = lab.synthetic{ tickers = 300 }
        local m = d:features("momentum")
        print("engine seconds", lab.clock() - t > 0.1, m.ticker_count)
        """, to: folder + "/engine.lua")
        let ran = try Fixtures.alphalab(["--sandbox", "--cpu-limit", "0.1", engine], directory: folder)
        #expect(ran.status == 0, "\(ran.err)")
        #expect(ran.out.contains("engine seconds\ttrue"), "\(ran.out)")

        // The same limits without the sandbox.
        let plain = try Fixtures.alphalab(["--cpu-limit", "0.5", loop], directory: folder)
        #expect(plain.status == 1 && plain.err.contains("CPU time limit exceeded"))
    }

    @Test("ALPHALAB_SANDBOX=1, -e chunks and the REPL are sandboxed too; bad options are usage errors")
    func entryPoints() throws {
        let folder = Fixtures.temporaryFolder()
        let environment = ["ALPHALAB_SANDBOX": "1"]
        let chunk = try Fixtures.alphalab(["-e", "os.execute('true')"], environment: environment, directory: folder)
        #expect(chunk.status == 1 && chunk.err.contains("sandbox: os.execute is not allowed"))
        let written = try Fixtures.alphalab(["--sandbox", "--output", folder + "/elsewhere", "-e", "lab.write_file('results/x.txt', 'x')"], directory: folder)
        #expect(written.status == 1 && written.err.contains("files are written only under '\(Sandbox.resolve(folder + "/elsewhere"))'"))

        let tty = try PseudoTerminal(Fixtures.products.appendingPathComponent("alphalab").path, arguments: ["--sandbox"],
                                     environment: ["HOME": folder, "ALPHALAB_HISTORY": folder + "/history"])
        tty.expect("> ")
        tty.send("io.popen('id')\n")
        #expect(tty.expect("\n> ").contains("sandbox: io.popen is not allowed"))
        tty.send("1 + 1\n")
        #expect(tty.expect("\n> ").contains("2"))
        #expect(tty.leave() == 0)

        let noSandbox = try Fixtures.alphalab(["--output", "x", "-e", "print(1)"], directory: folder)
        #expect(noSandbox.status == 2 && noSandbox.err.contains("'--output' is a rule of the sandbox: add --sandbox"))
        let badLimit = try Fixtures.alphalab(["--sandbox", "--memory-limit", "lots", "-e", "print(1)"], directory: folder)
        #expect(badLimit.status == 2 && badLimit.err.contains("'--memory-limit' needs a positive number of MB, got 'lots'"))
    }

    @Test("os.getenv sees only ALPHALAB_* and the --env names; io.tmpfile is refused; --output-limit caps the bytes written under the output folder, before they are written")
    func environmentTemporaryFilesAndOutputLimit() throws {
        let folder = Fixtures.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/results", withIntermediateDirectories: true)
        let script = Fixtures.write(#"""
        for _, name in ipairs{ "HOME", "API_TOKEN", "SHARED", "ALPHALAB_MODE" } do print(name, os.getenv(name)) end
        print("tmpfile", select(2, pcall(io.tmpfile)))
        local f = io.open("results/a.bin", "w")
        for i = 1, 600 do f:write(string.rep("x", 1000), 24) end -- 600 * 1,002 bytes
        f:close()
        print("io", #io.open("results/a.bin"):read("a"))
        print("lab", pcall(lab.write_file, "results/b.bin", string.rep("y", 500 * 1024)))
        io.output("results/c.txt")
        print("io.write", pcall(io.write, string.rep("z", 500 * 1024)))
        io.output():close()
        print("small", pcall(lab.write_file, "results/d.txt", "still fits"))
        """#, to: folder + "/script.lua")
        let environment = ["HOME": "/home/ana", "API_TOKEN": "s3cr3t", "SHARED": "yes", "ALPHALAB_MODE": "x"]
        let r = try Fixtures.alphalab(["--sandbox", "--env", "SHARED", "--output-limit", "1", script], environment: environment, directory: folder)
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.contains("HOME\tnil") && lines.contains("API_TOKEN\tnil"), "\(r.out)")
        #expect(lines.contains("SHARED\tyes") && lines.contains("ALPHALAB_MODE\tx"), "\(r.out)")
        #expect(lines.contains("tmpfile\tsandbox: io.tmpfile is not allowed (it writes a file outside the output folder)"), "\(r.out)")
        #expect(lines.contains("io\t601200"), "\(r.out)")
        let limit = "passes the output limit of 1 MB written under the output folder (alphalab --sandbox --output-limit MB)"
        #expect(lines.contains { $0.hasPrefix("lab\tfalse\tlab.write_file: sandbox: writing 'results/b.bin' \(limit)") }, "\(r.out)")
        #expect(lines.contains { $0.hasPrefix("io.write\tfalse\tsandbox: writing 'results/c.txt' \(limit)") }, "\(r.out)")
        #expect(lines.contains("small\ttrue"), "\(r.out)")
        // Refused before writing: nothing of either refused write is on disk.
        #expect(!FileManager.default.fileExists(atPath: folder + "/results/b.bin"))
        #expect((try? Data(contentsOf: URL(fileURLWithPath: folder + "/results/c.txt")))?.count == 0)

        // Unconfined, scripts see the environment as before; the sandbox's options need --sandbox.
        let open = try Fixtures.alphalab(["-e", "print(os.getenv('API_TOKEN'))"], environment: environment, directory: folder)
        #expect(open.out == "s3cr3t\n", "\(open.out)\(open.err)")
        for option in [["--env", "SHARED"], ["--output-limit", "5"]] {
            let refused = try Fixtures.alphalab(option + ["-e", "print(1)"], directory: folder)
            #expect(refused.status == 2 && refused.err.contains("'\(option[0])' is a rule of the sandbox: add --sandbox"), "\(refused.err)")
        }
        let badName = try Fixtures.alphalab(["--sandbox", "--env", "A-B", "-e", "print(1)"], directory: folder)
        #expect(badName.status == 2 && badName.err.contains("'--env' needs the name of an environment variable, got 'A-B'"), "\(badName.err)")
    }
}
