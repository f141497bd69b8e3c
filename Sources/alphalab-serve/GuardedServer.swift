import AlphaLab
import Foundation
import Synchronization

/// An HTTP/1.1 server that a client cannot stall: one thread polls every connection while
/// its request head arrives, within ``RequestLimits`` (line, headers, no body, a deadline
/// for the whole head, a bound on open connections), and hands each complete head to a
/// few worker threads that compute and write the answer. A slow or hostile client costs a
/// slot in the poll set and a small buffer, never a thread.
///
/// FlyingFox, the HTTP library this program used, reads the request line byte by byte with
/// no bound (a 1 MB line kept a core busy for minutes after the client left) and has no
/// read deadline or connection bound; no lean library for Swift on Linux does, so this
/// front is written here, on POSIX sockets and poll(2).
final class GuardedServer: @unchecked Sendable {
    // @unchecked: `reading` and `busy` belong to the poll thread; workers only touch
    // `returned` (a Mutex) and the wake pipe.
    typealias Handler = @Sendable (RequestHead) -> Response

    /// An answer: status, headers, body.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: Data = Data()
    }

    private struct Connection {
        var buffer: [UInt8] = []
        var deadline: Double
    }

    let limits: RequestLimits
    private let handler: Handler
    private let listener: Int32
    private var reading: [Int32: Connection] = [:]
    /// Connections handed to a worker (answered, not yet back or closed).
    private let busy = Atomic<Int>(0)
    /// Kept-alive connections a worker has answered, back to the poll thread, each with the
    /// bytes that followed its request (a pipelined next request).
    private let returned = Mutex<[(fd: Int32, leftover: [UInt8])]>([])
    private let wake: (read: Int32, write: Int32)
    private let work: OperationQueue

    /// The port the server listens on (the one chosen when asked for 0).
    let port: UInt16

    /// Listens on `host` (an IPv4 or IPv6 address) and `port` (0: any free port).
    init(host: String, port: UInt16, limits: RequestLimits = RequestLimits(), handler: @escaping Handler) throws {
        self.limits = limits
        self.handler = handler
        (listener, self.port) = try Self.listen(host: host, port: port)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw ServeError("cannot make a pipe: \(String(cString: strerror(errno)))") }
        for fd in pipeEnds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wake = (pipeEnds[0], pipeEnds[1])
        work = OperationQueue()
        work.maxConcurrentOperationCount = limits.workers
    }

    /// Serves until the process ends.
    func run() -> Never {
        signal(SIGPIPE, SIG_IGN) // a client that leaves mid-answer is an error on write, not the end of the server
        while true { step() }
    }

    /// One turn of the poll loop: accept, read, hand over, time out.
    private func step() {
        let open = reading.count + busy.load(ordering: .relaxed)
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        let watched = Array(reading.keys)
        fds += watched.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let now = Self.clock()
        let nearest = reading.values.map(\.deadline).min() ?? now + 1
        _ = poll(&fds, nfds_t(fds.count), Int32(max(0, min(1, nearest - now)) * 1000) + 1)
        let after = Self.clock()
        if fds[0].revents & Int16(POLLIN) != 0 { accept(open: open, now: after) }
        if fds[1].revents & Int16(POLLIN) != 0 { takeReturned(now: after) }
        for (k, fd) in watched.enumerated() where fds[k + 2].revents != 0 { receive(fd) }
        for (fd, connection) in reading where connection.deadline < after {
            refuse(fd, status: 408, reason: "the request took too long to arrive")
        }
    }

    private func accept(open: Int, now: Double) {
        var count = open
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if count >= limits.connections {
                refuse(fd, status: 503, reason: "the server has \(limits.connections) connections open; try again shortly")
                continue
            }
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            reading[fd] = Connection(deadline: now + limits.headSeconds)
            count += 1
        }
    }

    private func takeReturned(now: Double) {
        var drain = [UInt8](repeating: 0, count: 256)
        while read(wake.read, &drain, drain.count) > 0 {}
        let back: [(fd: Int32, leftover: [UInt8])] = returned.withLock { list in
            let taken = list
            list.removeAll()
            return taken
        }
        for (fd, leftover) in back {
            busy.subtract(1, ordering: .relaxed)
            reading[fd] = Connection(buffer: leftover, deadline: now + (leftover.isEmpty ? limits.idleSeconds : limits.headSeconds))
            if !leftover.isEmpty { examine(fd) }
        }
    }

    /// Reads what arrived on `fd` and acts on the head once it is whole or refused.
    private func receive(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = read(fd, &chunk, chunk.count)
        if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) { return drop(fd) }
        guard n > 0, var connection = reading[fd] else { return }
        if connection.buffer.isEmpty && connection.deadline - Self.clock() > limits.headSeconds {
            connection.deadline = Self.clock() + limits.headSeconds // an idle connection's next request starts its own clock
        }
        connection.buffer += chunk[..<n]
        reading[fd] = connection
        examine(fd)
    }

    /// Acts on what `fd` has received: waits for more, refuses, or hands a whole head to a worker.
    private func examine(_ fd: Int32) {
        guard let connection = reading[fd] else { return }
        switch RequestHead.read(connection.buffer, limits: limits) {
        case .incomplete: return
        case .refused(let status, let reason): refuse(fd, status: status, reason: reason)
        case .complete(let head, let length):
            reading[fd] = nil
            busy.add(1, ordering: .relaxed)
            let leftover = Array(connection.buffer[length...])
            work.addOperation { [self] in answer(head, on: fd, leftover: leftover) }
        }
    }

    /// On a worker: computes the answer, writes it whole, then keeps or closes the connection.
    private func answer(_ head: RequestHead, on fd: Int32, leftover: [UInt8]) {
        let response = handler(head)
        let keep = head.keepsAlive && response.status < 400
        let written = write(response, to: fd, headOnly: head.method == "HEAD", keepAlive: keep)
        if keep && written {
            returned.withLock { $0.append((fd, leftover)) }
            var byte: UInt8 = 1
            _ = Foundation.write(wake.write, &byte, 1)
        } else {
            close(fd)
            busy.subtract(1, ordering: .relaxed)
        }
    }

    /// Answers `status` with `reason` and closes, without waiting on a client that does not read.
    private func refuse(_ fd: Int32, status: Int, reason: String) {
        reading[fd] = nil
        let body = Data(ErrorPage.html(status: status, message: reason).utf8)
        _ = write(Response(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: body), to: fd,
                  headOnly: false, keepAlive: false, patient: false)
        close(fd)
    }

    private func drop(_ fd: Int32) {
        reading[fd] = nil
        close(fd)
    }

    /// Writes the response; `patient` waits up to 10 s for a slow reader, else only what fits now.
    @discardableResult
    private func write(_ response: Response, to fd: Int32, headOnly: Bool, keepAlive: Bool, patient: Bool = true) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(ErrorPage.phrase(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n"
        head += "X-Content-Type-Options: nosniff\r\n\r\n"
        var bytes = Data(head.utf8)
        if !headOnly { bytes += response.body }
        let deadline = Self.clock() + (patient ? 10 : 0)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            guard n < 0, errno == EAGAIN || errno == EINTR, Self.clock() < deadline else { return false }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, 100)
        }
        return true
    }

    private static func clock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// A listening, non-blocking socket on `host:port`, and the port it got.
    private static func listen(host: String, port: UInt16) throws -> (Int32, UInt16) {
        let six = host.contains(":")
        let fd = socket(six ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeError("cannot open a socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if six {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw ServeError("'\(host)' is not an IPv6 address") }
            bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
                throw ServeError("'\(host)' is not an IPv4 address")
            }
            bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ServeError("cannot listen on \(host):\(port): \(why)")
        }
        var actual = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let chosen = six ? actual.sin6_port : withUnsafePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port } }
        return (fd, UInt16(bigEndian: chosen))
    }
}

/// A failure to start serving, with the reason.
struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The small page of a refused request, and the reason phrases.
enum ErrorPage {
    static func phrase(_ status: Int) -> String {
        [200: "OK", 303: "See Other", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
         405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large", 414: "URI Too Long",
         431: "Request Header Fields Too Large", 500: "Internal Server Error", 503: "Service Unavailable"][status] ?? "Status"
    }

    static func html(status: Int, message: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(status)</title></head><body><h1>\(phrase(status))</h1><p>\(SVGChart.escape(message))</p></body></html>"
    }
}
