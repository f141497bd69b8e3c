/// Who belonged to a named universe (an index) and when: spells per ticker, the way
/// Qlib keeps every instrument list. A ticker is a member on each day from a spell's
/// start through its end, both included; an open spell (no end) runs on.
public struct Membership: Sendable, Equatable {
    /// One continuous stay of a ticker in the universe.
    public struct Spell: Sendable, Equatable, Hashable {
        public var ticker: String
        public var start: Day
        /// The last day as a member; nil while still a member.
        public var end: Day?

        public init(ticker: String, start: Day, end: Day?) {
            self.ticker = ticker
            self.start = start
            self.end = end
        }

        /// Whether `day` falls in the spell.
        public func contains(_ day: Day) -> Bool { day >= start && (end.map { day <= $0 } ?? true) }
    }

    /// The universe's name (`sp500`, `index`, ...).
    public var name: String
    /// The spells, sorted by ticker and start.
    public private(set) var spells: [Spell]

    /// A universe from its spells (in any order).
    public init(name: String, spells: [Spell]) {
        self.name = name
        self.spells = spells.sorted { ($0.ticker, $0.start) < ($1.ticker, $1.start) }
    }

    /// Every ticker that was ever a member, sorted.
    public var tickers: [String] { Array(Set(spells.map(\.ticker))).sorted() }

    /// The first day of any spell.
    public var first: Day? { spells.map(\.start).min() }

    /// The last day of any closed spell, or nil when some spell is still open.
    public var last: Day? { spells.contains { $0.end == nil } ? nil : spells.compactMap(\.end).max() }

    /// The members on `day`, sorted.
    public func members(on day: Day) -> [String] {
        var result: [String] = []
        for s in spells where s.contains(day) && result.last != s.ticker { result.append(s.ticker) }
        return result
    }

    /// Whether `ticker` was a member on `day`.
    public func isMember(_ ticker: String, on day: Day) -> Bool {
        spells.contains { $0.ticker == ticker && $0.contains(day) }
    }

    /// A hash of the name and every spell: training cache keys use it.
    public var fingerprint: String {
        var hash = Fingerprint()
        hash.add("membership:" + name)
        for s in spells { hash.add("\(s.ticker) \(s.start) \(s.end?.description ?? "-")") }
        return hash.hex
    }

    /// Member counts on the first day of each year from the first spell through `through`
    /// (or the latest date any spell names): how the universe's size changed.
    public func sizeByYear(through end: Day? = nil) -> [(year: Int, members: Int)] {
        guard let first else { return [] }
        let latest = spells.map { max($0.start, $0.end ?? $0.start) }.max()!
        let lastYear = (end ?? latest).components.year
        return (first.components.year...max(first.components.year, lastYear)).map { year in
            let day = year == first.components.year ? first : Day(year: year, month: 1, day: 1)!
            return (year, members(on: day).count)
        }
    }
}
