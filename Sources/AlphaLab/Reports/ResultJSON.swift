import Foundation

// Results encode to JSON whose top-level names are the seed's results file's
// (name, total_return, cagr, sharpe, max_drawdown, win_rate, spy_return,
// excess_return, weeks_traded, final_value), plus the rest of the result.
// Returns are fractions (0.25 is +25%). Numbers that do not exist (a Sharpe ratio
// of a constant series) are null, never the invalid JSON literal NaN.

extension KeyedEncodingContainer {
    /// Encodes a number, or null when it is not finite.
    mutating func encodeNumber(_ x: Double, forKey key: Key) throws {
        if x.isFinite { try encode(x, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Encodes each number under its key (null where not finite).
    mutating func encodeNumbers(_ numbers: KeyValuePairs<Key, Double>) throws {
        for (key, x) in numbers { try encodeNumber(x, forKey: key) }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a number, NaN where it is null.
    func decodeNumber(forKey key: Key) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? .nan
    }

    /// Decodes the numbers under `keys`, in order (NaN where null).
    func decodeNumbers(_ keys: Key...) throws -> [Double] {
        try keys.map { try decodeNumber(forKey: $0) }
    }
}

extension Day: Codable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a YYYY-MM-DD date")
        }
        self = day
    }
}

extension ConfigValue: Codable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .map(let m): try c.encode(m)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([ConfigValue].self) { self = .list(l) }
        else { self = .map(try c.decode([String: ConfigValue].self)) }
    }
}

extension ExperimentConfig: Codable {
    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let values = try [String: ConfigValue](from: decoder)
        do { try self.init(values: values) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}

extension ExperimentResult.Pick: Codable {
    enum CodingKeys: String, CodingKey { case ticker, sector, score, `return`, stopped, weight }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ticker, forKey: .ticker)
        try c.encode(sector, forKey: .sector)
        try c.encode(stopped, forKey: .stopped)
        try c.encodeNumbers([.score: score, .return: netReturn, .weight: weight])
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decodeNumbers(.score, .return, .weight)
        self.init(ticker: try c.decode(String.self, forKey: .ticker), sector: try c.decode(String.self, forKey: .sector),
                  score: n[0], netReturn: n[1], stopped: try c.decode(Bool.self, forKey: .stopped), weight: n[2])
    }
}

extension ExperimentResult.Period: Codable {
    enum CodingKeys: String, CodingKey {
        case date, exitDate = "exit_date", scoringDate = "scoring_date", `return`, picksReturn = "picks_return"
        case spyReturn = "spy_return", equity, cashReason = "cash_reason", retrained, ic, picks
        case traded, turnover, costs, unfilled
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(exitDate, forKey: .exitDate)
        try c.encode(scoringDate, forKey: .scoringDate)
        try c.encode(cashReason, forKey: .cashReason)
        try c.encode(retrained, forKey: .retrained)
        try c.encode(picks, forKey: .picks)
        try c.encodeNumbers([.return: netReturn, .picksReturn: picksReturn, .spyReturn: spyReturn, .equity: equity, .ic: ic,
                             .traded: traded, .turnover: turnover, .costs: costs, .unfilled: unfilled])
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decodeNumbers(.return, .picksReturn, .spyReturn, .equity, .ic, .traded, .turnover, .costs, .unfilled)
        self.init(date: try c.decode(Day.self, forKey: .date), exitDate: try c.decode(Day.self, forKey: .exitDate),
                  scoringDate: try c.decode(Day.self, forKey: .scoringDate), netReturn: n[0], picksReturn: n[1], spyReturn: n[2],
                  equity: n[3], cashReason: try c.decodeIfPresent(ExperimentResult.CashReason.self, forKey: .cashReason),
                  retrained: try c.decode(Bool.self, forKey: .retrained), ic: n[4],
                  picks: Self.decodesPicks(decoder) ? try c.decode([ExperimentResult.Pick].self, forKey: .picks) : [],
                  traded: n[5], turnover: n[6], costs: n[7], unfilled: n[8])
    }

    /// Whether the period `decoder` reads keeps its picks: always, unless the result is
    /// read as an outline (``ExperimentResult/init(outlineJSON:keepingPicksOf:)``), which
    /// keeps only a window's (the period's position is the last key of its coding path).
    private static func decodesPicks(_ decoder: any Decoder) -> Bool {
        guard let window = decoder.userInfo[.picksKept] as? Range<Int> else { return true }
        return decoder.codingPath.last?.intValue.map(window.contains) ?? false
    }
}

