import Foundation

/// The engine's objects as a notebook shows them: MIME type -> text, the form Jupyter's
/// display messages carry. HTML fragments bring the report engine's styles scoped to
/// their own wrapper, so a notebook page keeps its look; charts are SVG documents
/// (`image/svg+xml`), drawn inside the HTML as well.
public enum NotebookOutput {
    /// MIME type -> content (`text/html`, `image/svg+xml`).
    public typealias Bundle = [String: String]

    /// One run: its warnings, the summary table (the verdict against the ledger with its
    /// trial count when there is one) and its equity curve against SPY.
    public static func result(_ result: ExperimentResult, trials: TrialVerdict? = nil) -> Bundle {
        let report = HTMLReport(title: result.name, results: [result])
        var body = warnings([result]) + report.summaryTable()
        if let trials { body += "<p class=\"meta\">\(SVGChart.escape(trials.summary))</p>" }
        return bundle(html: body, svg: report.cumulativeChart())
    }

    /// Several runs: the Phase 1 table (best Sharpe marked) and their equity curves overlaid.
    /// `extra` is HTML placed after the table (the decision matrix, when the runs make one).
    public static func results(_ results: [ExperimentResult], extra: String = "") -> Bundle {
        let report = HTMLReport(title: "Results", results: results)
        return bundle(html: warnings(results) + report.summaryTable() + extra, svg: report.cumulativeChart())
    }

    /// A factor: its tear sheet (figures per horizon, IC, quantiles, spread, by year and sector).
    public static func factor(_ report: FactorReport) -> Bundle {
        bundle(html: FactorTearSheet(title: "Factor tear sheet: \(report.name)", reports: [report]).body(), svg: nil)
    }

    /// A verdict: the headline, the checks, the twins and their charts.
    public static func verdict(_ verdict: Verdict) -> Bundle {
        bundle(html: VerdictPage(verdict).body(), svg: nil)
    }

    private static func warnings(_ results: [ExperimentResult]) -> String {
        results.flatMap { r in r.warnings.map { "<p class=\"warning\">\(SVGChart.escape(r.name)): \(SVGChart.escape($0))</p>" } }.joined()
    }

    /// The HTML carries the chart too: a front end draws one MIME type of a bundle, and
    /// JupyterLab and nbconvert prefer HTML to SVG; the SVG alone serves those that draw no HTML.
    private static func bundle(html: String, svg: String?) -> Bundle {
        guard let svg, !svg.isEmpty else { return ["text/html": fragment(html)] }
        return ["text/html": fragment(html + svg), "image/svg+xml": svg]
    }

    /// The class that scopes a fragment's styles.
    static let scope = "alphalab-output"

    /// `body` inside a wrapper carrying the report styles, each rule limited to the wrapper.
    static func fragment(_ body: String) -> String {
        "<div class=\"\(scope)\"><style>\(scopedStyles)</style>\(body)</div>"
    }

    /// The report engine's styles with every selector under the wrapper (`body` becomes the
    /// wrapper itself, without the page's margins and width).
    static let scopedStyles: String = {
        HTMLReport.styles.split(separator: "}").compactMap { rule -> String? in
            let parts = rule.split(separator: "{", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let selectors = parts[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if selectors == ["body"] { return ".\(scope) { font-family: inherit; color: #222; }" }
            return selectors.map { ".\(scope) \($0)" }.joined(separator: ", ") + " {" + parts[1] + "}"
        }.joined(separator: "\n")
    }()
}
