/// The risk attribution of each run that has one (``RiskAttribution``), as a report
/// section: predicted against realised risk, each factor's mean exposure, contribution to
/// return and share of predicted risk, the book's style exposures over time and the
/// cumulative contributions, as SVG.
enum AttributionSection {
    /// Points a chart's line draws at most (about).
    static let chartPoints = 130

    static func html(_ results: [ExperimentResult]) -> String {
        results.count == 1 ? single(results[0]) : table(results)
    }

    /// Several runs: one row each (risks, the specific share, each factor's contribution).
    static func table(_ results: [ExperimentResult]) -> String {
        let attributed = results.filter { $0.attribution != nil }
        guard let factors = attributed.first?.attribution?.factors else { return "" }
        let esc = SVGChart.escape
        var body = "<h2>Risk attribution</h2><p class=\"meta\">Under AlphaLab's risk model: predicted and realised risk a year, the specific "
            + "part's share of predicted risk, and each factor's contribution to return (the target weights' from each scoring close, before costs).</p>"
        body += "<table class=\"attribution\"><thead><tr><th class=\"left\">Run</th><th>Predicted risk</th><th>Realised risk</th><th>Specific share</th>"
            + factors.map { "<th>\(esc($0))</th>" }.joined() + "<th>specific</th></tr></thead><tbody>"
        for r in attributed {
            let a = r.attribution!
            body += "<tr><td class=\"left\">\(esc(r.name))</td><td>\(Format.rate(a.predictedRisk))</td><td>\(Format.rate(a.realisedRisk))</td>"
                + "<td>\(Format.rate(a.meanSpecificShare))</td>" + a.contributions.map { "<td>\(Format.pct($0))</td>" }.joined()
                + "<td>\(Format.pct(a.specificReturn))</td></tr>"
        }
        return body + "</tbody></table>"
    }

    /// One run: the summary, the factor table and the two charts.
    static func single(_ r: ExperimentResult) -> String {
        guard let a = r.attribution else { return "" }
        return single(a, title: "Risk attribution: \(r.name)", book: "the target weights' from each scoring close, before costs")
    }

    /// One attribution under `title`: the summary, the factor table and the two charts;
    /// `book` says whose returns they are.
    static func single(_ a: RiskAttribution, title: String, book: String) -> String {
        let esc = SVGChart.escape
        var body = "<h2>\(esc(title))</h2><p class=\"meta\">"
            + "Under AlphaLab's risk model (style factors and sectors, point-in-time): predicted risk \(Format.rate(a.predictedRisk)) a year, "
            + "realised \(Format.rate(a.realisedRisk)), over \(a.periods.count) periods. Returns are \(esc(book)); the sectors count as one factor.</p>"
        body += "<table class=\"attribution\"><thead><tr><th class=\"left\">Factor</th><th>Mean exposure</th><th>Contribution to return</th>"
            + "<th>Share of predicted risk</th></tr></thead><tbody>"
        let exposures = a.meanExposures, contributions = a.contributions, shares = a.meanRiskShares
        for (i, factor) in a.factors.enumerated() {
            body += "<tr><td class=\"left\">\(esc(factor))</td><td>\(Format.num(exposures[i], "%+.2f"))</td><td>\(Format.pct(contributions[i]))</td>"
                + "<td>\(Format.rate(shares[i]))</td></tr>"
        }
        body += "<tr><td class=\"left\">specific</td><td></td><td>\(Format.pct(a.specificReturn))</td><td>\(Format.rate(a.meanSpecificShare))</td></tr>"
        body += "</tbody></table>"
        // At most about `chartPoints` points a line (a ten-year weekly run has 521 periods),
        // so that a long run's page stays small: every k-th period, and the last.
        let step = max(1, (a.periods.count + Self.chartPoints - 1) / Self.chartPoints)
        let shown = Set(stride(from: 0, to: a.periods.count, by: step)).union([a.periods.count - 1])
        let styles = a.factors.indices.filter { a.factors[$0] != "sectors" }
        body += SVGChart.lines(styles.enumerated().map { k, i in
            SVGChart.Series(name: a.factors[i], points: a.periods.indices.filter(shown.contains).map { (a.periods[$0].date, a.periods[$0].exposures[i]) },
                            color: SVGChart.palette[k % SVGChart.palette.count])
        }, title: "Style exposures of the book (standard deviations)", axis: { Format.num($0, "%+.1f") })
        var running = [Double](repeating: 0, count: a.factors.count + 1)
        var cumulative: [[(date: Day, value: Double)]] = Array(repeating: [], count: a.factors.count + 1)
        for (t, p) in a.periods.enumerated() {
            for (i, c) in (p.contributions + [p.specificReturn]).enumerated() {
                running[i] += c
                if shown.contains(t) { cumulative[i].append((p.date, running[i])) }
            }
        }
        body += SVGChart.lines((a.factors + ["specific"]).enumerated().map { i, name in
            SVGChart.Series(name: name, points: cumulative[i], color: SVGChart.palette[i % SVGChart.palette.count], dashed: name == "specific")
        }, title: "Cumulative contribution to return")
        return body
    }
}
