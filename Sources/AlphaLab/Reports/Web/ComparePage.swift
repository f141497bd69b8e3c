/// `/compare?runs=ID,ID,...`: 2 to 10 runs side by side: by default only the config fields
/// that differ (`all=1` shows every field), the metric table, equity and drawdown curves
/// overlaid, and the yearly returns side by side.
struct ComparePage {
    let store: any RunStore
    let recent: RecentResults
    let request: WebRequest

    func render() throws -> String {
        var ids: [Int64] = []
        for id in try request.ids("runs") where !ids.contains(id) { ids.append(id) }
        guard (2...10).contains(ids.count) else {
            throw WebError.badRequest("compare takes 2 to 10 different runs (/compare?runs=ID,ID), got \(ids.count)")
        }
        let results = try ids.map { id in
            var r = try recent.outline(id)
            r.name = "\(id): \(r.name)" // names repeat across runs; ids do not
            return r
        }
        let showAll = request.value("all") == "1"
        var body = "<p class=\"meta\"><a href=\"/\">Runs</a> / compare</p><h1>Compare runs \(ids.map(String.init).joined(separator: ", "))</h1>"
        body += "<p>" + ids.map { "<a href=\"/runs/\($0)\">run \($0)</a>" }.joined(separator: " · ") + "</p>"
        body += spanWarning(results) + config(results, showAll: showAll)
        let report = HTMLReport(title: "", results: results)
        body += "<h2>Metrics</h2>" + report.summaryTable()
        body += "<div id=\"curves\">" + report.curves() + "</div>"
        body += yearly(results)
        return WebLayout.page(title: "Compare " + ids.map(String.init).joined(separator: ", "), store: store.location, body: body)
    }

    private func config(_ results: [ExperimentResult], showAll: Bool) -> String {
        let esc = WebLayout.esc
        let fields = ExperimentConfig.fields.filter { $0.key != "name" }
        let differing = fields.filter { field in Set(results.map { field.value(in: $0.config).display }).count > 1 }
        let shown = showAll ? fields : differing
        let toggle = showAll ? "<a id=\"toggle-fields\" href=\"\(esc(request.link("/compare", known: ["runs", "all"], ["all": nil])))\">only what differs</a>"
                             : "<a id=\"toggle-fields\" href=\"\(esc(request.link("/compare", known: ["runs", "all"], ["all": "1"])))\">show all \(fields.count) fields</a>"
        var html = "<h2>Config</h2><p>\(differing.count) of \(fields.count) fields differ; \(toggle)</p>"
        html += "<table id=\"config-diff\"><thead><tr><th>Field</th>" + results.map { "<th class=\"left\">\(esc($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for field in shown {
            let values = results.map { field.value(in: $0.config).display }
            let differs = Set(values).count > 1
            html += "<tr\(differs ? " class=\"best differs\"" : "")><td>\(field.key)</td>" + values.map { "<td class=\"left\">\(esc($0))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// A warning when the runs do not cover the same periods: their totals, ratios and "best"
    /// then compare different stretches of the market.
    private func spanWarning(_ results: [ExperimentResult]) -> String {
        let spans = results.map { r in "\(r.startDate?.description ?? "-") .. \(r.endDate?.description ?? "-"), \(r.periods.count) periods" }
        guard Set(spans).count > 1 else { return "" }
        return "<p class=\"warning\" id=\"span-warning\">These runs cover different periods, so their figures (and the best Sharpe) compare "
            + "different stretches of the market: " + zip(results, spans).map { "\(WebLayout.esc($0.name)) \($1)" }.joined(separator: "; ") + ".</p>"
    }

    private func yearly(_ results: [ExperimentResult]) -> String {
        let years = Array(Set(results.flatMap(\.yearlyReturns.keys))).sorted()
        var html = "<h2>Returns by year</h2><table id=\"years\"><thead><tr><th>Year</th>"
            + results.map { "<th>\(WebLayout.esc($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for year in years {
            html += "<tr><td>\(year)</td>" + results.map { "<td>\(WebLayout.pct($0.yearlyReturns[year] ?? .nan))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
