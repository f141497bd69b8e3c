/// A dynamically typed config value, as a script or a JSON file supplies it.
public enum ConfigValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([ConfigValue])
    /// A table with keys; numeric keys arrive as their decimal text ("1", "20").
    case map([String: ConfigValue])

    /// The value as people read it: `10`, `0.25`, `all`, `true`, `[Energy, Utilities]`, `{1 = 0.5, 20 = 0.2}`.
    public var display: String {
        switch self {
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map(\.display).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.sorted { (Int($0.key) ?? 0, $0.key) < (Int($1.key) ?? 0, $1.key) }.map { "\($0.key) = \($0.value.display)" }
            .joined(separator: ", ") + "}"
        }
    }

    /// The name of the value's type, as messages show it.
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "boolean"
        case .list: "list"
        case .map: "table"
        }
    }
}

/// One settable field of ``ExperimentConfig``: its name, type, default and meaning.
public struct ConfigField: Sendable {
    /// The seed's snake_case name.
    public let key: String
    /// The expected type, as help and messages show it.
    public let type: String
    /// What the field does.
    public let summary: String
    let read: @Sendable (ExperimentConfig) -> ConfigValue
    let write: @Sendable (inout ExperimentConfig, ConfigValue) throws(ConfigError) -> Void

    /// The field's value in `config`.
    public func value(in config: ExperimentConfig) -> ConfigValue { read(config) }
}

