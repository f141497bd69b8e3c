import Foundation

/// A verdict as one self-contained HTML page: the headline and each check with its
/// figure and rule, the twins' equity curves overlaid, the cost sensitivity, the placebo
/// histogram with the run marked, and the excess return by year. The engine's SVG
/// charts, no script, no external file.
public struct VerdictPage {
    public let verdict: Verdict

    public init(_ verdict: Verdict) { self.verdict = verdict }

    private func esc(_ text: String) -> String { SVGChart.escape(text) }

    /// The page.
    public func render() -> String { HTMLReport.page(title: "Verdict: \(verdict.name)", body: body()) }

    /// The page's content, for a page or a notebook output that wraps it.
    public func body() -> String {
        let v = verdict
        let colour = ["credible": "#59a14f", "fragile": "#edc948", "artefact": "#e15759", "inconclusive": "#bab0ac"][v.headline.rawValue]!
        var body = "<h1>Verdict: \(esc(v.name)) <span style=\"background:\(colour);padding:2px 10px;border-radius:4px\">\(v.headline.rawValue.uppercased())</span></h1>"
        body += "<p class=\"meta\">\(esc(v.start)) .. \(esc(v.end)), \(v.config.rebalance.rawValue), \(v.config.execution.rawValue), "
            + "\(v.config.signalTiming.rawValue), universe \(esc(v.config.universe)), data \(esc(String(v.dataFingerprint.prefix(8)))); "
            + "AlphaLab \(AlphaLabVersion.string), \(v.twins.count) runs and \(v.placebo.permutations) placebos in \(Format.num(v.seconds, "%.1f")) s</p>"
        if let evidence = v.evidence { body += "<p class=\"meta\">\(esc(evidence.summary))</p>" }
        if !v.reasons.isEmpty { body += "<p>Decided by: <b>\(v.reasons.map(\.rawValue).joined(separator: ", "))</b></p>" }
        body += checksTable() + twinsTable()
        body += "<h2>Equity of the run and its twins</h2>" + equity()
        body += "<h2>Cost sensitivity</h2>" + costs()
        body += "<h2>Placebo</h2>" + placebo()
        body += "<h2>By year</h2>" + years()
        return body
    }

    private func checksTable() -> String {
        var html = "<table><thead><tr><th>Check</th><th>Outcome</th><th>Deciding figure</th><th>Rule</th></tr></thead><tbody>"
        for c in verdict.checks {
            let colour = ["pass": "#59a14f", "insufficient": "#79706e", "warn": "#b8860b", "fail": "#e15759"][c.outcome.rawValue]!
            html += "<tr><td title=\"\(esc(c.kind.question))\">\(c.kind.rawValue)</td>"
                + "<td style=\"color:\(colour);font-weight:bold\">\(c.outcome.rawValue)\(c.limited ? " (caveat)" : "")</td>"
                + "<td style=\"text-align:left\">\(esc(c.figure))<br><small>\(c.details.filter { !$0.isEmpty }.map(esc).joined(separator: "<br>"))</small></td>"
                + "<td style=\"text-align:left\"><small>\(esc(c.rule))</small></td></tr>"
        }
        return html + "</tbody></table>"
    }

    private func twinsTable() -> String {
        var html = "<h2>Runs</h2><table><thead><tr><th>Run</th><th>Return</th><th>Excess</th><th>t</th><th>Sharpe</th><th>Turnover</th><th>Cost drag</th><th>New trainings</th></tr></thead><tbody>"
        for t in verdict.twins {
            html += "<tr><td>\(esc(t.label))</td><td>\(Format.pct(t.totalReturn))</td><td>\(Format.pct(t.excessReturn))</td>"
                + "<td>\(Format.num(t.excessTStat))</td><td>\(Format.num(t.sharpe))</td><td>\(Format.rate(t.turnover))</td>"
                + "<td>\(Format.rate(t.costDrag))</td><td>\(t.newTrainings)</td></tr>"
        }
        return html + "</tbody></table>"
    }

