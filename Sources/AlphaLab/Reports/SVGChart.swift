import Foundation

/// Charts drawn as SVG text by the engine, for reports viewable offline with no
/// JavaScript: line charts over dates, grouped bars, heatmaps. Axes carry dates and
/// percentages; every chart has a legend.
public enum SVGChart {
    /// Tableau's ten colours: distinct, readable on white, colour-blind friendlier than most.
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// A named series of dated values.
    public struct Series {
        public var name: String
        public var points: [(date: Day, value: Double)]
        public var color: String
        public var dashed = false

        public init(name: String, points: [(date: Day, value: Double)], color: String, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
        }
    }

    static let width = 900.0, height = 360.0
    static let left = 70.0, right = 20.0, top = 20.0, bottom = 40.0

    /// Escapes text for HTML and SVG.
    public static func escape(_ text: String) -> String {
        // One pass over the bytes (a page escapes hundreds of cells; Foundation's
        // replacingOccurrences, four times over, was most of the runs page's time).
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Round tick values covering low...high, about `count` of them.
    static func ticks(_ low: Double, _ high: Double, count: Int = 6) -> [Double] {
        guard high > low else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var result: [Double] = []
        var v = (low / step).rounded(.up) * step
        while v <= high + step * 1e-9 { result.append(v); v += step }
        return result
    }

    /// A count for a histogram's axis: whole numbers only (a fractional tick gets no label).
    public static func count(_ x: Double) -> String { x == x.rounded() ? String(format: "%.0f", x) : "" }

    /// A fraction as a percentage for axes and tooltips ("12%", "-3.5%").
    public static func percent(_ x: Double) -> String {
        let p = abs(x) < 1e-12 ? 0 : x * 100 // no "-0%"
        return abs(p - p.rounded()) < 1e-9 ? String(format: "%.0f%%", p) : String(format: "%.1f%%", p)
    }

    /// The legend below a chart, wrapped onto as many rows as it needs, and its extra height.
    static func legend(_ items: [(name: String, color: String, dashed: Bool)]) -> (svg: String, extra: Double) {
        var x = left, row = 0.0, svg = ""
        for item in items {
            let itemWidth = 40 + Double(item.name.count) * 7.2
            if x + itemWidth > width - right, x > left { x = left; row += 1 }
            let y = height - 8 + row * 18
            let dash = item.dashed ? " stroke-dasharray=\"6 4\"" : ""
            svg += "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x + 22)\" y2=\"\(y)\" stroke=\"\(item.color)\" stroke-width=\"3\"\(dash)/>"
            svg += "<text x=\"\(x + 27)\" y=\"\(y + 4)\" font-size=\"12\">\(escape(item.name))</text>"
            x += itemWidth
        }
        return (svg, row * 18)
    }

    static func open(_ title: String, extra: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height + extra))\" role=\"img\" aria-label=\"\(escape(title))\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
    }

    /// A line chart of dated series; values are fractions shown as percentages.
    public static func lines(_ series: [Series], title: String, zeroLine: Bool = true, axis: (Double) -> String = SVGChart.percent) -> String {
        let all = series.flatMap(\.points).filter { $0.value.isFinite }
        guard let first = all.map(\.date).min(), let last = all.map(\.date).max() else { return "" }
        var low = all.map(\.value).min()!, high = all.map(\.value).max()!
        if zeroLine { low = min(low, 0); high = max(high, 0) }
        if high == low { high = low + 0.01 }
        let plotBottom = height - bottom - 20
        let span = Double(max(1, last.ordinal - first.ordinal))
        func x(_ d: Day) -> Double { left + Double(d.ordinal - first.ordinal) / span * (width - left - right) }
        func y(_ v: Double) -> Double { plotBottom - (v - low) / (high - low) * (plotBottom - top) }
        let key = legend(series.map { ($0.name, $0.color, $0.dashed) })
        var svg = open(title, extra: key.extra)
        for t in ticks(low, high) {
            svg += "<line x1=\"\(left)\" y1=\"\(y(t))\" x2=\"\(width - right)\" y2=\"\(y(t))\" stroke=\"\(t == 0 ? "#888" : "#e5e5e5")\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(t) + 4)\" font-size=\"11\" text-anchor=\"end\">\(axis(t))</text>"
        }
        // Date ticks: years, or months for spans under two years.
        let years = Array(Set([first.year] + all.map(\.date.year))).sorted()
        var marks: [Day] = years.compactMap { Day(year: $0, month: 1, day: 1) }.filter { $0 >= first && $0 <= last }
        if span < 730 {
            // Months: every one over a year or less, else every quarter, so labels never overlap.
            let months = span <= 400 ? Array(1...12) : [1, 4, 7, 10]
            marks = years.flatMap { y in months.compactMap { Day(year: y, month: $0, day: 1) } }.filter { $0 >= first && $0 <= last }
        }
        if marks.isEmpty { marks = [first] }
        for m in marks {
            svg += "<line x1=\"\(x(m))\" y1=\"\(top)\" x2=\"\(x(m))\" y2=\"\(plotBottom)\" stroke=\"#f0f0f0\"/>"
            let label = span < 730 ? String(m.description.prefix(7)) : String(m.year)
            svg += "<text x=\"\(x(m))\" y=\"\(plotBottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(label)</text>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(plotBottom)\" x2=\"\(width - right)\" y2=\"\(plotBottom)\" stroke=\"#444\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(plotBottom)\" stroke=\"#444\"/>"
        for s in series {
            let path = s.points.filter { $0.value.isFinite }.map { tenths(x($0.date)) + "," + tenths(y($0.value)) }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\"\(dash) points=\"\(path)\"><title>\(escape(s.name))</title></polyline>"
        }
        return svg + key.svg + "</svg>"
    }

    /// A finite coordinate with one decimal ("12.3", "-0.5"), as `%.1f` writes it but for
    /// halves, which round to even tenths of the product. A ten-year weekly curve has a
    /// thousand points a line, and Foundation's `String(format:)` was most of drawing it.
    static func tenths(_ v: Double) -> String {
        let t = Int((v * 10).rounded(.toNearestOrEven)), whole = t.magnitude / 10
        return (t < 0 ? "-" : "") + String(whole) + "." + String(t.magnitude % 10)
    }

    /// Grouped bars: one group per category (a year), one bar per series.
    public static func bars(categories: [String], series: [(name: String, values: [Double], color: String)], title: String,
                            axis: (Double) -> String = SVGChart.percent) -> String {
        let values = series.flatMap(\.values).filter(\.isFinite)
        guard !categories.isEmpty, !values.isEmpty else { return "" }
        // A margin beyond the largest bar each way, so that no bar ends on the frame and looks cut.
        let lowest = min(0, values.min()!), highest = max(0, values.max()!, lowest + 0.01), margin = (highest - lowest) * 0.06
        let low = lowest < 0 ? lowest - margin : 0, high = highest > 0 ? highest + margin : 0
        let plotBottom = height - bottom - 20
        func y(_ v: Double) -> Double { plotBottom - (v - low) / (high - low) * (plotBottom - top) }
        let groupWidth = (width - left - right) / Double(categories.count)
        let barWidth = groupWidth * 0.8 / Double(max(1, series.count))
        let key = legend(series.map { ($0.name, $0.color, false) })
        var svg = open(title, extra: key.extra)
        for t in ticks(low, high) {
            svg += "<line x1=\"\(left)\" y1=\"\(y(t))\" x2=\"\(width - right)\" y2=\"\(y(t))\" stroke=\"\(t == 0 ? "#888" : "#e5e5e5")\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(t) + 4)\" font-size=\"11\" text-anchor=\"end\">\(axis(t))</text>"
        }
        for (c, category) in categories.enumerated() {
            let x0 = left + Double(c) * groupWidth + groupWidth * 0.1
            for (s, item) in series.enumerated() where c < item.values.count && item.values[c].isFinite {
                let v = item.values[c], top = y(max(v, 0)), bottom = y(min(v, 0))
                svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"><title>%@ %@: %@</title></rect>",
                              x0 + Double(s) * barWidth, top, barWidth * 0.92, max(0.5, bottom - top), item.color,
                              escape(item.name), category, axis(v))
            }
            svg += "<text x=\"\(x0 + groupWidth * 0.4)\" y=\"\(plotBottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(escape(category))</text>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(plotBottom)\" x2=\"\(width - right)\" y2=\"\(plotBottom)\" stroke=\"#444\"/>"
        return svg + key.svg + "</svg>"
    }

    /// A heatmap of a grid of values (red below the midpoint, green above), each cell labelled.
    public static func heatmap(rowName: String, rows: [String], columnName: String, columns: [String], values: [[Double]],
                               format: (Double) -> String, title: String) -> String {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        guard !rows.isEmpty, !columns.isEmpty, let low = finite.min(), let high = finite.max() else { return "" }
        let cell = 70.0, x0 = 120.0, y0 = 50.0
        let w = x0 + cell * Double(columns.count) + 20, h = y0 + cell * 0.6 * Double(rows.count) + 30
        func color(_ v: Double) -> String {
            guard v.isFinite, high > low else { return "#eeeeee" }
            let t = (v - low) / (high - low) // 0 red .. 1 green, through white
            let (r, g, b) = t < 0.5 ? (225 + 30 * t * 2, 87 + (255 - 87) * t * 2, 89 + (255 - 89) * t * 2)
                                    : (255 - (255 - 89) * (t - 0.5) * 2, 255 - (255 - 161) * (t - 0.5) * 2, 255 - (255 - 79) * (t - 0.5) * 2)
            return String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
        }
        // Drawn at its natural size: a small grid is not blown up to the page's width.
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" style=\"max-width: \(Int(w))px\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += "<text x=\"\(x0 + cell * Double(columns.count) / 2)\" y=\"16\" font-size=\"12\" text-anchor=\"middle\">\(escape(columnName))</text>"
        svg += "<text x=\"10\" y=\"\(y0 - 8)\" font-size=\"12\">\(escape(rowName))</text>"
        for (j, c) in columns.enumerated() {
            svg += "<text x=\"\(x0 + cell * (Double(j) + 0.5))\" y=\"\(y0 - 8)\" font-size=\"12\" text-anchor=\"middle\">\(escape(c))</text>"
        }
        for (i, r) in rows.enumerated() {
            let y = y0 + cell * 0.6 * Double(i)
            svg += "<text x=\"\(x0 - 8)\" y=\"\(y + cell * 0.35)\" font-size=\"12\" text-anchor=\"end\">\(escape(r))</text>"
            for j in columns.indices {
                let v = j < values[i].count ? values[i][j] : .nan
                svg += "<rect x=\"\(x0 + cell * Double(j))\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell * 0.6 - 2)\" fill=\"\(color(v))\"/>"
                svg += "<text x=\"\(x0 + cell * (Double(j) + 0.5))\" y=\"\(y + cell * 0.35)\" font-size=\"12\" text-anchor=\"middle\">\(v.isFinite ? format(v) : "n/a")</text>"
            }
        }
        return svg + "</svg>"
    }
}
