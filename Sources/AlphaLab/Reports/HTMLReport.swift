import Foundation

/// One self-contained HTML page for a set of results (a suite, a grid, stored runs):
/// the seed's summary table, equity curves against SPY, drawdowns, yearly returns,
/// and a grid's heatmap. SVG drawn by the engine; no script, no external file.
public struct HTMLReport {
    public var title: String
    public var results: [ExperimentResult]
    /// A grid to draw as a heatmap: two config fields and the metric to colour by.
    public var grid: Grid?

    /// A two-field parameter grid over `results`.
    public struct Grid {
        public var rows: String
        public var columns: String
        /// What colours the cells.
        public var metric: Metric

        /// The metrics a grid can show: a closed set, so a misspelt name is an error
        /// where it is parsed instead of a heatmap of some other figure.
        public enum Metric: String, CaseIterable, Sendable {
            case sharpe, totalReturn = "total_return", maxDrawdown = "max_drawdown", excessReturn = "excess_return"

            func value(of r: ExperimentResult) -> Double {
                switch self {
                case .sharpe: r.metrics.sharpe
                case .totalReturn: r.metrics.totalReturn
                case .maxDrawdown: r.metrics.maxDrawdown
                case .excessReturn: r.excessReturn
                }
            }
        }

        public init(rows: String, columns: String, metric: Metric = .sharpe) {
            self.rows = rows
            self.columns = columns
            self.metric = metric
        }
    }

    public init(title: String, results: [ExperimentResult], grid: Grid? = nil) {
        self.title = title
        self.results = results
        self.grid = grid
    }

    /// The page.
    public func render() -> String { Self.page(title: title, body: body()) }

    /// The page's content, for a page that wraps it (the run browser's run page).
    public func body() -> String {
        var body = "<h1>\(esc(title))</h1>"
        body += "<p class=\"meta\">AlphaLab \(AlphaLabVersion.string), \(results.count) run\(results.count == 1 ? "" : "s")"
        if let first = results.first, let s = first.startDate, let e = first.endDate { body += ", \(s) .. \(e)" }
        body += "</p>"
        for r in results { for w in r.warnings { body += "<p class=\"warning\">\(esc(r.name)): \(esc(w))</p>" } }
        body += summaryTable() + curves() + importance() + coverage() + AttributionSection.html(results)
        if let grid { body += heatmap(grid) }
        return body
    }

    private func esc(_ text: String) -> String { SVGChart.escape(text) }
    private func color(_ i: Int) -> String { SVGChart.palette[i % SVGChart.palette.count] }

    /// The seed's table, plus CAGR, Sortino, IC and how the run traded; the best Sharpe marked.
    public func summaryTable() -> String {
        var body = "<table><thead><tr><th>Experiment</th><th>Return</th><th>vs SPY</th><th>Sharpe</th><th>MaxDD</th><th>WinRate</th><th>CAGR</th><th>Sortino</th><th>IC</th><th>Weeks</th><th>Execution</th><th>Turnover</th><th>Cost drag</th><th>Held (days)</th><th>Universe</th></tr></thead><tbody>"
        let bestSharpe = results.max { !($0.metrics.sharpe >= $1.metrics.sharpe) }
        for (i, r) in results.enumerated() {
            let mark = results.count > 1 && r.name == bestSharpe?.name ? " class=\"best\"" : ""
            body += "<tr\(mark)><td><span class=\"swatch\" style=\"background:\(color(i))\"></span>\(esc(r.name))</td>"
            body += "<td>\(Format.pct(r.metrics.totalReturn))</td><td>\(Format.pct(r.excessReturn))</td><td>\(Format.num(r.metrics.sharpe))</td>"
            body += "<td>\(Format.rate(r.metrics.maxDrawdown))</td><td>\(Format.rate(r.metrics.winRate))</td>"
            body += "<td>\(Format.pct(r.metrics.cagr))</td><td>\(Format.num(r.metrics.sortino))</td>"
            body += "<td>\(Format.num(r.quality.meanIC, "%.3f"))</td><td>\(r.weeksTraded)</td>"
            body += "<td>\(esc(r.config.execution.rawValue))</td><td>\(Format.rate(r.turnover))</td>"
            body += "<td>\(Format.rate(r.costDrag))</td><td>\(Format.num(r.holdingDays, "%.1f"))</td><td>\(universeCell(r))</td></tr>"
        }
        body += "</tbody></table>"
        if results.count > 1, let best = bestSharpe { body += "<p>Best Sharpe: <b>\(esc(best.name))</b></p>" }
        return body
    }

