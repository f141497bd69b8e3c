--- experiment: walk-forward experiments with the seed's config, defaults and table.
--
--   local experiment = require "experiment"
--   local cfg = experiment.config{ name = "1_Signal_Inversion", invert_signal = true }
--   local r   = experiment.run(cfg, lab.load())
--   experiment.summary{ r }
--
-- Configs are plain tables; `experiment.config` fills in the seed's defaults and
-- rejects unknown fields (suggesting the closest valid name), wrong types and
-- out-of-range values, naming the field.

local format = require "format"
local tabulate = require "tabulate"

local M = {}

--- The fields of a config, in order: { {key, type, default, summary}, ... }.
M.fields = lab.config_fields()

--- The seed's defaults, by field name.
M.defaults = {}
for _, f in ipairs(M.fields) do M.defaults[f.key] = f.default end

--- A validated config: `t` over the seed's defaults. Errors point at the caller's line.
---@param t Config
---@return Config
function M.config(t)
  if type(t) ~= "table" then error("experiment.config: table expected, got " .. type(t), 2) end
  local ok, result = pcall(lab.config, t)
  if not ok then error(result, 2) end
  return result
end

--- The seed's eight Phase 1 experiments (names and the fields they change), as the
--- engine defines them (one definition: lab.phase_one).
---@type Config[]
M.phase_one = lab.phase_one()

