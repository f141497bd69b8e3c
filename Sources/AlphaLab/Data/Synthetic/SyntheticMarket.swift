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

    /// The name of the synthetic index's membership as a universe.
    public static let indexName = "index"

    /// A generated market: its prices (with `SPY`, the cap-weighted index, and the
    /// delisting returns of the tickers that went bankrupt or were acquired) and the
    /// index's point-in-time membership.
    public struct Market: Sendable {
        public let panel: Panel
        public let index: Membership
    }

    /// The market a config describes, with its index membership.
    public static func market(_ config: SyntheticMarketConfig = SyntheticMarketConfig()) throws(SyntheticMarketError) -> Market {
        try config.validate()
        var generator = Generator(config: config)
        return generator.run()
    }

    /// The prices of the market a config describes (`SPY` is its index).
    public static func generate(_ config: SyntheticMarketConfig = SyntheticMarketConfig()) throws(SyntheticMarketError) -> Panel {
        try market(config).panel
    }

    /// How a ticker leaves the market, drawn when it is made.
    private enum Exit {
        /// Its last bar (on `day`) closes down by `crash`; holders then get `recovery` on that close.
        case bankruptcy(day: Int, crash: Double, recovery: Double)
        /// Announced on `day` at a `premium`; trades pinned near the deal price to its last bar.
        case acquisition(day: Int, premium: Double)
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
        /// Shares outstanding: market capitalisation is shares x close.
        var shares: Double
        var exit: Exit?
        /// The deal price once an acquisition is announced.
        var dealPrice = Double.nan
    }

    private struct Generator {
        let config: SyntheticMarketConfig
        var rng: RandomSource
        /// Draws of the delistings and sizes: a stream of their own, so the prices of every
        /// day a ticker trades come from the same draws whether or not others have left.
        var events: RandomSource
        let days: [Day]

        init(config: SyntheticMarketConfig) {
            self.config = config
            rng = RandomSource(seed: config.seed)
            events = RandomSource(seed: config.seed ^ 0x5DEE_CE66_D1CE_5EED)
            days = NYSEHolidays.tradingDays(from: config.start, through: config.end)
        }

        /// The last day a ticker has a bar.
        func lastDay(_ s: Stock) -> Int {
            switch s.exit {
            case .bankruptcy(let day, _, _)?: day
            case .acquisition(let day, _)?: min(days.count - 1, day + config.dealDays)
            case nil: days.count - 1
            }
        }

        /// Every ticker's bars and the index's, filled day by day (NaN before listing and after the last bar).
        struct Tape {
            var open: [[Double]], high: [[Double]], low: [[Double]], close: [[Double]], volume: [[Double]], logClose: [[Double]]
            var index: (open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double])

            init(tickers m: Int, days n: Int) {
                open = [[Double]](repeating: [Double](repeating: .nan, count: n), count: m)
                (high, low, close, volume, logClose) = (open, open, open, open, open)
                let empty = [Double](repeating: .nan, count: n)
                index = (empty, empty, empty, empty, empty)
            }
        }

        /// The market factor's GARCH(1,1) state and the crash in progress.
        struct MarketState {
            var variance: Double
            var shock = 0.0
            var crashDaysLeft = 0
        }

        /// The index's point-in-time membership as it is built: members now, when each joined, spells ended.
        struct IndexBook {
            var members = Set<Int>()
            var spells: [(ticker: Int, start: Int, end: Int)] = []
            var joined: [Int: Int] = [:]
            var level = 100.0
        }

        /// Members' capitalisation-weighted sums of one day's moves.
        struct Weighted {
            var total = 0.0, ret = 0.0, overnight = 0.0, upper = 0.0, lower = 0.0, volume = 0.0
        }

        /// GARCH(1,1): persistence 0.98, long-run variance fixed by the annual volatility.
        static let (alpha, beta) = (0.08, 0.90)
        static let perYear = 252.0

        mutating func run() -> Market {
            let n = days.count
            var stocks = makeStocks(dayCount: n)
            let m = stocks.count
            let last = stocks.map(lastDay)
            var tape = Tape(tickers: m, days: n)
            var market = MarketState(variance: pow(config.marketVolatility, 2) / Self.perYear)
            var book = IndexBook()
            var momentumScore = [Double](repeating: 0, count: m)
            for d in 0..<n {
                // Momentum as of the previous close: log close 21 days back over 252 days back.
                computeMomentumScores(&momentumScore, logClose: tape.logClose, day: d)
                reconstitute(&book.members, joined: &book.joined, spells: &book.spells, stocks: stocks, last: last, close: tape.close, day: d)
                let (move, sectorMoves) = marketDay(&market)
                var weighted = Weighted()
                for i in 0..<m {
                    stockDay(&stocks[i], ticker: i, day: d, last: last[i], market: move, marketVariance: market.variance,
                             sectorMoves: sectorMoves, momentum: momentumScore[i], isMember: book.members.contains(i),
                             tape: &tape, weighted: &weighted)
                }
                // A member's last bar is its last day in the index.
                for i in book.members where last[i] == d {
                    book.members.remove(i)
                    book.spells.append((i, book.joined[i]!, d))
                    book.joined[i] = nil
                }
                Self.indexDay(d, weighted: weighted, level: &book.level, tape: &tape)
            }
            for (i, start) in book.joined { book.spells.append((i, start, n - 1)) }
            return assemble(stocks: stocks, last: last, tape: tape, spells: book.spells)
        }

        /// The day's market move (and the state's update) and each sector's move, in the draws' order.
        mutating func marketDay(_ state: inout MarketState) -> (market: Double, sectors: [Double]) {
            let (alpha, beta) = (Self.alpha, Self.beta)
            let longRun = pow(config.marketVolatility, 2) / Self.perYear
            state.variance = longRun * (1 - alpha - beta) + alpha * state.shock * state.shock + beta * state.variance
            var market = config.marketDrift / Self.perYear + state.variance.squareRoot() * rng.studentT(degrees: config.tailDegrees)
            if state.crashDaysLeft == 0 && config.crashProbability > 0 && rng.uniform() < config.crashProbability {
                state.crashDaysLeft = 3 + Int(rng.uniform() * 6)
            }
            if state.crashDaysLeft > 0 {
                // A crash: a few days of -2% to -6% market moves at elevated volatility.
                market += -0.02 - 0.04 * rng.uniform()
                state.crashDaysLeft -= 1
            }
            state.shock = market - config.marketDrift / Self.perYear
            let sectorDaily = config.sectorVolatility / Self.perYear.squareRoot()
            return (market, (0..<config.sectorCount).map { _ in sectorDaily * rng.normal() })
        }

        /// One ticker's day: its draws (taken even past its last bar, so the others' prices do
        /// not depend on who has left), its bar, and its share of the index's day.
        mutating func stockDay(_ s: inout Stock, ticker i: Int, day d: Int, last: Int, market: Double, marketVariance: Double,
                               sectorMoves: [Double], momentum: Double, isMember: Bool, tape: inout Tape, weighted: inout Weighted) {
            guard d >= s.listing else { return }
            let (alpha, beta) = (Self.alpha, Self.beta)
            let longRun = s.dailyVolatility * s.dailyVolatility
            s.variance = longRun * (1 - alpha - beta) + alpha * s.lastShock * s.lastShock + beta * s.variance
            let shock = s.variance.squareRoot() * rng.studentT(degrees: config.tailDegrees)
            let expected = config.momentumPremium / Self.perYear * momentum - config.shortTermReversal * s.lastShock
            let move = s.beta * market + sectorMoves[s.sector] + expected + shock
            var r = config.logReturns ? Foundation.expm1(max(-3, move)) : max(-0.95, move)
            s.lastShock = shock

            // Split the day's log return into an overnight gap and the session's move.
            let dailyVol = (s.variance + marketVariance).squareRoot()
            var overnightNoise = 0.3 * dailyVol * rng.normal()
            let upper = abs(rng.normal()) * 0.5 * dailyVol
            let lower = abs(rng.normal()) * 0.5 * dailyVol
            let volumeNoise = rng.normal()
            guard d <= last else { return }
            let previous = s.close
            Self.applyExit(&s, day: d, shock: shock, r: &r, overnightNoise: &overnightNoise)
            let logReturn = Foundation.log1p(r)
            let overnight = (s.exit.map { if case .acquisition(let day, _) = $0, d >= day { true } else { false } } ?? false)
                ? logReturn + overnightNoise : 0.3 * logReturn + overnightNoise
            let o = previous * Foundation.exp(overnight)
            let c = previous * (1 + r)
            tape.open[i][d] = o
            tape.close[i][d] = c
            tape.high[i][d] = max(o, c) * Foundation.exp(upper)
            tape.low[i][d] = min(o, c) * Foundation.exp(-lower)
            tape.volume[i][d] = (s.baseVolume * Foundation.exp(0.3 * volumeNoise) * (1 + 2 * abs(r) / dailyVol)).rounded()
            tape.logClose[i][d] = Foundation.log(c)
            s.close = c
            // The index: members weighted by their capitalisation at the previous close.
            guard isMember else { return }
            let cap = s.shares * previous
            weighted.total += cap
            weighted.ret += cap * r
            weighted.overnight += cap * (o / previous - 1)
            weighted.upper += cap * upper
            weighted.lower += cap * lower
            weighted.volume += tape.volume[i][d]
        }

        /// A delisting's day: a bankruptcy's crash, an acquisition's announced premium (it opens
        /// at the deal price), then the price pinned to the deal.
        static func applyExit(_ s: inout Stock, day d: Int, shock: Double, r: inout Double, overnightNoise: inout Double) {
            let previous = s.close
            switch s.exit {
            case .bankruptcy(let day, let crash, _)? where day == d:
                r = -crash
            case .acquisition(let day, let premium)? where day == d:
                s.dealPrice = previous * (1 + premium)
                r = premium
                overnightNoise = 0 // announced before the open: it opens at the deal price
            case .acquisition(let day, _)? where d > day:
                // Pinned to the deal price: a twentieth of the usual moves around it.
                r = s.dealPrice * (1 + 0.05 * shock) / previous - 1
                overnightNoise *= 0.05
            default: break
            }
        }

        /// The index's bar of day `d` from its members' weighted moves.
        static func indexDay(_ d: Int, weighted: Weighted, level: inout Double, tape: inout Tape) {
            let k = max(weighted.total, .leastNormalMagnitude)
            let previousLevel = level
            level *= 1 + weighted.ret / k
            let indexOpen = previousLevel * (1 + weighted.overnight / k)
            tape.index.open[d] = indexOpen
            tape.index.close[d] = level
            tape.index.high[d] = max(indexOpen, level) * Foundation.exp(0.3 * weighted.upper / k)
            tape.index.low[d] = min(indexOpen, level) * Foundation.exp(-0.3 * weighted.lower / k)
            tape.index.volume[d] = (weighted.volume / 100).rounded()
        }

        /// The panel (every ticker's bars over its life, SPY the index, the delisting returns) and the index's membership.
        func assemble(stocks: [Stock], last: [Int], tape: Tape, spells: [(ticker: Int, start: Int, end: Int)]) -> Market {
            let n = days.count
            var series: [PriceSeries] = [], info: [TickerInfo] = [], delistings: [String: Double] = [:]
            for (i, s) in stocks.enumerated() {
                let range = s.listing...last[i]
                series.append(PriceSeries(ticker: s.ticker, days: Array(days[range]), open: Array(tape.open[i][range]),
                                          high: Array(tape.high[i][range]), low: Array(tape.low[i][range]),
                                          close: Array(tape.close[i][range]), volume: Array(tape.volume[i][range])))
                let sector = SyntheticMarket.sectors[s.sector].name
                info.append(TickerInfo(ticker: s.ticker, name: "Synthetic \(sector) \(s.ticker.suffix(3))", sector: sector))
                switch s.exit {
                case .bankruptcy(let day, _, let recovery)? where day < n: delistings[s.ticker] = recovery
                // Holders get the deal price for their last close.
                case .acquisition(let day, _)? where last[i] < n - 1 && day < n: delistings[s.ticker] = s.dealPrice / tape.close[i][last[i]] - 1
                default: break
                }
            }
            let index = tape.index
            series.append(PriceSeries(ticker: "SPY", days: days, open: index.open, high: index.high, low: index.low,
                                      close: index.close, volume: index.volume))
            info.append(TickerInfo(ticker: "SPY", name: "Synthetic cap-weighted index", sector: ""))
            let membership = Membership(name: SyntheticMarket.indexName, spells: spells.map { spell in
                Membership.Spell(ticker: stocks[spell.ticker].ticker, start: days[spell.start], end: spell.end == n - 1 ? nil : days[spell.end])
            })
            return Market(panel: Panel(series: series, info: info, delistings: delistings), index: membership)
        }

        /// On the first day and the first trading day of each quarter: ranks the tickers that
        /// traded the day before by capitalisation at that close, keeps members ranked within
        /// the buffer, admits newcomers ranked well inside it, and fills or trims to the size.
        func reconstitute(_ members: inout Set<Int>, joined: inout [Int: Int], spells: inout [(ticker: Int, start: Int, end: Int)],
                          stocks: [Stock], last: [Int], close: [[Double]], day d: Int) {
            let quarterStart = d > 0 && days[d].components.month != days[d - 1].components.month && (days[d].components.month - 1) % 3 == 0
            guard d == 0 || quarterStart else { return }
            let eligible = stocks.indices.filter { i in
                d >= stocks[i].listing && d <= last[i] && (d == 0 || close[i][d - 1].isFinite)
            }
            func cap(_ i: Int) -> Double { stocks[i].shares * (d == 0 ? stocks[i].close : close[i][d - 1]) }
            let ranked = eligible.sorted { cap($0) != cap($1) ? cap($0) > cap($1) : $0 < $1 }
            let size = max(1, Int((config.indexShare * Double(eligible.count)).rounded()))
            let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, $0) })
            var next = members.filter { rank[$0].map { Double($0) < Double(size) * (1 + config.indexBuffer) } ?? false }
            for i in ranked where next.count < size && !next.contains(i) && Double(rank[i]!) < Double(size) * (1 - config.indexBuffer) {
                next.insert(i)
            }
            for i in ranked where next.count < size { next.insert(i) }
            while next.count > size { next.remove(next.max { rank[$0]! < rank[$1]! }!) }
            for i in members.subtracting(next) {
                spells.append((i, joined[i]!, d - 1))
                joined[i] = nil
            }
            for i in next.subtracting(members) { joined[i] = d }
            members = next
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
                    close: 20 * Foundation.exp(1.2 * rng.uniform() + 0.6 * rng.normal()),
                    shares: 1e8 * Foundation.exp(events.normal()),
                    exit: drawExit(listing: listing, dayCount: n)))
            }
            return stocks
        }

        /// The first of a bankruptcy and an acquisition, each striking after an exponential
        /// wait at its yearly rate, counted from a year after listing; nil when neither falls
        /// in the span.
        mutating func drawExit(listing: Int, dayCount n: Int) -> Exit? {
            func wait(_ rate: Double) -> Int {
                let u = events.uniform()
                guard rate > 0 else { return Int.max }
                return listing + 252 + Int(min(1e9, -Foundation.log(1 - u) / rate * 252))
            }
            let bankrupt = wait(config.bankruptcyRate), acquired = wait(config.acquisitionRate)
            let crash = 0.5 + 0.4 * events.uniform(), recovery = -0.3 - 0.6 * events.uniform()
            let premium = config.acquisitionPremium * (0.5 + events.uniform())
            if bankrupt < acquired, bankrupt < n { return .bankruptcy(day: bankrupt, crash: crash, recovery: recovery) }
            if acquired < n - 1 { return .acquisition(day: acquired, premium: premium) }
            return nil
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
