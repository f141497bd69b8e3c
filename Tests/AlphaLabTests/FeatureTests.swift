import AlphaLab
import Foundation
import Testing

/// Features on real data: causality for every feature, and values against plain reference loops.
@Suite struct FeatureTests {
    static let everything = FeatureSet(name: "all", features: FeatureCatalog.all)
    /// 60 real tickers (SPY among them) over 2015..2020: enough for every window and for ranks.
    static let panel: Panel = {
        let full = Fixtures.realStore.panel
        let tickers = Array(full.universe.prefix(59)) + ["SPY"]
        return full.selecting(tickers: tickers).sliced(from: Day("2015-01-01")!, through: Day("2020-12-31")!)
    }()
    static let matrix = try! FeatureMatrix(set: everything, panel: panel)

    @Test(.needsSharedData) func everyFeatureIsCausal() throws {
        // Values at t computed from the history up to t equal those computed from the whole history.
        let full = Self.matrix
        var checked = 0
        for cut in ["2016-03-01", "2017-11-15", "2019-06-28", "2020-03-16"] {
            let panelToT = Self.panel.truncated(through: Day(cut)!)
            let t = panelToT.dayCount - 1
            let truncated = try FeatureMatrix(set: Self.everything, panel: panelToT)
            for f in 0..<full.featureCount {
                for ticker in 0..<full.tickerCount {
                    let a = full.value(feature: f, ticker: ticker, day: t), b = truncated.value(feature: f, ticker: ticker, day: t)
                    if a.bitPattern != b.bitPattern && !(a.isNaN && b.isNaN) {
                        Issue.record("\(full.names[f]) of \(Self.panel.tickers[ticker]) on \(cut): \(a) with the future, \(b) without")
                        return
                    }
                    if !a.isNaN { checked += 1 }
                }
            }
        }
        // Every feature had real values to compare (not a comparison of NaNs).
        #expect(checked > 4 * 50 * full.featureCount)
    }

    @Test(.needsSharedData) func causalityTestCatchesALookAhead() throws {
        // A feature that peeks one day ahead must fail the same comparison.
        let peek = FeatureSet(name: "peek", features: [Feature(name: "NEXT_RET", summary: "tomorrow's return") { b in
            (0..<b.count).map { $0 + 1 < b.count ? b.close[$0 + 1] / b.close[$0] - 1 : .nan }
        }])
        let full = try FeatureMatrix(set: peek, panel: Self.panel)
        let cut = Self.panel.truncated(through: Day("2019-06-28")!)
        let truncated = try FeatureMatrix(set: peek, panel: cut)
        let t = cut.dayCount - 1
        #expect(!full.value(feature: 0, ticker: 0, day: t).isNaN)
        #expect(truncated.value(feature: 0, ticker: 0, day: t).isNaN)
    }

    // MARK: Reference values

    /// The compressed history of one ticker as plain arrays.
    func history(_ ticker: String) -> (c: [Double], h: [Double], l: [Double], v: [Double], t: Int) {
        let t = Self.panel.tickerIndex[ticker]!
        let keep = Self.panel.series(.close, ticker: t).indices.filter { !Self.panel.series(.close, ticker: t)[$0].isNaN }
        func col(_ f: PriceField) -> [Double] { keep.map { Self.panel.series(f, ticker: t)[$0] } }
        return (col(.close), col(.high), col(.low), col(.volume), t)
    }

    func value(_ name: String, _ ticker: Int, _ day: Int) -> Double {
        Double(Self.matrix.value(feature: Self.matrix.names.firstIndex(of: name)!, ticker: ticker, day: day))
    }

    func mean(_ x: ArraySlice<Double>) -> Double { x.reduce(0, +) / Double(x.count) }
    func sd(_ x: ArraySlice<Double>) -> Double {
        let m = mean(x); return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }
    func ema(_ x: [Double], alpha: Double) -> [Double] {
        var y = [x[0]]; for i in 1..<x.count { y.append(alpha * x[i] + (1 - alpha) * y[i - 1]) }; return y
    }

