import AlphaLab
import CLua
import CLuaShim
import Foundation

/// The `lab` table: the engine's primitives for Lua (raw bindings; the friendlier
/// modules in `stdlib/` build on them, as Neovim's `vim.*` builds on `vim.api`).
public enum LabModule {
    /// Installs `lab` as a global (and as `package.loaded.lab`) with its object types and `help`.
    public static func install(in state: LuaState) {
        defineTypes(in: state)
        let L = state.L
        alab_newtable(L)
        let lab = state.stack.top
        state.stack.push(.string(AlphaLabVersion.string))
        lua_setfield(L, lab, "version")
        state.stack.push(.string(LuaHost.luaVersion))
        lua_setfield(L, lab, "lua_version")
        state.stack.push(.string(XGBoostModel.libraryVersion))
        lua_setfield(L, lab, "xgboost_version")
        for f in functions {
            state.setFunction(f.name, qualifiedName: "lab." + f.name, help: f.help, at: lab, f.body)
        }
        state.registerHelp(atTop: labHelp, name: "lab")
        lua_pushvalue(L, lab)
        lua_setglobal(L, "lab")
        lua_getglobal(L, "package")
        lua_getfield(L, -1, "loaded")
        lua_pushvalue(L, lab)
        lua_setfield(L, -2, "lab")
        lua_settop(L, lab - 1)
        HelpFunction.install(in: state)
    }

    typealias Function = (name: String, help: String, body: LuaFunctionBody)

    /// Every `lab` function: what `install` defines and `help(lab)` lists.
    static var functions: [Function] { dataFunctions + experimentFunctions + factorFunctions + portfolioFunctions + displayFunctions }

    /// `help(lab)`: the head of every function's help, from the function tables
    /// themselves, so no function is ever left out.
    static var labHelp: String {
        let heads = functions.map { "  " + HelpFunction.head(of: $0.help) }.sorted()
        return (["lab: AlphaLab's engine from Lua (help(lab.run) explains one function; help(obj) lists an object's methods)."]
            + heads + ["  lab.version, lab.lua_version, lab.xgboost_version: versions"]).joined(separator: "\n")
    }

    static func defineTypes(in state: LuaState) {
        DatasetBindings.define(in: state)
        FeatureMatrixObject.define(in: state)
        ModelObject.define(in: state)
        ResultObject.define(in: state)
        VerdictObject.define(in: state)
        ScoringContextObject.define(in: state)
        RunStoreBindings.define(in: state)
        FactorObject.define(in: state)
    }

