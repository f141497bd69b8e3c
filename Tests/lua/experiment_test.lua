local experiment = require "experiment"
local check = require "assert"

local tests = {}

function tests.defaults_are_the_seeds()
  local cfg = experiment.config{ name = "x" }
  check.equal(cfg.start_year, 2024); check.equal(cfg.end_year, 2025); check.equal(cfg.retrain_weeks, 4)
  check.equal(cfg.top_n, 10); check.equal(cfg.slippage_bps, 10); check.equal(cfg.initial_cash, 100000)
  check.equal(cfg.invert_signal, false); check.equal(cfg.use_momentum_features, false)
  check.equal(cfg.horizon_weights["1"], 0.5, "weight of horizon 1"); check.equal(cfg.horizon_weights["20"], 0.2)
  check.equal(cfg.stop_loss_pct, 0.08); check.equal(cfg.max_sector_pct, 1); check.equal(cfg.min_stocks, 10)
  check.equal(cfg.signal_timing, "prior_close")
  check.equal(cfg.circuit_breaker_drawdown, 0, "the circuit breaker is off by default")
  check.equal(cfg.execution, "rebalance", "a portfolio that holds what stays, unless round_trip is asked for")
  check.equal(cfg.no_trade_band, 0.25); check.equal(cfg.weighting, "equal"); check.equal(cfg.cost_model, "flat")
  check.equal(cfg.max_adv_pct, 0)
end

function tests.unknown_key_suggests_the_valid_one()
  local message = check.raises(function() local c = experiment.config{ name = "x", invert_sinal = true }; return c end)
  check.contains(message, "config field 'invert_sinal': unknown field (did you mean 'invert_signal'?)")
  -- The error points at the caller's line, not inside the module.
  check.contains(message, "experiment_test.lua:")
end

function tests.wrong_types_and_ranges_name_the_field()
  check.contains(check.raises(experiment.config, { top_n = "ten" }), "config field 'top_n': expected an integer, got string")
  check.contains(check.raises(experiment.config, { stop_loss_pct = 2 }), "config field 'stop_loss_pct': must be in (0, 1), got 2")
  check.contains(check.raises(experiment.config, { use_stop_loss = "yes" }), "config field 'use_stop_loss': expected a boolean, got string")
  check.contains(check.raises(experiment.config, { signal_timing = "same_day" }), "'same_day' is not one of prior_close, same_day_close")
  check.contains(check.raises(experiment.config, { horizon_weights = { [1] = -1 } }), "weight of horizon 1 must be non-negative")
  check.contains(check.raises(experiment.config, "x"), "experiment.config: table expected, got string")
  check.contains(check.raises(experiment.config, { execution = "roundtrip" }),
    "config field 'execution': 'roundtrip' is not one of rebalance, round_trip (did you mean 'round_trip'?)")
  check.contains(check.raises(experiment.config, { execution = "round_trip", max_adv_pct = 0.01 }),
    "config field 'max_adv_pct': needs execution = rebalance")
  check.contains(check.raises(experiment.config, { weighting = "inverse_volatilty" }), "(did you mean 'inverse_volatility'?)")
end

