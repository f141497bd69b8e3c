--- audit: one suite of experiments under two settings side by side, and the
--- conclusions of the decision matrix that change between them. The look-ahead audit
--- (timing) and the execution audit (round trips against a held portfolio) are both
--- this comparison.
--
--   local audit = require "audit"
--   local report = audit.compare(
--     { label = "same_day_close", results = seed },
--     { label = "prior_close", results = honest },
--     { what = "timing" })
--   print(report.text)   -- report.changed, report.before, report.after as well

local cli = require "cli"
local decision = require "decision"
local experiment = require "experiment"
local tabulate = require "tabulate"

local M = {}

local format = require "format"
local pct, num = format.pct, format.num

--- The realised beta of `returns` to `benchmark` (period by period, the same length):
--- the least-squares slope; nil when the benchmark does not vary.
---@param returns number[]
---@param benchmark number[]
---@return number|nil
function M.beta(returns, benchmark)
  local xs, ys = benchmark, returns
  local n, sx, sy = #xs, 0, 0
  for i = 1, n do sx, sy = sx + xs[i], sy + ys[i] end
  local mx, my, sxy, sxx = sx / n, sy / n, 0, 0
  for i = 1, n do sxy, sxx = sxy + (xs[i] - mx) * (ys[i] - my), sxx + (xs[i] - mx) ^ 2 end
  return sxx > 0 and sxy / sxx or nil
end

--- Runs the Phase 1 suite for an audit: the experiments `settings.only` keeps (all
--- when nil; none with `settings.phase_one = false`), after the configs of
--- `settings.first`, with the script's span, retraining, execution and universe options
--- (`options.start`, `end`, `retrain-weeks`, `execution`, `universe`) and the audited
--- setting's `changes` on top. Logs `settings.label` first through `settings.log`.
---@param data Dataset
---@param options table the script's parsed options (cli.with_suite_options)
---@param changes Config the setting under audit, e.g. { signal_timing = "same_day_close" }
---@param settings {log: fun(line: string), label: string, only?: table<integer, boolean>, first?: Config[], phase_one?: boolean}
---@return Result[]
function M.suite(data, options, changes, settings)
  local base = cli.config(options, changes)
  local configs = {}
  for _, c in ipairs(settings.first or {}) do configs[#configs + 1] = c end
  if settings.phase_one ~= false then
    for _, c in ipairs(experiment.phase_one_with(base, settings.only)) do configs[#configs + 1] = c end
  end
  settings.log(settings.label)
  return experiment.run_all(configs, data, { log = settings.log, quiet = options.quiet })
end

--- Compares the suites `a` and `b` ({label, results}, results in the same order).
--- Options: what (the setting's name in the text, e.g. "timing"), columns (extra
--- columns per side: { {header, function(result) -> text}, ... }), thresholds (for the
--- decision matrix). Returns {text, changed, before, after}: the table, the matrix
--- under each and the number of conclusions that change.
---@param a {label: string, results: Result[]} the suite under the first setting
---@param b {label: string, results: Result[]} the suite under the second
---@param options? {what?: string, columns?: table[], thresholds?: table, matrix?: boolean}
---@return {text: string, changed: integer, before: table, after: table}
function M.compare(a, b, options)
  options = options or {}
  local what = options.what or "setting"
  local columns = options.columns or {}
  local header = { "Experiment" }
  for _, side in ipairs({ a, b }) do
    header[#header + 1] = side.label
    header[#header + 1] = "Sharpe"
    for _, c in ipairs(columns) do header[#header + 1] = c[1] end
  end
  header[#header + 1] = "Difference"
  local rows = {}
  for i = 1, #a.results do
    local row = { a.results[i].name }
    for _, side in ipairs({ a, b }) do
      local r = side.results[i]
      row[#row + 1] = pct(r.total_return)
      row[#row + 1] = num(r.sharpe)
      for _, c in ipairs(columns) do row[#row + 1] = c[2](r) end
    end
    local x, y = a.results[i].total_return, b.results[i].total_return
    row[#row + 1] = (x and y) and pct(y - x) or "n/a"
    rows[i] = row
  end
  local align = { "left" }
  for k = 2, #header do align[k] = "right" end
  local lines = { tabulate.format(rows, { header = header, align = align, rule = "-" }), "" }
  if options.matrix == false then return { text = table.concat(lines, "\n"), changed = 0, before = {}, after = {} } end

  local before = decision.evaluate(a.results, options.thresholds)
  local after = decision.evaluate(b.results, options.thresholds)
  local changed = 0
  lines[#lines + 1] = "DECISION MATRIX under each " .. what
  for i, c in ipairs(before) do
    local d = after[i]
    local function mark(x) return x.holds == nil and "n/a" or (x.holds and "YES" or "no") end
    local flip = (c.holds ~= d.holds) and "  <- CHANGES" or ""
    if flip ~= "" then changed = changed + 1 end
    lines[#lines + 1] = string.format("  %-18s %s %-3s   %s %-3s%s", c.rule, a.label, mark(c), b.label, mark(d), flip)
    lines[#lines + 1] = string.format("      %-14s %s", a.label .. ":", c.reason)
    lines[#lines + 1] = string.format("      %-14s %s", b.label .. ":", d.reason)
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = string.format("%d of %d conclusions change with the %s.", changed, #before, what)
  return { text = table.concat(lines, "\n"), changed = changed, before = before, after = after }
end

return M