--- The Phase 1 configs with `changes` applied to each (period, cadence, timing, ...).
--- `only`, if given, is a set of experiment numbers to keep ({[0] = true, [5] = true}).
---@param changes Config
---@param only? table<integer, boolean>
---@return Config[]
function M.phase_one_with(changes, only)
  local configs = {}
  for i, base in ipairs(M.phase_one) do
    if not only or only[i - 1] then configs[#configs + 1] = M.with(base, changes) end
  end
  return configs
end

--- A copy of `base` with the fields of `changes` applied (neither is modified).
---@param base Config
---@param changes Config
---@return Config
function M.with(base, changes)
  local copy = {}
  for k, v in pairs(base) do copy[k] = v end
  for k, v in pairs(changes or {}) do copy[k] = v end
  return copy
end

--- The result with the highest `metric` (default "sharpe"); a result without the
--- figure ranks last, and the first of equals wins. Nil for an empty list.
---@param results Result[]
---@param metric? string a result field, e.g. "sharpe", "total_return"
---@return Result|nil
function M.best(results, metric)
  metric = metric or "sharpe"
  local best
  for _, r in ipairs(results) do
    if not best or (r[metric] or -math.huge) > (best[metric] or -math.huge) then best = r end
  end
  return best
end

--- Runs one experiment. `options` as for lab.run (score, progress).
---@param cfg Config
---@param data Dataset
---@param options? RunOptions
---@return Result
function M.run(cfg, data, options)
  local ok, result = pcall(lab.run, M.config(cfg), data, options)
  if not ok then error(result, 2) end
  return result
end

local function clock_text(seconds)
  seconds = math.floor(seconds + 0.5)
  return string.format("%d:%02d", seconds // 60, seconds % 60)
end

--- The retrainings of a progress report in words: "retrains 12" for full retraining,
--- "trainings 2 full + 9 updates, 1 + 40 left" for warm updates between full refits.
---@param p table a progress report (lab.run's progress option)
---@return string
function M.trainings_text(p)
  if (p.updates or 0) + (p.updates_left or 0) == 0 then
    return string.format("retrains %d, %d left", p.retrains, p.full_left or 0)
  end
  return string.format("trainings %d full + %d updates, %d + %d left", p.full, p.updates, p.full_left, p.updates_left)
end

--- The time a run has left: the engine's estimate from the mean time of its periods of
--- each kind (full training, update, none), else the elapsed time extrapolated by periods.
---@param p table a progress report
---@param elapsed number seconds the run has taken so far
---@return number
function M.time_left(p, elapsed)
  if p.seconds_left then return p.seconds_left end
  return elapsed * (p.total - p.period) / p.period
end

--- A progress display for `count` experiments: on a terminal, one bar redrawn in
--- place (experiment i of n, week, retrains, elapsed, estimated time left); otherwise
--- plain lines every quarter of a run, for logs and pipes. The estimate is for the
--- running experiment: later ones reuse its trainings, so extrapolating the first
--- over the suite would overstate the wait many times.
---@param count integer
---@param stream? file*
---@return fun(p: table, i: integer, n: integer)
function M.progress_display(count, stream)
  if require("display").rich and not stream then return M.notebook_progress(count) end
  stream = stream or io.stderr
  local terminal = lab.is_terminal("stderr")
  local started, run_started, current = lab.clock(), lab.clock(), nil
  local display = {}
  function display.update(p, i)
    local now = lab.clock()
    if current ~= i then current, run_started = i, now end
    local left = M.time_left(p, now - run_started)
    local elapsed = now - started
    if terminal then
      local width = 24
      local filled = math.floor(p.period / p.total * width + 0.5)
      stream:write(string.format("\r\27[K[%d/%d] %-24s [%s%s] week %d/%d  %s  %s elapsed  ~%s left in this run", i,
        count, p.experiment:sub(1, 24), string.rep("#", filled), string.rep(".", width - filled), p.period, p.total,
        M.trainings_text(p), clock_text(elapsed), clock_text(left)))
    elseif p.period == p.total or p.period % math.max(1, p.total // 4) == 0 then
      stream:write(string.format("  [%d/%d] %s: week %d/%d, %s, %s elapsed, ~%s left in this run\n", i, count,
        p.experiment, p.period, p.total, M.trainings_text(p), clock_text(elapsed), clock_text(left)))
    end
  end
  --- Writes a line of its own (clearing the bar first on a terminal).
  function display.line(text)
    stream:write((terminal and "\r\27[K" or "") .. text .. "\n")
  end
  return display
end

--- The progress display in a notebook: one bar per suite, redrawn in place (at most
--- four times a second, and at the end of each experiment), with the log lines printed.
---@param count integer
---@return {update: fun(p: table, i: integer), line: fun(text: string)}
function M.notebook_progress(count)
  local display = require "display"
  local started, run_started, current, shown, id = lab.clock(), lab.clock(), nil, -1, nil
  local progress = {}
  function progress.update(p, i)
    local now = lab.clock()
    if current ~= i then current, run_started = i, now end
    if now - shown < 0.25 and p.period < p.total then return end
    shown = now
    local text = string.format("[%d/%d] %s: week %d/%d, %s, %s elapsed, ~%s left in this run", i, count,
      p.experiment, p.period, p.total, M.trainings_text(p), clock_text(now - started), clock_text(M.time_left(p, now - run_started)))
    local html = string.format('<progress value="%d" max="%d" style="width:16em"></progress> <code>%s</code>', p.period, p.total,
      display.escape(text))
    local bundle = { ["text/html"] = html, ["text/plain"] = text }
    if id then
      display.update(id, bundle, true)
    else
      id = display.new_id()
      display.html(html, { id = id, text = text })
    end
  end
  function progress.line(text) print(text) end
  return progress
end

--- Runs several experiments on the same data (trainings are shared between them).
--- Options: log (a function taking a line; default: stderr), quiet (no progress and no
--- log lines), progress (a function(p, i, n) replacing the progress display), score.
---@param configs Config[]
---@param data Dataset
---@param options? {log?: fun(line: string), quiet?: boolean, progress?: fun(p: table, i: integer, n: integer), score?: function}
---@return Result[]
function M.run_all(configs, data, options)
  options = options or {}
  local display = M.progress_display(#configs)
  local log = options.log or (options.quiet and function() end) or display.line
  local progress = options.progress
  if not progress and not options.quiet then progress = function(p, i) display.update(p, i) end end
  local results = {}
  for i, cfg in ipairs(configs) do
    log(string.format("[%d/%d] %s", i, #configs, cfg.name or "experiment"))
    local r = M.run(cfg, data, {
      score = options.score,
      progress = progress and function(p) progress(p, i, #configs) end or nil,
    })
    log(string.format("[%d/%d] %s: %+.1f%%, Sharpe %.2f, %d retrains (%.1f s)", i, #configs, r.name,
      (r.total_return or 0) * 100, r.sharpe or 0 / 0, r.retrains, r.seconds))
    results[#results + 1] = r
  end
  return results
end

local pct, plain_pct, num = format.pct, format.rate, format.num

--- The seed's summary table (Experiment, Return, vs SPY, Sharpe, MaxDD, WinRate), then
--- how each run traded (Execution, Turnover a period, CostDrag a year), with the best
--- Sharpe and best return; returns the text (printed unless options.quiet).
---@param results Result[]
---@param options? {quiet?: boolean}
---@return string
function M.summary(results, options)
  options = options or {}
  local rows, best_sharpe, best_return = {}, nil, nil
  for _, r in ipairs(results) do
    rows[#rows + 1] = { r.name, pct(r.total_return), pct(r.excess_return), num(r.sharpe), plain_pct(r.max_drawdown),
      plain_pct(r.win_rate), r.execution, plain_pct(r.turnover), plain_pct(r.cost_drag) }
    if r.sharpe and (not best_sharpe or r.sharpe > best_sharpe.sharpe) then best_sharpe = r end
    if r.total_return and (not best_return or r.total_return > best_return.total_return) then best_return = r end
  end
  local rule = string.rep("=", 108)
  local lines = { rule, "EXPERIMENT RESULTS SUMMARY", rule }
  for _, r in ipairs(results) do
    for _, w in ipairs(r.warnings) do lines[#lines + 1] = "!! " .. r.name .. ": " .. w end
  end
  lines[#lines + 1] = tabulate.format(rows, {
    header = { "Experiment", "Return", "vs SPY", "Sharpe", "MaxDD", "WinRate", "Execution", "Turnover", "CostDrag" },
    align = { "left", "right", "right", "right", "right", "right", "left", "right", "right" },
    rule = "-",
  })
  lines[#lines + 1] = string.rep("-", 108)
  lines[#lines + 1] = " Best Sharpe: " .. (best_sharpe and best_sharpe.name or "n/a")
  lines[#lines + 1] = " Best Return: " .. (best_return and best_return.name or "n/a")
  local text = table.concat(lines, "\n")
  if not options.quiet then print(text) end
  return text
end

--- Saves results as one JSON array (the seed's results file), atomically.
---@param results Result[]
---@param path string
function M.save(results, path)
  local parts = {}
  for i, r in ipairs(results) do parts[i] = r:json() end
  lab.write_file(path, "[\n" .. table.concat(parts, ",\n") .. "\n]\n")
end

return M
