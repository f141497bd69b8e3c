import Foundation

/// What a factor analysis computes and over what.
public struct FactorOptions: Sendable, Equatable {
    /// Forward-return horizons in trading days (open to open from the first open after the close).
    public var horizons = [1, 5, 20]
    /// Number of quantiles the signal is cut into on each date.
    public var quantiles = 5
    /// Horizons of the IC decay curve (empty: none; the tear sheet uses 1...60).
    public var decayHorizons: [Int] = []
    /// Fewest tickers with a signal and a return for a date to count.
    public var minimumTickers = 10
    /// Whether an analysis on a dataset adds the top-minus-bottom book's risk attribution
    /// (off by default: the risk model at every date is the analysis's dearest part).
    public var attribution = false

    public init() {}
}

/// Every figure of a factor analysis, per horizon and overall.
public struct FactorReport: Sendable {
    /// The figures of one forward-return horizon.
    public struct Horizon: Sendable {
        public var horizon: Int
        /// The Spearman IC of each date (NaN where fewer than `minimumTickers` pairs).
        public var ics: [Double]
        public var meanIC: Double
        /// Newey-West t of the mean IC, with `lags` lags for the dates the horizon overlaps.
        public var icT: Double
        public var lags: Int
        /// Share of dates with a positive IC.
        public var positiveShare: Double
        /// Mean IC of the dates in each calendar year.
        public var icByYear: [Int: Double]
        /// Mean IC within each sector (dates with at least five of its tickers).
        public var icBySector: [String: Double]
        /// Mean forward return of each quantile, lowest signal first.
        public var quantileReturns: [Double]
        /// Top minus bottom quantile's mean return on each date.
        public var spreads: [Double]
        public var meanSpread: Double
        public var spreadT: Double
        /// The spread compounded date by date (each date's spread taken to the power
        /// spacing / horizon when horizons overlap), from 1.
        public var cumulativeSpread: [Double]
    }

    public var name: String
    /// The scoring dates analysed.
    public var dates: [Day]
    public var horizons: [Horizon]
    /// Mean IC at each horizon of the decay curve.
    public var decay: [(horizon: Int, meanIC: Double)]
    /// Mean share of the top quantile's names that were not in it on the previous date.
    public var topTurnover: Double
    /// Mean Spearman correlation of the signal with itself on the previous date.
    public var rankAutocorrelation: Double
    /// Mean tickers with a signal per date.
    public var breadth: Double
    /// The top-minus-bottom book's risk attribution, when asked for and estimable.
    public var attribution: RiskAttribution? = nil

    /// The figures of `horizon`, if analysed.
    public func horizon(_ h: Int) -> Horizon? { horizons.first { $0.horizon == h } }

    /// The growth of 1 invested in the top-minus-bottom spread, one value per scoring date.
    /// An h-day spread sampled every `spacing` trading days overlaps the next ones when
    /// h > spacing (a 20-day spread sampled weekly spans four samples): each sample then
    /// compounds (1 + spread)^(spacing / h), the geometric 1/h share of its h-day return
    /// per day sampled, as alphalens' `cumulative_returns` did for overlapping periods.
    /// Compounding every sample in full would count each day's return h / spacing times.
    /// NaN spreads leave the level unchanged.
    public static func cumulativeSpread(_ spreads: [Double], horizon: Int, spacing: Int) -> [Double] {
        let overlap = max(1, Double(horizon) / Double(max(spacing, 1)))
        var level = 1.0
        return spreads.map { s -> Double in
            if s.isFinite { level *= pow(max(1 + s, 0), 1 / overlap) }
            return level
        }
    }

