import Foundation

/// Wall-clock timing for progress lines and benchmarks.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    /// Starts timing now.
    public init() {}

    /// Seconds since the stopwatch started.
    public var seconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// The process's peak resident memory so far, in bytes: the `VmHWM` of `/proc/self/status`.
///
/// Not `ru_maxrss`: Linux keeps it across `execve`, so a child spawned (vfork-style) by a
/// large parent reports the parent's size. `ru_maxrss` (KiB) is the fallback without /proc.
public func peakResidentMemory() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kib = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") {
        return kib * 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// The resident memory of process `pid` now, in bytes (VmRSS in /proc), or 0 when unknown.
public func residentMemory(_ pid: Int32) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.firstMatch(of: /VmRSS:\s+(\d+) kB/).flatMap { Int($0.1) }.map { $0 * 1024 } ?? 0
}
