import AlphaLab
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A TCP connection to 127.0.0.1:`port` with TCP_NODELAY, or nil when it cannot connect.
func loopbackConnection(port: UInt16) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var yes: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// One GET over a fresh loopback connection (HTTP/1.1, Connection: close), read to the
/// end: its status and the bytes of its body (0 and 0 when it cannot connect). Plain
/// sockets with TCP_NODELAY: Foundation's URLSession on Linux adds tens of milliseconds of
/// its own to every request and would measure itself.
func rawGet(port: UInt16, path: String) -> (status: Int, bodyBytes: Int) {
    guard let fd = loopbackConnection(port: port) else { return (0, 0) }
    defer { close(fd) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard send(fd, request, request.count, 0) == request.count else { return (0, 0) }
    var response: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let statusLine = String(decoding: response.prefix(16), as: UTF8.self).split(separator: " ")
    let headEnd = (0..<max(0, response.count - 3)).first { response[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }
    return (statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headEnd.map { response.count - $0 - 4 } ?? 0)
}

/// The wall time in milliseconds and the status of one GET.
func timedGet(port: UInt16, path: String) -> (milliseconds: Double, status: Int) {
    let clock = Stopwatch()
    let status = rawGet(port: port, path: path).status
    return (clock.seconds * 1000, status)
}

/// A process's CPU time (user and system) in milliseconds, from /proc.
func cpuMilliseconds(_ pid: Int32) -> Double {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
    return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// A connection that sends `bytes` and then stays silent (a hostile client); its descriptor.
func hostileConnection(port: UInt16, sending bytes: [UInt8]) -> Int32 {
    guard let fd = loopbackConnection(port: port) else { return -1 }
    var sent = 0
    while sent < bytes.count {
        let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }
        sent += n
    }
    return fd
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// `alphalab-bench serve`: the run browser on a store of 10,000 runs (alphalab-serve, the
/// program beside this one, on loopback): the runs page at 32 concurrent connections (p50,
/// p99), a ten-year weekly run's page (time and size), a 10-run comparison, then hostile
/// clients: a normal request while 32 connections hold unfinished heads, the server's CPU
/// on a 1 MB request line and on 1,000 random byte strings, and its memory before and after.
func serveBenchmark() throws {
    let folder = try scratchFolder("serve")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var result = try smallMomentumRun().result
    let store = try SQLiteRunStore(path: folder + "/runs.db")
    for i in 0..<10_000 {
        result.metrics.sharpe = Double(i % 101) / 25
        try store.save(result, seconds: 0)
    }
    // A ten-year weekly run: 521 periods.
    var market = SyntheticMarketConfig()
    market.tickerCount = 30
    var weekly = ExperimentConfig.momentum12_1(startYear: 2010, endYear: 2019)
    weekly.rebalance = .weekly
    // As lab.run makes it: with its risk attribution.
    let longRun = try WalkForward(config: weekly, dataset: Dataset(panel: try SyntheticMarket.generate(market)), attributesRisk: true).run()
    let long = try store.save(longRun, seconds: 0)
    // Ten more of it, each seen first once: first views vary more than later ones.
    let unseen = try (0..<10).map { _ in try store.save(longRun, seconds: 0) }

    print("serve: 10,011 runs in SQLite, alphalab-serve on loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    // The pages computed in this process, without HTTP: what the server adds is the rest.
    let browser = RunBrowser(store: store)
    for (label, body) in [("in process: runs page", { _ = browser.respond(to: WebRequest(target: "/")) }),
                          ("in process: count", { _ = try? store.count(RunFilter()) }),
                          ("in process: list 50", { _ = try? store.list(RunFilter(limit: 50)) }),
                          ("in process: ten-year run page", { _ = browser.respond(to: WebRequest(target: "/runs/\(long)")) }),
                          ("in process: ten-year run page, first view", { _ = RunBrowser(store: store).respond(to: WebRequest(target: "/runs/\(long)")) }),
                          ("in process: ten-year run's load", { _ = try? store.load(id: long) }),
                          ("in process: ten-year run's outline", { _ = try? ExperimentResult(outlineJSON: store.document(id: long)) })] as [(String, () -> Void)] {
        let clock = Stopwatch()
        for _ in 0..<50 { body() }
        figure(label, String(format: "%.2f ms", clock.seconds / 50 * 1000))
    }
    let binary = RunningProgram.sibling("alphalab-serve")
    let server = Process()
    server.executableURL = URL(fileURLWithPath: binary)
    server.arguments = ["--runs", folder + "/runs.db", "--port", "0", "--read-timeout", "30"]
    let out = Pipe()
    server.standardOutput = out
    try server.run()
    defer { server.terminate(); server.waitUntilExit() }
    let banner = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
    guard let range = banner.range(of: #"http://[0-9.:]+"#, options: .regularExpression),
          let port = UInt16(String(banner[range]).split(separator: ":").last ?? "") else { throw BenchmarkFailure(description: "no port in \(banner)") }
    let pid = server.processIdentifier

    // The runs page from 32 clients at once, 20 requests each.
    let clients = 32, each = 20
    let times = Mutex<[Double]>([])
    let clock = Stopwatch()
    // A thread per client (concurrentPerform would run only as many as there are cores).
    let group = DispatchGroup()
    for _ in 0..<clients {
        group.enter()
        Thread {
            for _ in 0..<each { let t = timedGet(port: port, path: "/").milliseconds; times.withLock { $0.append(t) } }
            group.leave()
        }.start()
    }
    group.wait()
    let all = times.withLock { $0 }
    figure("runs page, 32 concurrent: p50", String(format: "%.1f ms", percentile(all, 0.5)))
    figure("runs page, 32 concurrent: p99", String(format: "%.1f ms", percentile(all, 0.99)), target: "target < 100 ms")
    figure("runs page, 32 concurrent: throughput", String(format: "%.0f requests/s", Double(clients * each) / clock.seconds))
    // First views: the server decodes the stored result (later views reuse it, unless the
    // run is deleted), each of a run no page has shown yet.
    for (label, paths, target) in [("10 runs compared, first view", ["/compare?runs=1,2,3,4,5,6,7,8,9,\(unseen[0])"], "target < 100 ms"),
                                   ("a ten-year weekly run's page, first view (median, max of 9 runs)", unseen.dropFirst().map { "/runs/\($0)" }, "target < 50 ms")] {
        let first = paths.map { timedGet(port: port, path: $0) }
        guard first.allSatisfy({ $0.status == 200 }) else { throw BenchmarkFailure(description: "\(paths[0]) did not answer 200") }
        let times = first.map(\.milliseconds)
        figure(label, times.count == 1 ? String(format: "%.1f ms", times[0]) : String(format: "%.1f, %.1f ms", percentile(times, 0.5), times.max()!), target: target)
    }
    for (label, path, target) in [("a ten-year weekly run's page", "/runs/\(long)", "target < 50 ms"),
                                  ("a small run's page", "/runs/5000", "target < 50 ms"),
                                  ("10 runs compared", "/compare?runs=1,2,3,4,5,6,7,8,9,\(long)", "target < 100 ms"),
                                  ("runs page 150, sorted by Sharpe", "/?sort=sharpe&page=150", ""),
                                  ("runs page 150, sorted by deflated Sharpe", "/?sort=dsr&page=150", "")] {
        let samples = (0..<20).map { _ in timedGet(port: port, path: path) }
        guard samples.allSatisfy({ $0.status == 200 }) else { throw BenchmarkFailure(description: "\(path) did not answer 200") }
        figure(label + " (median of 20)", String(format: "%.1f ms", percentile(samples.map(\.milliseconds), 0.5)), target: target)
    }
    figure("a ten-year weekly run's page: size", String(format: "%.0f kB", Double(rawGet(port: port, path: "/runs/\(long)").bodyBytes) / 1000), target: "target < 100 kB")

    // Hostile clients.
    let memoryBefore = residentMemory(pid)
    let hostile = (0..<32).map { _ in hostileConnection(port: port, sending: Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)) }
    let underSiege = (0..<50).map { _ in timedGet(port: port, path: "/").milliseconds }
    hostile.forEach { close($0) }
    figure("runs page, 32 hostile heads held open: p50", String(format: "%.1f ms", percentile(underSiege, 0.5)), target: "target < 50 ms")
    figure("runs page, 32 hostile heads held open: max", String(format: "%.1f ms", underSiege.max() ?? .nan))
    var cpu = cpuMilliseconds(pid)
    let line = hostileConnection(port: port, sending: Array("GET /?q=\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\n\r\n".utf8))
    Thread.sleep(forTimeInterval: 0.5)
    close(line)
    figure("server CPU on a 1 MB request line (414)", String(format: "%.1f ms", cpuMilliseconds(pid) - cpu), target: "target < 100 ms")
    cpu = cpuMilliseconds(pid)
    var random = RandomSource(seed: 38)
    for _ in 0..<1000 {
        let bytes = (0..<200).map { _ in UInt8(truncatingIfNeeded: random.next()) } + [13, 10, 13, 10]
        close(hostileConnection(port: port, sending: bytes))
    }
    Thread.sleep(forTimeInterval: 0.5)
    figure("server CPU per random byte string (1,000)", String(format: "%.3f ms", (cpuMilliseconds(pid) - cpu) / 1000), target: "target < 100 ms")
    figure("server memory before, after the hostile clients", String(format: "%@, %@", megabytes(memoryBefore), megabytes(residentMemory(pid))))
}