    /// The universe, its members at a decision on average, and any `--limit`.
    private func universeCell(_ r: ExperimentResult) -> String {
        guard let size = r.universeSize else { return esc(r.config.universe) }
        let limit = size.limit.map { "; limit \($0.kept) of \($0.available)" } ?? ""
        return "\(esc(size.universe)) (\(Format.num(size.meanMembers, "%.0f"))\(limit))"
    }

    /// Equity curves as cumulative returns (SPY over the first run's span dashed), drawdowns and yearly returns.
    func curves() -> String {
        var body = "<h2>Cumulative return</h2>" + cumulativeChart()
        body += "<h2>Drawdown</h2>" + SVGChart.lines(results.enumerated().map { i, r in
            SVGChart.Series(name: r.name, points: r.drawdownCurve.map { ($0.date, -$0.value) }, color: color(i))
        }, title: "Drawdown from the running peak")
        let years = Array(Set(results.flatMap(\.yearlyReturns.keys))).sorted()
        body += "<h2>Yearly returns</h2>" + SVGChart.bars(
            categories: years.map(String.init),
            series: results.enumerated().map { i, r in (r.name, years.map { r.yearlyReturns[$0] ?? .nan }, color(i)) },
            title: "Yearly returns")
        return body
    }

    /// The runs' equity as cumulative returns, the first run's benchmark (SPY, or cash for a
    /// long-short book) over its span dashed: one SVG document.
    public func cumulativeChart() -> String {
        var lines = results.enumerated().map { i, r in
            SVGChart.Series(name: r.name, points: r.equityCurve.map { ($0.date, $0.value / r.config.initialCash - 1) }, color: color(i))
        }
        if let first = results.first, !first.periods.isEmpty {
            var spy = 1.0
            let points = [(first.periods[0].date, 0.0)] + first.periods.map { p -> (Day, Double) in
                spy *= 1 + (p.spyReturn.isFinite ? p.spyReturn : 0)
                return (p.exitDate, spy - 1)
            }
            lines.append(.init(name: first.config.book.benchmarkName, points: points.map { (date: $0.0, value: $0.1) }, color: "#333333", dashed: true))
        }
        return SVGChart.lines(lines, title: "Cumulative return against \(results.first?.config.book.benchmarkName ?? "SPY")")
    }

    /// The point-in-time universe's price coverage by year, for the runs that have one:
    /// the share of members with a bar on the decision days (below
    /// ``UniverseCoverage/warningShare`` in red).
    private func coverage() -> String {
        let covered = results.filter { $0.coverage != nil }
        guard !covered.isEmpty else { return "" }
        let years = Array(Set(covered.flatMap { $0.coverage!.years.map(\.year) })).sorted()
        var body = "<h2>Universe coverage</h2><p class=\"meta\">Share of the universe's members with a bar on the decision days: "
            + "a member without prices could not be bought, so below 100% the run chose among members that survived into the data.</p>"
        body += "<table><thead><tr><th>Year</th>" + covered.map { "<th>\(esc($0.name)) (\(esc($0.coverage!.universe)))</th>" }.joined() + "</tr></thead><tbody>"
        for year in years {
            body += "<tr><td>\(year)</td>" + covered.map { r -> String in
                guard let y = r.coverage!.years.first(where: { $0.year == year }) else { return "<td></td>" }
                let low = y.share < UniverseCoverage.warningShare ? " style=\"color:#e15759;font-weight:bold\"" : ""
                return "<td\(low)>\(Format.rate(y.share))</td>"
            }.joined() + "</tr>"
        }
        return body + "</tbody></table>"
    }

