-- Calls every lab function and engine-object method once and checks what it returns
-- (and every engine object's fields) against the declared types, with check_returns
-- and check_fields (LabTypeCheck). Returns the list of mismatches. `...` is a scratch folder.
local folder, store_path = ...
local problems = {}
local function check(name, ...)
  for _, p in ipairs(check_returns(name, ...)) do problems[#problems + 1] = p end
end
local function fields(object)
  for _, p in ipairs(check_fields(object)) do problems[#problems + 1] = p end
end

local data = lab.synthetic({ tickers = 24, seed = 3, start = "2012-01-03", ["end"] = "2016-12-30" })
check("lab.synthetic", data); fields(data)
check("lab.features", lab.features())
check("lab.feature_sets", lab.feature_sets())
check("lab.config", lab.config({ name = "x", horizon_weights = { [1] = 0.5, [20] = 0.5 } }))
check("lab.config_fields", lab.config_fields())
check("lab.phase_one", lab.phase_one())
check("lab.is_terminal", lab.is_terminal("stdout"))
check("lab.clock", lab.clock())

-- The dataset's methods.
local first, last = "2014-01-02", "2014-03-31"
check("Dataset:tickers", data:tickers())
check("Dataset:universe", data:universe())
check("Dataset:universes", data:universes())
check("Dataset:members", data:members("index", last))
check("Dataset:spells", data:spells("index"))
check("Dataset:dates", data:dates(first, last))
local ticker = data:universe()[1]
check("Dataset:bars", data:bars(ticker, first, last))
check("Dataset:sector", data:sector(ticker))
check("Dataset:sectors", data:sectors())
check("Dataset:slice", data:slice(first, last))
check("Dataset:select", data:select({ ticker, "SPY" }))
check("Dataset:summary", data:summary())
check("Dataset:training_stats", data:training_stats())
check("Dataset:with_cache", data:with_cache(folder .. "/cache"))
local matrix = data:features("momentum")
check("Dataset:features", matrix); fields(matrix)
check("FeatureMatrix:at", matrix:at(ticker, last))
check("FeatureMatrix:series", matrix:series(matrix.names[1], ticker))

-- A model.
local model = lab.train(data, { date = "2015-06-01", trees = 5, horizons = { 5, 20 }, start_year = 2012 })
check("lab.train", model); fields(model)
check("Model:predict", model:predict())
check("Model:save", model:save(folder .. "/model"))

-- A run, with a scoring function to reach the context.
local config = { name = "types", start_year = 2015, end_year = 2015, retrain_weeks = 26, explain = true }
local result = lab.run(config, data)
check("lab.run", result); fields(result)
local seen = false
lab.run({ name = "ctx", start_year = 2015, end_year = 2015 }, data, { score = function(ctx)
  if not seen then
    seen = true
    fields(ctx)
    check("ScoringContext:feature", ctx:feature("MOM_12_1"))
    check("ScoringContext:history", ctx:history(ctx.tickers[1], "close", 5))
  end
  return {}
end })
check("Result:equity", result:equity())
check("Result:drawdowns", result:drawdowns())
check("Result:decision_periods", result:decision_periods())
check("Result:retrain_periods", result:retrain_periods())
check("Result:weeks", result:weeks())
check("Result:periods", result:periods())
check("Result:importance", result:importance())
check("Result:json", result:json())
check("Result:summary", result:summary())
check("Result:save", result:save(folder .. "/result.json"))
check("Result:save_config", result:save_config(folder .. "/config.json"))
check("lab.load_result", lab.load_result(folder .. "/result.json"))
check("lab.write_file", lab.write_file(folder .. "/results.json", "[" .. result:json() .. "]"))
check("lab.load_results", lab.load_results(folder .. "/results.json"))
check("lab.report", lab.report({ result }, folder .. "/report.html"))
local holdings = folder .. "/holdings.csv"
lab.write_file(holdings, "ticker,shares\n" .. ticker .. ",10\n")
check("lab.picks", lab.picks(config, data, { holdings = holdings }))
check("lab.picks", lab.picks(folder .. "/config.json", data))
check("lab.config", lab.config(folder .. "/config.json"))

-- A retraining audit with its floor (a small model, one year).
check("lab.retraining_audit", lab.retraining_audit({ name = "audit", use_momentum_features = true, start_year = 2015, end_year = 2015,
  retrain_weeks = 4, retrain_mode = "warm", full_refit_weeks = 3 }, data, { floor = true }))

-- A verdict (a small placebo: the types, not the statistics).
local verdict, judged = lab.verdict({ name = "verdict", strategy = "momentum_12_1", start_year = 2014, end_year = 2016 }, data,
  { permutations = 5, rules = { placebo_pass = 0.1 } })
check("lab.verdict", verdict, judged); fields(verdict)
check("Verdict:html", verdict:html())
check("Verdict:json", verdict:json())
check("Verdict:check", verdict:check("placebo"))

-- A run store.
local store = lab.runs(folder .. "/runs.db")
check("lab.runs", store); fields(store)
local id = store:save(result)
check("RunStore:save", id)
check("RunStore:count", store:count())
check("RunStore:list", store:list())
check("RunStore:load", store:load(id))
check("RunStore:save_verdict", store:save_verdict(id, verdict))
check("RunStore:verdict", store:verdict(id))
check("RunStore:delete", store:delete(id))

-- Factors.
local factor = lab.factor(data, "MOM_12_1", { start = 2013, ["end"] = 2016 })
check("lab.factor", factor); fields(factor)
check("lab.factor", lab.factor(data, { "MOM_12_1", "RET_1D" }, { start = 2013, ["end"] = 2016 }))
check("Factor:horizon", factor:horizon(20))
check("Factor:table", factor:table())
check("Factor:summary", factor:summary())
check("Factor:report", factor:report(folder .. "/factor.html"))
check("lab.factor_report", lab.factor_report({ factor }, folder .. "/factors.html"))
check("lab.mime", lab.mime(factor))
check("lab.mime", lab.mime({ result }, { after = "<p>after</p>" }))
check("lab.mime", lab.mime(42))

-- Price stores: one the test imported, and lab.load's default (the embedded market here).
check("lab.open", lab.open(store_path))
check("lab.load", lab.load(store_path))
check("lab.load", lab.load())
check("lab.read_csv", lab.read_csv(folder .. "/GOOD.csv"))
return problems
