import AlphaLab
import Foundation

/// `Dataset` userdata: a panel of prices with its shared features and trainings.
enum DatasetBindings {
    static func open(_ path: String, _ session: LabSession) throws -> Dataset {
        try session.checkRead(path)
        guard FileManager.default.fileExists(atPath: path) else { throw LuaError("no price store at '\(path)'") }
        let store = try PriceStore(readingExisting: path)
        return Dataset(panel: try store.loadPanel(), trainingCache: try session.trainingCache(), memberships: try store.memberships(),
                       source: ["--store", path])
    }

    static func synthetic(_ config: SyntheticMarketConfig, _ session: LabSession) throws -> Dataset {
        try SyntheticMarket.market(config).dataset(trainingCache: try session.trainingCache(), source: commandLine(config))
    }

    /// The options `cli.dataset` takes to make the synthetic market `config` (seed, tickers,
    /// null), or nil when it differs in what they do not reach.
    static func commandLine(_ config: SyntheticMarketConfig) -> [String]? {
        let plain = SyntheticMarketConfig()
        for (base, flags) in [(plain, [String]()), (SyntheticMarketConfig.null(), ["--null"])] {
            var reached = base
            (reached.seed, reached.tickerCount) = (config.seed, config.tickerCount)
            guard reached == config else { continue }
            return (config.seed != plain.seed ? ["--seed", "\(config.seed)"] : []) + (config.tickerCount != plain.tickerCount ? ["--tickers", "\(config.tickerCount)"] : []) + flags
        }
        return nil
    }

    /// A dataset of other prices that keeps `d`'s memberships and disk cache (keys
    /// include the prices, so the two never share an entry by mistake).
    static func derived(from d: Dataset, panel: Panel, _ call: LuaCall) throws -> Dataset {
        Dataset(panel: panel, trainingCache: try call.state.session.trainingCache(directory: d.trainingCache.directory),
                memberships: Array(d.memberships.values))
    }

    static func ticker(_ d: Dataset, _ call: LuaCall, _ i: Int32) throws -> Int {
        let symbol = try call.string(i)
        guard let t = d.panel.tickerIndex[symbol] else {
            let hint = closestMatch(to: symbol, in: d.panel.tickers).map { " (did you mean '\($0)'?)" } ?? ""
            throw call.argumentError(i, "unknown ticker '\(symbol)'\(hint)")
        }
        return t
    }

    /// Calendar positions from optional from/to date arguments at `i` and `i + 1`.
    static func range(_ d: Dataset, _ call: LuaCall, _ i: Int32) throws -> Range<Int> {
        let calendar = d.panel.calendar
        let from = call.isNil(i) ? 0 : calendar.firstIndex(onOrAfter: try call.date(i))
        let to = call.isNil(i + 1) ? calendar.count : (calendar.lastIndex(onOrBefore: try call.date(i + 1)).map { $0 + 1 } ?? 0)
        return from..<max(from, to)
    }

    /// Ticker `t`'s delisting as Lua sees it, nil when it has none in this panel: its last
    /// bar, the day holders are paid (the next trading day) and the delisting return.
    static func delisting(_ panel: Panel, ticker t: Int) -> LuaValue? {
        let last = panel.lastBar[t]
        guard last >= 0, panel.hasDelisted(ticker: t, before: last + 1), last + 1 < panel.dayCount else { return nil }
        return .map(["ticker": .string(panel.tickers[t]), "last_bar": .string(panel.calendar[last].description),
                     "date": .string(panel.calendar[last + 1].description), "return": .number(panel.delistingReturns[t])])
    }

    typealias Method = (name: String, help: String, body: (Dataset, LuaCall) throws -> Int32)

    static func define(in state: LuaState) {
        state.defineType(Dataset.self, name: "Dataset", methods: universeMethods + priceMethods + derivingMethods, fields: { d, key in
            switch key {
            case "ticker_count": .integer(Int64(d.panel.tickerCount))
            case "day_count": .integer(Int64(d.panel.dayCount))
            case "first": d.panel.calendar.first.map { .string($0.description) }
            case "last": d.panel.calendar.last.map { .string($0.description) }
            case "benchmark": d.panel.benchmark.map(LuaValue.string)
            case "fingerprint": .string(d.panel.fingerprint)
            default: nil
            }
        }, fieldNames: ["ticker_count", "day_count", "first", "last", "benchmark", "fingerprint"],
           tostring: { "Dataset(\($0.panel.summary))" })
    }

