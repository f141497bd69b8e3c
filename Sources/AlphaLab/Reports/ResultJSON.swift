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
}

extension KeyedDecodingContainer {
    /// Decodes a number, NaN where it is null.
    func decodeNumber(forKey key: Key) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? .nan
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
        try c.encodeNumber(score, forKey: .score)
        try c.encodeNumber(netReturn, forKey: .return)
        try c.encode(stopped, forKey: .stopped)
        try c.encodeNumber(weight, forKey: .weight)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ticker: try c.decode(String.self, forKey: .ticker), sector: try c.decode(String.self, forKey: .sector),
                  score: try c.decodeNumber(forKey: .score), netReturn: try c.decodeNumber(forKey: .return),
                  stopped: try c.decode(Bool.self, forKey: .stopped), weight: try c.decodeNumber(forKey: .weight))
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
        try c.encodeNumber(netReturn, forKey: .return)
        try c.encodeNumber(picksReturn, forKey: .picksReturn)
        try c.encodeNumber(spyReturn, forKey: .spyReturn)
        try c.encodeNumber(equity, forKey: .equity)
        try c.encode(cashReason, forKey: .cashReason)
        try c.encode(retrained, forKey: .retrained)
        try c.encodeNumber(ic, forKey: .ic)
        try c.encode(picks, forKey: .picks)
        try c.encodeNumber(traded, forKey: .traded)
        try c.encodeNumber(turnover, forKey: .turnover)
        try c.encodeNumber(costs, forKey: .costs)
        try c.encodeNumber(unfilled, forKey: .unfilled)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(date: try c.decode(Day.self, forKey: .date), exitDate: try c.decode(Day.self, forKey: .exitDate),
                  scoringDate: try c.decode(Day.self, forKey: .scoringDate), netReturn: try c.decodeNumber(forKey: .return),
                  picksReturn: try c.decodeNumber(forKey: .picksReturn), spyReturn: try c.decodeNumber(forKey: .spyReturn),
                  equity: try c.decodeNumber(forKey: .equity),
                  cashReason: try c.decodeIfPresent(ExperimentResult.CashReason.self, forKey: .cashReason),
                  retrained: try c.decode(Bool.self, forKey: .retrained), ic: try c.decodeNumber(forKey: .ic),
                  picks: try c.decode([ExperimentResult.Pick].self, forKey: .picks),
                  traded: try c.decodeNumber(forKey: .traded), turnover: try c.decodeNumber(forKey: .turnover),
                  costs: try c.decodeNumber(forKey: .costs), unfilled: try c.decodeNumber(forKey: .unfilled))
    }
}

extension ExperimentResult.RetrainPeriod: Codable {
    enum CodingKeys: String, CodingKey { case start, end, periods, totalReturn = "total_return", sharpe, meanIC = "mean_ic" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(periods, forKey: .periods)
        try c.encodeNumber(totalReturn, forKey: .totalReturn)
        try c.encodeNumber(sharpe, forKey: .sharpe)
        try c.encodeNumber(meanIC, forKey: .meanIC)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(start: try c.decode(Day.self, forKey: .start), end: try c.decode(Day.self, forKey: .end),
                  periods: try c.decode(Int.self, forKey: .periods), totalReturn: try c.decodeNumber(forKey: .totalReturn),
                  sharpe: try c.decodeNumber(forKey: .sharpe), meanIC: try c.decodeNumber(forKey: .meanIC))
    }
}