    /// What drove the models (runs with explain = true): mean |SHAP| of the top features per retraining.
    private func importance() -> String {
        var body = ""
        for r in results {
            guard let explanation = r.explanation, !explanation.importance.isEmpty else { continue }
            let horizon = explanation.importance.map(\.horizon).max()!
            let top = explanation.topFeatures(horizon: horizon, count: 5)
            let entries = explanation.importance.filter { $0.horizon == horizon }
            let series = top.enumerated().map { k, feature in
                SVGChart.Series(name: feature.feature, points: entries.map { e in
                    (e.date, e.meanAbsoluteSHAP[e.features.firstIndex(of: feature.feature)!])
                }, color: color(k))
            }
            body += "<h2>What drives \(esc(r.name)) (horizon \(horizon))</h2>"
            body += SVGChart.lines(series, title: "Mean |SHAP| of the top features per retraining", zeroLine: false, axis: { String(format: "%.4f", $0) })
        }
        return body
    }

    /// The grid's metric as a heatmap of its two axes.
    private func heatmap(_ grid: Grid) -> String {
        let values = results.map(\.config.values)
        func label(_ v: ConfigValue?) -> String {
            switch v {
            case .number(let x)?: x.rounded() == x ? String(Int(x)) : String(x)
            case .string(let s)?: s
            case .bool(let b)?: String(b)
            default: "?"
            }
        }
        var rowLabels: [String] = [], columnLabels: [String] = []
        for v in values {
            let r = label(v[grid.rows]), c = label(v[grid.columns])
            if !rowLabels.contains(r) { rowLabels.append(r) }
            if !columnLabels.contains(c) { columnLabels.append(c) }
        }
        var cells = Array(repeating: Array(repeating: Double.nan, count: columnLabels.count), count: rowLabels.count)
        for (r, v) in zip(results, values) {
            cells[rowLabels.firstIndex(of: label(v[grid.rows]))!][columnLabels.firstIndex(of: label(v[grid.columns]))!] = grid.metric.value(of: r)
        }
        return "<h2>Grid: \(esc(grid.metric.rawValue)) by \(esc(grid.rows)) and \(esc(grid.columns))</h2>"
            + SVGChart.heatmap(rowName: grid.rows, rows: rowLabels, columnName: grid.columns, columns: columnLabels, values: cells,
                               format: grid.metric == .sharpe ? { String(format: "%+.2f", $0) } : { Format.pct($0) },
                               title: "Grid heatmap")
    }

    /// The report engine's styles, shared by every page AlphaLab draws.
    static let styles = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; padding: 0 12px; max-width: 1120px; color: #222; }
        h1 { font-size: 22px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; margin-top: 20px; }
        .meta { color: #666; } .warning { background: #fde2e1; border: 1px solid #e15759; padding: 8px; font-weight: bold; }
        table { border-collapse: collapse; font-size: 12px; display: block; overflow-x: auto; max-width: 100%; } th, td { padding: 4px 7px; text-align: right; border-bottom: 1px solid #ddd; }
        th:first-child, td:first-child { text-align: left; white-space: nowrap; } tr.best td { font-weight: bold; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
        svg { width: 100%; height: auto; font-family: inherit; }
        """

    /// A self-contained page around `body`: the report engine's styles, and `script` when
    /// given (the run browser's; reports have none).
    static func page(title: String, body: String, extraStyles: String = "", script: String? = nil) -> String {
        let esc = SVGChart.escape
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>
        \(styles)\(extraStyles)
        </style></head><body>
        \(body)\(script.map { "<script>\n\($0)\n</script>" } ?? "")
        </body></html>

        """
    }
}