    /// Who is in the data: tickers, universes and their members.
    static var universeMethods: [Method] { [
        ("tickers", "ds:tickers() -> {symbol, ...} (the benchmark included)", { d, call in
            call.results(.array(d.panel.tickers.map(LuaValue.string)))
        }),
        ("universe", "ds:universe() -> {symbol, ...} (tradable tickers: all but the benchmark)", { d, call in
            call.results(.array(d.panel.universe.map(LuaValue.string)))
        }),
        ("universes", "ds:universes() -> {name, ...} the universes a config's `universe` may name: all, survivors, and the data's point-in-time ones", { d, call in
            call.results(.array(d.universeNames.map(LuaValue.string)))
        }),
        ("members", "ds:members(universe, date) -> {symbol, ...} the universe's members with prices on the trading day on or before `date`", { d, call in
            let universe = try d.universe(named: try call.string(2))
            guard let day = d.panel.calendar.lastIndex(onOrBefore: try call.date(3)) else { return call.results(.array([])) }
            return call.results(.array(universe.members(day: day).map { .string(d.panel.tickers[$0]) }))
        }),
        ("spells", "ds:spells(universe) -> {{ticker, start, end}, ...} a point-in-time universe's membership spells (end nil: still a member)", { d, call in
            let name = try call.string(2)
            guard let membership = d.memberships[name] else {
                throw call.argumentError(2, BacktestError.unknownUniverse(name, Array(d.memberships.keys.sorted())).description)
            }
            return call.results(.array(membership.spells.map {
                .map(["ticker": .string($0.ticker), "start": .string($0.start.description), "end": $0.end.map { .string($0.description) } ?? .nil])
            }))
        }),
    ] }

    /// The prices: trading days, bars, sectors.
    static var priceMethods: [Method] { [
        ("dates", "ds:dates([from, to]) -> {\"YYYY-MM-DD\", ...} trading days", { d, call in
            call.results(.array(try range(d, call, 2).map { .string(d.panel.calendar[$0].description) }))
        }),
        ("bars", "ds:bars(ticker [, from, to]) -> {date = {...}, open = {...}, high, low, close, volume, delisting} (adjusted; nil where absent; delisting as in ds:delistings() when the ticker left the market)", { d, call in
            let t = try ticker(d, call, 2), days = try range(d, call, 3)
            var columns: [String: LuaValue] = ["date": .array(days.map { .string(d.panel.calendar[$0].description) })]
            for field in PriceField.allCases {
                columns[field.rawValue] = .array(days.map { .finite(d.panel.value(field, ticker: t, day: $0)) })
            }
            columns["delisting"] = delisting(d.panel, ticker: t) ?? .nil
            return call.results(.map(columns))
        }),
        ("delistings", "ds:delistings() -> {{ticker, last_bar, date, return}, ...} the tickers that left the market with a delisting return: holders are paid last close x (1 + return) on `date`, the trading day after `last_bar`", { d, call in
            call.results(.array(d.panel.tickers.indices.compactMap { delisting(d.panel, ticker: $0) }))
        }),
        ("sector", "ds:sector(ticker) -> sector name (\"\" when unknown)", { d, call in
            call.results(.string(d.panel.sector(ofTicker: try ticker(d, call, 2))))
        }),
        ("sectors", "ds:sectors() -> {ticker = sector, ...}", { d, call in
            call.results(.map(Dictionary(uniqueKeysWithValues: d.panel.tickers.indices.map { (d.panel.tickers[$0], .string(d.panel.sector(ofTicker: $0))) })))
        }),
    ] }