extension ExperimentResult: Codable {
    enum CodingKeys: String, CodingKey {
        // The seed's names first.
        case name, totalReturn = "total_return", cagr, sharpe, maxDrawdown = "max_drawdown", winRate = "win_rate"
        case spyReturn = "spy_return", excessReturn = "excess_return", weeksTraded = "weeks_traded", finalValue = "final_value"
        // The rest.
        case volatility, sortino, calmar, periodsCount = "periods_count", excessTStat = "excess_t_stat"
        case yearlyReturns = "yearly_returns", turnover, nameTurnover = "name_turnover"
        case execution, costDrag = "cost_drag", costsPaid = "costs_paid", holdingDays = "holding_days", unfilledFraction = "unfilled_fraction"
        case directionalAccuracy = "directional_accuracy", meanIC = "mean_ic", icTStat = "ic_t_stat", hitRate = "hit_rate", icPeriods = "ic_periods"
        case signalTiming = "signal_timing", warnings, strategy, startDate = "start_date", endDate = "end_date"
        case retrains, dataFingerprint = "data_fingerprint", alphalabVersion = "alphalab_version", config
        case retrainPeriods = "retrain_periods", weeks, explanation
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeNumber(metrics.totalReturn, forKey: .totalReturn)
        try c.encodeNumber(metrics.cagr, forKey: .cagr)
        try c.encodeNumber(metrics.sharpe, forKey: .sharpe)
        try c.encodeNumber(metrics.maxDrawdown, forKey: .maxDrawdown)
        try c.encodeNumber(metrics.winRate, forKey: .winRate)
        try c.encodeNumber(spyReturn, forKey: .spyReturn)
        try c.encodeNumber(excessReturn, forKey: .excessReturn)
        try c.encode(weeksTraded, forKey: .weeksTraded)
        try c.encodeNumber(finalValue, forKey: .finalValue)
        try c.encodeNumber(metrics.volatility, forKey: .volatility)
        try c.encodeNumber(metrics.sortino, forKey: .sortino)
        try c.encodeNumber(metrics.calmar, forKey: .calmar)
        try c.encode(metrics.periods, forKey: .periodsCount)
        try c.encodeNumber(excessTStat, forKey: .excessTStat)
        var yearly = c.nestedContainer(keyedBy: AnyKey.self, forKey: .yearlyReturns)
        for (year, r) in yearlyReturns.sorted(by: { $0.key < $1.key }) { try yearly.encodeNumber(r, forKey: AnyKey(String(year))) }
        try c.encodeNumber(turnover, forKey: .turnover)
        try c.encodeNumber(nameTurnover, forKey: .nameTurnover)
        try c.encode(config.execution, forKey: .execution)
        try c.encodeNumber(costDrag, forKey: .costDrag)
        try c.encodeNumber(costsPaid, forKey: .costsPaid)
        try c.encodeNumber(holdingDays, forKey: .holdingDays)
        try c.encodeNumber(unfilledFraction, forKey: .unfilledFraction)
        try c.encodeNumber(quality.directionalAccuracy, forKey: .directionalAccuracy)
        try c.encodeNumber(quality.meanIC, forKey: .meanIC)
        try c.encodeNumber(quality.icTStat, forKey: .icTStat)
        try c.encodeNumber(quality.hitRate, forKey: .hitRate)
        try c.encode(quality.periods, forKey: .icPeriods)
        try c.encode(config.signalTiming, forKey: .signalTiming)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(startDate, forKey: .startDate)
        try c.encode(endDate, forKey: .endDate)
        try c.encode(retrains, forKey: .retrains)
        try c.encode(dataFingerprint, forKey: .dataFingerprint)
        try c.encode(AlphaLabVersion.string, forKey: .alphalabVersion)
        try c.encode(config, forKey: .config)
        try c.encode(retrainPeriods, forKey: .retrainPeriods)
        try c.encode(periods, forKey: .weeks)
        try c.encodeIfPresent(explanation, forKey: .explanation)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var config = try c.decode(ExperimentConfig.self, forKey: .config)
        // Results recorded before execution models existed were the seed's round trips.
        if try c.nestedContainer(keyedBy: AnyKey.self, forKey: .config).allKeys.allSatisfy({ $0.stringValue != "execution" }) {
            config.execution = .roundTrip
        }
        let periods = try c.decode([Period].self, forKey: .weeks)
        var metrics = PerformanceMetrics(returns: [], years: 0)
        metrics.totalReturn = try c.decodeNumber(forKey: .totalReturn)
        metrics.cagr = try c.decodeNumber(forKey: .cagr)
        metrics.volatility = try c.decodeNumber(forKey: .volatility)
        metrics.sharpe = try c.decodeNumber(forKey: .sharpe)
        metrics.sortino = try c.decodeNumber(forKey: .sortino)
        metrics.maxDrawdown = try c.decodeNumber(forKey: .maxDrawdown)
        metrics.calmar = try c.decodeNumber(forKey: .calmar)
        metrics.winRate = try c.decodeNumber(forKey: .winRate)
        metrics.periods = try c.decode(Int.self, forKey: .periodsCount)
        let yearlyContainer = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .yearlyReturns)
        var yearly: [Int: Double] = [:]
        for key in yearlyContainer.allKeys { if let year = Int(key.stringValue) { yearly[year] = try yearlyContainer.decodeNumber(forKey: key) } }
        self.init(
            name: try c.decode(String.self, forKey: .name), config: config, strategy: try c.decode(String.self, forKey: .strategy),
            metrics: metrics, spyReturn: try c.decodeNumber(forKey: .spyReturn), excessReturn: try c.decodeNumber(forKey: .excessReturn),
            excessTStat: try c.decodeNumber(forKey: .excessTStat), weeksTraded: try c.decode(Int.self, forKey: .weeksTraded),
            finalValue: try c.decodeNumber(forKey: .finalValue), yearlyReturns: yearly,
            nameTurnover: try c.decodeNumber(forKey: .nameTurnover), turnover: try c.decodeNumber(forKey: .turnover),
            costDrag: try c.decodeNumber(forKey: .costDrag), costsPaid: try c.decodeNumber(forKey: .costsPaid),
            holdingDays: try c.decodeNumber(forKey: .holdingDays), unfilledFraction: try c.decodeNumber(forKey: .unfilledFraction),
            quality: PredictionQuality(directionalAccuracy: try c.decodeNumber(forKey: .directionalAccuracy),
                                       meanIC: try c.decodeNumber(forKey: .meanIC), icTStat: try c.decodeNumber(forKey: .icTStat),
                                       hitRate: try c.decodeNumber(forKey: .hitRate), periods: try c.decode(Int.self, forKey: .icPeriods)),
            periods: periods, retrainPeriods: try c.decode([RetrainPeriod].self, forKey: .retrainPeriods),
            retrains: try c.decode(Int.self, forKey: .retrains), warnings: try c.decode([String].self, forKey: .warnings),
            dataFingerprint: try c.decode(String.self, forKey: .dataFingerprint),
            explanation: try c.decodeIfPresent(Explanation.self, forKey: .explanation))
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
