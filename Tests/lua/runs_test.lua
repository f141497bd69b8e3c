local runs = require "runs"
local check = require "assert"

local tests = {}

function tests.record_list_load_compare_delete()
  local path = os.tmpname()
  os.remove(path)
  local store = runs.open(path .. ".db")
  local data = lab.synthetic{ tickers = 20 }
  local a = lab.run({ name = "mom_10", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2014 }, data)
  local b = lab.run({ name = "mom_5", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2014, top_n = 5 }, data)
  local ids = runs.record(store, { a, b })
  check.equal(store:count(), 2)
  local listed = store:list{ name = "mom_1%" }
  check.equal(#listed, 1); check.equal(listed[1].id, ids[1]); check.near(listed[1].sharpe, a.sharpe, 1e-12)
  check.equal(store:list{ order = "sharpe" }[1].name, (a.sharpe >= b.sharpe) and "mom_10" or "mom_5")
  local back = store:load(ids[2])
  check.equal(back:json(), b:json(), "a stored run loads back equal")
  local text = runs.compare{ a, back }
  check.contains(text, "metric"); check.contains(text, "mom_10"); check.contains(text, "diff")
  check.contains(text, string.format("%+.1f%%", (b.total_return - a.total_return) * 100))
  check.contains(runs.list_text(store), "mom_5")
  check.equal(store:delete(ids[1]), true); check.equal(store:count(), 1)
  check.contains(check.raises(store.list, store, { order = "speed" }), "order must be one of created, id, universe, user, verdict, name, total_return")
  -- A misspelt grid metric is an error naming it and the valid ones, and writes no report.
  local report = path .. ".html"
  local message = check.raises(lab.report, { a, b }, report, { grid = { rows = "top_n", columns = "name", metric = "sharp" } })
  check.contains(message, "unknown grid metric 'sharp' (valid: sharpe, total_return, max_drawdown, excess_return)")
  check.equal(io.open(report), nil, "no report written")
  lab.report({ a, b }, report, { grid = { rows = "top_n", columns = "name", metric = "total_return" } })
  check.contains(io.open(report):read("a"), "Grid: total_return by top_n and name")
  os.remove(report)
  os.remove(path .. ".db"); os.remove(path .. ".db-wal"); os.remove(path .. ".db-shm")
end

function tests.results_print_a_sparkline()
  local r = lab.run({ name = "m", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2014 },
    lab.synthetic{ tickers = 20 })
  local line = tostring(r):match("equity ([^ ]+)")
  check.equal(utf8.len(line), 36, "one block per month up to 40") -- 37 points: the start and 36 month ends
end

return tests