extension ExperimentResult.RetrainPeriod: Codable {
    enum CodingKeys: String, CodingKey { case start, end, periods, totalReturn = "total_return", sharpe, meanIC = "mean_ic" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(periods, forKey: .periods)
        try c.encodeNumbers([.totalReturn: totalReturn, .sharpe: sharpe, .meanIC: meanIC])
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decodeNumbers(.totalReturn, .sharpe, .meanIC)
        self.init(start: try c.decode(Day.self, forKey: .start), end: try c.decode(Day.self, forKey: .end),
                  periods: try c.decode(Int.self, forKey: .periods), totalReturn: n[0], sharpe: n[1], meanIC: n[2])
    }
}

extension ExperimentResult: Codable {
    /// The structured parts; every scalar figure is a ``ResultField`` and encodes under its key.
    enum StructuredKey: String {
        case yearlyReturns = "yearly_returns", warnings, alphalabVersion = "alphalab_version", config
        case retrainPeriods = "retrain_periods", weeks, explanation, coverage, universeSize = "universe_size", attribution

        var key: AnyKey { AnyKey(rawValue) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for field in ResultField.all {
            let key = AnyKey(field.key)
            switch field.value(of: self) {
            case .number(let x)?: try c.encodeNumber(x, forKey: key)
            case .integer(let n)?: try c.encode(n, forKey: key)
            case .text(let s)?: try c.encode(s, forKey: key)
            case nil: try c.encodeNil(forKey: key)
            }
        }
        var yearly = c.nestedContainer(keyedBy: AnyKey.self, forKey: StructuredKey.yearlyReturns.key)
        for (year, r) in yearlyReturns.sorted(by: { $0.key < $1.key }) { try yearly.encodeNumber(r, forKey: AnyKey(String(year))) }
        try c.encode(warnings, forKey: StructuredKey.warnings.key)
        try c.encode(AlphaLabVersion.string, forKey: StructuredKey.alphalabVersion.key)
        try c.encode(config, forKey: StructuredKey.config.key)
        try c.encode(retrainPeriods, forKey: StructuredKey.retrainPeriods.key)
        try c.encode(periods, forKey: StructuredKey.weeks.key)
        try c.encodeIfPresent(explanation, forKey: StructuredKey.explanation.key)
        try c.encodeIfPresent(universeSize, forKey: StructuredKey.universeSize.key)
        try c.encodeIfPresent(attribution, forKey: StructuredKey.attribution.key)
        try c.encodeIfPresent(coverage, forKey: StructuredKey.coverage.key)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var config = try c.decode(ExperimentConfig.self, forKey: StructuredKey.config.key)
        // Results recorded before execution models existed were the seed's round trips.
        if try c.nestedContainer(keyedBy: AnyKey.self, forKey: StructuredKey.config.key).allKeys.allSatisfy({ $0.stringValue != "execution" }) {
            config.execution = .roundTrip
        }
        let yearlyContainer = try c.nestedContainer(keyedBy: AnyKey.self, forKey: StructuredKey.yearlyReturns.key)
        var yearly: [Int: Double] = [:]
        for key in yearlyContainer.allKeys { if let year = Int(key.stringValue) { yearly[year] = try yearlyContainer.decodeNumber(forKey: key) } }
        self.init(
            name: "", config: config, strategy: "", metrics: PerformanceMetrics(returns: [], years: 0), spyReturn: .nan, excessReturn: .nan,
            excessTStat: .nan, weeksTraded: 0, finalValue: .nan, yearlyReturns: yearly, nameTurnover: .nan, turnover: .nan,
            costDrag: .nan, costsPaid: .nan, holdingDays: .nan, unfilledFraction: .nan,
            quality: PredictionQuality(directionalAccuracy: .nan, meanIC: .nan, icTStat: .nan, hitRate: .nan, periods: 0),
            periods: try c.decode([Period].self, forKey: StructuredKey.weeks.key),
            retrainPeriods: try c.decode([RetrainPeriod].self, forKey: StructuredKey.retrainPeriods.key),
            retrains: 0, warnings: try c.decode([String].self, forKey: StructuredKey.warnings.key), dataFingerprint: "",
            explanation: try c.decodeIfPresent(Explanation.self, forKey: StructuredKey.explanation.key))
        coverage = try c.decodeIfPresent(UniverseCoverage.self, forKey: StructuredKey.coverage.key)
        universeSize = try c.decodeIfPresent(UniverseSize.self, forKey: StructuredKey.universeSize.key)
        attribution = try c.decodeIfPresent(RiskAttribution.self, forKey: StructuredKey.attribution.key)
        for field in ResultField.all {
            guard let write = field.writer else { continue }
            let key = AnyKey(field.key)
            switch field.kind {
            case .number: write(&self, .number(try c.decodeNumber(forKey: key)))
            case .integer: write(&self, .integer(try c.decode(Int.self, forKey: key)))
            case .string: write(&self, .text(try c.decode(String.self, forKey: key)))
            }
        }
    }

