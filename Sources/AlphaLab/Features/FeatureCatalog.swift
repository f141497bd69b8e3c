import Foundation

/// Every built-in feature, and the named sets of the seed project.
///
/// Definitions are the standard ones (Wilder smoothing for RSI, ATR and ADX;
/// pandas-style `ewm(span:, adjust: false)` for MACD; sample standard deviations).
/// Price-unit indicators (MACD, ATR, OBV, Bollinger bands) are left in price units,
/// as the seed computed them.
public enum FeatureCatalog {
    typealias K = Kernels

    // MARK: Building blocks

    static func dailyReturns(_ b: Bars) -> [Double] { K.change(b.close, 1) }

    static func trueRange(_ b: Bars) -> [Double] {
        each(b.count) { i in
            let range = b.high[i] - b.low[i]
            guard i > 0 else { return range }
            return max(range, abs(b.high[i] - b.close[i - 1]), abs(b.low[i] - b.close[i - 1]))
        }
    }

    static func typicalPrice(_ b: Bars) -> [Double] { each(b.count) { (b.high[$0] + b.low[$0] + b.close[$0]) / 3 } }

    static func macd(_ b: Bars) -> [Double] { zipMap(K.ewm(b.close, span: 12), K.ewm(b.close, span: 26), -) }

    static func signalLine(_ macd: [Double]) -> [Double] { K.ewm(macd, span: 9) }

    static func bollinger(_ b: Bars) -> (mid: [Double], upper: [Double], lower: [Double]) {
        let mid = K.mean(b.close, 20), sd = K.standardDeviation(b.close, 20)
        return (mid, zipMap(mid, sd) { $0 + 2 * $1 }, zipMap(mid, sd) { $0 - 2 * $1 })
    }

    static func obv(_ b: Bars) -> [Double] {
        var total = 0.0
        return each(b.count) { i in
            if i > 0 { total += b.close[i] > b.close[i - 1] ? b.volume[i] : b.close[i] < b.close[i - 1] ? -b.volume[i] : 0 }
            return total
        }
    }

    static func vwap(_ b: Bars, _ window: Int) -> [Double] {
        let tpv = zipMap(typicalPrice(b), b.volume, *)
        return zipMap(K.sum(tpv, window), K.sum(b.volume, window), /)
    }

    static func atr(_ b: Bars) -> [Double] { K.wilder(trueRange(b), 14) }

    /// `close[t-21] / close[t-lookback] - 1`: momentum skipping the latest month.
    static func skipMonthMomentum(_ b: Bars, _ lookback: Int) -> [Double] {
        zipMap(K.lag(b.close, 21), K.lag(b.close, lookback)) { $0 / $1 - 1 }
    }

    static func stochasticK(_ b: Bars) -> [Double] {
        let lo = K.minimum(b.low, 14), hi = K.maximum(b.high, 14)
        return each(b.count) { 100 * (b.close[$0] - lo[$0]) / (hi[$0] - lo[$0]) }
    }

    static func directional(_ b: Bars) -> (plus: [Double], minus: [Double]) {
        var plus = [Double](repeating: 0, count: b.count), minus = plus
        for i in 1..<max(b.count, 1) {
            let up = b.high[i] - b.high[i - 1], down = b.low[i - 1] - b.low[i]
            plus[i] = up > down && up > 0 ? up : 0
            minus[i] = down > up && down > 0 ? down : 0
        }
        let atr = atr(b)
        return (zipMap(K.wilder(plus, 14), atr) { 100 * $0 / $1 }, zipMap(K.wilder(minus, 14), atr) { 100 * $0 / $1 })
    }

    /// Replaces infinities (a division by a zero volume or range) by NaN: "unknown", not "huge".
    static func finite(_ x: [Double]) -> [Double] { x.map { $0.isFinite ? $0 : .nan } }

    /// `[f(0), f(1), ..., f(n - 1)]`.
    static func each(_ n: Int, _ f: (Int) -> Double) -> [Double] { (0..<n).map(f) }

