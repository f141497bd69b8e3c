import AlphaLab
import CLua
import CLuaShim
import Foundation

extension LabModule {
    /// A config from a Lua table, read and checked once: an error names the field (and
    /// suggests one for a typo).
    static func config(_ call: LuaCall, _ i: Int32) throws -> CheckedConfig {
        let fields: [String: LuaValue]
        switch try call.table(i) {
        case .map(let named): fields = named
        case .array(let items) where items.isEmpty: fields = [:] // {} arrives as an empty list
        default: throw call.argumentError(i, "config table with named fields expected")
        }
        do {
            return try CheckedConfig(values: fields.compactMapValues(\.configValue))
        } catch {
            throw LuaError(error.description)
        }
    }

    /// lab.picks' `equity` option: a CSV path (read through the sandbox) or a list of {date, equity, picks_return}.
    static func equityMarks(_ value: LuaValue?, call: LuaCall) throws -> [EquityMark]? {
        switch value {
        case nil: return nil
        case .string(let path)?:
            try call.state.session.checkRead(path)
            do throws(ImportError) { return try EquityMark.read(path: path) } catch { throw LuaError(error.description) }
        case .array(let rows)?:
            return try rows.enumerated().map { k, row in
                guard case .map(let m) = row, case .string(let text)? = m["date"], let date = Day(text), let equity = m["equity"]?.number,
                      equity > 0 else {
                    throw call.argumentError(3, "option 'equity': row \(k + 1) needs date (YYYY-MM-DD) and a positive equity")
                }
                return EquityMark(date: date, equity: equity, picksReturn: m["picks_return"]?.number ?? 0)
            }
        default:
            throw call.argumentError(3, "option 'equity': a CSV path or a list of {date, equity} expected")
        }
    }

