/// How many names a run chose among: its universe, the distinct tickers the universe held
/// at its decisions, the mean number at a decision, and whether `--limit` cut the data.
/// Cards and pages state it, so that a run on 50 tickers is not read as one on the S&P 500.
public struct UniverseSize: Sendable, Equatable, Codable {
    public var universe: String
    /// Distinct tickers that were members at some decision.
    public var tickers: Int
    /// Members at a decision, on average.
    public var meanMembers: Double
    /// When `--limit` (or `limit=`) kept only the first tickers of the data.
    public var limit: TickerLimit?

    enum CodingKeys: String, CodingKey {
        case universe, tickers, meanMembers = "mean_members", limit
    }

    public init(universe: String, tickers: Int, meanMembers: Double, limit: TickerLimit?) {
        self.universe = universe
        self.tickers = tickers
        self.meanMembers = meanMembers
        self.limit = limit
    }

    /// The size of `universe` on `dataset` at the scoring days `days` (calendar positions).
    public init(universe name: String, dataset: Dataset, days: [Int]) throws {
        let universe = try dataset.universe(named: name)
        var seen = Set<Int>(), members = 0
        for d in days {
            let m = universe.members(day: d)
            members += m.count
            seen.formUnion(m)
        }
        self.init(universe: name, tickers: seen.count, meanMembers: days.isEmpty ? 0 : Double(members) / Double(days.count),
                  limit: dataset.limit)
    }

    /// The size for a result recorded before results kept it: measured again on `dataset`.
    public init(result: ExperimentResult, dataset: Dataset) throws {
        try self.init(universe: result.config.universe, dataset: dataset,
                      days: result.periods.compactMap { dataset.panel.calendar.index(of: $0.scoringDate) })
    }

    /// "universe sp500: 49 members at a decision on average, 62 tickers over the run; --limit kept 50 of 505 tickers".
    public var summary: String {
        "universe \(universe): \(Format.num(meanMembers, "%.0f")) members at a decision on average, \(tickers) tickers over the run"
            + (limit.map { "; --limit kept \($0.kept) of \($0.available) tickers" } ?? "")
    }
}

/// A dataset cut to its first tickers (`--limit N`, `lab.read_csv{limit=N}`).
public struct TickerLimit: Sendable, Equatable, Codable {
    /// Tickers kept, of those the source held.
    public var kept: Int
    public var available: Int

    public init(kept: Int, available: Int) {
        self.kept = kept
        self.available = available
    }
}