extension ExperimentConfig {
    /// Every field, in the seed's order, then the additions.
    public static let fields: [ConfigField] = [
        text("name", "the experiment's name in tables and files", \.name),
        integer("start_year", "first year of decisions (January 1)", \.startYear),
        integer("end_year", "last year of decisions (December 31)", \.endYear),
        integer("retrain_weeks", "retrain every this many decision periods", \.retrainWeeks),
        integer("top_n", "number of tickers held", \.topN),
        number("slippage_bps", "paid on entry and exit, basis points of the price", \.slippageBps),
        number("initial_cash", "starting equity", \.initialCash),
        flag("invert_signal", "buy the lowest scores instead of the highest", \.invertSignal),
        flag("use_momentum_features", "the momentum model on momentum features instead of the legacy ensemble", \.useMomentumFeatures),
        ConfigField(key: "horizon_weights", type: "table {horizon = weight}", summary: "weight of each horizon's prediction in the combined score",
                    read: { c in .map(Dictionary(uniqueKeysWithValues: c.horizonWeights.map { (String($0.key), .number($0.value)) })) },
                    write: { c, v throws(ConfigError) in c.horizonWeights = try horizonWeights(v) }),
        flag("use_momentum_filter", "only buy tickers whose 12-1 momentum is at least momentum_threshold", \.useMomentumFilter),
        number("momentum_threshold", "threshold of the momentum filter", \.momentumThreshold),
        flag("use_stop_loss", "exit intraweek when the low breaches entry x (1 - stop_loss_pct)", \.useStopLoss),
        number("stop_loss_pct", "stop-loss distance below the entry price", \.stopLossPct),
        number("max_sector_pct", "at most this fraction of top_n picks from one sector", \.maxSectorPct),
        integer("min_stocks", "periods with fewer than min_stocks / 2 picks hold cash", \.minStocks),
        choice("signal_timing", "prior_close (honest) or same_day_close (the seed's look-ahead, audits only)", \.signalTiming),
        choice("strategy", "ml (the model) or momentum_12_1 (rule-based ranking)", \.strategy),
        choice("rebalance", "weekly or monthly", \.rebalance),
        number("transaction_cost_bps", "paid on entry and exit in addition to slippage, basis points", \.transactionCostBps),
        integer("embargo_days", "trading days dropped between the last training label and the decision", \.embargoDays),
        integer("training_window_days", "rolling training window in trading days; 0 keeps the expanding window", \.trainingWindowDays),
        integer("training_start_year", "training rows are pooled from January 1 of this year", \.trainingStartYear),
        number("min_price", "skip tickers whose last close is below this", \.minPrice),
        number("min_dollar_volume", "skip tickers whose 20-day mean dollar volume is below this", \.minDollarVolume),
        strings("exclude_tickers", "tickers never bought", \.excludeTickers),
        strings("exclude_sectors", "sectors never bought", \.excludeSectors),
        number("circuit_breaker_drawdown", "go to cash when equity falls this fraction below its peak; 0 is off", \.circuitBreakerDrawdown),
        integer("circuit_breaker_weeks", "periods in cash after the breaker trips", \.circuitBreakerWeeks),
        number("circuit_breaker_recovery", "resume early once the shadow equity rises this fraction off its low; 0 is off", \.circuitBreakerRecovery),
        text("universe", "all (every tradable ticker), survivors (those alive at the data's end) or a stored point-in-time universe (e.g. sp500): decisions buy and models train on members only", \.universe),
        flag("explain", "keep every ticker's score each period, each horizon's prediction and per retraining gain importance and mean |SHAP| (lab.factor, r:importance)", \.explain),
        choice("execution", "rebalance (hold what stays, trade the difference; costs on traded notional) or round_trip (the seed's: sell everything and buy the picks every period)", \.execution),
        number("no_trade_band", "rebalance: skip trims and top-ups smaller than this fraction of the target weight", \.noTradeBand),
        number("hold_buffer", "rebalance: a held name stays while its rank among the candidates is within hold_buffer x top_n; new names fill the free slots by rank (1: hold the top_n only)", \.holdBuffer),
        choice("book", "long_only (the seed's: fully invested, against SPY) or long_short (dollar-neutral: the best top_n long and the worst top_n short, 100% of equity each side, against cash; shorts pay borrow_bps)", \.book),
        number("borrow_bps", "book = long_short: what a short pays to borrow, basis points of its value a year", \.borrowBps),
        choice("weighting", "equal, inverse_volatility (1 / 60-day volatility at the scoring close), score_rank (proportional to rank among the picks) or optimized (the risk model and a QP: alpha from the scores minus risk_aversion x risk minus turnover_penalty x costs, under max_position and the neutrality constraints)", \.weighting),
        number("risk_aversion", "weighting = optimized: weight of the predicted variance over the period against alpha", \.riskAversion),
        number("turnover_penalty", "weighting = optimized: multiple of the cost model's one-way cost charged on each unit traded (0: trades are free to the optimizer)", \.turnoverPenalty),
        number("max_position", "weighting = optimized: the largest weight of one name", \.maxPosition),
        flag("beta_neutral", "weighting = optimized: hold the portfolio's beta exposure to the universe's", \.betaNeutral),
        flag("sector_neutral", "weighting = optimized: hold each sector within 5 points of its share of the universe's members", \.sectorNeutral),
        number("max_turnover", "weighting = optimized: the largest one-way turnover of a period, a fraction of equity; 0 is no limit", \.maxTurnover),
        number("max_tracking_error", "weighting = optimized, long_only: the largest predicted tracking error to the benchmark, annualised (0.05 is 5%); 0 is no limit", \.maxTrackingError),
        choice("cost_model", "flat (slippage_bps) or square_root (half_spread_bps + impact_coefficient x daily vol x sqrt(traded / 20-day dollar volume)); transaction_cost_bps on top of either", \.costModelKind),
        number("half_spread_bps", "square_root cost model: half the bid-ask spread, basis points", \.halfSpreadBps),
        number("impact_coefficient", "square_root cost model: the market impact coefficient k", \.impactCoefficient),
        number("max_adv_pct", "rebalance: largest trade as a fraction of 20-day dollar volume, the rest unfilled; 0 is no limit", \.maxADVPct),
        number("risk_free_rate", "annual risk-free rate in every Sharpe and Sortino ratio", \.riskFreeRate),
        choice("claim", "active (an edge over SPY: the ledger deflates the information ratio) or absolute (a return over the risk-free rate: the Sharpe ratio)", \.claim),
        choice("retrain_mode", "full (a full training at every retrain_weeks step, the seed's) or warm (a full training every full_refit_weeks periods, in between the full model continued by a few trees on the grown window; check it with scripts/retraining_audit.lua)", \.retrainMode),
        integer("full_refit_weeks", "retrain_mode = warm: a full training every this many decision periods", \.fullRefitWeeks),
    ]

    /// Fields added after trials were first hashed: a trial hash includes them only when
    /// they differ from their default, so a config's trials from before keep their identity.
    static let hashedWhenSet: Set<String> = ["risk_free_rate", "claim", "retrain_mode", "full_refit_weeks", "risk_aversion", "turnover_penalty",
                                             "max_position", "beta_neutral", "sector_neutral", "max_turnover", "book", "borrow_bps",
                                             "max_tracking_error"]

    /// The field called `key`, if there is one.
    public static func field(named key: String) -> ConfigField? { fields.first { $0.key == key } }

    /// A config from named values over the seed's defaults. An unknown key is an error
    /// that suggests the closest valid one; a wrong type or an out-of-range value is an
    /// error naming the field.
    public init(values: [String: ConfigValue]) throws(ConfigError) {
        self.init()
        for key in values.keys.sorted() {
            guard let field = Self.field(named: key) else {
                let valid = Self.fields.map(\.key)
                let hint = closestMatch(to: key, in: valid).map { " (did you mean '\($0)'?)" } ?? ""
                throw ConfigError(key: key, problem: "unknown field\(hint); valid fields: \(valid.joined(separator: ", "))")
            }
            try field.write(&self, values[key]!)
        }
        try validate()
    }