    /// The result as JSON text (keys sorted within objects, so equal results give equal bytes).
    public func json(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A result from its JSON text.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(ExperimentResult.self, from: json)
    }

    /// A result from its JSON text without its picks, except those of the periods at
    /// `window` (positions in ``periods``): every other period's `picks` is empty. Picks are
    /// most of a long run's document (a ten-year weekly run holds 5,000) and of its decoding
    /// time; a page that shows a few periods' picks reads the outline with theirs in one
    /// pass, and another window's with ``picks(json:periods:)``.
    public init(outlineJSON json: Data, keepingPicksOf window: Range<Int> = 0..<0) throws {
        let decoder = JSONDecoder()
        decoder.userInfo[.picksKept] = window
        self = try decoder.decode(ExperimentResult.self, from: json)
    }

    /// The picks of the periods at `periods` (positions in ``periods``) of the result whose
    /// JSON text is `json`, decoding no other period's.
    public static func picks(json: Data, periods: Range<Int>) throws -> [[Pick]] {
        try JSONDecoder().decode(PicksWindow.self, from: json, configuration: periods).picks
    }
}

extension CodingUserInfoKey {
    /// The periods whose picks an outline keeps (``ExperimentResult/init(outlineJSON:keepingPicksOf:)``).
    static let picksKept = CodingUserInfoKey(rawValue: "alphalab.picksKept")!
}

/// The picks of a window of a result's periods, read from its JSON text.
private struct PicksWindow: DecodableWithConfiguration {
    private struct PeriodPicks: Decodable { let picks: [ExperimentResult.Pick] }
    /// A period outside the window: read past, nothing decoded.
    private struct Skipped: Decodable { init(from decoder: any Decoder) {} }

    var picks: [[ExperimentResult.Pick]] = []

    init(from decoder: any Decoder, configuration window: Range<Int>) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var periods = try c.nestedUnkeyedContainer(forKey: ExperimentResult.StructuredKey.weeks.key)
        var index = 0
        while !periods.isAtEnd, index < window.upperBound {
            if window.contains(index) { picks.append(try periods.decode(PeriodPicks.self).picks) } else { _ = try periods.decode(Skipped.self) }
            index += 1
        }
    }
}

extension Explanation: Codable {
    enum CodingKeys: String, CodingKey { case tickers, scores, horizonScores = "horizon_scores", importance }

    /// Rows of scores with null for NaN.
    private static func encoded(_ rows: [[Float]]) -> [[Float?]] { rows.map { $0.map { $0.isFinite ? $0 : nil } } }
    private static func decoded(_ rows: [[Float?]]) -> [[Float]] { rows.map { $0.map { $0 ?? .nan } } }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tickers, forKey: .tickers)
        try c.encode(Self.encoded(scores), forKey: .scores)
        var horizons = c.nestedContainer(keyedBy: AnyKey.self, forKey: .horizonScores)
        for (h, rows) in horizonScores.sorted(by: { $0.key < $1.key }) { try horizons.encode(Self.encoded(rows), forKey: AnyKey(String(h))) }
        try c.encode(importance, forKey: .importance)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let horizons = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .horizonScores)
        var byHorizon: [Int: [[Float]]] = [:]
        for key in horizons.allKeys { if let h = Int(key.stringValue) { byHorizon[h] = Self.decoded(try horizons.decode([[Float?]].self, forKey: key)) } }
        self.init(tickers: try c.decode([String].self, forKey: .tickers), scores: Self.decoded(try c.decode([[Float?]].self, forKey: .scores)),
                  horizonScores: byHorizon, importance: try c.decode([Importance].self, forKey: .importance))
    }
}

extension Explanation.Importance: Codable {
    enum CodingKeys: String, CodingKey { case date, horizon, features, gain, meanAbsoluteSHAP = "mean_abs_shap", rows }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(horizon, forKey: .horizon)
        try c.encode(features, forKey: .features)
        try c.encode(gain.map { $0.isFinite ? $0 : 0 }, forKey: .gain)
        try c.encode(meanAbsoluteSHAP.map { $0.isFinite ? $0 : 0 }, forKey: .meanAbsoluteSHAP)
        try c.encode(rows, forKey: .rows)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(date: try c.decode(Day.self, forKey: .date), horizon: try c.decode(Int.self, forKey: .horizon),
                  features: try c.decode([String].self, forKey: .features), gain: try c.decode([Double].self, forKey: .gain),
                  meanAbsoluteSHAP: try c.decode([Double].self, forKey: .meanAbsoluteSHAP), rows: try c.decode(Int.self, forKey: .rows))
    }
}

/// A coding key made at run time (years as keys).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
