--- runs: the run store from Lua: record, list, load back, compare, delete.
--
--   local runs = require "runs"
--   local store = runs.open()                    -- results/runs.db (or $ALPHALAB_RUNS)
--   runs.record(store, results)                  -- after experiment.run_all
--   runs.print_list(store, { name = "%Momentum%" })
--   print(runs.compare{ store:load(3), store:load(7) })
--   runs.promote(7, "configs/live.json")          -- run 7's config, for `alphalab picks --config`

local tabulate = require "tabulate"

local M = {}

--- The store at `location`: a SQLite file or a postgres:// URL (default $ALPHALAB_RUNS,
--- else results/runs.db).
---@param location? string
---@return RunStore
function M.open(location) return lab.runs(location) end

--- Records `results` in the store at `location` (nil: the default) and logs their ids;
--- a store that cannot be reached is an error naming it, after the caller's files are written.
---@param location string|nil
---@param results Result[]
---@param log fun(line: string)
---@return integer[]
function M.record_all(location, results, log)
  local store = lab.runs(location)
  local ids = M.record(store, results)
  log(string.format("recorded runs %d-%d in %s", ids[1], ids[#ids], store.location))
  return ids
end

--- Records each result; returns their ids.
---@param store RunStore
---@param results Result[]
---@return integer[]
function M.record(store, results)
  local ids = {}
  for i, r in ipairs(results) do ids[i] = store:save(r) end
  return ids
end

local format = require "format"
local pct, num = format.pct, format.num

--- The stored runs matching `filter` (as store:list) as an aligned table.
---@param store RunStore
---@param filter? RunFilter
---@return string
function M.list_text(store, filter)
  local rows = {}
  for i, s in ipairs(store:list(filter)) do
    rows[i] = { s.id, s.name, s.created_at:sub(1, 19), pct(s.total_return), num(s.sharpe), pct(s.max_drawdown),
      format.rate(s.cost_drag), string.format("%.1f s", s.seconds), s.signal_timing,
      s.execution }
  end
  return tabulate.format(rows, { header = { "id", "name", "recorded", "Return", "Sharpe", "MaxDD", "CostDrag", "time", "timing",
    "execution" },
    align = { "right", "left", "left" }, rule = "-" })
end

---@param store RunStore
---@param filter? RunFilter
function M.print_list(store, filter) print(M.list_text(store, filter)) end

--- Writes recorded run `id`'s config to `path` as JSON, for `alphalab picks --config path`
--- and `lab.picks(path, data)`: the winning experiment's settings, ready for the desk.
--- `store` defaults to runs.open().
---@param id integer
---@param path string
---@param store? RunStore
---@return string path
function M.promote(id, path, store)
  store = store or M.open()
  store:load(id):save_config(path)
  return path
end

local metrics = {
  { "total_return", "Return", pct }, { "cagr", "CAGR", pct }, { "sharpe", "Sharpe", num }, { "sortino", "Sortino", num },
  { "max_drawdown", "MaxDD", pct }, { "win_rate", "WinRate", pct }, { "excess_return", "vs SPY", pct },
  { "mean_ic", "IC", function(x) return x and string.format("%.3f", x) or "n/a" end },
  { "weeks_traded", "Weeks", tostring },
  { "turnover", "Turnover", pct }, { "cost_drag", "CostDrag", pct },
  { "holding_days", "Held (days)", function(x) return x and string.format("%.1f", x) or "n/a" end },
}

--- Two or more results side by side, with each one's difference from the first.
---@param results Result[]
---@return string
function M.compare(results)
  assert(#results >= 2, "runs.compare: needs at least two results")
  local header = { "metric" }
  for i, r in ipairs(results) do
    header[#header + 1] = r.name
    if i > 1 then header[#header + 1] = "diff" end
  end
  local rows = {}
  for _, m in ipairs(metrics) do
    local key, label, fmt = m[1], m[2], m[3]
    local row = { label }
    local first = results[1][key]
    for i, r in ipairs(results) do
      row[#row + 1] = fmt(r[key])
      if i > 1 then
        local v = r[key]
        row[#row + 1] = (v and first) and (key == "weeks_traded" and string.format("%+d", v - first) or fmt(v - first)) or "n/a"
      end
    end
    rows[#rows + 1] = row
  end
  return tabulate.format(rows, { header = header, rule = "-" })
end

return M
