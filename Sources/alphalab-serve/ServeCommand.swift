import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab serve` (the `alphalab-serve` program): the team's runs, comparisons and
/// trials in a browser, read-only.
@main
struct ServeCommand: ParsableCommand {
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

        Limits: a request line of 8 kB (414 beyond), 16 kB of headers (431), no request
        body (413), --read-timeout for the whole head (408), 256 connections open (503).
        """)

    @Option(help: "The run store: a SQLite file or a postgres://user@host:port/db URL (default $ALPHALAB_RUNS, else results/runs.db).")
    var runs: String?
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "The port (0: any free port; the one chosen is printed).")
    var port: UInt16 = 8765
    @Option(help: "The token required off the loopback address (default $ALPHALAB_TOKEN).")
    var token: String?
    @Option(help: ArgumentHelp("Seconds a client has to send a request's head; a slower one gets 408.", valueName: "SECONDS"))
    var readTimeout = 10.0

    static func isLoopback(_ host: String) -> Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let token = self.token ?? environment["ALPHALAB_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if !Self.isLoopback(host), token == nil {
            throw ValidationError("serving on \(host) lets other machines read the store: give a token (--token or ALPHALAB_TOKEN)")
        }
        if let token, token.count < 16 { throw ValidationError("the token must be at least 16 characters, got \(token.count)") }
        let location = runs ?? RunStores.defaultLocation()
        let store = try RunStores.open(location)
        let gate = Gatekeeper(token: token)
        let handler = BrowserHandler(browser: RunBrowser(store: store), gate: gate)
        guard readTimeout > 0 else { throw ValidationError("--read-timeout must be above 0 seconds") }
        var limits = RequestLimits()
        limits.headSeconds = readTimeout
        let server = try GuardedServer(host: host, port: port, limits: limits) { handler.respond(to: $0) }
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)"
        var lines = ["alphalab serve: \(RunStores.redacted(store.location)) (\(try store.count()) runs) at \(base)/"]
        lines.append(token != nil ? "alphalab serve: a token is required on \(host); sign this browser in once with \(base)/login?code=\(gate.code)"
                                  : "alphalab serve: loopback only, no token")
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        server.run()
    }
}

/// Every request goes through the gate, then to the run browser; only GET and HEAD.
struct BrowserHandler: Sendable {
    let browser: RunBrowser
    let gate: Gatekeeper

    func respond(to request: RequestHead) -> GuardedServer.Response {
        guard request.method == "GET" || request.method == "HEAD" else {
            return page(405, "The run browser is read-only: \(request.method) is not allowed.", headers: [("Allow", "GET, HEAD")])
        }
        guard let web = WebRequest(checking: request.target) else {
            return page(400, "The address holds a control character or bytes that are not UTF-8 once decoded.")
        }
        if web.segments == ["login"] {
            guard gate.signIn(code: web.value("code") ?? "") else { return page(403, "This sign-in link is wrong or was used already: ask for the token.") }
            return GuardedServer.Response(status: 303, headers: [
                ("Location", "/"), ("Set-Cookie", "\(Gatekeeper.cookieName)=\(gate.token!); Path=/; HttpOnly; SameSite=Strict"),
            ])
        }
        guard gate.admits(authorization: request.headers["authorization"], tokenHeader: request.headers["x-alphalab-token"],
                          cookie: request.headers["cookie"]) else {
            return page(401, "This server needs its token: send it as Authorization: Bearer TOKEN or X-AlphaLab-Token, or open the sign-in link printed at start.")
        }
        let response = browser.respond(to: web)
        return GuardedServer.Response(status: response.status, headers: [("Content-Type", response.contentType), ("Cache-Control", "no-store")],
                                      body: Data(response.body.utf8))
    }

    private func page(_ status: Int, _ message: String, headers: [(String, String)] = []) -> GuardedServer.Response {
        GuardedServer.Response(status: status, headers: headers + [("Content-Type", "text/html; charset=utf-8")],
                               body: Data(ErrorPage.html(status: status, message: message).utf8))
    }
}
