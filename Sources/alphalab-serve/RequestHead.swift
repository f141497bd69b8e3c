import Foundation

/// The limits a request must keep to be read at all: the request line, the header block,
/// no body, and how long its head may take to arrive.
struct RequestLimits: Sendable {
    /// Bytes of the request line (method, target, version) before its CRLF: 414 beyond.
    var requestLine = 8 * 1024
    /// Bytes of the header lines together: 431 beyond.
    var headers = 16 * 1024
    /// Seconds a new connection has to send its whole head (slow clients are cut off with 408).
    var headSeconds = 10.0
    /// Seconds a kept-alive connection may wait idle for its next request.
    var idleSeconds = 15.0
    /// Connections open at once, reading or answered; beyond, a new one gets 503 and is closed.
    var connections = 256
    /// Requests answered at once (the pages are computed on this many threads).
    var workers = 4
}

/// A request's head as read off the wire: method, target, version and headers (names in
/// lower case). The run browser takes no body.
struct RequestHead: Sendable, Equatable {
    var method: String
    var target: String
    var version: String
    var headers: [String: String]

    /// Whether the client asked to keep the connection (HTTP/1.1 unless `Connection: close`).
    var keepsAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        return version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
    }

    /// What reading `bytes` (everything received so far on a connection) gives.
    enum Reading: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole head, and the bytes it took (what follows is the next request's).
        case complete(RequestHead, length: Int)
        /// A request refused before it is answered: the status and the reason.
        case refused(status: Int, reason: String)
    }

    /// Reads a head from `bytes` within `limits`: the request line and the headers each
    /// capped, a body refused, NUL and control characters and invalid UTF-8 refused.
    static func read(_ bytes: [UInt8], limits: RequestLimits) -> Reading {
        guard let lineEnd = find([13, 10], in: bytes, from: 0, upTo: limits.requestLine + 2) else {
            return bytes.count > limits.requestLine + 1
                ? .refused(status: 414, reason: "the request line is longer than \(limits.requestLine) bytes") : .incomplete
        }
        let headEnd: Int
        if let end = find([13, 10, 13, 10], in: bytes, from: lineEnd, upTo: lineEnd + limits.headers + 4) {
            headEnd = end
        } else {
            return bytes.count - lineEnd > limits.headers + 3
                ? .refused(status: 431, reason: "the headers are longer than \(limits.headers) bytes") : .incomplete
        }
        guard let line = String(validating: bytes[..<lineEnd], as: UTF8.self), !line.contains(where: isControl) else {
            return .refused(status: 400, reason: "the request line is not printable UTF-8")
        }
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 3, !words[0].isEmpty, words[1].hasPrefix("/"), words[2].hasPrefix("HTTP/1.") else {
            return .refused(status: 400, reason: "a request line is METHOD /path HTTP/1.1")
        }
        var headers: [String: String] = [:]
        let block = headEnd > lineEnd ? bytes[(lineEnd + 2)..<headEnd] : []
        for raw in block.split(separator: 10, omittingEmptySubsequences: true) {
            let fieldBytes = raw.last == 13 ? raw.dropLast() : raw
            guard let field = String(validating: fieldBytes, as: UTF8.self), !field.contains(where: { isControl($0) && $0 != "\t" }),
                  let colon = field.firstIndex(of: ":") else {
                return .refused(status: 400, reason: "a header line is NAME: value in printable UTF-8")
            }
            let name = field[..<colon].lowercased(), value = field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        if headers["transfer-encoding"] != nil || (headers["content-length"].map { $0 != "0" } ?? false) {
            return .refused(status: 413, reason: "the run browser is read-only and takes no request body")
        }
        return .complete(RequestHead(method: String(words[0]), target: String(words[1]), version: String(words[2]), headers: headers),
                         length: headEnd + 4)
    }

    private static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// The index of `needle` in `bytes` at or after `start`, looking no further than `limit` bytes.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, upTo limit: Int) -> Int? {
        let last = min(bytes.count, limit) - needle.count
        guard start <= last else { return nil }
        var i = start
        while i <= last {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
