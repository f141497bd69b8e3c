/// A feature set computed for a whole panel: one Float32 row per (date, ticker).
///
/// Rows are date-major (`(day * tickerCount + ticker) * featureCount + feature`), so
/// the rows of a span of dates, the unit of training, are one contiguous block,
/// and so are the rows scored on one decision date. NaN marks a value that is
/// not known yet (warm-up) or a ticker without a bar.
public struct FeatureMatrix: Sendable {
    /// Feature names, in column order.
    public let names: [String]
    public let dayCount: Int
    public let tickerCount: Int
    /// The values, date-major.
    public let values: [Float]

    /// The number of features.
    public var featureCount: Int { names.count }

    /// One value.
    public func value(feature f: Int, ticker t: Int, day d: Int) -> Float {
        values[(d * tickerCount + t) * names.count + f]
    }

    /// The row of a ticker on a date.
    public func row(ticker t: Int, day d: Int) -> ArraySlice<Float> {
        let start = (d * tickerCount + t) * names.count
        return values[start..<(start + names.count)]
    }

    /// Computes `set` for every ticker and date of `panel`, tickers in parallel.
    ///
    /// Each ticker's indicators run over the days on which it has a bar (so a
    /// missing day is skipped, not treated as a price), and are placed back on
    /// the panel's calendar. Cross-sectional ranks are taken on each date over the
    /// members of `universe` that day, or over every ticker but the benchmark; a
    /// non-member has no rank that day.
    public init(set: FeatureSet, panel: Panel, universe: Universe? = nil) throws(FeatureError) {
        let n = panel.dayCount, m = panel.tickerCount, f = set.features.count
        var values = [Float](repeating: .nan, count: n * m * f)
        let ranked = set.features.indices.filter {
            if case .crossSectionalRank = set.features[$0].computation { return true } else { return false }
        }
        // Per ticker: its per-ticker features straight into the matrix, and the bases
        // of cross-sectional features into a side buffer for the ranking pass.
        var bases = [[Double]](repeating: [], count: ranked.count)
        for r in bases.indices { bases[r].reserveCapacity(m * n) }
        let failure: FeatureError? = values.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendable(buffer)
            let perTicker = parallelMap(m) { t in Self.tickerFeatures(t, set: set, panel: panel, into: out) }
            for result in perTicker {
                switch result {
                case .success(let b): for r in ranked.indices { bases[r].append(contentsOf: b[r]) }
                case .failure(let error): return error
                }
            }
            for (r, k) in ranked.enumerated() { Self.rank(bases[r], feature: k, of: f, panel: panel, universe: universe, into: out) }
            return nil
        }
        if let failure { throw failure }
        self.names = set.names
        self.dayCount = n
        self.tickerCount = m
        self.values = values
    }

    /// Writes ticker `t`'s per-ticker features into `out` (days x tickers x features);
    /// returns the bases of its cross-sectional features on the whole calendar.
    private static func tickerFeatures(_ t: Int, set: FeatureSet, panel: Panel,
                                       into out: UnsafeSendable<UnsafeMutableBufferPointer<Float>>) -> Result<[[Double]], FeatureError> {
        let n = panel.dayCount, m = panel.tickerCount, f = set.features.count
        let (days, bars) = compressedBars(panel, ticker: t)
        var tickerBases: [[Double]] = []
        for (k, feature) in set.features.enumerated() {
            let series: [Double]
            switch feature.computation {
            case .perTicker(let compute): series = compute(bars)
            case .crossSectionalRank(let base): series = base(bars)
            }
            guard series.count == bars.count else {
                return .failure(.wrongLength(feature: feature.name, expected: bars.count, got: series.count))
            }
            if case .crossSectionalRank = feature.computation {
                var full = [Double](repeating: .nan, count: n)
                for (i, d) in days.enumerated() { full[d] = series[i] }
                tickerBases.append(full)
            } else {
                for (i, d) in days.enumerated() { out.value[(d * m + t) * f + k] = Float(series[i]) }
            }
        }
        return .success(tickerBases)
    }

    /// The ranking pass of cross-sectional feature `k` (of `f`): per date, the percentile
    /// rank of `base` (tickers x days) among the day's members with a value.
    private static func rank(_ base: [Double], feature k: Int, of f: Int, panel: Panel, universe: Universe?,
                             into out: UnsafeSendable<UnsafeMutableBufferPointer<Float>>) {
        let n = panel.dayCount, m = panel.tickerCount
        let tradable = panel.tickers.indices.filter { panel.tickers[$0] != panel.benchmark }
        let base = UnsafeSendable(base)
        _ = parallelMap(n) { d -> Void in
            let members = universe?.members(day: d) ?? tradable
            let entries = members.compactMap { t -> (Int, Double)? in
                let v = base.value[t * n + d]
                return v.isFinite ? (t, v) : nil
            }
            for (t, rank) in percentileRanks(entries) { out.value[(d * m + t) * f + k] = Float(rank) }
        }
    }

    /// A ticker's bars on the days it traded, and their positions in the panel's calendar.
    static func compressedBars(_ panel: Panel, ticker t: Int) -> (days: [Int], bars: Bars) {
        let close = panel.series(.close, ticker: t)
        let days = close.indices.filter { !close[$0].isNaN }.map { $0 - close.startIndex }
        func column(_ field: PriceField) -> [Double] {
            let s = panel.series(field, ticker: t)
            return days.map { s[s.startIndex + $0] }
        }
        return (days, Bars(open: column(.open), high: column(.high), low: column(.low), close: column(.close), volume: column(.volume)))
    }
}

/// Percentile ranks in (0, 1] with ties sharing their average rank (pandas `rank(pct=True)`).
func percentileRanks(_ entries: [(Int, Double)]) -> [(Int, Double)] {
    let sorted = entries.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    var result: [(Int, Double)] = []
    result.reserveCapacity(sorted.count)
    var i = 0
    let count = Double(sorted.count)
    while i < sorted.count {
        var j = i
        while j + 1 < sorted.count && sorted[j + 1].1 == sorted[i].1 { j += 1 }
        let rank = (Double(i + 1) + Double(j + 1)) / 2 / count
        for k in i...j { result.append((sorted[k].0, rank)) }
        i = j + 1
    }
    return result
}
