/// `/`: the store's runs as a table with their headline figures and the deflated Sharpe
/// ratio against each run's family in the ledger, filtered, sorted by any column and paged;
/// every choice in the query string, so the page's URL can be sent to a colleague.
struct RunsPage {
    let store: any RunStore
    let request: WebRequest

    /// The query parameters the page reads (the only ones its links carry on).
    static let parameters: Set<String> = ["name", "script", "user", "since", "until", "universe", "execution", "timing", "tag", "sort", "dir", "per", "page"]

    /// The filter the query asks for (a 400 names a malformed parameter).
    func filter() throws(WebError) -> RunFilter {
        for item in request.query where Self.parameters.contains(item.name) && item.value.count > 200 {
            throw .badRequest("'\(item.name)' is \(item.value.count) characters long; a filter has at most 200")
        }
        if let execution = request.value("execution"), ExecutionModel(rawValue: execution) == nil {
            throw .badRequest("'execution' must be one of \(ExecutionModel.allCases.map(\.rawValue).joined(separator: ", ")), got '\(execution)'")
        }
        if let timing = request.value("timing"), SignalTiming(rawValue: timing) == nil {
            throw .badRequest("'timing' must be prior_close or same_day_close, got '\(timing)'")
        }
        var filter = RunFilter()
        filter.name = request.value("name").map { "%\($0)%" }
        filter.script = request.value("script").map { "%\($0)%" }
        filter.user = request.value("user")
        filter.since = try request.date("since")
        filter.until = try request.date("until")
        filter.universe = request.value("universe")
        filter.execution = request.value("execution")
        filter.timing = request.value("timing")
        if let tag = request.value("tag") {
            do { try RunAnnotation.check(.tag, tag) } catch { throw .badRequest("'tag': \(error)") }
            filter.tag = tag
        }
        if let sort = request.value("sort") {
            guard Self.sortKeys.contains(sort) else {
                throw .badRequest("'sort' must be one of \(Self.sortKeys.joined(separator: ", ")), got '\(sort)'")
            }
            // The deflated Sharpe ratio is no column: the page ranks it (``page(_:total:)``).
            if sort != Self.deflatedKey { filter.orderBy = sort }
        }
        if let direction = request.value("dir") {
            guard direction == "asc" || direction == "desc" else { throw .badRequest("'dir' must be asc or desc, got '\(direction)'") }
            filter.descending = direction == "desc"
        }
        filter.limit = try request.integer("per", default: 50, in: 1...500)
        filter.offset = (try request.integer("page", default: 1, in: 1...1_000_000) - 1) * filter.limit
        return filter
    }

    func render() throws -> String {
        let filter = try filter()
        let total = try store.count(filter)
        let pageCount = max(1, (total + filter.limit - 1) / filter.limit)
        if filter.offset / filter.limit + 1 > pageCount {
            throw WebError.notFound("no page \(filter.offset / filter.limit + 1): \(total) run\(total == 1 ? "" : "s") make \(pageCount) page\(pageCount == 1 ? "" : "s") of \(filter.limit)")
        }
        let runs = try page(filter, total: total)
        var body = "<h1>Runs</h1>" + form()
        body += "<form id=\"compare-form\" action=\"/compare\" method=\"get\"><p><button id=\"compare-button\" type=\"submit\">Compare selected</button> "
            + "<span class=\"meta\">\(total) run\(total == 1 ? "" : "s") match</span></p>"
        body += "<div class=\"wide\"><table id=\"runs\"><thead><tr><th></th>"
            + Self.columns.map(header).joined() + "</tr></thead><tbody>"
        for (run, verdict) in runs { body += row(run, deflated: verdict) }
        body += "</tbody></table></div></form>" + pages(total: total, filter: filter)
        return WebLayout.page(title: "Runs", store: store.location, body: body)
    }

    /// The sort key of the deflated Sharpe ratio, and every key `sort` takes.
    static let deflatedKey = "dsr"
    static let sortKeys = RunFilter.orders.map(\.key) + RunFilter.orderAliases.keys.sorted() + [deflatedKey]