    static func make(_ name: String, _ summary: String, _ compute: @escaping @Sendable (Bars) -> [Double]) -> Feature {
        Feature(name: name, summary: summary, compute: { finite(compute($0)) })
    }

    // MARK: The catalog

    /// All built-in features, by name.
    public static let all: [Feature] = [
        // The seed's legacy ("mean-reversion") set.
        make("RSI_14", "Relative strength index, 14 days (Wilder)") { b in
            let d = each(b.count) { $0 > 0 ? b.close[$0] - b.close[$0 - 1] : .nan }
            let gain = K.wilder(d.map { $0.isNaN ? .nan : max($0, 0) }, 14)
            let loss = K.wilder(d.map { $0.isNaN ? .nan : max(-$0, 0) }, 14)
            return zipMap(gain, loss) { g, l in l == 0 ? (g.isNaN ? .nan : 100) : 100 - 100 / (1 + g / l) }
        },
        make("MACD", "EMA(12) - EMA(26) of the close, in price units") { macd($0) },
        make("MACD_SIGNAL", "EMA(9) of MACD") { signalLine(macd($0)) },
        make("MACD_HIST", "MACD - its signal line") { b in let m = macd(b); return zipMap(m, signalLine(m), -) },
        make("BB_WIDTH", "Bollinger band width (20 days, 2 sd) over the middle band") { b in
            let bb = bollinger(b); return each(b.count) { (bb.upper[$0] - bb.lower[$0]) / bb.mid[$0] }
        },
        make("DIST_SMA50", "close / SMA(50) - 1") { b in zipMap(b.close, K.mean(b.close, 50)) { $0 / $1 - 1 } },
        make("DIST_SMA200", "close / SMA(200) - 1") { b in zipMap(b.close, K.mean(b.close, 200)) { $0 / $1 - 1 } },
        make("RET_1D", "1-day return") { K.change($0.close, 1) },
        make("RET_5D", "5-day return") { K.change($0.close, 5) },
        make("OBV_MOM_10", "10-day change of on-balance volume over the 10-day volume") { b in
            let o = obv(b); return zipMap(zipMap(o, K.lag(o, 10), -), K.sum(b.volume, 10), /)
        },
        make("VOLUME_RATIO", "SMA(5) / SMA(20) of volume") { b in zipMap(K.mean(b.volume, 5), K.mean(b.volume, 20), /) },
        make("VWAP_DEV", "close / 20-day VWAP - 1") { b in zipMap(b.close, vwap(b, 20)) { $0 / $1 - 1 } },
        make("ATR_PCT", "ATR(14) / close") { b in zipMap(atr(b), b.close, /) },
        make("BB_PCT_B", "Bollinger %B: (close - lower) / (upper - lower)") { b in
            let bb = bollinger(b); return each(b.count) { (b.close[$0] - bb.lower[$0]) / (bb.upper[$0] - bb.lower[$0]) }
        },
        make("VOL_RATIO", "stdev of daily returns, 10 days / 60 days") { b in
            let r = dailyReturns(b); return zipMap(K.standardDeviation(r, 10), K.standardDeviation(r, 60), /)
        },

        // The seed's momentum set.
        make("MOM_12_1", "close 21 days ago / close 252 days ago - 1") { skipMonthMomentum($0, 252) },
        make("MOM_6_1", "close 21 days ago / close 126 days ago - 1") { skipMonthMomentum($0, 126) },
        make("MOM_3_1", "close 21 days ago / close 63 days ago - 1") { skipMonthMomentum($0, 63) },
        make("MOM_1M", "21-day return") { K.change($0.close, 21) },
        make("ROC_20", "20-day rate of change") { K.change($0.close, 20) },
        make("ROC_60", "60-day rate of change") { K.change($0.close, 60) },
        make("TREND_STRENGTH", "close / SMA(200) - 1") { b in zipMap(b.close, K.mean(b.close, 200)) { $0 / $1 - 1 } },
        Feature.crossSectionalRank(name: "RELATIVE_STRENGTH", summary: "percentile rank of MOM_12_1 across the universe on each date") {
            skipMonthMomentum($0, 252)
        },
        make("VOLUME_TREND", "SMA(20) / SMA(60) of volume - 1") { b in zipMap(K.mean(b.volume, 20), K.mean(b.volume, 60)) { $0 / $1 - 1 } },
        make("VOLATILITY", "20-day stdev of daily returns x sqrt(252)") { b in
            K.standardDeviation(dailyReturns(b), 20).map { $0 * 252.0.squareRoot() }
        },

        // Indicators the seed's text names but its code never computed.
        make("STOCH_K", "Stochastic %K (14 days)") { stochasticK($0) },
        make("STOCH_D", "Stochastic %D: SMA(3) of %K") { K.mean(finite(stochasticK($0)), 3) },
        make("ADX", "Average directional index (14 days, Wilder)") { b in
            let di = directional(b)
            let dx = zipMap(di.plus, di.minus) { p, m in p + m == 0 ? 0 : 100 * abs(p - m) / (p + m) }
            return K.wilder(dx, 14)
        },
        make("CCI", "Commodity channel index (20 days)") { b in
            let tp = typicalPrice(b)
            return zipMap(zipMap(tp, K.mean(tp, 20), -), K.meanAbsoluteDeviation(tp, 20)) { $0 / (0.015 * $1) }
        },
        make("ATR", "Average true range (14 days, Wilder), in price units") { atr($0) },
        make("OBV", "On-balance volume (cumulative from the first bar)") { obv($0) },
        make("BB_UPPER", "Upper Bollinger band (20 days, 2 sd)") { bollinger($0).upper },
        make("BB_LOWER", "Lower Bollinger band (20 days, 2 sd)") { bollinger($0).lower },
        make("VWAP_RATIO", "close / 20-day VWAP") { b in zipMap(b.close, vwap(b, 20), /) },
        make("ROC_10", "10-day rate of change") { K.change($0.close, 10) },
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Every built-in feature name.
    public static var names: [String] { all.map(\.name) }

    /// A built-in feature by name.
    public static func feature(named name: String) -> Feature? { byName[name] }

    /// The seed's 15 legacy indicators (DESIGN.md's list).
    public static let legacy = try! FeatureSet(name: "legacy", featureNames: [
        "RSI_14", "MACD", "MACD_SIGNAL", "MACD_HIST", "BB_WIDTH", "DIST_SMA50", "DIST_SMA200", "RET_1D", "RET_5D",
        "OBV_MOM_10", "VOLUME_RATIO", "VWAP_DEV", "ATR_PCT", "BB_PCT_B", "VOL_RATIO",
    ])

    /// The seed's 10 momentum features.
    public static let momentum = try! FeatureSet(name: "momentum", featureNames: [
        "MOM_12_1", "MOM_6_1", "MOM_3_1", "MOM_1M", "ROC_20", "ROC_60", "TREND_STRENGTH", "RELATIVE_STRENGTH",
        "VOLUME_TREND", "VOLATILITY",
    ])

    /// The 15 indicators the seed's plan lists (`FEATURE_COLUMNS`), which its code never computed.
    public static let seedDescribed = try! FeatureSet(name: "seed_described", featureNames: [
        "RSI_14", "MACD", "MACD_SIGNAL", "MACD_HIST", "BB_UPPER", "BB_LOWER", "BB_WIDTH", "ATR", "OBV",
        "VWAP_RATIO", "ROC_10", "STOCH_K", "STOCH_D", "ADX", "CCI",
    ])

    /// The named sets.
    public static let sets: [FeatureSet] = [legacy, momentum, seedDescribed]

    /// A named set; throws listing the known sets.
    public static func set(named name: String) throws(FeatureError) -> FeatureSet {
        guard let set = sets.first(where: { $0.name == name }) else { throw .unknownSet(name, known: sets.map(\.name)) }
        return set
    }
}