    static var dataFunctions: [Function] { [
        ("load", """
        lab.load([path]) -> dataset
          The price store at `path`, or else the configured one ($ALPHALAB_DB, then
          ./data/market.db) if it exists, or else the embedded synthetic market.
        """, { call in
            if let path = try call.optionalString(1) { return call.result(object: try DatasetBindings.open(path, call.state.session)) }
            let configured = PriceStore.defaultPath()
            if FileManager.default.fileExists(atPath: configured) { return call.result(object: try DatasetBindings.open(configured, call.state.session)) }
            return call.result(object: try DatasetBindings.synthetic(SyntheticMarketConfig(), call.state.session))
        }),
        ("open", """
        lab.open(path) -> dataset
          The price store (SQLite, AlphaLab's or the seed's market.db) at `path`; an error if missing.
        """, { call in
            call.result(object: try DatasetBindings.open(try call.string(1), call.state.session))
        }),
        ("read_csv", """
        lab.read_csv(source [, options]) -> dataset
          Prices straight from CSV files (a folder or one file), without a store.
        \(LabOptionSet.readCSV.help())
        """, { call in
            let source = try call.string(1)
            let o = try LuaOptions(call, 2, .readCSV)
            for path in [source] + [try o.string("sectors"), try o.string("benchmark"), try o.string("membership"),
                                    try o.string("delistings")].compactMap({ $0 }) {
                try call.state.session.checkRead(path)
            }
            let formatName = try o.string("format") ?? "alphavantage"
            guard let format = ImportFormat(rawValue: formatName), format != .marketdb else {
                throw call.argumentError(2, "option 'format' must be alphavantage, yahoo or long, got '\(formatName)'")
            }
            let dates = try (try o.string("date_format")).map { text in
                do throws(DateFormatError) { return try DateFormat(text) } catch { throw call.argumentError(2, error.description) }
            } ?? .iso
            var batch = try PriceImporter(format: format, options: CSVImportOptions(tickerColumn: try o.string("ticker_column"), dateFormat: dates)).read(source: source)
            // The benchmark is read before the limit cuts the tickers, so that its problems are reported with the rest.
            var benchmarkBars: [RawBars] = []
            if let benchmark = try o.string("benchmark") {
                let read = try PriceImporter(format: .yahoo).read(source: benchmark)
                batch.problems += read.problems
                batch.filesRead += read.filesRead
                benchmarkBars = read.bars
            }
            try Self.report(batch, strict: try o.boolean("strict") == true)
            var cut: TickerLimit?
            if let limit = try o.integer("limit") {
                let available = Set(batch.bars.map(\.ticker)).count
                batch.bars = Array(batch.bars.sorted { $0.ticker < $1.ticker }.prefix(max(0, limit)))
                if limit < available { cut = TickerLimit(kept: max(0, limit), available: available) }
            }
            batch.bars += benchmarkBars
            let info = try (try o.string("sectors")).map { try readSectorFile(path: $0) } ?? []
            var memberships: [Membership] = []
            if let file = try o.string("membership") {
                guard let name = try o.string("universe") else { throw call.argumentError(2, "option 'membership' needs option 'universe' (its name)") }
                do throws(DataFileError) { memberships.append(try MembershipFile.read(path: file, name: name, dateFormat: dates)) }
                catch { throw LuaError(error.description) }
            }
            let series = batch.bars.map(PriceSeries.init(adjusting:))
            var delistings: [Delisting] = []
            if let file = try o.string("delistings") {
                do throws(DataFileError) { delistings = try DelistingFile.read(path: file, dateFormat: dates) } catch { throw LuaError(error.description) }
                let lastBars = Dictionary(series.compactMap { s in s.days.last.map { (s.ticker, $0) } }, uniquingKeysWith: { a, _ in a })
                if let why = delistings.conflict(withLastBars: lastBars) { throw LuaError("\(file): \(why)") }
            }
            // The command line that reads the same (cli.dataset's options): none reaches another format.
            var line: [String]? = nil
            if formatName == "alphavantage", try o.string("date_format") == nil, try o.string("ticker_column") == nil {
                line = ["--csv", source]
                for key in ["sectors", "benchmark", "membership", "delistings"] { if let v = try o.string(key) { line! += ["--" + key, v] } }
                // cli.dataset names a membership "members" unless --universe names it.
                if try o.string("membership") != nil, let name = try o.string("universe"), name != "members" { line! += ["--universe", name] }
                if let limit = try o.integer("limit") { line! += ["--limit", "\(limit)"] }
                if try o.boolean("strict") == true { line! += ["--strict"] }
            }
            return call.result(object: Dataset(panel: Panel(series: series, info: info, delistings: delistings.returnsByTicker),
                                               trainingCache: try call.state.session.trainingCache(), memberships: memberships, limit: cut, source: line))
        }),
        ("synthetic", """
        lab.synthetic([options]) -> dataset
          The deterministic synthetic market. Its index's membership is the universe "index".
        \(LabOptionSet.synthetic.help())
        """, { call in
            let o = try LuaOptions(call, 1, .synthetic)
            var config = try o.boolean("null") == true ? SyntheticMarketConfig.null() : SyntheticMarketConfig()
            if let seed = try o.integer("seed") {
                guard seed >= 0 else { throw call.argumentError(1, "option 'seed' must not be negative") }
                config.seed = UInt64(seed)
            }
            if let v = try o.integer("tickers") { config.tickerCount = v }
            if let v = try o.integer("sectors") { config.sectorCount = v }
            if let v = try o.date("start") { config.start = v }
            if let v = try o.date("end") { config.end = v }
            if let v = try o.number("drift") { config.marketDrift = v }
            if let v = try o.number("market_volatility") { config.marketVolatility = v }
            if let v = try o.number("sector_volatility") { config.sectorVolatility = v }
            if let v = try o.number("idiosyncratic_volatility") { config.idiosyncraticVolatility = v }
            if let v = try o.number("momentum_premium") { config.momentumPremium = v }
            if let v = try o.number("reversal") { config.shortTermReversal = v }
            if let v = try o.number("crash_probability") { config.crashProbability = v }
            if let v = try o.number("late_listing_share") { config.lateListingShare = v }
            if let v = try o.boolean("log_returns") { config.logReturns = v }
            if let v = try o.number("bankruptcy_rate") { config.bankruptcyRate = v }
            if let v = try o.number("acquisition_rate") { config.acquisitionRate = v }
            if let v = try o.number("index_share") { config.indexShare = v }
            return call.result(object: try DatasetBindings.synthetic(config, call.state.session))
        }),
        ("features", """
        lab.features() -> {name = summary, ...}
          Every built-in feature with a one-line definition.
        """, { call in
            call.results(.map(Dictionary(uniqueKeysWithValues: FeatureCatalog.all.map { ($0.name, .string($0.summary)) })))
        }),
        ("feature_sets", """
        lab.feature_sets() -> {set = {feature, ...}, ...}
          The named feature sets: legacy (the seed's 15), momentum (10), seed_described (15).
        """, { call in
            call.results(.map(Dictionary(uniqueKeysWithValues: FeatureCatalog.sets.map { ($0.name, .array($0.features.map { .string($0.name) })) })))
        }),
        ("train", """
        lab.train(dataset, options) -> model
          Trains a horizon ensemble for a decision date, on rows whose labels were known
          before it.
        \(LabOptionSet.train.help())
        """, { call in
            let dataset = try call.object(1, Dataset.self)
            let o = try LuaOptions(call, 2, .train)
            guard let date = try o.date("date") else { throw call.argumentError(2, "option 'date' is required") }
            let set = try featureSet(o.value("features") ?? .string("legacy"), call: call, position: 2)
            var spec = EnsembleSpec.seedEnsemble
            spec.horizons = try o.integers("horizons") ?? [1, 5, 20]
            guard !spec.horizons.isEmpty, spec.horizons.allSatisfy({ $0 >= 1 }) else {
                throw call.argumentError(2, "option 'horizons' must list positive horizons")
            }
            var model = XGBoostParameters()
            if let v = try o.integer("trees") { model.trees = v }
            if let v = try o.integer("depth") { model.maxDepth = v }
            if let v = try o.number("learning_rate") { model.learningRate = v }
            spec.model = AnyRegressorSpec(model)
            spec.selection = try o.boolean("selection") ?? true ? NoiseSelection() : nil
            spec.trainingStart = Day(year: try o.integer("start_year") ?? 2010, month: 1, day: 1)!
            spec.embargo = try o.integer("embargo") ?? 0
            spec.windowDays = (try o.integer("window")).flatMap { $0 > 0 ? $0 : nil }
            let calendar = dataset.panel.calendar
            let decision = calendar.firstIndex(onOrAfter: date)
            guard decision < calendar.count else { throw call.argumentError(2, "option 'date': \(date) is after the data's last day \(calendar[calendar.count - 1])") }
            let matrix = try dataset.matrix(set)
            let ensemble = try dataset.trainingCache.ensemble(for: TrainingRequest(spec: spec, matrix: matrix, panel: dataset.panel,
                                                                                   tickers: dataset.tradableTickers, decisionDay: decision))
            return call.result(object: ModelObject(ensemble: ensemble, matrix: matrix, dataset: dataset, decisionDay: decision, spec: spec))
        }),
    ] }

