import AlphaLab
import Foundation
import Testing

/// `alphalab serve` against clients that try to stall it: oversized lines and headers, a
/// body, NUL and invalid UTF-8, slow heads, random bytes and random queries, and 32 hostile
/// connections held open while a colleague browses. Speed is the benchmark's business
/// (`alphalab-bench serve`); here every answer must be the right refusal, the server must
/// keep answering, and its memory must stay flat.
@Suite("Serve against hostile clients", .serialized)
struct ServeHardeningTests {
    /// What a raw exchange on one connection got back.
    struct Exchange {
        var status: Int?
        var text: String
        /// Whether the server closed the connection after answering.
        var closed: Bool
    }

    /// A connection to 127.0.0.1:`port`, or -1.
    static func connection(_ port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    /// Sends `bytes` on a new connection to 127.0.0.1:`port` (in pieces `pause` apart when
    /// given), then reads what comes back for up to `timeout` seconds.
    static func exchange(_ port: UInt16, _ bytes: [UInt8], timeout: Double = 10) -> Exchange {
        let fd = Self.connection(port)
        defer { close(fd) }
        guard fd >= 0 else { return Exchange(status: nil, text: "cannot connect", closed: true) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break } // refused mid-way: the server answered and closed
            sent += n
        }
        var received = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        var closed = false
        while Date() < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else {
                if !received.isEmpty, let text = String(bytes: received, encoding: .utf8), Self.isWhole(text) { break }
                continue
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { closed = true; break }
            received += buffer[..<n]
        }
        let text = String(decoding: received, as: UTF8.self)
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) }
        return Exchange(status: status, text: text, closed: closed)
    }

    /// Whether `text` holds a whole response (its head and Content-Length bytes of body).
    static func isWhole(_ text: String) -> Bool {
        guard let end = text.range(of: "\r\n\r\n"),
              let length = text[..<end.lowerBound].firstMatch(of: /Content-Length: (\d+)/).flatMap({ Int($0.1) }) else { return false }
        return text.utf8.count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound) >= length
    }

    static func get(_ target: String) -> [UInt8] { Array("GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8) }

    func server(_ extra: [String] = []) throws -> (Process, UInt16) {
        let folder = Fixtures.temporaryFolder()
        _ = try RunBrowserTests.filledStore(folder + "/runs.db")
        let (process, url, banner) = try RunBrowserTests.serve(["--runs", folder + "/runs.db"] + extra)
        let port = UInt16(url.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0, "\(banner)")
        return (process, port)
    }

    @Test("Oversized lines and headers, a body, NUL, invalid UTF-8, a bad method, a slow head: each refused with its status and the connection closed")
    func refusals() throws {
        let (process, port) = try server(["--read-timeout", "2"])
        defer { process.terminate(); process.waitUntilExit() }
        let megabyteLine = Self.exchange(port, Array("GET /?q=\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\n\r\n".utf8))
        #expect(megabyteLine.status == 414 && megabyteLine.closed, "\(megabyteLine.text.prefix(200))")
        let headers = Self.exchange(port, Array(("GET / HTTP/1.1\r\n" + (0..<400).map { "X-Filler-\($0): \(String(repeating: "b", count: 60))\r\n" }.joined() + "\r\n").utf8))
        #expect(headers.status == 431 && headers.closed)
        let body = Self.exchange(port, Array("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".utf8))
        #expect(body.status == 413 && body.text.contains("takes no request body"))
        let nul = Self.exchange(port, Self.get("/%00"))
        #expect(nul.status == 400 && !nul.text.contains("\0"), "\(nul.text)")
        let latin1 = Self.exchange(port, Self.get("/runs/%FF"))
        #expect(latin1.status == 400)
        let rawNul = Self.exchange(port, Array("GET /\0 HTTP/1.1\r\n\r\n".utf8))
        #expect(rawNul.status == 400)
        let post = Self.exchange(port, Array("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(post.status == 405 && post.text.contains("Allow: GET, HEAD"))
        // A head that never ends is cut off at the read timeout.
        let slow = Self.exchange(port, Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8), timeout: 15)
        #expect(slow.status == 408 && slow.closed, "\(slow.text)")
        // The query reflected in links only as the parameters the page knows.
        let reflected = Self.exchange(port, Self.get("/?sort=name&evil=\(String(repeating: "x", count: 5000))"))
        #expect(reflected.status == 200 && !reflected.text.contains("evil") && reflected.text.count < 60_000, "\(reflected.text.count)")
        let pageTooFar = Self.exchange(port, Self.get("/?page=99"))
        #expect(pageTooFar.status == 404 && pageTooFar.text.contains("no page 99"))
        let unknownExecution = Self.exchange(port, Self.get("/?execution=nope"))
        #expect(unknownExecution.status == 400)
        // Still answering, and keeping a connection alive across requests.
        let twice = Self.exchange(port, Array("GET /trials HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(twice.text.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "\(twice.text.prefix(300))")
    }

    @Test("1,000 random byte strings and 10,000 random queries get answers (never a hang), the server stays up with flat memory, and answers while 32 hostile clients hold connections")
    func randomAndHostile() throws {
        let (process, port) = try server(["--read-timeout", "30"])
        defer { process.terminate(); process.waitUntilExit() }
        var random = RandomSource(seed: 38)
        #expect(Self.exchange(port, Self.get("/")).status == 200)
        let before = residentMemory(process.processIdentifier) / 1024
        for _ in 0..<1000 {
            var bytes = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes += [13, 10, 13, 10]
            let answer = Self.exchange(port, bytes, timeout: 5)
            #expect(answer.status.map { [400, 405, 413, 414, 431].contains($0) || $0 == 404 || $0 == 200 } ?? false, "\(bytes.prefix(40)) -> \(answer.text.prefix(120))")
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789%&=+,-_.~!$'()*;:@/?".utf8)
        var statuses: [Int: Int] = [:]
        for k in 0..<10_000 {
            let query = String(decoding: (0..<Int(random.next() % 120)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }, as: UTF8.self)
            let target = ["/", "/compare", "/trials", "/runs/1"][k % 4] + "?" + query
            let answer = Self.exchange(port, Self.get(target), timeout: 5)
            statuses[answer.status ?? 0, default: 0] += 1
        }
        #expect(statuses[0] == nil && Set(statuses.keys).isSubset(of: [200, 400, 404]), "\(statuses)")
        let after = residentMemory(process.processIdentifier) / 1024
        #expect(after < before + 30_000, "resident memory grew from \(before) kB to \(after) kB")

        // 32 hostile clients: each sends a head one byte at a time and never finishes it.
        let hostile = (0..<32).map { _ -> Int32 in
            let fd = Self.connection(port)
            _ = send(fd, "G", 1, Int32(MSG_NOSIGNAL))
            return fd
        }
        defer { hostile.forEach { close($0) } }
        let clock = Date()
        let normal = Self.exchange(port, Self.get("/"), timeout: 10)
        #expect(normal.status == 200 && normal.text.contains("<table id=\"runs\""))
        // Queued behind the hostile heads, it would wait for their 30 s read timeout.
        #expect(Date().timeIntervalSince(clock) < 10, "a normal request waited behind the hostile ones")
    }
}
