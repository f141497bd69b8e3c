import AlphaLab
import ArgumentParser
import FlyingFox
import FlyingSocks
import Foundation

/// `alphalab serve` (the `alphalab-serve` program): the team's runs, comparisons and
/// trials in a browser, read-only.
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alphalab serve",
        abstract: "Serve a run store's runs, comparisons and trials to a browser (read-only).",
        discussion: """
        Pages: / the runs (filters, sort and paging in the query string), /runs/ID a run,
        /compare?runs=ID,ID,... 2 to 10 runs side by side, /trials the ledger's families.
        On 127.0.0.1 (the default) anyone on this machine may read; on another address a
        token is required (--token or ALPHALAB_TOKEN): send it as `Authorization: Bearer
        TOKEN` or `X-AlphaLab-Token`, or open the one-time sign-in URL printed at start,
        which sets it as a cookie in that browser.
        """)

    @Option(help: "The run store: a SQLite file or a postgres://user@host:port/db URL (default $ALPHALAB_RUNS, else results/runs.db).")
    var runs: String?
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "The port (0: any free port; the one chosen is printed).")
    var port: UInt16 = 8765
    @Option(help: "The token required off the loopback address (default $ALPHALAB_TOKEN).")
    var token: String?

    static func isLoopback(_ host: String) -> Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let token = self.token ?? environment["ALPHALAB_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if !Self.isLoopback(host), token == nil {
            throw ValidationError("serving on \(host) lets other machines read the store: give a token (--token or ALPHALAB_TOKEN)")
        }
        if let token, token.count < 16 { throw ValidationError("the token must be at least 16 characters, got \(token.count)") }
        let location = runs ?? RunStores.defaultLocation()
        let store = try RunStores.open(location)
        let gate = Gatekeeper(token: token)
        let address: any SocketAddress = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: port)
            : try sockaddr_in.inet(ip4: host == "localhost" ? "127.0.0.1" : host, port: port)
        let server = HTTPServer(address: address, logger: .disabled, handler: BrowserHandler(browser: RunBrowser(store: store), gate: gate))
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        let actual: UInt16 = switch await server.listeningAddress {
        case .ip4(_, let p)?, .ip6(_, let p)?: p
        default: port
        }
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(actual)"
        var lines = ["alphalab serve: \(RunStores.redacted(store.location)) (\(try store.count()) runs) at \(base)/"]
        lines.append(token != nil ? "alphalab serve: a token is required on \(host); sign this browser in once with \(base)/login?code=\(gate.code)"
                                  : "alphalab serve: loopback only, no token")
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try await task.value
    }
}

/// Every request goes through the gate, then to the run browser; only GET and HEAD.
struct BrowserHandler: HTTPHandler {
    let browser: RunBrowser
    let gate: Gatekeeper

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return page(405, "The run browser is read-only: \(request.method.rawValue) is not allowed.", headers: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        if request.path == "/login" {
            let code = request.query.first { $0.name == "code" }?.value ?? ""
            guard gate.signIn(code: code) else { return page(403, "This sign-in link is wrong or was used already: ask for the token.") }
            return HTTPResponse(statusCode: .seeOther, headers: [
                .location: "/", .setCookie: "\(Gatekeeper.cookieName)=\(gate.token!); Path=/; HttpOnly; SameSite=Strict",
            ])
        }
        guard gate.admits(authorization: request.headers[.authorization], tokenHeader: request.headers[HTTPHeader("X-AlphaLab-Token")],
                          cookie: request.headers[.cookie]) else {
            return page(401, "This server needs its token: send it as Authorization: Bearer TOKEN or X-AlphaLab-Token, or open the sign-in link printed at start.")
        }
        let response = browser.respond(to: WebRequest(path: request.path, query: request.query.map { ($0.name, $0.value) }))
        let body = Data(response.body.utf8)
        // The body in one write: in 4 KB pieces, each waits on the client's delayed ACK
        // (Nagle's algorithm; FlyingFox does not set TCP_NODELAY), about 40 ms a page.
        return HTTPResponse(statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)),
                            headers: [.contentType: response.contentType, HTTPHeader("Cache-Control"): "no-store"],
                            body: HTTPBodySequence(data: body, suggestedBufferSize: max(4096, body.count)))
    }

    static func phrase(_ status: Int) -> String {
        [200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
         500: "Internal Server Error"][status] ?? "Status"
    }

    private func page(_ status: Int, _ message: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all[.contentType] = "text/html; charset=utf-8"
        let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(status)</title></head><body><h1>\(Self.phrase(status))</h1><p>\(SVGChart.escape(message))</p></body></html>"
        return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: Self.phrase(status)), headers: all, body: Data(body.utf8))
    }
}
