/// Which rows a training for a decision date may use.
///
/// A row (ticker, t) with horizon h is usable for a decision on calendar day D only
/// if its label, the close of t + h, was known before D opened: `t + h < D`, or
/// `t + h + embargo < D` with an embargo. Rows start at `start` (the seed pools
/// rows from 2010-01-01 on), or `windowDays` trading days before D when a rolling
/// window is asked for.
public struct TrainingWindow: Sendable, Hashable {
    /// The decision date's position in the panel calendar.
    public var decisionDay: Int
    /// The first calendar day whose rows may be used.
    public var start: Day
    /// Extra trading days dropped between the last label and the decision.
    public var embargo = 0
    /// With a value, only the last `windowDays` trading days of rows are used.
    public var windowDays: Int?

    public init(decisionDay: Int, start: Day, embargo: Int = 0, windowDays: Int? = nil) {
        self.decisionDay = decisionDay
        self.start = start
        self.embargo = embargo
        self.windowDays = windowDays
    }

    /// The positions t of the usable rows for horizon `h`.
    public func dayRange(horizon h: Int, calendar: TradingCalendar) -> Range<Int> {
        let last = decisionDay - 1 - h - embargo // t + h + embargo <= D - 1
        var first = calendar.firstIndex(onOrAfter: start)
        if let windowDays { first = max(first, last - windowDays + 1) }
        return first..<max(first, last + 1)
    }
}

/// Rows and forward-return labels cut from a feature matrix.
public enum TrainingSet {
    /// `close[t + h] / close[t] - 1`, or NaN when either close is missing or t + h is past the end.
    public static func forwardReturn(_ panel: Panel, ticker: Int, day t: Int, horizon h: Int) -> Double {
        guard t + h < panel.dayCount else { return .nan }
        return panel.value(.close, ticker: ticker, day: t + h) / panel.value(.close, ticker: ticker, day: t) - 1
    }

    /// The usable rows of `tickers` for horizon `h`: every feature finite (as the seed's
    /// `dropna`), the label finite and, with a universe, the ticker a member on the row's day.
    public static func rows(matrix: FeatureMatrix, panel: Panel, tickers: [Int], columns: [Int],
                            horizon h: Int, window: TrainingWindow, universe: Universe? = nil) -> (rows: FeatureRows, labels: [Float]) {
        var values: [Float] = [], labels: [Float] = []
        matrix.values.withUnsafeBufferPointer { v in
            forEachUsableRow(matrix: matrix, panel: panel, tickers: tickers, columns: columns, horizon: h, window: window, universe: universe) { base, label in
                for c in columns { values.append(v[base + c]) }
                labels.append(label)
            }
        }
        return (FeatureRows(values: values, featureCount: max(columns.count, 1)), labels)
    }

    /// How many rows ``rows(matrix:panel:tickers:columns:horizon:window:universe:)`` returns, without copying them.
    public static func rowCount(matrix: FeatureMatrix, panel: Panel, tickers: [Int], columns: [Int],
                                horizon h: Int, window: TrainingWindow, universe: Universe? = nil) -> Int {
        var count = 0
        forEachUsableRow(matrix: matrix, panel: panel, tickers: tickers, columns: columns, horizon: h, window: window, universe: universe) { _, _ in
            count += 1
        }
        return count
    }

    /// Calls `body` with each usable row's offset into the matrix's values and its label.
    private static func forEachUsableRow(matrix: FeatureMatrix, panel: Panel, tickers: [Int], columns: [Int], horizon h: Int,
                                         window: TrainingWindow, universe: Universe?, _ body: (Int, Float) -> Void) {
        let f = matrix.featureCount
        matrix.values.withUnsafeBufferPointer { v in
            for d in window.dayRange(horizon: h, calendar: panel.calendar) {
                for t in tickers {
                    if let universe, !universe.contains(ticker: t, day: d) { continue }
                    let label = forwardReturn(panel, ticker: t, day: d, horizon: h)
                    guard label.isFinite else { continue }
                    let base = (d * matrix.tickerCount + t) * f
                    guard columns.allSatisfy({ v[base + $0].isFinite }) else { continue }
                    body(base, Float(label))
                }
            }
        }
    }

    /// The rows scored on day `d` (one per ticker, NaN-filled when a feature is missing) and
    /// whether each is complete.
    public static func scoringRows(matrix: FeatureMatrix, tickers: [Int], columns: [Int], day d: Int) -> (rows: FeatureRows, complete: [Bool]) {
        var values: [Float] = [], complete: [Bool] = []
        let f = matrix.featureCount
        for t in tickers {
            let base = (d * matrix.tickerCount + t) * f
            let row = columns.map { matrix.values[base + $0] }
            complete.append(row.allSatisfy(\.isFinite))
            values += row
        }
        return (FeatureRows(values: values, featureCount: columns.count), complete)
    }
}
