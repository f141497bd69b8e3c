/// How much of a point-in-time universe the prices cover: per year, the share of its
/// members on the given days that have a bar that day. A member without prices (it left
/// the index and the data set) cannot be bought, so a run on the universe still chooses
/// among members that survived into the data: coverage below 100% is survivorship left in.
public struct UniverseCoverage: Sendable, Equatable, Codable {
    /// One year's figures.
    public struct Year: Sendable, Equatable, Codable {
        public var year: Int
        /// Member-days counted, and those with a bar.
        public var memberDays: Int
        public var covered: Int
        /// covered / memberDays.
        public var share: Double { memberDays == 0 ? 1 : Double(covered) / Double(memberDays) }

        public init(year: Int, memberDays: Int, covered: Int) {
            self.year = year
            self.memberDays = memberDays
            self.covered = covered
        }
    }

    public init(universe: String, years: [Year]) {
        self.universe = universe
        self.years = years
    }

    /// The share of a year's member-days below which a run's coverage is a warning.
    public static let warningShare = 0.95

    /// The universe's name.
    public var universe: String
    public var years: [Year]

    /// The coverage of `membership` by `panel` on calendar positions `days` (a run's decision days).
    public init(_ membership: Membership, panel: Panel, days: [Int]) {
        self.init(membership, dates: days.map { panel.calendar[$0] }) { ticker, k in
            panel.tickerIndex[ticker].map { panel.value(.close, ticker: $0, day: days[k]).isFinite } ?? false
        }
    }

    /// The coverage of `membership` on `dates`, where `hasBar(ticker, k)` says whether the
    /// member `ticker` had a bar on `dates[k]` (a panel's bars, or a store's price spans).
    public init(_ membership: Membership, dates: [Day], hasBar: (_ ticker: String, _ k: Int) -> Bool) {
        universe = membership.name
        var byYear: [Int: Year] = [:]
        for (k, date) in dates.enumerated() {
            let members = membership.members(on: date)
            var year = byYear[date.year] ?? Year(year: date.year, memberDays: 0, covered: 0)
            year.memberDays += members.count
            year.covered += members.filter { hasBar($0, k) }.count
            byYear[date.year] = year
        }
        years = byYear.values.sorted { $0.year < $1.year }
    }

    /// The year with the lowest share, if any.
    public var worst: Year? { years.min { $0.share < $1.share } }
}

// One shape wherever coverage is kept (a result's JSON, a verdict's, Lua): each year's
// `member_days`, `covered` and the `share` they give.
extension UniverseCoverage.Year {
    enum CodingKeys: String, CodingKey { case year, memberDays = "member_days", covered, share }
    /// The key verdicts kept before the shape was shared.
    private enum EarlierKeys: String, CodingKey { case memberDays }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, count) in [(CodingKeys.year, year), (.memberDays, memberDays), (.covered, covered)] { try c.encode(count, forKey: key) }
        try c.encode(share, forKey: .share)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let memberDays = c.contains(.memberDays) ? try c.decode(Int.self, forKey: .memberDays)
            : try decoder.container(keyedBy: EarlierKeys.self).decode(Int.self, forKey: .memberDays)
        self.init(year: try c.decode(Int.self, forKey: .year), memberDays: memberDays, covered: try c.decode(Int.self, forKey: .covered))
    }
}
