import AlphaLab
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One GET over a fresh loopback connection (HTTP/1.1, Connection: close), read to the
/// end; returns the status. Plain sockets with TCP_NODELAY: Foundation's URLSession on
/// Linux adds tens of milliseconds of its own to every request and would measure itself.
func rawGet(port: UInt16, path: String) -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var yes: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return 0 }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard send(fd, request, request.count, 0) == request.count else { return 0 }
    var response: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let statusLine = String(decoding: response.prefix(16), as: UTF8.self).split(separator: " ")
    return statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
}

/// `alphalab-bench serve`: the run browser on a store of 10,000 runs (alphalab-serve, the
/// program beside this one, on loopback): the latency of the runs page, a page deep into
/// the list sorted by Sharpe, a run and a comparison, then requests per second from 8
/// concurrent clients; beside the time the store takes to list the same page alone.
func serveBenchmark() throws {
    let folder = try scratchFolder("serve")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var result = try smallMomentumRun().result
    let store = try SQLiteRunStore(path: folder + "/runs.db")
    for i in 0..<10_000 {
        result.metrics.sharpe = Double(i % 101) / 25
        try store.save(result, seconds: 0)
    }
    let listClock = Stopwatch()
    for _ in 0..<20 { _ = try store.list(RunFilter(orderBy: "sharpe", limit: 50)) }
    let listMilliseconds = listClock.seconds / 20 * 1000

    let binary = RunningProgram.sibling("alphalab-serve")
    let server = Process()
    server.executableURL = URL(fileURLWithPath: binary)
    server.arguments = ["--runs", folder + "/runs.db", "--port", "0"]
    let out = Pipe()
    server.standardOutput = out
    try server.run()
    defer { server.terminate(); server.waitUntilExit() }
    let banner = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
    guard let range = banner.range(of: #"http://[0-9.:]+"#, options: .regularExpression) else { throw URLError(.cannotConnectToHost) }
    let base = String(banner[range])
    print("serve: 10,000 runs in SQLite, alphalab-serve on loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    guard let port = UInt16(base.split(separator: ":").last ?? "") else { throw URLError(.badURL) }
    @Sendable func get(_ path: String) -> Int { rawGet(port: port, path: path) }
    for (label, path) in [("runs page (50 newest)", "/"), ("runs page 150, sorted by Sharpe", "/?sort=sharpe&page=150"),
                          ("a run", "/runs/5000"), ("3 runs compared", "/compare?runs=1,2,3")] {
        var times: [Double] = []
        for _ in 0..<30 {
            let clock = Stopwatch()
            guard get(path) == 200 else { throw URLError(.badServerResponse) }
            times.append(clock.seconds * 1000)
        }
        figure("serve: \(label)", String(format: "%.1f ms median", times.sorted()[times.count / 2]))
    }
    figure("  the store's own list of 50 by Sharpe", String(format: "%.1f ms", listMilliseconds))
    let clients = 8, each = 50
    let clock = Stopwatch()
    DispatchQueue.concurrentPerform(iterations: clients) { _ in for _ in 0..<each { _ = get("/") } }
    figure("serve: runs page, \(clients) concurrent clients", String(format: "%.0f requests/s", Double(clients * each) / clock.seconds))
}