    /// A readable summary: one line per horizon and the signal's own figures.
    public var summary: String {
        func num(_ x: Double, _ f: String = "%+.3f") -> String { Format.num(x, f) }
        var lines = ["\(name): \(dates.count) dates \(dates.first.map { "\($0)" } ?? "") .. \(dates.last.map { "\($0)" } ?? ""), "
                     + "\(num(breadth, "%.0f")) tickers a date, top-quantile turnover \(num(topTurnover * 100, "%.0f"))%, rank autocorrelation \(num(rankAutocorrelation, "%.2f"))"]
        for h in horizons {
            let q = h.quantileReturns.map { num($0 * 100, "%+.2f") }.joined(separator: " ")
            lines.append("  \(String(format: "%2d", h.horizon))d  IC \(num(h.meanIC)) (t \(num(h.icT, "%+.2f")), IC>0 \(num(h.positiveShare * 100, "%.0f"))%)"
                         + "  quantiles % [\(q)]  spread \(num(h.meanSpread * 100, "%+.2f"))% (t \(num(h.spreadT, "%+.2f")))")
        }
        if !decay.isEmpty {
            lines.append("  IC decay: " + decay.filter { [1, 2, 5, 10, 20, 40, 60].contains($0.horizon) }.map { "\($0.horizon)d \(num($0.meanIC))" }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension FactorReport: CustomStringConvertible {
    public var description: String { summary }
}

/// Factor analysis in the manner of alphalens and Qlib's analysis module: how a signal
/// known at a close ranks the returns that follow, by horizon, over time, by year and
/// sector, by quantile, and how fast the signal turns over.
public enum FactorAnalysis {
    /// Analyses `signal` on `panel`'s open-to-open forward returns.
    public static func analyze(_ signal: FactorSignal, panel: Panel, options: FactorOptions = FactorOptions()) throws -> FactorReport {
        guard signal.days.count >= 2 else { throw AnalysisError.noDates("\(signal.name): fewer than two scoring dates to analyse") }
        let spacing = max(1, Int(Statistics.median(zip(signal.days, signal.days.dropFirst()).map { Double($1 - $0) }).rounded()))
        var figures = FactorAccumulator(signal: signal, panel: panel, options: options)
        for (k, s) in signal.days.enumerated() {
            try Cancellation.check()
            figures.add(date: k, day: s)
        }
        let dates = signal.days.map { panel.calendar[$0] }
        return FactorReport(
            name: signal.name, dates: dates, horizons: options.horizons.map { figures.horizon($0, dates: dates, spacing: spacing) },
            decay: options.decayHorizons.map { h in (h, Statistics.mean(figures.ics[h]!.filter(\.isFinite))) },
            topTurnover: Statistics.mean(figures.turnovers), rankAutocorrelation: Statistics.mean(figures.autocorrelations),
            breadth: Statistics.mean(figures.breadths))
    }

    /// Analyses `signal` on `dataset`; with `options.attribution`, adds its top-minus-bottom
    /// book's risk attribution (``spreadAttribution(_:dataset:quantiles:)``).
    public static func analyze(_ signal: FactorSignal, dataset: Dataset, options: FactorOptions = FactorOptions()) throws -> FactorReport {
        var report = try analyze(signal, panel: dataset.panel, options: options)
        if options.attribution { report.attribution = spreadAttribution(signal, dataset: dataset, quantiles: options.quantiles) }
        return report
    }

    /// Analyses several catalog features at once, in parallel (their matrices are the
    /// dataset's, computed once).
    public static func analyze(features names: [String], dataset: Dataset, days: [Int], universe: Universe,
                               options: FactorOptions = FactorOptions()) throws -> [FactorReport] {
        try parallelMap(names.count) { i in
            Result { try analyze(try FactorSignal.feature(names[i], dataset: dataset, days: days, universe: universe), dataset: dataset, options: options) }
        }.map { try $0.get() }
    }

    /// The risk attribution (``RiskAttribution``) of the signal's top-minus-bottom book:
    /// at each scoring close the top quantile long and the bottom quantile short, each
    /// equally weighted and 100% of the book, held to the next scoring close. It says which
    /// style bets the signal makes and how much of its spread they explain. Nil when the
    /// risk model has too little history for any date.
    public static func spreadAttribution(_ signal: FactorSignal, dataset: Dataset, quantiles: Int) -> RiskAttribution? {
        let panel = dataset.panel
        guard signal.days.count >= 2 else { return nil }
        let spacing = max(1, Int(Statistics.median(zip(signal.days, signal.days.dropFirst()).map { Double($1 - $0) }).rounded()))
        let books = signal.days.enumerated().compactMap { k, s -> RiskAttribution.Book? in
            let known = signal.values[k].indices.filter { signal.values[k][$0].isFinite }
            guard known.count >= 2 * quantiles else { return nil }
            let q = quantileIndices(known.map { signal.values[k][$0] }, quantiles: quantiles)
            let top = known.indices.filter { q[$0] == quantiles - 1 }.map { signal.tickers[known[$0]] }
            let bottom = known.indices.filter { q[$0] == 0 }.map { signal.tickers[known[$0]] }
            let end = min(k + 1 < signal.days.count ? signal.days[k + 1] : s + spacing, panel.dayCount - 1)
            guard !top.isEmpty, !bottom.isEmpty, end > s else { return nil }
            return RiskAttribution.Book(date: panel.calendar[s], scoringDay: s, endDay: end, tickers: top + bottom,
                                        weights: top.map { _ in 1 / Double(top.count) } + bottom.map { _ in -1 / Double(bottom.count) })
        }
        return RiskAttribution(books: books, dataset: dataset, periodsPerYear: 252 / Double(spacing))
    }

    /// The quantile (0 = lowest) of each value, as `pandas.qcut(ranks, q)` assigns them:
    /// values ranked 1...n ascending (ties by position), the edges at 1 + (k / q)(n - 1),
    /// rank r in bucket k when edge k < r <= edge k + 1 (the lowest rank in bucket 0). The
    /// sizes come out symmetric (44 names in 5: 9, 9, 8, 9, 9), where cutting at
    /// floor(rank x q / n) left the top bucket short (9, 9, 9, 9, 8).
    public static func quantileIndices(_ values: [Double], quantiles: Int) -> [Int] {
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        var result = [Int](repeating: 0, count: values.count)
        let span = max(values.count - 1, 1)
        for (rank, i) in order.enumerated() {
            // ceil(rank x q / (n - 1)) - 1 with rank counted from 0, in integers.
            result[i] = max(0, (rank * quantiles + span - 1) / span - 1)
        }
        return result
    }

    /// The positions in `values` of the top quantile.
    static func topQuantile(_ values: [Double], quantiles: Int) -> [Int] {
        let q = quantileIndices(values, quantiles: quantiles)
        return q.indices.filter { q[$0] == quantiles - 1 }
    }
}