    /// The config as named values (the inverse of ``init(values:)``).
    public var values: [String: ConfigValue] {
        Dictionary(uniqueKeysWithValues: Self.fields.map { ($0.key, $0.read(self)) })
    }

    private static func mismatch(_ key: String, _ expected: String, _ got: ConfigValue) -> ConfigError {
        ConfigError(key: key, problem: "expected \(expected), got \(got.typeName)")
    }

    private static func text(_ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, String> & Sendable) -> ConfigField {
        ConfigField(key: key, type: "string", summary: summary, read: { .string($0[keyPath: path]) }) { c, v throws(ConfigError) in
            guard case .string(let s) = v else { throw mismatch(key, "a string", v) }
            c[keyPath: path] = s
        }
    }

    private static func number(_ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, Double> & Sendable) -> ConfigField {
        ConfigField(key: key, type: "number", summary: summary, read: { .number($0[keyPath: path]) }) { c, v throws(ConfigError) in
            guard case .number(let x) = v else { throw mismatch(key, "a number", v) }
            c[keyPath: path] = x
        }
    }

    private static func integer(_ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, Int> & Sendable) -> ConfigField {
        ConfigField(key: key, type: "integer", summary: summary, read: { .number(Double($0[keyPath: path])) }) { c, v throws(ConfigError) in
            guard case .number(let x) = v else { throw mismatch(key, "an integer", v) }
            guard x.rounded() == x, abs(x) < 1e9 else { throw ConfigError(key: key, problem: "expected an integer, got \(x)") }
            c[keyPath: path] = Int(x)
        }
    }

    private static func flag(_ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, Bool> & Sendable) -> ConfigField {
        ConfigField(key: key, type: "boolean", summary: summary, read: { .bool($0[keyPath: path]) }) { c, v throws(ConfigError) in
            guard case .bool(let b) = v else { throw mismatch(key, "a boolean", v) }
            c[keyPath: path] = b
        }
    }

    private static func strings(_ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, [String]> & Sendable) -> ConfigField {
        ConfigField(key: key, type: "list of strings", summary: summary, read: { .list($0[keyPath: path].map(ConfigValue.string)) }) { c, v throws(ConfigError) in
            var items: [ConfigValue] = []
            switch v {
            case .list(let l): items = l
            case .map(let m) where m.isEmpty: items = []
            default: throw mismatch(key, "a list of strings", v)
            }
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw mismatch(key, "a list of strings", item) }
                result.append(s)
            }
            c[keyPath: path] = result
        }
    }

    private static func choice<T: RawRepresentable<String> & CaseIterable & Sendable>(
        _ key: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, T> & Sendable) -> ConfigField {
        let options = T.allCases.map(\.rawValue)
        return ConfigField(key: key, type: options.joined(separator: " | "), summary: summary, read: { .string($0[keyPath: path].rawValue) }) { c, v throws(ConfigError) in
            guard case .string(let s) = v else { throw mismatch(key, "one of \(options.joined(separator: ", "))", v) }
            guard let value = T(rawValue: s) else {
                let hint = closestMatch(to: s, in: options).map { " (did you mean '\($0)'?)" } ?? ""
                throw ConfigError(key: key, problem: "'\(s)' is not one of \(options.joined(separator: ", "))\(hint)")
            }
            c[keyPath: path] = value
        }
    }

    private static func horizonWeights(_ v: ConfigValue) throws(ConfigError) -> [Int: Double] {
        var m: [String: ConfigValue]
        switch v {
        case .map(let entries): m = entries
        // {[1] = 0.5} is a list in Lua: positions are horizons.
        case .list(let weights): m = Dictionary(uniqueKeysWithValues: weights.enumerated().map { (String($0.offset + 1), $0.element) })
        default: throw mismatch("horizon_weights", "a table {horizon = weight}", v)
        }
        var result: [Int: Double] = [:]
        for (k, w) in m {
            guard let h = Int(k) else { throw ConfigError(key: "horizon_weights", problem: "key '\(k)' is not a horizon in days") }
            guard case .number(let x) = w else { throw mismatch("horizon_weights", "a number as the weight of horizon \(h)", w) }
            result[h] = x
        }
        return result
    }
}

/// The candidate nearest to `word` by edit distance, if it is close enough to be a typo.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

/// Levenshtein distance between two strings, by characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
