import Foundation

/// A GET request to the run browser, independent of any HTTP server: the path's segments
/// and the query's items, percent-decoded.
public struct WebRequest: Sendable {
    /// The path's segments: `/runs/3` is `["runs", "3"]`.
    public var segments: [String]
    public var query: [(name: String, value: String)]

    /// The request for `target`, a path with an optional query (`/compare?runs=1,2`).
    public init(target: String) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        segments = parts[0].split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        query = parts.count > 1 ? Self.parseQuery(String(parts[1])) : []
    }

    /// The request for `target` as a server reads it off the wire, or nil when a decoded
    /// segment or query item is not UTF-8 or holds a control character (a NUL written as
    /// `%00` must not reach a page).
    public init?(checking target: String) {
        func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
            let spaced = plusIsSpace ? text.replacingOccurrences(of: "+", with: " ") : String(text)
            guard let decoded = spaced.removingPercentEncoding,
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
            return decoded
        }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var segments: [String] = []
        for raw in parts[0].split(separator: "/") {
            guard let segment = decode(raw, plusIsSpace: false) else { return nil }
            segments.append(segment)
        }
        var query: [(name: String, value: String)] = []
        for item in parts.count > 1 ? parts[1].split(separator: "&") : [] {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pair[0], plusIsSpace: true), let value = pair.count > 1 ? decode(pair[1], plusIsSpace: true) : "" else { return nil }
            query.append((name, value))
        }
        self.segments = segments
        self.query = query
    }

    /// The request for a decoded `path` and query items (as an HTTP library parses them).
    public init(path: String, query: [(name: String, value: String)]) {
        segments = path.split(separator: "/").map(String.init)
        self.query = query
    }

    /// `a=1&b=x+y` as name-value pairs (`+` is a space, as forms send it).
    public static func parseQuery(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// The last non-empty value of `name`.
    public func value(_ name: String) -> String? { query.last { $0.name == name && !$0.value.isEmpty }?.value }

    /// Every value of `name`, each split at commas (`runs=1,2&runs=3`).
    public func list(_ name: String) -> [String] {
        query.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }
}

/// What the run browser answers: a status, a content type and a body.
public struct WebResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int = 200, contentType: String = "text/html; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// A request the browser refuses: a 400 for a malformed query, a 404 for what is not there.
public struct WebError: Error, Equatable {
    public var status: Int
    public var message: String

    public static func badRequest(_ message: String) -> WebError { WebError(status: 400, message: message) }
    public static func notFound(_ message: String) -> WebError { WebError(status: 404, message: message) }
}

/// Reading typed values from a request, with a 400 naming the parameter when malformed.
extension WebRequest {
    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(WebError) -> Int {
        guard let text = value(name) else { return fallback }
        guard let n = Int(text), range.contains(n) else {
            throw .badRequest("'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return n
    }

    func date(_ name: String) throws(WebError) -> String? {
        guard let text = value(name) else { return nil }
        guard Day(text) != nil else { throw .badRequest("'\(name)' must be a date YYYY-MM-DD, got '\(text)'") }
        return text
    }

    /// The run ids of `name` (`runs=1,2`), each a positive integer.
    func ids(_ name: String) throws(WebError) -> [Int64] {
        var ids: [Int64] = []
        for text in list(name) {
            guard let id = Int64(text), id > 0 else { throw .badRequest("'\(name)' must list run ids (whole numbers), got '\(text)'") }
            ids.append(id)
        }
        return ids
    }

    /// The query's `known` parameters with `changes` applied (nil removes), as a query string
    /// for links: a parameter the page does not know is not copied into every link.
    func link(_ path: String, known: Set<String>, _ changes: [String: String?]) -> String {
        var items = query.filter { known.contains($0.name) && changes[$0.name] == nil && !$0.value.isEmpty }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { if let value = value { items.append((name, value)) } }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~,"))
        let text = items.map { "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return text.isEmpty ? path : path + "?" + text
    }
}
