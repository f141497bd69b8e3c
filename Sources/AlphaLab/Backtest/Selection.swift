/// How one period's candidates become its picks. The config's ``Selection`` ranks by score;
/// the verdict's placebo (``MatchedPlacebo``) draws at random with the run's turnover; a
/// caller's rule (``FunctionPickRule``, Lua's `lab.run{select = ...}`) orders them its own
/// way. A rule may keep state from period to period: periods are decided in order, once each.
public protocol PickRule {
    /// The picks of period `period` for `side` of the book, best first, from `candidates`
    /// (the scored members that pass the universe filter, less the other side's picks);
    /// `held`: the tickers held on that side into the decision. A long-short book asks
    /// for its longs, then its shorts.
    mutating func pick(_ candidates: [Selection.Candidate], held: Set<Int>, period: Int, side: Side) throws -> [Selection.Candidate]
    /// What a result's strategy says of the rule, or nil for one that stands in for the
    /// config's selection (the config says it).
    var label: String? { get }
}

extension PickRule {
    public var label: String? { nil }
}

/// Turns scores into picks: rank (descending, or ascending when inverted), drop what
/// the momentum filter rejects, respect the sector cap, keep the first `topN`.
public struct Selection: PickRule, Sendable, Equatable {
    public var topN: Int
    public var invert: Bool
    /// Picks allowed per sector.
    public var sectorLimit: Int
    /// With a value, a candidate needs 12-1 momentum of at least this.
    public var momentumThreshold: Double?
    /// A held name stays while its rank is within `holdBuffer x topN` (1: no buffer).
    public var holdBuffer: Double

    /// The selection `config` asks for.
    public init(config: ExperimentConfig) {
        topN = config.topN
        invert = config.invertSignal
        sectorLimit = config.sectorLimit
        momentumThreshold = config.useMomentumFilter ? config.momentumThreshold : nil
        holdBuffer = config.holdBuffer
    }

    public init(topN: Int, invert: Bool = false, sectorLimit: Int? = nil, momentumThreshold: Double? = nil, holdBuffer: Double = 1) {
        self.topN = topN
        self.invert = invert
        self.sectorLimit = sectorLimit ?? topN
        self.momentumThreshold = momentumThreshold
        self.holdBuffer = holdBuffer
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
    /// one without a known sector is not capped. With a hold buffer above 1, the `held`
    /// tickers ranked within `holdBuffer x topN` are kept first (``buffered(_:held:)``).
    public func pick(_ candidates: [Candidate], held: Set<Int> = []) -> [Candidate] {
        if holdBuffer > 1, !held.isEmpty { return buffered(candidates, held: held) }
        // Most periods need only the best few: rank a prefix of 4 x top_n first and the
        // whole list only when the filter and the sector cap skip past that prefix.
        let prefix = 4 * topN
        if prefix < candidates.count, let picks = pick(candidates, ranked: best(prefix, of: candidates), complete: false) { return picks }
        return pick(candidates, ranked: best(candidates.count, of: candidates), complete: true)!
    }

    public func pick(_ candidates: [Candidate], held: Set<Int>, period: Int, side: Side) -> [Candidate] {
        (side == .long ? self : shorting).pick(candidates, held: held)
    }

    /// The selection of a long-short book's shorts: the worst `topN` by the same signal,
    /// under the same sector cap and hold buffer; the momentum filter is a rule for buying
    /// and leaves shorts alone.
    public var shorting: Selection {
        var s = self
        s.invert.toggle()
        s.momentumThreshold = nil
        return s
    }

    /// Candidates that the momentum filter and the sector cap admit, taken group by group in
    /// order, at most `limit` from each group and `count` in all (a rule that orders
    /// candidates its own way keeps the config's filters).
    public func admitting(_ groups: [(candidates: [Candidate], limit: Int)], count: Int) -> [Candidate] {
        var admission = Admission(selection: self), picks: [Candidate] = []
        for group in groups {
            var taken = 0
            for c in group.candidates where picks.count < count && taken < group.limit {
                if admission.admit(c) { picks.append(c); taken += 1 }
            }
        }
        return picks
    }

    /// Walks `ranked` (positions in `candidates`, best first) through the filter and the
    /// sector cap; nil when the list runs out before top_n picks and it is not `complete`.
    private func pick(_ candidates: [Candidate], ranked: [Int], complete: Bool) -> [Candidate]? {
        var admission = Admission(selection: self), picks: [Candidate] = []
        for position in ranked where picks.count < topN {
            if admission.admit(candidates[position]) { picks.append(candidates[position]) }
        }
        return picks.count == topN || complete ? picks : nil
    }

    /// The rank buffer: held tickers ranked within `holdBuffer x topN` stay (best first,
    /// through the filter and the sector cap), then the best of the others fill the free
    /// slots; the picks come back best first. Practitioners damp turnover this way: a name
    /// that slips from 9th to 12th of a top 10 is not sold to buy the new 10th.
    private func buffered(_ candidates: [Candidate], held: Set<Int>) -> [Candidate] {
        let ranked = best(candidates.count, of: candidates)
        let reach = Int((holdBuffer * Double(topN)).rounded(.down))
        var admission = Admission(selection: self)
        var chosen = Set<Int>()
        for position in ranked.prefix(reach) where chosen.count < topN && held.contains(candidates[position].ticker) {
            if admission.admit(candidates[position]) { chosen.insert(position) }
        }
        for position in ranked where chosen.count < topN && !chosen.contains(position) {
            if admission.admit(candidates[position]) { chosen.insert(position) }
        }
        return ranked.filter(chosen.contains).map { candidates[$0] }
    }

    /// The momentum filter and the sector cap, as picks are admitted one by one.
    private struct Admission {
        let selection: Selection
        var perSector: [String: Int] = [:]

        mutating func admit(_ c: Candidate) -> Bool {
            if let threshold = selection.momentumThreshold, !(c.momentum >= threshold) { return false }
            guard !c.sector.isEmpty else { return true }
            if perSector[c.sector, default: 0] >= selection.sectorLimit { return false }
            perSector[c.sector, default: 0] += 1
            return true
        }
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