    /// Datasets made from this one, features, and what it holds.
    static var derivingMethods: [Method] { [
        ("slice", "ds:slice(from, to) -> dataset of the days from..to", { d, call in
            call.result(object: try derived(from: d, panel: d.panel.sliced(from: try call.date(2), through: try call.date(3)), call))
        }),
        ("select", "ds:select({ticker, ...}) -> dataset of those tickers (add \"SPY\" to keep the benchmark)", { d, call in
            guard case .array(let items) = try call.table(2) else { throw call.argumentError(2, "list of tickers expected") }
            let symbols = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            guard symbols.count == items.count else { throw call.argumentError(2, "list of ticker strings expected") }
            for s in symbols where d.panel.tickerIndex[s] == nil { throw call.argumentError(2, "unknown ticker '\(s)'") }
            return call.result(object: try derived(from: d, panel: d.panel.selecting(tickers: symbols), call))
        }),
        ("features", "ds:features([set or {names}]) -> feature matrix (default: the legacy set)", { d, call in
            let set = try LabModule.featureSet(call.isNil(2) ? .string("legacy") : call.value(2), call: call, position: 2)
            return call.result(object: FeatureMatrixObject(matrix: try d.matrix(set), dataset: d))
        }),
        ("with_cache", "ds:with_cache(folder) -> the same prices with trainings also stored in and reused from `folder` (across runs)", { d, call in
            call.result(object: Dataset(panel: d.panel, trainingCache: try call.state.session.trainingCache(directory: try call.string(2)),
                                        memberships: Array(d.memberships.values), limit: d.limit, source: d.source))
        }),
        ("training_stats", "ds:training_stats() -> {trainings, updates, memory_hits, disk_hits, seconds} of this dataset's training cache (updates: the warm updates among the trainings)", { d, call in
            let c = d.trainingCache
            return call.results(.map(["trainings": .integer(Int64(c.trainings)), "updates": .integer(Int64(c.updates)), "memory_hits": .integer(Int64(c.memoryHits)),
                                      "disk_hits": .integer(Int64(c.diskHits)), "seconds": .number(c.trainingSeconds)]))
        }),
        ("summary", "ds:summary() -> {tickers, bars, first, last, trading_days, benchmark, sectors}", { d, call in
            let s = d.panel.summary
            return call.results(.map(["tickers": .integer(Int64(s.tickers)), "bars": .integer(Int64(s.bars)),
                                      "first": s.first.map { .string($0.description) } ?? .nil,
                                      "last": s.last.map { .string($0.description) } ?? .nil,
                                      "trading_days": .integer(Int64(s.tradingDays)), "benchmark": s.benchmark.map(LuaValue.string) ?? .nil,
                                      "sectors": .map(s.sectors.mapValues { .integer(Int64($0)) })]))
        }),
    ] }
}

/// `FeatureMatrix` userdata: a feature set computed over a dataset.
final class FeatureMatrixObject {
    let matrix: FeatureMatrix
    let dataset: Dataset
    init(matrix: FeatureMatrix, dataset: Dataset) {
        self.matrix = matrix
        self.dataset = dataset
    }

    static func define(in state: LuaState) {
        state.defineType(FeatureMatrixObject.self, name: "FeatureMatrix", methods: [
            ("at", "fm:at(ticker, date) -> {feature = value, ...} as of that date's close", { o, call in
                let t = try DatasetBindings.ticker(o.dataset, call, 2)
                let date = try call.date(3)
                guard let d = o.dataset.panel.calendar.index(of: date) else { throw call.argumentError(3, "\(date) is not a trading day") }
                return call.results(.map(Dictionary(uniqueKeysWithValues: o.matrix.names.enumerated().map {
                    ($1, .finite(Double(o.matrix.value(feature: $0, ticker: t, day: d))))
                })))
            }),
            ("series", "fm:series(feature, ticker) -> {value, ...} over every trading day (nil where undefined)", { o, call in
                let name = try call.string(2)
                guard let f = o.matrix.names.firstIndex(of: name) else { throw call.argumentError(2, "'\(name)' is not in this matrix") }
                let t = try DatasetBindings.ticker(o.dataset, call, 3)
                return call.results(.array((0..<o.matrix.dayCount).map { .finite(Double(o.matrix.value(feature: f, ticker: t, day: $0))) }))
            }),
        ], fields: { o, key in
            switch key {
            case "names": .array(o.matrix.names.map(LuaValue.string))
            case "day_count": .integer(Int64(o.matrix.dayCount))
            case "ticker_count": .integer(Int64(o.matrix.tickerCount))
            default: nil
            }
        }, fieldNames: ["names", "day_count", "ticker_count"],
           tostring: { "FeatureMatrix(\($0.matrix.featureCount) features x \($0.matrix.tickerCount) tickers x \($0.matrix.dayCount) days)" })
    }
}