    static var experimentFunctions: [Function] { [
        ("config", """
        lab.config(table | path) -> table
          The experiment config with the seed's defaults filled in; an unknown field (with
          the closest valid name), a wrong type or an out-of-range value is an error. A path
          reads a config file: JSON of config fields (as runs.promote writes) or a .lua file
          returning a table of them; its errors name the file, line and column.
        """, { call in
            call.results(LuaValue(.map(try configOrFile(call, 1, owner: "lab.config").config.values)))
        }),
        ("config_fields", """
        lab.config_fields() -> {{key, type, default, summary}, ...}
          Every config field in order, with its default and meaning.
        """, { call in
            let defaults = ExperimentConfig()
            return call.results(.array(ExperimentConfig.fields.map {
                .map(["key": .string($0.key), "type": .string($0.type), "summary": .string($0.summary),
                      "default": LuaValue($0.value(in: defaults))])
            }))
        }),
        ("phase_one", """
        lab.phase_one() -> {config, ...}
          The seed's eight Phase 1 experiments, as the engine defines them: each one's name
          and the fields it changes from the defaults (experiment.phase_one is this list).
        """, { call in
            let defaults = ExperimentConfig().values
            return call.results(.array(ExperimentConfig.phaseOne.map { config in
                LuaValue(.map(config.values.filter { $0.key == "name" || defaults[$0.key] != $0.value }))
            }))
        }),
        ("run", """
        lab.run(config, dataset [, options]) -> result
          Runs a walk-forward backtest. `config` is a config table (see lab.config_fields).
          A score function's ctx has date, scoring_date, tickers, period, retrain,
          ctx:feature(name) and ctx:history(ticker, field, n), all ending at the scoring close.
          A select function(candidates, ctx) orders each period's candidates its own way
          (the stdlib's selection.topk_dropout is one); the config's filters admit its picks.
          Ctrl-C stops the run. Without `score` and `select`, a result that a sweep shard stored in the
          dataset's disk cache (`alphalab SCRIPT --sweep-shard I/N`) is returned instead of running.
        \(LabOptionSet.run.help())
        """, { call in
            let config = try config(call, 1)
            let dataset = try call.object(2, Dataset.self)
            let o = try LuaOptions(call, 3, .run)
            let score = try o.value("score").map { _ in try functionOption(call, 3, "score") }
            let progress = try o.value("progress").map { _ in try functionOption(call, 3, "progress") }
            let select = try o.value("select").map { _ in try functionOption(call, 3, "select") }
            let L = call.L
            let scorer = score.map { function in
                FunctionScorer(label: "lua function") { context in
                    try function.call(on: L, { _ in
                        call.state.push(object: ScoringContextObject(context), in: L)
                        return 1
                    }, read: { stack in try ScoringContextObject.scores(from: stack, context: context) })
                }
            }
            let run = try call.state.session.run(config, on: dataset, scorer: scorer,
                                                 rule: select.map { function in { data in LuaPickRule.make(function, config: config.config, panel: data.panel, on: L) } },
                                                 progress: progress.map { function in { p in
                try function.call(on: L, { stack in
                    stack.push(.map(["experiment": .string(p.experiment), "period": .integer(Int64(p.period)),
                                     "total": .integer(Int64(p.total)), "retrains": .integer(Int64(p.retrains)),
                                     "date": .string(p.date.description), "full": .integer(Int64(p.full)),
                                     "updates": .integer(Int64(p.updates)), "full_left": .integer(Int64(p.fullLeft)),
                                     "updates_left": .integer(Int64(p.updatesLeft)), "seconds_left": .number(p.secondsLeft)]))
                    return 1
                }, read: { _ in })
            } })
            return call.result(object: ResultObject(run.result, seconds: run.seconds, verdict: run.verdict, dataOptions: dataset.source))
        }),
        ("picks", """
        lab.picks(config, dataset [, options]) -> {decision_date, scoring_date, trained_for, capital,
            cash_reason, positions = {{ticker, sector, score, weight, close, shares}, ...}, orders, text, csv, json}
          What `config` (a table, or the path of a config JSON file as runs.promote writes it)
          buys at the next trading day after the stocks' last bar: the model the walk-forward
          would hold then (its retraining schedule, the label-known rule, the disk cache),
          scores at the last close, filters, sector cap and weighting.
        \(LabOptionSet.picks.help())
        """, { call in
            let config = try configOrFile(call, 1, owner: "lab.picks")
            let dataset = try call.object(2, Dataset.self)
            let o = try LuaOptions(call, 3, .picks)
            let date = try (try o.string("date")).map { text in
                guard let day = Day(text) else { throw call.argumentError(3, "option 'date': '\(text)' is not a date (YYYY-MM-DD)") }
                return day
            }
            var holdings: [Holding]?
            if let path = try o.string("holdings") {
                try call.state.session.checkRead(path)
                do throws(ImportError) { holdings = try Holding.read(path: path) } catch { throw LuaError(error.description) }
            }
            // What is held decides with the rank buffer (hold_buffer), as in the backtest.
            let target = try TargetPortfolio.compute(checked: config, dataset: dataset, date: date, capital: try o.number("capital") ?? 100_000,
                                                     held: Set(holdings?.filter { $0.shares > 0 }.map(\.ticker) ?? []),
                                                     equityMarks: try equityMarks(o.value("equity"), call: call))
            let orders = holdings.map { target.orders(from: $0) }
            var fields: [String: LuaValue] = [
                "decision_date": .string(target.decisionDate.description), "scoring_date": .string(target.scoringDate.description),
                "capital": .number(target.capital), "text": .string(target.text(orders: orders)), "csv": .string(target.csv()),
                "json": .string(String(decoding: try target.json(orders: orders), as: UTF8.self)),
                "positions": .array(target.positions.map { p in
                    var fields: [String: LuaValue] = ["ticker": .string(p.ticker), "sector": .string(p.sector), "score": .number(p.score),
                                                      "weight": .number(p.weight), "close": .number(p.close), "shares": .integer(Int64(p.shares))]
                    if let stop = p.stop { fields["stop"] = .number(stop) }
                    return .map(fields)
                }),
            ]
            if let b = target.breakerState {
                var breaker: [String: LuaValue] = ["state": .string(b.state)]
                if let level = b.cashAtOrBelow { breaker["cash_at_or_below"] = .number(level) }
                if let peak = b.peak { breaker["peak"] = .number(peak) }
                if let left = b.cashPeriodsLeft { breaker["cash_periods_left"] = .integer(Int64(left)) }
                fields["breaker"] = .map(breaker)
            } else if let note = target.breakerNote {
                fields["breaker"] = .map(["state": .string("unknown"), "note": .string(note)])
            }
            if let trained = target.trainedFor { fields["trained_for"] = .string(trained.description) }
            if let reason = target.cashReason { fields["cash_reason"] = .string(reason) }
            if let orders {
                fields["orders"] = .array(orders.map { .map(["action": .string($0.action.rawValue), "ticker": .string($0.ticker),
                                                            "shares": .integer(Int64($0.shares)), "from": .integer(Int64($0.from)), "to": .integer(Int64($0.to))]) })
            }
            return call.results(.map(fields))
        }),
        ("verdict", """
        lab.verdict(config, dataset [, options]) -> verdict, result
          Does the strategy really work? Runs `config` (a table or a config JSON file) as given
          and its audit twins on the same data (trainings shared through the cache) and checks
          each way a backtest lies: timing (the seed's same-day scoring), costs (0x-3x, the
          break-even cost, the other execution model), universe (point-in-time against
          all/survivors, price coverage), selection (the deflated Sharpe ratio against the
          run's family in the ledger), placebo (random books from the same candidates with the
          run's holding structure) and stability (by year and by halves); with retrain_mode =
          "warm", retraining (the full-retraining twin, compared as lab.retraining_audit does).
          Each check passes, warns or fails with its deciding figure and rule; the headline is
          credible, fragile, artefact or inconclusive.
          print(v) shows the card; v:html() the page; store:save_verdict(id, v) keeps it.
          The run as given counts as a trial in the ledger; the twins and placebos do not.
        \(LabOptionSet.verdict.help())
        """, { call in
            let config = try configOrFile(call, 1, owner: "lab.verdict")
            let dataset = try call.object(2, Dataset.self)
            let o = try LuaOptions(call, 3, .verdict)
            var options = VerdictOptions()
            if let n = try o.integer("permutations") {
                guard (0...100_000).contains(n) else { throw call.argumentError(3, "option 'permutations' must be in 0...100000, got \(n)") }
                options.permutations = n
            }
            if let seed = try o.integer("seed") { options.seed = UInt64(bitPattern: Int64(seed)) }
            switch o.value("rules") {
            case nil, .array([])?: break
            case .map(let rules)?:
                for (key, value) in rules.sorted(by: { $0.key < $1.key }) {
                    let x: Double
                    switch value {
                    case .number(let n): x = n
                    case .integer(let n): x = Double(n)
                    default: throw call.argumentError(3, "verdict rule '\(key)' must be a number, got \(value.typeName)")
                    }
                    do throws(VerdictError) { try options.rules.set(key, x) } catch { throw call.argumentError(3, error.description) }
                }
            default: throw call.argumentError(3, "option 'rules' must be a table of rule = number")
            }
            let log = try o.value("log").map { _ in try functionOption(call, 3, "log") }
            let L = call.L
            let session = call.state.session
            let runner = VerdictRunner(checked: config, dataset: dataset, options: options,
                                       ledger: { session.recordedFamily($0) },
                                       log: log.map { function in { line in try? function.call(on: L, { stack in stack.push(.string(line)); return 1 }, read: { _ in }) } })
            let (verdict, result) = try runner.run()
            call.state.push(object: VerdictObject(verdict), in: L)
            call.state.push(object: ResultObject(result, seconds: verdict.seconds, dataOptions: dataset.source), in: L)
            return 2
        }),
        ("retraining_audit", """
        lab.retraining_audit(config, dataset [, options]) -> audit
          Does a fast retraining mode decide as full retraining does? Runs `config` with
          retrain_mode = "full" and with its fast mode (its own, else "warm"; full_refit_weeks
          as it says) on the same data, scores recorded, and compares: out-of-sample IC of
          each, the share of picks both held, the excess return difference a year with its
          standard error, the rank correlation of the scores per period. decides_the_same:
          |IC difference| < 0.005, at least 90% of picks identical, the excess difference
          within one standard error. Both runs count as trials in the ledger.
        \(LabOptionSet.audit.help())
        """, { call in
            let config = try configOrFile(call, 1, owner: "lab.retraining_audit")
            let dataset = try call.object(2, Dataset.self)
            let o = try LuaOptions(call, 3, .audit)
            let log = try o.value("log").map { _ in try functionOption(call, 3, "log") }
            let L = call.L
            let audit = try RetrainingAudit.run(config: config.config, dataset: dataset, floor: try o.boolean("floor") ?? false,
                                                recorded: { call.state.session.recordTrial($0) },
                                                log: log.map { function in { line in try? function.call(on: L, { stack in stack.push(.string(line)); return 1 }, read: { _ in }) } })
            var table: [String: LuaValue] = ["mode": .string(audit.mode), "summary": .string(audit.summary),
                                             "details": .array(audit.details.map { .string($0) }), "decides_the_same": .boolean(audit.decidesTheSame)]
            let numbers: [(String, Double)] = [
                ("full_ic", audit.fullIC), ("fast_ic", audit.fastIC), ("ic_difference", audit.icDifference), ("identical_picks", audit.identicalPicks),
                ("excess_difference", audit.excessDifference), ("excess_standard_error", audit.excessStandardError), ("full_excess", audit.fullExcess),
                ("fast_excess", audit.fastExcess), ("score_rank_correlation", audit.scoreRankCorrelation),
                ("lowest_rank_correlation", audit.lowestRankCorrelation), ("full_seconds", audit.fullSeconds), ("fast_seconds", audit.fastSeconds)]
            for (key, x) in numbers { table[key] = .finite(x) }
            let counts: [(String, Int)] = [("periods", audit.periods), ("full_run_trainings", audit.fullRunTrainings),
                                           ("fast_run_trainings", audit.fastRunTrainings), ("fast_run_updates", audit.fastRunUpdates)]
            for (key, n) in counts { table[key] = .integer(Int64(n)) }
            table["floor"] = try audit.floor.map { try LuaValueEncoder(snakeCaseKeys: true).encode($0) }
            return call.results(.map(table))
        }),
        ("write_file", """
        lab.write_file(path, text)
          Writes text to path atomically: a temporary file renamed into place, so an
          interrupted run never leaves a half-written file and the previous one stays intact.
        """, { call in
            try call.state.session.write(Data(try call.string(2).utf8), to: try call.string(1))
            return 0
        }),
        ("report", """
        lab.report(results, path [, options]) -> writes a self-contained HTML report
          The seed's table, equity curves against SPY, drawdowns, yearly returns as bars,
          and with a grid a heatmap of a parameter grid. SVG charts, no JavaScript; written atomically.
        \(LabOptionSet.report.help())
        """, { call in
            let results = try call.objects(1, ResultObject.self, what: "a result").map(\.result)
            let path = try call.string(2)
            let o = try LuaOptions(call, 3, .report)
            var grid: HTMLReport.Grid?
            if case .map(let g)? = o.value("grid") {
                guard case .string(let rows)? = g["rows"], case .string(let columns)? = g["columns"] else {
                    throw call.argumentError(3, "option 'grid' needs rows and columns (config field names)")
                }
                var metric = HTMLReport.Grid.Metric.sharpe
                if case .string(let m)? = g["metric"] {
                    guard let named = HTMLReport.Grid.Metric(rawValue: m) else {
                        let valid = HTMLReport.Grid.Metric.allCases.map(\.rawValue).joined(separator: ", ")
                        throw call.argumentError(3, "unknown grid metric '\(m)' (valid: \(valid))")
                    }
                    metric = named
                }
                grid = HTMLReport.Grid(rows: rows, columns: columns, metric: metric)
            }
            let report = HTMLReport(title: try o.string("title") ?? "AlphaLab report", results: results, grid: grid)
            try call.state.session.write(Data(report.render().utf8), to: path)
            return 0
        }),
        ("is_terminal", """
        lab.is_terminal(stream) -> whether "stdout" or "stderr" is a terminal (progress bars
          for people, plain lines for pipes and logs)
        """, { call in
            let name = try call.string(1)
            guard let fd: Int32 = ["stdin": 0, "stdout": 1, "stderr": 2][name] else {
                throw call.argumentError(1, "stream must be stdin, stdout or stderr")
            }
            return call.results(.boolean(isatty(fd) != 0))
        }),
        ("clock", """
        lab.clock() -> seconds on a monotonic wall clock (for elapsed times; os.clock is CPU time)
        """, { call in
            call.results(.number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9))
        }),
        ("deflated_sharpe", """
        lab.deflated_sharpe(sharpe, trials, variance, periods, skew, kurtosis) -> dsr, sr0
          The deflated Sharpe ratio (Bailey and Lopez de Prado 2014) of a per-period Sharpe
          ratio chosen as the best of `trials` (effective) trials whose Sharpe ratios vary
          with `variance`, from `periods` returns of this skewness and (non-excess) kurtosis:
          the probability that its true Sharpe ratio beats sr0, the expected maximum of as
          many luckless trials.
        """, { call in
            let judged = DeflatedSharpe.deflated(sharpe: try call.number(1), trials: try call.number(2), variance: try call.number(3),
                                                 periods: try call.integer(4), skew: try call.number(5), kurtosis: try call.number(6))
            return call.results(.finite(judged.dsr), .number(judged.sr0))
        }),
        ("normal_cdf", "lab.normal_cdf(x) -> the standard normal distribution function at x", { call in
            call.results(.number(DeflatedSharpe.normalCDF(try call.number(1))))
        }),
        ("normal_quantile", "lab.normal_quantile(p) -> the standard normal quantile of p, 0 < p < 1", { call in
            let p = try call.number(1)
            guard p > 0, p < 1 else { throw call.argumentError(1, "p must be in (0, 1), got \(p)") }
            return call.results(.number(DeflatedSharpe.normalQuantile(p)))
        }),
        ("runs", """
        lab.runs([location]) -> run store
          The store of recorded runs at `location`: a SQLite file (default $ALPHALAB_RUNS,
          else results/runs.db), or a team's PostgreSQL database as
          postgres://user@host:port/db (the password from PGPASSWORD or ~/.pgpass, never
          in the URL). Created and upgraded if needed; safe with several writers at once.
        """, { call in
            call.result(object: RunStoreObject(try call.state.session.runStore(location: try call.optionalString(1) ?? RunStores.defaultLocation())))
        }),
        ("ledger", """
        lab.ledger([location]) -> location
          Where this process's trials go: with `location`, a run store (a SQLite file or a
          postgres:// URL, as lab.runs takes) from now on, or '' for the default; without,
          where they go now ($ALPHALAB_RUNS, else ~/.local/share/alphalab/ledger.db, unless
          set). cli.parse sets it from a script's --runs. A sandboxed script may name only
          the store its command line names.
        """, { call in
            let session = call.state.session
            if !call.isNil(1) { try session.setLedger(try call.string(1)) }
            return call.results(.string(session.ledgerLocation()))
        }),
        ("load_results", """
        lab.load_results(path) -> {result, ...}
          Every result in a results file: a JSON array (experiment.save) or a single result.
        """, { call in
            let path = try call.string(1)
            guard let data = try call.state.session.read(path) else { throw LuaError("lab.load_results: cannot read '\(path)'") }
            let results: [ExperimentResult]
            do {
                if let list = try? JSONDecoder().decode([ExperimentResult].self, from: data) { results = list } else { results = [try ExperimentResult(json: data)] }
            } catch {
                throw LuaError("lab.load_results: '\(path)' is not an AlphaLab results file: \(error)")
            }
            lua_createtable(call.L, Int32(results.count), 0)
            for (i, r) in results.enumerated() {
                call.state.push(object: ResultObject(r), in: call.L)
                lua_rawseti(call.L, -2, lua_Integer(i + 1))
            }
            return 1
        }),
        ("load_result", """
        lab.load_result(path) -> result
          A result saved with result:save(path) (the JSON AlphaLab writes).
        """, { call in
            let path = try call.string(1)
            guard let data = try call.state.session.read(path) else { throw LuaError("lab.load_result: cannot read '\(path)'") }
            do {
                return call.result(object: ResultObject(try ExperimentResult(json: data)))
            } catch {
                throw LuaError("lab.load_result: '\(path)' is not an AlphaLab result: \(error)")
            }
        }),
    ] }

    /// The function stored under `key` in the options table at `position`.
    /// Argument `i`: a config table, or the path of a config file: JSON of config fields (as
    /// runs.promote writes) or, ending in .lua, a Lua chunk returning a table of them.
    static func configOrFile(_ call: LuaCall, _ i: Int32, owner: String) throws -> CheckedConfig {
        guard case .string(let path) = try call.value(i) else { return try config(call, i) }
        guard let data = try call.state.session.read(path) else { throw LuaError("\(owner): cannot read config file '\(path)'") }
        do throws(ConfigFileError) {
            guard path.hasSuffix(".lua") else { return try ConfigFile.decode(json: data, path: path) }
        } catch {
            throw LuaError("\(owner): \(error)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let returned: [LuaValue]
        do { returned = try call.state.run(text, name: "@" + path) } catch { throw LuaError("\(owner): \(error.message)") }
        guard case .map(let fields)? = returned.first else {
            throw LuaError("\(owner): \(path): a Lua config returns a table of config fields (return { top_n = 10, ... })")
        }
        do throws(ConfigFileError) { return try ConfigFile.decode(lua: fields.compactMapValues(\.configValue), text: text, path: path) } catch {
            throw LuaError("\(owner): \(error)")
        }
    }

    static func functionOption(_ call: LuaCall, _ position: Int32, _ key: String) throws -> LuaFunctionRef {
        lua_getfield(call.L, position, key)
        defer { call.stack.pop() }
        guard lua_type(call.L, -1) == LUA_TFUNCTION else {
            throw call.argumentError(position, "option '\(key)' must be a function, got \(call.stack.typeName(at: -1))")
        }
        return LuaFunctionRef(state: call.state, index: -1, in: call.L)
    }
}

/// What a Lua scoring function sees: `ctx.date`, `ctx.scoring_date`, `ctx.tickers`,
/// `ctx.period`, `ctx.retrain`, `ctx:feature(name)` and `ctx:history(ticker, field, n)`,
/// all ending at the scoring close. It returns scores by ticker (`{AAPL = 0.3, ...}`)
/// or a list aligned with `ctx.tickers`; a missing score means "not a candidate".
final class ScoringContextObject {
    let context: ScoringContext
    init(_ context: ScoringContext) { self.context = context }

    static func define(in state: LuaState) {
        state.defineType(ScoringContextObject.self, name: "ScoringContext", methods: [
            ("feature", "ctx:feature(name) -> {ticker = value, ...} at the scoring close (tickers without a value are absent)", { o, call in
                let values = try o.context.feature(try call.string(2))
                return call.results(.map(Dictionary(uniqueKeysWithValues: zip(o.context.symbols, values).compactMap { $1.isFinite ? ($0, .number($1)) : nil })))
            }),
            ("history", "ctx:history(ticker, field, n) -> the last n values of field (open, high, low, close, volume) up to the scoring close", { o, call in
                let t = try DatasetBindings.ticker(o.context.dataset, call, 2)
                let fieldName = try call.string(3)
                guard let field = PriceField(rawValue: fieldName) else { throw call.argumentError(3, "field must be open, high, low, close or volume") }
                return call.results(.array(o.context.history(field, ticker: t, count: try call.integer(4)).map(LuaValue.finite)))
            }),
        ], fields: { o, key in
            switch key {
            case "date": .string(o.context.decisionDate.description)
            case "scoring_date": .string(o.context.scoringDate.description)
            case "tickers": .array(o.context.symbols.map(LuaValue.string))
            case "period": .integer(Int64(o.context.period))
            case "retrain": .boolean(o.context.retrain)
            default: nil
            }
        }, fieldNames: ["date", "scoring_date", "tickers", "period", "retrain"],
           tostring: { "ScoringContext(\($0.context.decisionDate), scores from \($0.context.scoringDate))" })
    }

    /// Scores from a scoring function's result: a list aligned with the tickers, or a
    /// table by ticker symbol (missing tickers score nothing).
    static func scores(from stack: LuaStack, context: ScoringContext) throws -> [Double] {
        let value: LuaValue
        do { value = try stack.value(at: -1) } catch { throw LuaError("score function: \(error)") }
        switch value {
        case .array(let items):
            guard items.count == context.tickers.count || items.isEmpty else {
                throw LuaError("score function returned \(items.count) scores for \(context.tickers.count) tickers")
            }
            return items.isEmpty ? context.tickers.map { _ in .nan } : items.map { $0.number ?? .nan }
        case .map(let byKey):
            // By ticker, or a list with holes (nil scores), whose positions arrive as "1", "2", ...
            if byKey.keys.contains(where: { context.dataset.panel.tickerIndex[$0] != nil }) {
                return context.symbols.map { byKey[$0]?.number ?? .nan }
            }
            // Keys that are neither tickers nor positions are a typo, not a list with holes:
            // read as one, every period would quietly hold cash.
            let stray = byKey.keys.filter { Int($0) == nil }.sorted()
            if let first = stray.first {
                let hint = closestMatch(to: first, in: context.symbols).map { " (did you mean '\($0)'?)" } ?? ""
                throw LuaError("score function returned \(stray.count) key(s) that are not tickers of the data, e.g. '\(first)'\(hint)")
            }
            return context.symbols.indices.map { byKey[String($0 + 1)]?.number ?? .nan }
        default:
            throw LuaError("score function must return a table of scores, got \(value.typeName)")
        }
    }
}