    private func equity() -> String {
        let series = verdict.twins.enumerated().map { i, t in
            let start = t.equity.first ?? 1
            return SVGChart.Series(name: t.label, points: zip(t.dates, t.equity).compactMap { d, e in Day(d).map { ($0, e / start - 1) } },
                                   color: SVGChart.palette[i % SVGChart.palette.count], dashed: i > 0)
        }
        return SVGChart.lines(series, title: "Cumulative return of the run and its twins")
    }

    private func costs() -> String {
        let v = verdict
        let breakEven = v.breakEvenBps.isFinite ? "\(Format.num(v.breakEvenBps, "%.1f")) bps" : "none"
        return "<p>Break-even cost: <b>\(breakEven)</b> a traded dollar.</p>"
            + SVGChart.bars(categories: v.costs.map { "\(Format.num($0.multiple, "%.0f"))x (\(Format.num($0.bps, "%.1f")) bps)" },
                            series: [("excess return over SPY", v.costs.map(\.excessReturn), SVGChart.palette[0])],
                            title: "Excess return at multiples of the costs")
    }

    /// The placebos' histogram over their own range; the run marked in its bin, or in a bin
    /// of its own past either end when it lies outside (the usual case for a real edge).
    private func placebo() -> String {
        let p = verdict.placebo
        let values = p.excessReturns.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), p.actual.isFinite else { return "<p>No placebo distribution.</p>" }
        let bins = 15, width = max(high - low, 1e-9) / Double(bins)
        var categories = (0..<bins).map { String(format: "%.0f%%", (low + (Double($0) + 0.5) * width) * 100) }
        var counts = Array(repeating: 0.0, count: bins)
        for x in values { counts[min(bins - 1, Int((x - low) / width))] += 1 }
        var marker = Array(repeating: 0.0, count: bins)
        let height = max(1, counts.max() ?? 1)
        let runLabel = "run " + String(format: "%.0f%%", p.actual * 100)
        if p.actual > high {
            categories.append(runLabel); counts.append(0); marker.append(height)
        } else if p.actual < low {
            categories.insert(runLabel, at: 0); counts.insert(0, at: 0); marker.insert(height, at: 0)
        } else {
            marker[min(bins - 1, Int((p.actual - low) / width))] = height
        }
        var turnover = "placebos turn over \(Format.rate(p.meanTurnover)) a period"
        if let run = p.runTurnover { turnover += ", the run \(Format.rate(run))" }
        if let gross = p.actualGross, let grossP = p.grossPValue { turnover += "; before costs the run's excess is \(Format.pct(gross)), p = \(Format.num(grossP, "%.3f"))" }
        return "<p>The run's excess return \(Format.pct(p.actual)) against \(p.permutations) placebos (random books with the run's holding structure, seed \(p.seed)): p = \(Format.num(p.pValue, "%.3f")), above \(Format.rate(p.percentile)) of them; \(turnover).</p>"
            + SVGChart.bars(categories: categories, series: [("placebos", counts, SVGChart.palette[9]), ("this run", marker, SVGChart.palette[2])],
                            title: "Placebo excess returns", axis: SVGChart.count)
    }

    private func years() -> String {
        let v = verdict
        var html = SVGChart.bars(categories: v.years.map(\.label), series: [("excess return over SPY", v.years.map(\.excessReturn), SVGChart.palette[0])],
                                 title: "Excess return by year")
        html += "<table><thead><tr><th>Span</th><th>Periods</th><th>Excess</th><th>t</th></tr></thead><tbody>"
        for s in v.years + v.halves {
            html += "<tr><td>\(esc(s.label))</td><td>\(s.periods)</td><td>\(Format.pct(s.excessReturn))</td><td>\(Format.num(s.tStat))</td></tr>"
        }
        html += "</tbody></table>"
        if let coverage = v.coverage {
            html += "<h3>Price coverage of \(esc(coverage.universe))</h3><table><thead><tr><th>Year</th><th>Members with a bar</th></tr></thead><tbody>"
            for y in coverage.years { html += "<tr><td>\(y.year)</td><td>\(Format.rate(y.share))</td></tr>" }
            html += "</tbody></table>"
        }
        return html
    }
}