/// `Model` userdata: a trained horizon ensemble for one decision date.
final class ModelObject {
    let ensemble: TrainedEnsemble
    let matrix: FeatureMatrix
    let dataset: Dataset
    let decisionDay: Int
    let spec: EnsembleSpec

    init(ensemble: TrainedEnsemble, matrix: FeatureMatrix, dataset: Dataset, decisionDay: Int, spec: EnsembleSpec) {
        self.ensemble = ensemble
        self.matrix = matrix
        self.dataset = dataset
        self.decisionDay = decisionDay
        self.spec = spec
    }

    static func define(in state: LuaState) {
        state.defineType(ModelObject.self, name: "Model", methods: [
            ("predict", """
            model:predict([date [, weights]]) -> {ticker = score, ...}
              Scores every tradable ticker from the features of `date`'s close (default: the
              close before the model's decision date), combined as sum_h w_h pred_h / h / sum w
              with `weights` ({[1] = 0.5, [5] = 0.3, [20] = 0.2} by default).
            """, { o, call in
                let panel = o.dataset.panel
                var day = o.decisionDay - 1
                if !call.isNil(2) {
                    let date = try call.date(2)
                    guard let d = panel.calendar.index(of: date) else { throw call.argumentError(2, "\(date) is not a trading day") }
                    day = d
                }
                var weights: [Int: Double] = [1: 0.5, 5: 0.3, 20: 0.2]
                if case .map(let m) = try call.optionalTable(3) ?? .nil {
                    weights = Dictionary(uniqueKeysWithValues: m.compactMap { k, v in Int(k).flatMap { h in v.number.map { (h, $0) } } })
                }
                let universe = o.dataset.tradableTickers
                let combined = TrainedEnsemble.combine(try o.ensemble.predict(matrix: o.matrix, tickers: universe, day: day), weights: weights)
                guard !combined.isEmpty else { throw call.argumentError(3, "weights give no weight to the model's horizons \(o.spec.horizons)") }
                return call.results(.map(Dictionary(uniqueKeysWithValues: zip(universe, combined).compactMap { t, s in
                    s.isFinite ? (panel.tickers[t], LuaValue.number(s)) : nil
                })))
            }),
            ("save", "model:save(folder) -> writes one XGBoost JSON file per horizon (h1.json, ...), loadable by Python's xgboost", { o, call in
                let folder = try call.string(2)
                // Through the session, like every lab write: atomic, sandboxed, nothing in a dry run.
                for m in o.ensemble.members {
                    guard let model = m.model as? XGBoostModel else { continue }
                    try call.state.session.write(try model.json(), to: "\(folder)/h\(m.horizon).json")
                }
                return 0
            }),
        ], fields: { o, key in
            switch key {
            case "date": .string(o.dataset.panel.calendar[o.decisionDay].description)
            case "horizons": .array(o.ensemble.members.map { .integer(Int64($0.horizon)) })
            case "features": .integerKeyed(Dictionary(uniqueKeysWithValues: o.ensemble.members.map {
                    (Int64($0.horizon), .array($0.columns.map { .string(o.matrix.names[$0]) }))
                }))
            case "rows": .integerKeyed(Dictionary(uniqueKeysWithValues: o.ensemble.members.map { (Int64($0.horizon), .integer(Int64($0.trainingRows))) }))
            default: nil
            }
        }, fieldNames: ["date", "horizons", "features", "rows"],
           tostring: { o in "Model(horizons \(o.ensemble.members.map(\.horizon)) for \(o.dataset.panel.calendar[o.decisionDay]), \(o.ensemble.members.map(\.trainingRows).max() ?? 0) rows)" })
    }
}
