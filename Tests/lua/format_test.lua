-- The format module, experiment.best and audit.suite: the pieces scripts share.
local check = require "assert"
local format = require "format"
local audit, experiment = require "audit", require "experiment"
local tests = {}

function tests.percentages_and_numbers()
  check.equal(format.pct(0.254), "+25.4%")
  check.equal(format.pct(-0.0449), "-4.5%")
  check.equal(format.rate(0.441), "44.1%")
  check.equal(format.num(-1.462), "-1.46")
  check.equal(format.num(0.01234, "%.3f"), "0.012")
  for _, f in ipairs({ format.pct, format.rate, format.num }) do check.equal(f(nil), "n/a", "a missing figure") end
end

function tests.best_ranks_missing_figures_last_and_keeps_the_first_of_equals()
  local a, b, c = { name = "a" }, { name = "b", sharpe = 0.5, total_return = 0.1 }, { name = "c", sharpe = 0.5, total_return = 0.3 }
  check.equal(experiment.best({ a, b, c }).name, "b")
  check.equal(experiment.best({ a, b, c }, "total_return").name, "c")
  check.equal(experiment.best({ a }).name, "a")
  check.equal(experiment.best({}), nil)
end

function tests.audit_suite_runs_the_chosen_experiments_with_the_setting_on_top()
  local data = lab.synthetic({ tickers = 20 })
  local lines = {}
  local options = { start = 2016, ["end"] = 2016, ["retrain-weeks"] = 26, execution = "round_trip", quiet = true }
  local results = audit.suite(data, options, { signal_timing = "same_day_close" },
    { log = function(line) lines[#lines + 1] = line end, label = "seed timing", only = { [0] = true, [2] = true } })
  check.equal(#results, 2)
  check.equal(results[1].name, "0_Baseline_Current")
  check.equal(results[2].name, "2_Momentum_Features")
  for _, r in ipairs(results) do
    check.equal(r.signal_timing, "same_day_close")
    check.equal(r.execution, "round_trip")
    check.equal(r.config.start_year, 2016)
    check.equal(r.config.retrain_weeks, 26)
  end
  check.equal(lines[1], "seed timing")
  local first = { name = "Momentum_12_1", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2016, end_year = 2016 }
  local only_first = audit.suite(data, options, {}, { log = function() end, label = "", first = { first }, phase_one = false })
  check.equal(#only_first, 1)
  check.equal(only_first[1].name, "Momentum_12_1")
end

return tests
