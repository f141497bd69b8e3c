import Foundation

/// `/runs/ID`: one run: its report (equity against SPY, drawdowns, yearly returns,
/// importance where kept), the per-period table, its verdict when one is kept, the
/// config, where it came from (the script's text and hash, arguments, versions, the
/// data's fingerprint) and the commands that rerun it and turn it into picks.
struct RunPage {
    let store: any RunStore
    let results: RecentResults
    let id: Int64
    let request: WebRequest

    func render() throws -> String {
        let esc = WebLayout.esc
        let page = try request.integer("periods", default: 1, in: 1...1_000_000), per = Self.periodsPerPage
        let (result, picks) = try results.outline(id, picksOf: (page - 1) * per..<page * per)
        var body = "<p class=\"meta\"><a href=\"/\">Runs</a> / run \(id)</p>"
        body += HTMLReport(title: "Run \(id): \(result.name)", results: [result]).body()
        body += "<p><a id=\"report-link\" href=\"/runs/\(id)/report\">The report alone (a page to save or send)</a> · "
            + "<a id=\"family-link\" href=\"/trials?family=\(TrialFamily(result: result).key)&amp;run=\(id)\">where it sits among its family's trials</a></p>"
        if let verdict = try store.verdict(id: id) {
            body += "<h2>Verdict: <span class=\"\(verdict.headline.rawValue)\">\(verdict.headline.rawValue)</span></h2><table><tbody>"
            for check in verdict.checks {
                body += "<tr><td>\(check.kind.rawValue)</td><td class=\"left\">\(check.outcome.rawValue)\(check.limited ? "*" : "")</td><td class=\"left\">\(esc(check.figure))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += try annotations()
        let origin = try store.provenance(id: id)
        body += "<h2>Commands</h2><pre id=\"commands\">" + commands(origin).map(esc).joined(separator: "\n") + "</pre>"
        body += config(result) + provenance(result, origin) + (try periods(result, page: page, picks: picks))
        return WebLayout.page(title: "Run \(id): \(result.name)", store: store.location, body: body)
    }

    /// The run's tags (each a link to the runs carrying it) and its notes, newest last.
    private func annotations() throws -> String {
        let esc = WebLayout.esc
        let all = try store.annotations(id: id)
        // The current tags: the history folded as the store keeps the run's column.
        let tags = RunSummary.tags(all.reduce(nil) { RunAnnotation.tagsColumn($0, applying: $1.kind, $1.text) })
        let notes = all.filter { $0.kind == .note }
        guard !tags.isEmpty || !notes.isEmpty else { return "" }
        var html = "<h2>Tags and notes</h2>"
        if !tags.isEmpty { html += "<p id=\"tags\">" + tags.map { "<a class=\"tag\" href=\"/?tag=\(esc($0))\">\(esc($0))</a>" }.joined(separator: " ") + "</p>" }
        for note in notes {
            html += "<div class=\"note\"><p class=\"meta\">\(esc(note.user)), \(esc(WebLayout.minute(note.createdAt)))</p>"
                + "<p>\(esc(note.text).replacingOccurrences(of: "\n", with: "<br>"))</p></div>"
        }
        return html
    }

    /// The commands that rerun the run and ask for its picks and verdict, ready to paste:
    /// from the folder the script ran in, on the data it ran on (when the run kept it).
    private func commands(_ origin: RunProvenance?) -> [String] {
        let location = store.location
        let absolute = location.contains("://") || location.hasPrefix("/") ? location
            : URL(fileURLWithPath: location, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        let runs = Self.shellWord(absolute)
        let data = origin?.dataOptions.map { $0.map(Self.shellWord).joined(separator: " ") } ?? "[data options]"
        var lines = origin.map { ["cd \(Self.shellWord($0.workingDirectory))"] } ?? []
        lines += ["alphalab rerun \(id) --runs \(runs)    # run it again and compare every figure",
                  "alphalab picks --run \(id) --runs \(runs) \(data)    # what it buys at the next open",
                  "alphalab verdict --run \(id) --runs \(runs) \(data)    # does it really work?"]
        if origin?.dataOptions == nil {
            lines.append("# [data options]: the run did not keep the data it ran on (\(origin == nil ? "recorded without a script" : "data opened in a way no command-line option says")); give the same --csv, --store or --seed")
        }
        return lines
    }

    /// `text` as one word of a POSIX shell: as is when it holds nothing the shell reads, else single-quoted.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_./:=@%+,-".unicodeScalars.contains($0)) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func config(_ result: ExperimentResult) -> String {
        let defaults = ExperimentConfig().values
        var html = "<h2>Config</h2><table id=\"config\"><thead><tr><th>Field</th><th class=\"left\">Value</th><th class=\"left\">Default</th></tr></thead><tbody>"
        for field in ExperimentConfig.fields {
            let value = field.value(in: result.config)
            let changed = defaults[field.key] != value
            html += "<tr\(changed ? " class=\"best\"" : "")><td>\(field.key)</td><td class=\"left\">\(WebLayout.esc(value.display))</td>"
                + "<td class=\"left\">\(changed ? WebLayout.esc(defaults[field.key]?.display ?? "") : "")</td></tr>"
        }
        return html + "</tbody></table>"
    }

    private func provenance(_ result: ExperimentResult, _ origin: RunProvenance?) -> String {
        let esc = WebLayout.esc
        var html = "<h2>Provenance</h2><table><tbody><tr><td>data fingerprint</td><td class=\"left\">\(esc(result.dataFingerprint))</td></tr>"
        let span = [result.startDate, result.endDate].compactMap { $0?.description }.joined(separator: " .. ")
        let names = result.universeSize.map { size in
            "\(size.tickers) names in \(size.universe)\(size.limit.map { " (--limit kept \($0.kept) of \($0.available))" } ?? "")"
        }
        html += "<tr><td>data</td><td class=\"left\">\(esc([origin?.dataOptions.map { $0.isEmpty ? "the embedded synthetic market" : $0.joined(separator: " ") } ?? "not kept", names, span.isEmpty ? nil : span].compactMap { $0 }.joined(separator: "; ")))</td></tr>"
        guard let origin else {
            return html + "</tbody></table><p class=\"meta\">Recorded without a script (the REPL): it cannot be rerun.</p>"
        }
        let rows = [("script", origin.scriptPath ?? "-e chunk"), ("script hash", origin.scriptHash), ("arguments", origin.arguments.joined(separator: " ")),
                    ("working folder", origin.workingDirectory), ("run of the script", String(origin.sequence)),
                    ("AlphaLab", origin.alphalabVersion), ("XGBoost", origin.xgboostVersion), ("recorded by", "\(origin.user ?? "?")@\(origin.host ?? "?")")]
        html += rows.map { "<tr><td>\($0.0)</td><td class=\"left\">\(esc($0.1))</td></tr>" }.joined() + "</tbody></table>"
        return html + "<h3>Script</h3><pre id=\"script\">\(esc(origin.scriptText))</pre>"
    }

    /// Decision periods shown on one page of the table (a ten-year weekly run has 521).
    static let periodsPerPage = 52

    /// The periods, a page at a time (`?periods=N`), so that a long weekly run's page stays
    /// small: `result` is an outline, `picks` the shown periods' picks.
    private func periods(_ result: ExperimentResult, page: Int, picks: [[ExperimentResult.Pick]]) throws(WebError) -> String {
        let all = result.periods, per = Self.periodsPerPage
        let pageCount = max(1, (all.count + per - 1) / per)
        guard page <= pageCount else { throw .notFound("no page \(page) of periods: the run's \(all.count) periods make \(pageCount) pages of \(per)") }
        let shown = all[min(all.count, (page - 1) * per)..<min(all.count, page * per)]
        var html = "<h2 id=\"periods-heading\">Periods</h2>"
        if pageCount > 1 {
            html += "<p class=\"pages\">Periods \((page - 1) * per + 1)-\((page - 1) * per + shown.count) of \(all.count)"
            if page > 1 { html += " <a href=\"?periods=\(page - 1)#periods-heading\" rel=\"prev\">earlier</a>" }
            if page < pageCount { html += " <a href=\"?periods=\(page + 1)#periods-heading\" rel=\"next\">later</a>" }
            html += "</p>"
        }
        html += "<table id=\"periods\"><thead><tr><th>Decision</th><th>Exit</th><th>Return</th><th>SPY</th><th>Equity</th>"
            + "<th>Turnover</th><th>Costs</th><th class=\"left\">Picks</th></tr></thead><tbody>"
        for (p, held) in zip(shown, picks) {
            let picks = p.cashReason.map { "cash: \($0.rawValue)" } ?? held.map(\.ticker).joined(separator: " ")
            html += "<tr><td>\(p.date)</td><td>\(p.exitDate)</td><td>\(WebLayout.pct(p.netReturn))</td><td>\(WebLayout.pct(p.spyReturn))</td>"
                + "<td>\(String(format: "%.0f", p.equity))</td><td>\(WebLayout.rate(p.turnover))</td><td>\(String(format: "%.0f", p.costs))</td>"
                + "<td class=\"left\">\(WebLayout.esc(picks))</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