    func expectClose(_ name: String, _ actual: Double, _ expected: Double, _ d: Int) {
        let tolerance = 2e-6 * max(1, abs(expected)) // the matrix holds Float32
        #expect(abs(actual - expected) <= tolerance, "\(name) on day \(d): \(actual) vs reference \(expected)")
    }

    @Test(.needsSharedData, arguments: ["AAPL", "ABT"]) func windowFeaturesMatchReferenceLoops(_ symbol: String) {
        let (c, h, l, v, t) = history(symbol)
        let r = (1..<c.count).map { c[$0] / c[$0 - 1] - 1 }
        let tp = c.indices.map { (h[$0] + l[$0] + c[$0]) / 3 }
        for d in [300, 777, 1500] {
            let i = d
            func chk(_ name: String, _ expected: Double) { expectClose(name, value(name, t, d), expected, d) }
            chk("RET_1D", c[i] / c[i - 1] - 1)
            chk("RET_5D", c[i] / c[i - 5] - 1)
            chk("DIST_SMA50", c[i] / mean(c[(i - 49)...i]) - 1)
            chk("DIST_SMA200", c[i] / mean(c[(i - 199)...i]) - 1)
            chk("TREND_STRENGTH", c[i] / mean(c[(i - 199)...i]) - 1)
            chk("MOM_12_1", c[i - 21] / c[i - 252] - 1)
            chk("MOM_6_1", c[i - 21] / c[i - 126] - 1)
            chk("MOM_3_1", c[i - 21] / c[i - 63] - 1)
            chk("MOM_1M", c[i] / c[i - 21] - 1)
            chk("ROC_20", c[i] / c[i - 20] - 1)
            chk("ROC_60", c[i] / c[i - 60] - 1)
            chk("ROC_10", c[i] / c[i - 10] - 1)
            let bbMid = mean(c[(i - 19)...i]), bbSd = sd(c[(i - 19)...i])
            chk("BB_UPPER", bbMid + 2 * bbSd)
            chk("BB_LOWER", bbMid - 2 * bbSd)
            chk("BB_WIDTH", 4 * bbSd / bbMid)
            chk("BB_PCT_B", (c[i] - (bbMid - 2 * bbSd)) / (4 * bbSd))
            chk("VOLUME_RATIO", mean(v[(i - 4)...i]) / mean(v[(i - 19)...i]))
            chk("VOLUME_TREND", mean(v[(i - 19)...i]) / mean(v[(i - 59)...i]) - 1)
            // r[k] is the return into bar k + 1.
            chk("VOLATILITY", sd(r[(i - 20)...(i - 1)]) * 252.0.squareRoot())
            chk("VOL_RATIO", sd(r[(i - 10)...(i - 1)]) / sd(r[(i - 60)...(i - 1)]))
            let vwap = (i - 19...i).map { tp[$0] * v[$0] }.reduce(0, +) / v[(i - 19)...i].reduce(0, +)
            chk("VWAP_RATIO", c[i] / vwap)
            chk("VWAP_DEV", c[i] / vwap - 1)
            let lo = l[(i - 13)...i].min()!, hi = h[(i - 13)...i].max()!
            chk("STOCH_K", 100 * (c[i] - lo) / (hi - lo))
            let k = (0..<3).map { j -> Double in
                let lo = l[(i - j - 13)...(i - j)].min()!, hi = h[(i - j - 13)...(i - j)].max()!
                return 100 * (c[i - j] - lo) / (hi - lo)
            }
            chk("STOCH_D", k.reduce(0, +) / 3)
            let tpMean = mean(tp[(i - 19)...i])
            let mad = tp[(i - 19)...i].map { abs($0 - tpMean) }.reduce(0, +) / 20
            chk("CCI", (tp[i] - tpMean) / (0.015 * mad))
            var obv = [0.0]
            for j in 1..<c.count { obv.append(obv[j - 1] + (c[j] > c[j - 1] ? v[j] : c[j] < c[j - 1] ? -v[j] : 0)) }
            chk("OBV", obv[i])
            chk("OBV_MOM_10", (obv[i] - obv[i - 10]) / v[(i - 9)...i].reduce(0, +))
        }
    }

