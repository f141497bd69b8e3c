import Foundation

/// Generates a deterministic synthetic stock market (see ``SyntheticMarketConfig``).
public enum SyntheticMarket {
    /// The GICS sector names, with the ticker prefix used for each.
    static let sectors: [(name: String, prefix: String)] = [
        ("Information Technology", "TEC"), ("Health Care", "HLT"), ("Financials", "FIN"),
        ("Consumer Discretionary", "CDS"), ("Industrials", "IND"), ("Communication Services", "COM"),
        ("Consumer Staples", "CST"), ("Energy", "ENR"), ("Materials", "MAT"), ("Utilities", "UTL"),
        ("Real Estate", "REA"),
    ]

    /// The market a config describes, with `SPY` as its equal-weighted index.
    public static func generate(_ config: SyntheticMarketConfig = SyntheticMarketConfig()) throws(SyntheticMarketError) -> Panel {
        try config.validate()
        var generator = Generator(config: config)
        return generator.run()
    }

    private struct Stock {
        var ticker: String
        var sector: Int
        var beta: Double
        var dailyVolatility: Double
        var baseVolume: Double
        var listing: Int
        var variance: Double
        var lastShock = 0.0
        var close: Double
    }

    private struct Generator {
        let config: SyntheticMarketConfig
        var rng: RandomSource
        let days: [Day]

        init(config: SyntheticMarketConfig) {
            self.config = config
            rng = RandomSource(seed: config.seed)
            days = NYSEHolidays.tradingDays(from: config.start, through: config.end)
        }

        mutating func run() -> Panel {
            let n = days.count
            let perYear = 252.0
            var stocks = makeStocks(dayCount: n)
            let m = stocks.count
            // Columns per ticker, NaN before listing.
            var open = [[Double]](repeating: [Double](repeating: .nan, count: n), count: m)
            var high = open, low = open, close = open, volume = open
            var logClose = open
            var index = (open: [Double](repeating: .nan, count: n), high: [Double](repeating: .nan, count: n),
                         low: [Double](repeating: .nan, count: n), close: [Double](repeating: .nan, count: n),
                         volume: [Double](repeating: .nan, count: n))

            // GARCH(1,1): persistence 0.98, long-run variance fixed by the annual volatility.
            let (alpha, beta) = (0.08, 0.90)
            let marketLongRun = pow(config.marketVolatility, 2) / perYear
            var marketVariance = marketLongRun
            var marketShock = 0.0
            var crashDaysLeft = 0
            let sectorDaily = config.sectorVolatility / perYear.squareRoot()
            var momentumScore = [Double](repeating: 0, count: m)
            var indexLevel = 100.0

            for d in 0..<n {
                // Momentum as of the previous close: log close 21 days back over 252 days back.
                computeMomentumScores(&momentumScore, logClose: logClose, day: d)

                marketVariance = marketLongRun * (1 - alpha - beta) + alpha * marketShock * marketShock + beta * marketVariance
                var market = config.marketDrift / perYear + marketVariance.squareRoot() * rng.studentT(degrees: config.tailDegrees)
                if crashDaysLeft == 0 && config.crashProbability > 0 && rng.uniform() < config.crashProbability {
                    crashDaysLeft = 3 + Int(rng.uniform() * 6)
                }
                if crashDaysLeft > 0 {
                    // A crash: a few days of -2% to -6% market moves at elevated volatility.
                    market += -0.02 - 0.04 * rng.uniform()
                    crashDaysLeft -= 1
                }
                marketShock = market - config.marketDrift / perYear
                let sectorMoves = (0..<config.sectorCount).map { _ in sectorDaily * rng.normal() }

                var indexReturn = 0.0, indexOvernight = 0.0, indexUpper = 0.0, indexLower = 0.0, indexVolume = 0.0
                var live = 0
                for i in 0..<m {
                    guard d >= stocks[i].listing else { continue }
                    var s = stocks[i]
                    let longRun = s.dailyVolatility * s.dailyVolatility
                    s.variance = longRun * (1 - alpha - beta) + alpha * s.lastShock * s.lastShock + beta * s.variance
                    let shock = s.variance.squareRoot() * rng.studentT(degrees: config.tailDegrees)
                    let expected = config.momentumPremium / perYear * momentumScore[i] - config.shortTermReversal * s.lastShock
                    let r = max(-0.95, s.beta * market + sectorMoves[s.sector] + expected + shock)
                    s.lastShock = shock

                    // Split the day's log return into an overnight gap and the session's move.
                    let logReturn = Foundation.log1p(r)
                    let dailyVol = (s.variance + marketVariance).squareRoot()
                    let overnight = 0.3 * logReturn + 0.3 * dailyVol * rng.normal()
                    let previous = s.close
                    let o = previous * Foundation.exp(overnight)
                    let c = previous * (1 + r)
                    let upper = abs(rng.normal()) * 0.5 * dailyVol
                    let lower = abs(rng.normal()) * 0.5 * dailyVol
                    open[i][d] = o
                    close[i][d] = c
                    high[i][d] = max(o, c) * Foundation.exp(upper)
                    low[i][d] = min(o, c) * Foundation.exp(-lower)
                    volume[i][d] = (s.baseVolume * Foundation.exp(0.3 * rng.normal()) * (1 + 2 * abs(r) / dailyVol)).rounded()
                    logClose[i][d] = Foundation.log(c)
                    s.close = c
                    stocks[i] = s

                    indexReturn += r
                    indexOvernight += o / previous - 1
                    indexUpper += upper
                    indexLower += lower
                    indexVolume += volume[i][d]
                    live += 1
                }
                // SPY: the equal-weighted index of the listed constituents.
                let k = Double(max(live, 1))
                let previousLevel = indexLevel
                indexLevel *= 1 + indexReturn / k
                let indexOpen = previousLevel * (1 + indexOvernight / k)
                index.open[d] = indexOpen
                index.close[d] = indexLevel
                index.high[d] = max(indexOpen, indexLevel) * Foundation.exp(0.3 * indexUpper / k)
                index.low[d] = min(indexOpen, indexLevel) * Foundation.exp(-0.3 * indexLower / k)
                index.volume[d] = (indexVolume / 100).rounded()
            }

            var series: [PriceSeries] = []
            var info: [TickerInfo] = []
            for (i, s) in stocks.enumerated() {
                let from = s.listing
                series.append(PriceSeries(ticker: s.ticker, days: Array(days[from...]), open: Array(open[i][from...]),
                                          high: Array(high[i][from...]), low: Array(low[i][from...]),
                                          close: Array(close[i][from...]), volume: Array(volume[i][from...])))
                let sector = SyntheticMarket.sectors[s.sector].name
                info.append(TickerInfo(ticker: s.ticker, name: "Synthetic \(sector) \(s.ticker.suffix(3))", sector: sector))
            }
            series.append(PriceSeries(ticker: "SPY", days: days, open: index.open, high: index.high, low: index.low,
                                      close: index.close, volume: index.volume))
            info.append(TickerInfo(ticker: "SPY", name: "Synthetic equal-weighted index", sector: ""))
            return Panel(series: series, info: info)
        }

