import AlphaLab
import Foundation

/// `alphalab-bench kernel`: the Jupyter kernel's start-up and a cell's round trip as a front
/// end sees them, measured through jupyter_client (tools/jupyter/kernel_latency.py with the
/// Python of $ALPHALAB_TEST_PYTHON, else the virtual environment tools/test.sh makes), and,
/// for scale on this machine, the start-up of `alphalab -e ''` and of a bare Python.
func kernelBenchmark(starts: Int, requests: Int) throws {
    let python = ProcessInfo.processInfo.environment["ALPHALAB_TEST_PYTHON"] ?? ".build/test-venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else {
        throw BenchmarkFailure(description: "no Python with jupyter_client at \(python): run tools/test.sh once (it makes .build/test-venv) or set ALPHALAB_TEST_PYTHON")
    }
    let prefix = try scratchFolder("kernel")
    defer { try? FileManager.default.removeItem(atPath: prefix) }
    guard run(RunningProgram.sibling("alphalab"), ["kernel", "install", "--prefix", prefix]) == 0 else {
        throw BenchmarkFailure(description: "alphalab kernel install failed (is alphalab-kernel built? swift build -c release --product alphalab-kernel)")
    }
    let alphalab = alphalabRuns(["-e", ""], count: 20)
    figure("alphalab -e '' start-up (median of 20)", String(format: "%.1f ms", alphalab[alphalab.count / 2]))
    let bare = (0..<5).map { _ in timed { run(python, ["-c", "import jupyter_client"]) } }.sorted()
    figure("python -c 'import jupyter_client' (median of 5)", String(format: "%.0f ms", bare[2] * 1000))
    setenv("JUPYTER_PATH", prefix + "/share/jupyter", 1)
    guard run(python, ["tools/jupyter/kernel_latency.py", String(starts), String(requests)]) == 0 else {
        throw BenchmarkFailure(description: "tools/jupyter/kernel_latency.py failed (run from the repository)")
    }
}

/// Runs a program with its output on ours; returns its exit status.
private func run(_ program: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    fflush(nil) // our figures before the child's
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}

private func timed(_ body: () -> Int32) -> Double {
    let began = Date()
    _ = body()
    return Date().timeIntervalSince(began)
}