    @Test(.needsSharedData, arguments: ["AAPL", "ABT"]) func recursiveFeaturesMatchReferenceLoops(_ symbol: String) {
        let (c, h, l, _, t) = history(symbol)
        // MACD: pandas ewm(span, adjust=False) seeded with the first close.
        let macd = zip(ema(c, alpha: 2.0 / 13), ema(c, alpha: 2.0 / 27)).map(-)
        let signal = ema(macd, alpha: 0.2)
        // RSI and ATR: Wilder smoothing seeded with the first value.
        let diff = (1..<c.count).map { c[$0] - c[$0 - 1] }
        let gain = ema(diff.map { max($0, 0) }, alpha: 1.0 / 14), loss = ema(diff.map { max(-$0, 0) }, alpha: 1.0 / 14)
        let tr = c.indices.map { i in i == 0 ? h[0] - l[0] : max(h[i] - l[i], abs(h[i] - c[i - 1]), abs(l[i] - c[i - 1])) }
        let atr = ema(tr, alpha: 1.0 / 14)
        var plus = [0.0], minus = [0.0]
        for i in 1..<c.count {
            let up = h[i] - h[i - 1], down = l[i - 1] - l[i]
            plus.append(up > down && up > 0 ? up : 0); minus.append(down > up && down > 0 ? down : 0)
        }
        let pdi = zip(ema(plus, alpha: 1.0 / 14), atr).map { 100 * $0 / $1 }
        let mdi = zip(ema(minus, alpha: 1.0 / 14), atr).map { 100 * $0 / $1 }
        let adx = ema(zip(pdi, mdi).map { $0 + $1 == 0 ? 0 : 100 * abs($0 - $1) / ($0 + $1) }, alpha: 1.0 / 14)
        for d in [300, 777, 1500] {
            func chk(_ name: String, _ expected: Double) { expectClose(name, value(name, t, d), expected, d) }
            chk("MACD", macd[d])
            chk("MACD_SIGNAL", signal[d])
            chk("MACD_HIST", macd[d] - signal[d])
            chk("RSI_14", 100 - 100 / (1 + gain[d - 1] / loss[d - 1]))
            chk("ATR", atr[d])
            chk("ATR_PCT", atr[d] / c[d])
            chk("ADX", adx[d])
        }
    }

    @Test(.needsSharedData) func relativeStrengthIsACrossSectionalRank() throws {
        let m = Self.matrix
        let mom = m.names.firstIndex(of: "MOM_12_1")!, rs = m.names.firstIndex(of: "RELATIVE_STRENGTH")!
        let spy = Self.panel.tickerIndex["SPY"]!
        for d in [400, 1200] {
            let universe = (0..<m.tickerCount).filter { $0 != spy && !m.value(feature: mom, ticker: $0, day: d).isNaN }
            let moms = universe.map { m.value(feature: mom, ticker: $0, day: d) }
            for (k, t) in universe.enumerated() {
                let expected = Float(moms.filter { $0 < moms[k] }.count + 1) / Float(universe.count)
                #expect(m.value(feature: rs, ticker: t, day: d) == expected)
            }
            #expect(m.value(feature: rs, ticker: spy, day: d).isNaN) // the benchmark is not ranked
        }
    }

    @Test func namedSetsHaveTheSeedsColumns() throws {
        #expect(FeatureCatalog.legacy.names.count == 15)
        #expect(FeatureCatalog.momentum.names.count == 10)
        #expect(FeatureCatalog.seedDescribed.names.count == 15)
        #expect(throws: FeatureError.self) { try FeatureSet(name: "x", featureNames: ["RSI"]) }
        #expect(throws: FeatureError.self) { try FeatureCatalog.set(named: "legacyy") }
    }
}
