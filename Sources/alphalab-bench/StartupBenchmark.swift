import AlphaLab
import Foundation

/// `alphalab-bench startup`: start-up time of `alphalab -e ''`.
func startupBenchmark() {
    let times = alphalabRuns(["-e", ""], count: 30)
    figure("start-up: alphalab -e '' (median)", String(format: "%.1f ms", times[times.count / 2]), target: "target < 50 ms")
    figure("start-up: fastest, slowest of 30", String(format: "%.1f ms, %.1f ms", times[0], times[times.count - 1]))
}

/// `alphalab-bench sandbox`: a Lua workload and start-up, plain against --sandbox.
func sandboxBenchmark() throws {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-sandbox-\(getpid()).lua").path
    defer { try? FileManager.default.removeItem(atPath: script) }
    try """
    local keep = {}
    for i = 1, 2000000 do keep[i % 1000 + 1] = { i, tostring(i), { x = i } } end
    local s = 0
    for i = 1, 30000000 do s = s + i % 7 end
    local parts = {}
    for i = 1, 200000 do parts[#parts + 1] = string.format("%d:%s", i, ("x"):rep(i % 17)) end
    assert(#table.concat(parts) > 0)
    """.write(toFile: script, atomically: true, encoding: .utf8)
    func median(_ options: [String], count: Int) -> Double { alphalabRuns(options, count: count)[count / 2] }
    let sandboxed = ["--sandbox", "--cpu-limit", "10000"]
    let plainWork = median([script], count: 5), sandboxWork = median(sandboxed + [script], count: 5)
    figure("sandbox: Lua workload, plain (median of 5)", String(format: "%.0f ms", plainWork))
    figure("sandbox: Lua workload, --sandbox", String(format: "%.0f ms", sandboxWork))
    figure("sandbox: overhead ratio", String(format: "%.3fx", sandboxWork / plainWork))
    let plainStart = median(["-e", ""], count: 21), sandboxStart = median(sandboxed + ["-e", ""], count: 21)
    figure("sandbox: start-up plain, --sandbox (median of 21)", String(format: "%.1f ms, %.1f ms", plainStart, sandboxStart))
}
