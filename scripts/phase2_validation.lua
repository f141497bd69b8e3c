#!/usr/bin/env alphalab
--- Phase 2 of the seed's plan, full validation: the top experiments of Phase 1 (by
--- Sharpe) over the full available period with weekly retraining (the seed: 2017-2025,
--- retrain_weeks = 1), each next to its Phase 1 figures. `--only 0,2` validates those
--- Phase 1 experiments by number instead (no Phase 1 results needed): with them, the
--- weekly retraining of the ensemble and of the momentum model, the cluster benchmark's run.

local cli = require "cli"
local experiment = require "experiment"
local tabulate = require "tabulate"

local options = cli.parse(arg, cli.with_data_options{
  from = { default = "results/ml_experiments_results.json", help = "Phase 1 results" },
  top = { type = "integer", default = 3, help = "how many of the best to validate" },
  only = { help = "validate these Phase 1 experiments by number (e.g. 0,2) instead of the best of --from" },
  by = { default = "sharpe", choices = { "sharpe", "total_return", "excess_return" }, help = "ranking of Phase 1" },
  start = { type = "integer", default = 2017, help = "first year" },
  ["end"] = { type = "integer", default = 2025, help = "last year" },
  ["retrain-weeks"] = { type = "integer", default = 1, help = "retrain every N weeks" },
  execution = cli.execution_option(true),
  out = { default = "results", help = "folder for phase2_results.json" },
  runs = cli.runs_option(),
}, "usage: alphalab scripts/phase2_validation.lua [options]")

local changes = cli.config(options)
local configs, chosen = {}, {}
local only = cli.only(options)
local phase1 = not only and lab.load_results(options.from) or nil
if phase1 then
  table.sort(phase1, function(a, b) return (a[options.by] or -math.huge) > (b[options.by] or -math.huge) end)
end
local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

if only then
  configs = experiment.phase_one_with(changes, only)
  for i, cfg in ipairs(configs) do
    chosen[i] = {}
    log("validating " .. cfg.name)
  end
else
  for i = 1, math.min(options.top, #phase1) do
    chosen[i] = phase1[i]
    configs[i] = experiment.with(phase1[i].config, changes)
    log(string.format("validating %s (Phase 1 %s %s)", phase1[i].name, options.by, tostring(phase1[i][options.by])))
  end
end
local results = experiment.run_all(configs, data, { log = log, quiet = options.quiet })
log(cli.training_line(data))

local format = require "format"
local pct, num = format.pct, format.num
local rows = {}
for i, r in ipairs(results) do
  local p = chosen[i]
  rows[i] = { r.name, pct(p.total_return), num(p.sharpe), pct(r.total_return), pct(r.cagr), num(r.sharpe),
    pct(r.max_drawdown), r.mean_ic and string.format("%.3f", r.mean_ic) or "n/a" }
end
print(string.format("PHASE 2: FULL VALIDATION %d-%d, retraining every %d week(s)", options.start, options["end"], options["retrain-weeks"]))
print(tabulate.format(rows, {
  header = { "Experiment", "P1 Return", "P1 Sharpe", "Return", "CAGR", "Sharpe", "MaxDD", "IC" },
  align = { "left" }, rule = "-" }))
-- Stability: each experiment's results per retraining period, summarised by year.
for _, r in ipairs(results) do
  local years = {}
  for y in pairs(r.yearly_returns) do years[#years + 1] = y end
  table.sort(years)
  local parts = {}
  for _, y in ipairs(years) do parts[#parts + 1] = y .. " " .. pct(r.yearly_returns[y]) end
  print(string.format("  %s by year: %s", r.name, table.concat(parts, ", ")))
end
experiment.save(results, options.out .. "/phase2_results.json")
-- Recorded last: the results are in the output folder even when the store cannot be reached.
if options.runs ~= "" then require("runs").record_all(options.runs, results, log) end
