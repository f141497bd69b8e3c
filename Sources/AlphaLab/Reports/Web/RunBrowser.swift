import Foundation

/// The run browser behind `alphalab serve`: a run store's runs, comparisons and trials as
/// server-rendered pages. Read-only: nothing it answers changes the store. Independent of
/// any HTTP library, so the server that carries it stays a thin front end.
public final class RunBrowser: Sendable {
    public let store: any RunStore
    private let results: RecentResults

    public init(store: any RunStore) {
        self.store = store
        results = RecentResults(store: store)
    }

    /// The page for `request`: `/` the runs, `/runs/ID` a run (`/runs/ID/report` its
    /// report alone), `/compare?runs=ID,...` a comparison, `/trials` the families. A
    /// malformed query is a 400 and what is not there a 404, each a page with the reason;
    /// a store that fails is a 500 with its message, never a stack.
    public func respond(to request: WebRequest) -> WebResponse {
        do {
            let s = request.segments
            if s.isEmpty { return html(try RunsPage(store: store, request: request).render()) }
            if s.count == 2, s[0] == "runs" { return html(try RunPage(store: store, results: results, id: try runID(s[1]), request: request).render()) }
            if s.count == 3, s[0] == "runs", s[2] == "report" {
                let id = try runID(s[1])
                let result = try results.outline(id)
                return html(HTMLReport(title: "Run \(id): \(result.name)", results: [result]).render())
            }
            if s == ["compare"] { return html(try ComparePage(store: store, recent: results, request: request).render()) }
            if s == ["trials"] { return html(try TrialsPage(store: store, results: results, request: request).render()) }
            throw WebError.notFound("no page at /\(s.joined(separator: "/")): the pages are /, /runs/ID, /compare?runs=ID,ID and /trials")
        } catch let error as WebError {
            return WebLayout.error(error, store: store.location)
        } catch {
            return WebResponse(status: 500, body: WebLayout.page(title: "Error", store: store.location,
                                                                 body: "<h1>The store failed</h1><p class=\"error\">\(WebLayout.esc("\(error)"))</p>"))
        }
    }

    private func html(_ body: String) -> WebResponse { WebResponse(body: body) }

    private func runID(_ text: String) throws(WebError) -> Int64 {
        guard let id = Int64(text), id > 0 else { throw .badRequest("'\(text)' is not a run id (a whole number)") }
        return id
    }
}
