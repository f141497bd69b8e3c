/// `/trials`: the ledger's families of trials. `/trials?family=KEY` one family: how many
/// trials, how their Sharpe ratios spread, the best raw and deflated; with `run=ID`, where
/// that run sits among them.
struct TrialsPage {
    let store: any RunStore
    let results: RecentResults
    let request: WebRequest

    func render() throws -> String {
        guard let key = request.value("family") else { return try families() }
        return try family(key)
    }

    private func families() throws -> String {
        let esc = WebLayout.esc
        let all = try store.families()
        var body = "<h1>Trials</h1><p class=\"meta\">Every completed backtest is a trial; a family is the trials on the same data, universe, span and rebalance frequency. "
            + "Each run's deflated Sharpe ratio counts all the trials of its family.</p>"
        body += "<table id=\"families\"><thead><tr><th>Family</th><th class=\"left\">Universe, span, rebalance, data</th><th>Trials</th><th>Best Sharpe</th><th>Last trial</th></tr></thead><tbody>"
        for f in all {
            body += "<tr><td><a href=\"/trials?family=\(esc(f.key))\">\(esc(f.key))</a></td><td class=\"left\">\(esc(f.family.description))</td>"
                + "<td>\(f.trials)</td><td>\(WebLayout.num(f.bestAnnualSharpe))</td><td>\(esc(WebLayout.minute(f.lastRecorded)))</td></tr>"
        }
        if all.isEmpty { body += "<tr><td colspan=\"5\">No trials recorded in this store.</td></tr>" }
        return WebLayout.page(title: "Trials", store: store.location, body: body + "</tbody></table>")
    }

    private func family(_ key: String) throws -> String {
        let esc = WebLayout.esc
        let trials = try store.trials(family: key).sorted { !($0.annualSharpe <= $1.annualSharpe) }
        guard let best = trials.first else { throw WebError.notFound("no family of trials with key '\(key)' in this store") }
        let bestVerdict = TrialVerdict(best, family: trials)
        var body = "<p class=\"meta\"><a href=\"/trials\">Trials</a> / \(esc(key))</p><h1>Family \(esc(key))</h1>"
        body += "<p>\(esc(best.family.description)): <b>\(trials.count)</b> trials, \(Format.num(bestVerdict.effectiveTrials, "%.1f")) effective "
            + "(\(esc(TrialVerdict.effectiveFormula))).</p>"
        let stat = best.claim.statistic
        body += "<p id=\"best\">Best: <b>\(esc(best.name))</b>, \(stat) \(Format.num(best.annualSharpe)) a year raw, deflated "
            + "\(Format.num(bestVerdict.deflated, "%.3f")) (the probability that its true \(stat) beats the best of \(trials.count) lucky tries); "
            + "minimum backtest length \(Format.num(bestVerdict.minimumYears, "%.1f")) years, the trial has \(Format.num(bestVerdict.years, "%.1f")).</p>"
        if trials.count > 1 {
            let tests = FamilyTests(sample: best.sample, family: trials.map(\.sample))
            body += "<h2>Multiple-testing tests</h2><ul id=\"family-tests\">" + tests.lines.dropFirst().map { "<li>\(esc($0.trimmingCharacters(in: .whitespaces)))</li>" }.joined()
                + "</ul><p class=\"meta\">\(esc(tests.lines[0]))</p>"
        }
        var marked: (sharpe: Double, name: String)?
        if let id = try request.ids("run").first {
            let run = try results.outline(id)
            guard TrialFamily(result: run).key == key else { throw WebError.badRequest("run \(id) is not in family \(key)") }
            let trial = Trial(result: run, scriptHash: nil, user: "", host: "")
            let verdict = TrialVerdict(trial, family: trials)
            let above = trials.filter { $0.annualSharpe > trial.annualSharpe }.count
            marked = (trial.annualSharpe, "run \(id)")
            body += "<p id=\"chosen\">Run \(id) (\(esc(run.name))): \(trial.claim.statistic) \(Format.num(trial.annualSharpe)), rank \(above + 1) of \(trials.count), "
                + "deflated \(Format.num(verdict.deflated, "%.3f")).</p>"
        }
        body += "<h2>Ratios of the family (the claimed statistic, a year)</h2>" + histogram(trials.map(\.annualSharpe), marked: marked)
        // Each trial's runs in this store (a trial outlives its deleted runs).
        var familyRuns = RunFilter()
        familyRuns.family = key
        var runsByConfig: [String: [Int64]] = [:]
        for run in try store.list(familyRuns) { if let hash = run.configHash { runsByConfig[hash, default: []].append(run.id) } }
        body += "<table id=\"trials\"><thead><tr><th>Trial</th><th>Ratio</th><th>Periods</th><th class=\"left\">Runs</th><th class=\"left\">User</th>"
            + "<th class=\"left\">Recorded</th></tr></thead><tbody>"
        for t in trials {
            let runs = (runsByConfig[t.configHash] ?? []).sorted().map { "<a href=\"/runs/\($0)\">\($0)</a>" }.joined(separator: " ")
            body += "<tr><td>\(esc(t.name))</td><td>\(t.claim.abbreviation) \(WebLayout.num(t.annualSharpe))</td><td>\(t.periods)</td>"
                + "<td class=\"left\">\(runs.isEmpty ? "<span class=\"meta\">none kept</span>" : runs)</td>"
                + "<td class=\"left\">\(esc(t.user))@\(esc(t.host))</td><td class=\"left\">\(esc(WebLayout.minute(t.recordedAt)))</td></tr>"
        }
        return WebLayout.page(title: "Family \(key)", store: store.location, body: body + "</tbody></table>")
    }

    private func histogram(_ sharpes: [Double], marked: (sharpe: Double, name: String)?) -> String {
        guard sharpes.filter(\.isFinite).count > 1 else {
            return "<p class=\"meta\" id=\"no-histogram\">One trial so far: its spread needs more to show.</p>"
        }
        let values = sharpes.filter(\.isFinite) + (marked.map { [$0.sharpe] } ?? [])
        guard let low = values.min(), let high = values.max() else { return "" }
        // One bin when the Sharpe ratios (nearly) agree: twelve empty ones would say nothing.
        let bins = high - low < 1e-6 ? 1 : 12, width = max(high - low, 1e-9) / Double(bins)
        func bin(_ x: Double) -> Int { min(bins - 1, Int((x - low) / width)) }
        var counts = Array(repeating: 0.0, count: bins)
        for x in sharpes where x.isFinite { counts[bin(x)] += 1 }
        var series: [(name: String, values: [Double], color: String)] = [("trials", counts, SVGChart.palette[0])]
        if let marked, marked.sharpe.isFinite {
            var marker = Array(repeating: 0.0, count: bins)
            marker[bin(marked.sharpe)] = max(1, counts.max() ?? 1)
            series.append((marked.name, marker, SVGChart.palette[2]))
        }
        return SVGChart.bars(categories: (0..<bins).map { String(format: "%.2f", low + (Double($0) + 0.5) * width) }, series: series,
                             title: "Annualised Sharpe ratios of the family's trials", axis: SVGChart.count)
    }
}