    /// The runs of the page `filter` asks for, each with its trial judged against its family.
    /// Runs of one config share their trial: judged once. Ranked by the deflated Sharpe
    /// ratio, which moves as a family grows and so is no stored column, every matching run
    /// is judged (each family's samples read once) and the ranking paged here: highest
    /// first, runs without a trial last, ties newest first.
    private func page(_ filter: RunFilter, total: Int) throws -> [(RunSummary, TrialVerdict?)] {
        guard request.value("sort") == Self.deflatedKey else {
            var judged: [String: TrialVerdict?] = [:]
            return try store.list(filter).map { run in
                guard let family = run.family, let hash = run.configHash else { return (run, nil) }
                if let known = judged[family + " " + hash] { return (run, known) }
                let verdict = try store.judge(configHash: hash, family: family)
                judged[family + " " + hash] = verdict
                return (run, verdict)
            }
        }
        var all = filter
        (all.orderBy, all.descending, all.offset, all.limit) = ("id", true, 0, max(total, 1))
        let runs = try store.list(all)
        var verdicts: [String: TrialVerdict] = [:]
        for family in Set(runs.compactMap(\.family)) {
            let samples = try store.samples(family: family)
            let moments = FamilyMoments(samples)
            for sample in samples { verdicts[family + " " + sample.configHash] = TrialVerdict(sample: sample, moments: moments, includesSample: true) }
        }
        let judged = runs.map { run in (run, run.family.flatMap { family in run.configHash.flatMap { verdicts[family + " " + $0] } }) }
        let descending = request.value("dir").map { $0 == "desc" } ?? true
        // A stable sort on runs listed newest first keeps ties newest first.
        let ranked = judged.enumerated().sorted { a, b in
            func value(_ v: TrialVerdict?) -> Double? { v.flatMap { $0.deflated.isFinite ? $0.deflated : nil } }
            switch (value(a.element.1), value(b.element.1)) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        return Array(ranked.dropFirst(filter.offset).prefix(filter.limit))
    }

    /// The stored figures the list shows (those with a header), in ``ResultField/all``'s order.
    static let figureColumns = ResultField.columns.filter { $0.column?.header != nil }

    /// The table's columns: header, sort key (nil: not sortable), and whether it holds text
    /// (aligned left, figures right, headers with their cells): the run's, every listed
    /// figure, then its deflated Sharpe ratio, universe and verdict.
    static let columns: [(header: String, sort: String?, left: Bool)] =
        [("Run", "id", false), ("Name", "name", true), ("Strategy", nil, true), ("Tags", nil, true), ("Recorded", "created", true), ("User", "user", true)]
        + figureColumns.map { ($0.column!.header!, $0.key, $0.column!.style == .text) }
        + [("Deflated Sharpe (trials)", deflatedKey, false), ("Universe", "universe", true), ("Verdict", "verdict", true)]

    private func header(_ column: (header: String, sort: String?, left: Bool)) -> String {
        let open = column.left ? "<th class=\"left\">" : "<th>"
        guard let key = column.sort else { return open + "\(column.header)</th>" }
        let current = (request.value("sort") ?? "created") == key
        let descending = request.value("dir").map { $0 == "desc" } ?? RunFilter.orders.first { $0.key == key }?.descending ?? true
        let next = current ? (descending ? "asc" : "desc") : nil
        let arrow = current ? (descending ? " ▼" : " ▲") : ""
        return open + "<a href=\"\(WebLayout.esc(request.link("/", known: Self.parameters, ["sort": key, "dir": next, "page": nil])))\">\(column.header)\(arrow)</a></th>"
    }

    private func row(_ r: RunSummary, deflated: TrialVerdict?) -> String {
        let esc = WebLayout.esc
        let dsr = deflated.map { v in
            "<a href=\"/trials?family=\(esc(r.family ?? ""))&amp;run=\(r.id)\">\(Format.num(v.deflated, "%.2f")) (\(v.trials))</a>"
        } ?? ""
        let verdict = r.verdict.map { "<span class=\"\(esc($0))\">\(esc($0))</span>" } ?? ""
        let tags = r.tags.map { "<a class=\"tag\" href=\"/?tag=\(esc($0))\">\(esc($0))</a>" }.joined(separator: " ")
        let strategy = (r.strategy.map(esc) ?? "") + (r.parameters.map { $0.isEmpty ? "" : "<br><span class=\"meta params\">\(esc($0))</span>" } ?? "")
        let cells = ["<a href=\"/runs/\(r.id)\">\(r.id)</a>", esc(r.name), strategy, tags, esc(WebLayout.minute(r.createdAt)), esc(r.user ?? "")]
            + Self.figureColumns.map { esc($0.column!.format(r.figures[$0.key])) } + [dsr, esc(r.universe ?? ""), verdict]
        return "<tr><td><input type=\"checkbox\" name=\"runs\" value=\"\(r.id)\" aria-label=\"select run \(r.id)\"></td>"
            + zip(cells, Self.columns).map { "<td\($0.1.left ? " class=\"left\"" : "")>\($0.0)</td>" }.joined() + "</tr>"
    }

    /// The filter form: a GET to `/`, so the filtered list has a URL.
    private func form() -> String {
        let esc = WebLayout.esc
        func field(_ name: String, _ label: String, type: String = "text") -> String {
            "<label>\(label) <input type=\"\(type)\" name=\"\(name)\" value=\"\(esc(request.value(name) ?? ""))\"></label>"
        }
        func choice(_ name: String, _ label: String, _ options: [String]) -> String {
            "<label>\(label) <select name=\"\(name)\"><option value=\"\">any</option>"
                + options.map { "<option\(request.value(name) == $0 ? " selected" : "")>\(esc($0))</option>" }.joined() + "</select></label>"
        }
        var html = "<form class=\"filters\" id=\"filters\" method=\"get\" action=\"/\">"
        html += field("name", "Name") + field("script", "Script") + field("user", "User") + field("since", "From", type: "date")
            + field("until", "To", type: "date") + field("universe", "Universe") + field("tag", "Tag")
        html += choice("execution", "Execution", ExecutionModel.allCases.map(\.rawValue))
        html += choice("timing", "Timing", [SignalTiming.priorClose.rawValue, SignalTiming.sameDayClose.rawValue])
        for kept in ["sort", "dir", "per"] { if let v = request.value(kept) { html += "<input type=\"hidden\" name=\"\(kept)\" value=\"\(esc(v))\">" } }
        return html + "<button type=\"submit\">Filter</button> <a href=\"/\">clear</a></form>"
    }

    private func pages(total: Int, filter: RunFilter) -> String {
        let count = max(1, (total + filter.limit - 1) / filter.limit), page = filter.offset / filter.limit + 1
        guard count > 1 else { return "" }
        var html = "<p class=\"pages\">Page \(page) of \(count)"
        if page > 1 { html += " <a href=\"\(WebLayout.esc(request.link("/", known: Self.parameters, ["page": String(page - 1)])))\" rel=\"prev\">previous</a>" }
        if page < count { html += " <a href=\"\(WebLayout.esc(request.link("/", known: Self.parameters, ["page": String(page + 1)])))\" rel=\"next\">next</a>" }
        return html + "</p>"
    }
}
