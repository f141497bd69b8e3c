import Foundation

/// A factor's tear sheet: one self-contained page per analysed signal (or several), drawn
/// by the report engine: the figures per horizon, the IC over time, IC decay, mean
/// returns by quantile, the cumulative top-minus-bottom spread, IC by year and by sector,
/// and (when analysed on a dataset) the top-minus-bottom book's risk attribution.
public struct FactorTearSheet {
    public var title: String
    public var reports: [FactorReport]

    public init(title: String, reports: [FactorReport]) {
        self.title = title
        self.reports = reports
    }

    /// The page.
    public func render() -> String { HTMLReport.page(title: title, body: body()) }

    /// The page's content, for a page or a notebook output that wraps it.
    public func body() -> String {
        var body = "<h1>\(esc(title))</h1><p class=\"meta\">AlphaLab \(AlphaLabVersion.string); Spearman IC of the signal at each "
            + "scoring close against open-to-open returns from the next open; t-statistics Newey-West for overlapping horizons</p>"
        for report in reports {
            body += "<h2>\(esc(report.name))</h2><p class=\"meta\">\(report.dates.count) dates, \(report.dates.first.map { "\($0)" } ?? "") .. "
                + "\(report.dates.last.map { "\($0)" } ?? ""); \(num(report.breadth, "%.0f")) tickers a date; top-quantile turnover "
                + "\(num(report.topTurnover * 100, "%.0f"))%; rank autocorrelation \(num(report.rankAutocorrelation, "%.2f"))</p>"
            body += figures(report) + charts(report) + sectorTable(report)
            if let a = report.attribution {
                body += AttributionSection.single(a, title: "Risk attribution of the top-minus-bottom book",
                                                  book: "the top quantile long and the bottom quantile short, equally weighted, from each scoring close to the next")
            }
        }
        return body
    }

    private func esc(_ text: String) -> String { SVGChart.escape(text) }
    private func color(_ i: Int) -> String { SVGChart.palette[i % SVGChart.palette.count] }
    private func num(_ x: Double, _ f: String = "%+.3f") -> String { Format.num(x, f) }
    /// An IC on a chart's axis (never "-0.000").
    private func ic(_ x: Double) -> String { String(format: "%.3f", abs(x) < 5e-4 ? 0 : x) }

    /// The table of figures per horizon: IC, its t, quantile returns and the spread.
    private func figures(_ report: FactorReport) -> String {
        var body = "<table><thead><tr><th>Horizon</th><th>Mean IC</th><th>t (NW)</th><th>IC &gt; 0</th>"
        let quantiles = report.horizons.first?.quantileReturns.count ?? 0
        for q in 0..<quantiles { body += "<th>Q\(q + 1)</th>" }
        body += "<th>Top - bottom</th><th>t</th></tr></thead><tbody>"
        for h in report.horizons {
            body += "<tr><td>\(Format.days(h.horizon))</td><td>\(num(h.meanIC))</td><td>\(num(h.icT, "%+.2f"))</td><td>\(num(h.positiveShare * 100, "%.0f"))%</td>"
            for q in h.quantileReturns { body += "<td>\(num(q * 100, "%+.2f"))%</td>" }
            body += "<td>\(num(h.meanSpread * 100, "%+.2f"))%</td><td>\(num(h.spreadT, "%+.2f"))</td></tr>"
        }
        return body + "</tbody></table>"
    }

    /// The IC over time, IC decay, returns by quantile, the cumulative spread and IC by year.
    private func charts(_ report: FactorReport) -> String {
        var body = ""
        let quantiles = report.horizons.first?.quantileReturns.count ?? 0
        if let longest = report.horizons.last {
            // The IC of each date is noisy: its 52-date rolling mean shows the regime.
            var window: [Double] = []
            let rolling = zip(report.dates, longest.ics).map { date, x -> (date: Day, value: Double) in
                if x.isFinite { window.append(x); if window.count > 52 { window.removeFirst() } }
                return (date, window.isEmpty ? .nan : window.reduce(0, +) / Double(window.count))
            }
            body += "<h3>IC over time</h3>"
            body += SVGChart.lines([.init(name: "IC, \(Format.days(longest.horizon)) (rolling mean of 52 dates)", points: rolling, color: color(0))],
                                   title: "IC over time", axis: ic)
        }
        if !report.decay.isEmpty {
            body += "<h3>IC decay</h3>"
            body += SVGChart.bars(categories: report.decay.map { "\($0.horizon)" }, series: [("mean IC by horizon (days)", report.decay.map(\.meanIC), color(1))],
                                  title: "IC decay", axis: ic)
        }
        body += "<h3>Mean forward return by quantile (Q1 lowest signal)</h3>"
        body += SVGChart.bars(categories: (0..<quantiles).map { "Q\($0 + 1)" },
                              series: report.horizons.enumerated().map { k, h in (Format.days(h.horizon), h.quantileReturns, color(k)) },
                              title: "Mean forward return by quantile")
        body += "<h3>Cumulative top-minus-bottom spread</h3>"
        body += SVGChart.lines(report.horizons.enumerated().map { k, h in
            SVGChart.Series(name: Format.days(h.horizon), points: zip(report.dates, h.cumulativeSpread).map { ($0, $1 - 1) }, color: color(k))
        }, title: "Cumulative top-minus-bottom spread")
        let years = Array(Set(report.horizons.flatMap(\.icByYear.keys))).sorted()
        body += "<h3>Mean IC by year</h3>"
        body += SVGChart.bars(categories: years.map(String.init), series: report.horizons.enumerated().map { k, h in
            (Format.days(h.horizon), years.map { h.icByYear[$0] ?? .nan }, color(k))
        }, title: "Mean IC by year", axis: ic)
        return body
    }

    /// The mean IC within each sector, by horizon.
    private func sectorTable(_ report: FactorReport) -> String {
        var body = ""
        let sectors = Array(Set(report.horizons.flatMap(\.icBySector.keys))).sorted()
        if !sectors.isEmpty {
            body += "<h3>Mean IC by sector</h3><table><thead><tr><th>Sector</th>" + report.horizons.map { "<th>IC \($0.horizon)d</th>" }.joined() + "</tr></thead><tbody>"
            for sector in sectors {
                body += "<tr><td>\(esc(sector))</td>" + report.horizons.map { "<td>\(num($0.icBySector[sector] ?? .nan))</td>" }.joined() + "</tr>"
            }
            body += "</tbody></table>"
            let without = sectors.filter { sector in report.horizons.allSatisfy { !($0.icBySector[sector] ?? .nan).isFinite } }
            if !without.isEmpty {
                body += "<p class=\"meta\" id=\"sectors-without-ic\">n/a: \(without.map(esc).joined(separator: ", ")) never had \(FactorAccumulator.sectorMinimum) "
                    + "names with a signal and a return on one date, so no IC.</p>"
            }
        }
        return body
    }
}
