import Foundation
import Testing

/// `alphalab kernel`: installed as Jupyter installs kernels, driven by Jupyter's own tools
/// (jupyter_client, jupyter_kernel_test, nbclient and nbconvert from the virtual
/// environment tools/test.sh makes), the example notebook executed end to end.
@Suite("alphalab kernel: AlphaLab in Jupyter")
struct KernelTests {
    /// The Python with Jupyter's tools, or a recorded failure saying how to get it.
    static func python() -> String? {
        guard let python = ProcessInfo.processInfo.environment["ALPHALAB_TEST_PYTHON"] else {
            Issue.record("ALPHALAB_TEST_PYTHON is not set: the kernel tests drive it with jupyter_client, jupyter_kernel_test and nbclient from the virtual environment tools/test.sh makes (run the suite with tools/test.sh)")
            return nil
        }
        return python
    }

    /// Installs the kernel and its sandboxed twin under a scratch prefix through `alphalab kernel install`;
    /// returns the Jupyter path that finds them.
    static func installKernels(_ name: String = #function) throws -> String {
        let prefix = Fixtures.temporaryFolder("kernel-" + name)
        for extra in [[], ["--sandbox"]] {
            let outcome = try Fixtures.alphalab(["kernel", "install", "--prefix", prefix] + extra)
            #expect(outcome.status == 0, "\(outcome.err)")
        }
        return prefix + "/share/jupyter"
    }

    /// Runs a Python script with the kernels on JUPYTER_PATH; returns its status and what it printed.
    static func runPython(_ python: String, _ script: String, _ arguments: [String], jupyterPath: String) throws -> Outcome {
        try Fixtures.run(python, [Fixtures.root.appendingPathComponent(script).path] + arguments,
                         environment: ["JUPYTER_PATH": jupyterPath, "PYTHONUNBUFFERED": "1"])
    }

    @Test("jupyter_kernel_test's whole suite, rich results, interrupts (signal and message), stdin, forged signatures, the sandboxed kernel")
    func protocolSuite() throws {
        guard let python = Self.python() else { return }
        let path = try Self.installKernels()
        let outcome = try Self.runPython(python, "Tests/jupyter/test_kernel.py", [], jupyterPath: path)
        print(outcome.err)
        #expect(outcome.status == 0 && outcome.err.contains("\nOK"), "\(outcome.out)\n\(outcome.err)")
        // Every test of jupyter_kernel_test's suite ran, but the pager's (AlphaLab has no pager payloads).
        for name in ["kernel_info", "execute_stdout", "execute_stderr", "completion", "is_complete", "error", "execute_result",
                     "display_data", "history", "inspect", "clear_output"] {
            #expect(outcome.err.contains("test_\(name) (__main__.AlphaLabKernelTests.test_\(name)) ... ok"), "test_\(name)")
        }
    }

    @Test("nbclient executes examples/phase1.ipynb: no error, the Phase 1 table, decision matrix, SVG curves, tear sheet, progress in place")
    func exampleNotebook() throws {
        guard let python = Self.python() else { return }
        let path = try Self.installKernels()
        let folder = Fixtures.root.appendingPathComponent(".build/test-output/kernel").path
        let outcome = try Self.runPython(python, "Tests/jupyter/run_notebook.py",
                                         [Fixtures.root.appendingPathComponent("examples/phase1.ipynb").path, folder], jupyterPath: path)
        print(outcome.out)
        #expect(outcome.status == 0 && outcome.out.contains("all checks passed"), "\(outcome.out)\n\(outcome.err)")
        let html = (try? String(contentsOfFile: folder + "/phase1.html", encoding: .utf8)) ?? ""
        #expect(html.contains("Factor tear sheet: MOM_12_1") && html.contains("<svg"), "nbconvert's rendering holds the tear sheet and the charts")
    }

    @Test("install writes kernel.json (the program's absolute path, {connection_file}, SIGINT interrupts) and logos; jupyter kernelspec list shows both")
    func install() throws {
        guard let python = Self.python() else { return }
        let path = try Self.installKernels()
        let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/kernels/alphalab/kernel.json"))) as? [String: Any] ?? [:]
        let argv = spec["argv"] as? [String] ?? []
        #expect(argv.count == 3 && argv[0].hasPrefix("/") && FileManager.default.isExecutableFile(atPath: argv[0]) && argv[0].hasSuffix("alphalab-kernel"))
        #expect(Array(argv.dropFirst()) == ["--connection-file", "{connection_file}"])
        #expect(spec["language"] as? String == "lua" && spec["interrupt_mode"] as? String == "signal")
        let sandboxed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/kernels/alphalab-sandbox/kernel.json"))) as? [String: Any] ?? [:]
        #expect((sandboxed["argv"] as? [String])?.last == "--sandbox")
        for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
            #expect(FileManager.default.fileExists(atPath: path + "/kernels/alphalab/" + logo), "\(logo)")
        }
        let jupyter = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("jupyter").path
        let list = try Fixtures.run(jupyter, ["kernelspec", "list"], environment: ["JUPYTER_PATH": path])
        #expect(list.status == 0 && list.out.contains("alphalab ") && list.out.contains("alphalab-sandbox"), "\(list.out)\(list.err)")
    }

    @Test("install --user goes to Jupyter's data folder; conflicting places and bad names are refused with the reason")
    func installPlaces() throws {
        let data = Fixtures.temporaryFolder("jupyter-data")
        let user = try Fixtures.alphalab(["kernel", "install", "--user", "--name", "AlphaLab-2"], environment: ["JUPYTER_DATA_DIR": data])
        #expect(user.status == 0 && FileManager.default.fileExists(atPath: data + "/kernels/alphalab-2/kernel.json"), "\(user.err)")
        let both = try Fixtures.alphalab(["kernel", "install", "--user", "--prefix", data])
        #expect(both.status != 0 && both.err.contains("--user and --prefix"), "\(both.err)")
        let badName = try Fixtures.alphalab(["kernel", "install", "--prefix", data, "--name", "../escape"])
        #expect(badName.status != 0 && badName.err.contains("kernel name '../escape'"), "\(badName.err)")
    }

    @Test("a missing, malformed or incomplete connection file stops the kernel with a message naming the file and the problem")
    func badConnectionFiles() throws {
        let folder = Fixtures.temporaryFolder()
        let missing = try Fixtures.alphalab(["kernel", "--connection-file", folder + "/none.json"])
        #expect(missing.status != 0 && missing.err.contains("cannot read the connection file \(folder)/none.json"), "\(missing.err)")
        let garbled = Fixtures.write("{ shell_port: ", to: folder + "/garbled.json")
        let bad = try Fixtures.alphalab(["kernel", "--connection-file", garbled])
        #expect(bad.status != 0 && bad.err.contains("\(garbled) is not valid: not JSON"), "\(bad.err)")
        let partial = Fixtures.write(#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "key": "k"}"#, to: folder + "/partial.json")
        let incomplete = try Fixtures.alphalab(["kernel", "--connection-file", partial])
        #expect(incomplete.status != 0 && incomplete.err.contains("\(partial) is not valid: no hb_port"), "\(incomplete.err)")
        let md5 = Fixtures.write(#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "signature_scheme": "hmac-md5"}"#, to: folder + "/md5.json")
        let scheme = try Fixtures.alphalab(["kernel", "--connection-file", md5])
        #expect(scheme.status != 0 && scheme.err.contains("asks for hmac-md5 signatures"), "\(scheme.err)")
    }
}
