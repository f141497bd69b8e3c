/// Turns scores into picks: rank (descending, or ascending when inverted), drop what
/// the momentum filter rejects, respect the sector cap, keep the first `topN`.
public struct Selection: Sendable, Equatable {
    public var topN: Int
    public var invert: Bool
    /// Picks allowed per sector.
    public var sectorLimit: Int
    /// With a value, a candidate needs 12-1 momentum of at least this.
    public var momentumThreshold: Double?

    /// The selection `config` asks for.
    public init(config: ExperimentConfig) {
        topN = config.topN
        invert = config.invertSignal
        sectorLimit = config.sectorLimit
        momentumThreshold = config.useMomentumFilter ? config.momentumThreshold : nil
    }

    public init(topN: Int, invert: Bool = false, sectorLimit: Int? = nil, momentumThreshold: Double? = nil) {
        self.topN = topN
        self.invert = invert
        self.sectorLimit = sectorLimit ?? topN
        self.momentumThreshold = momentumThreshold
    }

    /// A ticker that could be bought this period.
    public struct Candidate: Sendable, Equatable {
        public var ticker: Int
        /// The scorer's value (before any inversion).
        public var score: Double
        /// 12-1 momentum at the scoring close (NaN when unknown or not needed).
        public var momentum: Double
        public var sector: String

        public init(ticker: Int, score: Double, momentum: Double = .nan, sector: String = "") {
            self.ticker = ticker
            self.score = score
            self.momentum = momentum
            self.sector = sector
        }
    }

    /// The ranking key: the score, negated when inverted.
    public func signal(_ c: Candidate) -> Double { invert ? -c.score : c.score }

    /// The picks, best first. Ties rank by ticker position, so results never depend on
    /// the order candidates arrive in. A candidate with unknown momentum fails the filter;
    /// one without a known sector is not capped.
    public func pick(_ candidates: [Candidate]) -> [Candidate] {
        // Most periods need only the best few: rank a prefix of 4 x top_n first and the
        // whole list only when the filter and the sector cap skip past that prefix.
        let prefix = 4 * topN
        if prefix < candidates.count, let picks = pick(candidates, ranked: best(prefix, of: candidates), complete: false) { return picks }
        return pick(candidates, ranked: best(candidates.count, of: candidates), complete: true)!
    }

    /// Walks `ranked` (positions in `candidates`, best first) through the filter and the
    /// sector cap; nil when the list runs out before top_n picks and it is not `complete`.
    private func pick(_ candidates: [Candidate], ranked: [Int], complete: Bool) -> [Candidate]? {
        var picks: [Candidate] = [], perSector: [String: Int] = [:]
        for position in ranked {
            let c = candidates[position]
            if picks.count == topN { break }
            if let momentumThreshold, !(c.momentum >= momentumThreshold) { continue }
            if !c.sector.isEmpty {
                if perSector[c.sector, default: 0] >= sectorLimit { continue }
                perSector[c.sector, default: 0] += 1
            }
            picks.append(c)
        }
        return picks.count == topN || complete ? picks : nil
    }

    /// The positions of the `count` best candidates, best first: higher signal, then lower
    /// ticker position (a total order, so a prefix equals the full ranking's first entries).
    private func best(_ count: Int, of candidates: [Candidate]) -> [Int] {
        func better(_ a: (signal: Double, ticker: Int), than b: (signal: Double, ticker: Int)) -> Bool {
            a.signal != b.signal ? a.signal > b.signal : a.ticker < b.ticker
        }
        let keys = candidates.map { (signal: signal($0), ticker: $0.ticker) }
        guard count < candidates.count else { return keys.indices.sorted { better(keys[$0], than: keys[$1]) } }
        // A sorted list of the best so far: most candidates lose to its last entry at once.
        var kept: [Int] = []
        kept.reserveCapacity(count + 1)
        for i in keys.indices {
            if kept.count == count, !better(keys[i], than: keys[kept[count - 1]]) { continue }
            var slot = kept.count
            while slot > 0, better(keys[i], than: keys[kept[slot - 1]]) { slot -= 1 }
            kept.insert(i, at: slot)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }
}

/// Which tickers may be bought at all: price and liquidity floors and exclusions,
/// judged on data up to the scoring close.
public struct UniverseFilter: Sendable, Equatable {
    public var minPrice: Double
    public var minDollarVolume: Double
    public var excludedTickers: Set<String>
    public var excludedSectors: Set<String>

    /// The filter `config` asks for.
    public init(config: ExperimentConfig) {
        minPrice = config.minPrice
        minDollarVolume = config.minDollarVolume
        excludedTickers = Set(config.excludeTickers)
        excludedSectors = Set(config.excludeSectors)
    }

    /// Whether ticker `t` passes on scoring day `s`.
    public func admits(_ panel: Panel, ticker t: Int, scoringDay s: Int) -> Bool {
        if !excludedTickers.isEmpty, excludedTickers.contains(panel.tickers[t]) { return false }
        if !excludedSectors.isEmpty, excludedSectors.contains(panel.sector(ofTicker: t)) { return false }
        if minPrice > 0, !(panel.value(.close, ticker: t, day: s) >= minPrice) { return false }
        if minDollarVolume > 0, !(Liquidity.dollarVolume(panel, ticker: t, day: s) >= minDollarVolume) { return false }
        return true
    }
}