        mutating func makeStocks(dayCount n: Int) -> [Stock] {
            var stocks: [Stock] = []
            var perSector = [Int](repeating: 0, count: config.sectorCount)
            for i in 0..<config.tickerCount {
                let sector = i % config.sectorCount
                perSector[sector] += 1
                let annualVol = config.idiosyncraticVolatility * Foundation.exp(0.35 * rng.normal())
                let daily = min(annualVol, 1.5) / 252.0.squareRoot()
                let late = rng.uniform() < config.lateListingShare
                // Late listings arrive within the first 60% of the span, so each has years of history.
                let listing = late ? Int(rng.uniform() * 0.6 * Double(n)) : 0
                stocks.append(Stock(
                    ticker: SyntheticMarket.sectors[sector].prefix + String(format: "%03d", perSector[sector]),
                    sector: sector,
                    beta: Foundation.exp(0.25 * rng.normal()),
                    dailyVolatility: daily,
                    baseVolume: (1_000_000 * Foundation.exp(0.8 * rng.normal())).rounded(),
                    listing: listing,
                    variance: daily * daily,
                    close: 20 * Foundation.exp(1.2 * rng.uniform() + 0.6 * rng.normal())))
            }
            return stocks
        }

        /// Cross-sectional z-scores (clipped to +-3) of 12-1 month momentum as of the close
        /// before `day`; zero for tickers with less than a year of history.
        func computeMomentumScores(_ scores: inout [Double], logClose: [[Double]], day d: Int) {
            guard config.momentumPremium != 0 else { return }
            let last = d - 1 - 21, first = d - 1 - 252
            var values: [(Int, Double)] = []
            for i in scores.indices {
                scores[i] = 0
                guard first >= 0 else { continue }
                let a = logClose[i][first], b = logClose[i][last]
                if a.isFinite && b.isFinite { values.append((i, b - a)) }
            }
            guard values.count >= 2 else { return }
            let mean = values.reduce(0) { $0 + $1.1 } / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1.1 - mean) * ($1.1 - mean) } / Double(values.count - 1)).squareRoot()
            guard sd > 0 else { return }
            for (i, v) in values { scores[i] = min(3, max(-3, (v - mean) / sd)) }
        }
    }
}