    /// A feature set from a Lua value: a set's name (legacy, momentum, seed_described) or a
    /// list of feature names. Shared by `lab.train` and `ds:features`.
    static func featureSet(_ value: LuaValue, call: LuaCall, position: Int32) throws -> FeatureSet {
        switch value {
        case .string(let name):
            return try FeatureCatalog.set(named: name)
        case .array(let items):
            let names = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            guard !names.isEmpty, names.count == items.count else { throw call.argumentError(position, "list of feature names expected") }
            return try FeatureSet(name: "custom:" + names.joined(separator: ","), featureNames: names)
        default:
            throw call.argumentError(position, "set name or list of feature names expected")
        }
    }

    /// What `lab.read_csv` met, as `alphalab import` reports it (on stderr: rejected files and
    /// the first skipped rows), or with `strict` an error that names them.
    static func report(_ batch: ImportBatch, strict: Bool) throws(LuaError) {
        guard let summary = batch.problemSummary else { return }
        let lines = batch.problemLines(rowLimit: 10)
        if strict {
            throw LuaError("lab.read_csv: \(summary) (strict):\n" + lines.joined(separator: "\n"))
        }
        FileHandle.standardError.write(Data((lines + ["lab.read_csv: \(summary); the rest is read (option strict = true makes this an error)"])
            .joined(separator: "\n").appending("\n").utf8))
    }
}