function tests.phase_one_holds_the_seeds_eight_experiments()
  check.equal(#experiment.phase_one, 8)
  check.equal(experiment.phase_one[2].invert_signal, true)
  check.equal(experiment.phase_one[7].horizon_weights[20], 0.5)
  for _, cfg in ipairs(experiment.phase_one) do experiment.config(cfg) end
  local two = experiment.phase_one_with({ top_n = 5 }, { [0] = true, [5] = true })
  check.equal(#two, 2); check.equal(two[2].name, "5_Stop_Loss"); check.equal(two[2].top_n, 5)
  check.equal(#experiment.phase_one_with({ start_year = 2020 }), 8)
  local changed = experiment.with(experiment.phase_one[1], { top_n = 5 })
  check.equal(changed.top_n, 5); check.equal(experiment.phase_one[1].top_n, nil, "with() leaves the original alone")
end

function tests.run_summary_and_save()
  local data = lab.synthetic{ tickers = 30 }
  local lines = {}
  local results = experiment.run_all({
    { name = "mom", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2014, end_year = 2015 },
    { name = "rev", start_year = 2014, end_year = 2014, min_stocks = 0 },
  }, data, {
    log = function(line) lines[#lines + 1] = line end,
    quiet = true,
    score = nil,
  })
  check.equal(#results, 2)
  check.contains(lines[1], "[1/2] mom")
  local text = experiment.summary(results, { quiet = true })
  check.contains(text, "EXPERIMENT RESULTS SUMMARY")
  check.contains(text, "Experiment")
  check.contains(text, "WinRate")
  check.contains(text, " Best Sharpe: ")
  check.contains(text, "Execution"); check.contains(text, "CostDrag")
  local row = text:match("\nmom[^\n]*")
  check.contains(row, string.format("%+.1f%%", results[1].total_return * 100), "the mom row shows its return")
  check.contains(row, "rebalance"); check.contains(row, string.format("%.1f%%", results[1].cost_drag * 100), "and its cost drag")
  local week = results[1]:decision_periods()[2]
  check.equal(type(week.traded), "number"); check.equal(type(week.costs), "number")
  check.equal(week.picks[1].weight, 0.1, "equal weights of top 10")
  local path = os.tmpname()
  experiment.save(results, path)
  local saved = io.open(path):read("a")
  os.remove(path)
  check.contains(saved, '"name" : "mom"'); check.contains(saved, '"total_return"'); check.contains(saved, '"final_value"')
  check.contains(saved, '"execution" : "rebalance"'); check.contains(saved, '"cost_drag"'); check.contains(saved, '"holding_days"')
end

function tests.score_keys_that_are_not_tickers_are_an_error()
  local data = lab.synthetic{ tickers = 20 }
  local cfg = { name = "typo", start_year = 2015, end_year = 2015, min_stocks = 0 }
  local message = check.raises(experiment.run, cfg, data, { score = function(ctx)
    local s = {}
    for i, t in ipairs(ctx.tickers) do s[t .. "X"] = i end
    return s
  end })
  check.contains(message, "key(s) that are not tickers of the data")
  -- A list with holes is still a list.
  local r = experiment.run(cfg, data, { score = function(ctx) return { [2] = 1.0, [5] = 2.0 } end })
  check.equal(#r:decision_periods()[1].picks, 2)
end

function tests.custom_scoring_function_sees_only_the_past()
  local data = lab.synthetic{ tickers = 20 }
  local seen = {}
  local r = experiment.run({ name = "lua", start_year = 2015, end_year = 2015, min_stocks = 0, top_n = 3 }, data, {
    score = function(ctx)
      seen[#seen + 1] = { ctx.date, ctx.scoring_date }
      local closes = {}
      for _, ticker in ipairs(ctx.tickers) do
        local h = ctx:history(ticker, "close", 2)
        if h[1] and h[2] then closes[ticker] = h[2] / h[1] - 1 end
      end
      return closes
    end,
  })
  check.equal(#seen, #r:decision_periods())
  for _, d in ipairs(seen) do
    if not (d[2] < d[1]) then error("scored with " .. d[2] .. " for a decision on " .. d[1]) end
  end
  check.equal(#r:decision_periods()[1].picks, 3)
end

function tests.progress_reports_trainings_by_kind_and_the_time_left()
  check.equal(experiment.trainings_text{ retrains = 3, full = 3, updates = 0, full_left = 2, updates_left = 0 }, "retrains 3, 2 left")
  check.equal(experiment.trainings_text{ retrains = 3, full = 1, updates = 2, full_left = 1, updates_left = 5 },
    "trainings 1 full + 2 updates, 1 + 5 left")
  check.equal(experiment.time_left({ seconds_left = 12, period = 1, total = 4 }, 100), 12, "the engine's estimate first")
  check.equal(experiment.time_left({ period = 1, total = 4 }, 10), 30, "else extrapolated by periods")
  -- A warm run's reports count each kind: with a refit every 4 weeks, weeks 1, 5, 9 are full.
  local data = lab.synthetic{ tickers = 20 }
  local reports = {}
  lab.run({ name = "warm", use_momentum_features = true, retrain_weeks = 1, retrain_mode = "warm", full_refit_weeks = 4,
    start_year = 2016, end_year = 2016, training_start_year = 2014 }, data:slice("2005-01-01", "2016-03-31"),
    { progress = function(p) reports[#reports + 1] = p end })
  local last = reports[#reports]
  check.equal(last.full, 3); check.equal(last.updates, 9); check.equal(last.full_left, 0); check.equal(last.updates_left, 0)
  check.equal(reports[1].full, 1); check.equal(reports[1].updates, 0); check.equal(reports[1].full_left, 2); check.equal(reports[1].updates_left, 9)
  check.equal(reports[2].updates, 1)
  check.equal(reports[1].seconds_left >= 0 and last.seconds_left == 0, true, "the time left falls to zero")
end

return tests
