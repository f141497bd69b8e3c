#!/usr/bin/env alphalab
--- Phase 3 of the seed's plan, robustness: a grid of parameters around the best
--- config (the seed: top_n in {5, 10, 15, 20} x stop_loss_pct in {0.05, 0.08, 0.10,
--- 0.15}), and how much of the best grid point is selection luck: its Deflated Sharpe
--- Ratio given the number of trials, and the Probability of Backtest Overfitting by
--- combinatorially symmetric cross-validation over the grid's weekly returns.
---
---   --grid '{top_n = {5, 10}, max_sector_pct = {0.3, 1.0}}'   any grid, as a Lua table

local cli = require "cli"
local experiment = require "experiment"
local validation = require "validation"
local tabulate = require "tabulate"

local options = cli.parse(arg, cli.with_data_options{
  from = { default = "results/phase2_results.json", help = "results whose best (by Sharpe) is the base config" },
  grid = { default = "{top_n = {5, 10, 15, 20}, stop_loss_pct = {0.05, 0.08, 0.10, 0.15}}", help = "the grid, a Lua table" },
  start = { type = "integer", help = "first year (default: the base config's)" },
  ["end"] = { type = "integer", help = "last year (default: the base config's)" },
  blocks = { type = "integer", default = 16, help = "CSCV blocks for the PBO (even)" },
  execution = cli.execution_option(true),
  out = { default = "results", help = "folder for phase3_results.json" },
}, "usage: alphalab scripts/phase3_robustness.lua [options]")

local chunk, problem = load("return " .. options.grid, "=--grid", "t", {})
if not chunk then error("--grid is not a Lua table: " .. problem, 0) end
local grid = chunk()

local base = experiment.best(lab.load_results(options.from))
local config = experiment.with(base.config, cli.config(options, { name = "grid" }))
if grid.stop_loss_pct then config.use_stop_loss = true end
local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description .. "; base: " .. base.name)

local configs = validation.grid(config, grid)
local results = experiment.run_all(configs, data, { log = log, quiet = options.quiet })

-- The grid as a table of Sharpe ratios when it has two axes, else one row per point.
local axes = {}
for field in pairs(grid) do axes[#axes + 1] = field end
table.sort(axes)
local format = require "format"
local pct, num = format.pct, format.num
print(string.format("PHASE 3: ROBUSTNESS GRID around %s (%d points, %d-%d)", base.name, #results, config.start_year, config.end_year))
if #axes == 2 then
  local rows_axis, cols_axis = axes[1], axes[2]
  local header = { rows_axis .. " \\ " .. cols_axis }
  for _, v in ipairs(grid[cols_axis]) do header[#header + 1] = tostring(v) end
  local rows = {}
  for i, rv in ipairs(grid[rows_axis]) do
    local row = { tostring(rv) }
    for j = 1, #grid[cols_axis] do
      local r = results[(i - 1) * #grid[cols_axis] + j]
      row[#row + 1] = num(r.sharpe)
    end
    rows[i] = row
  end
  print("Sharpe ratio")
  print(tabulate.format(rows, { header = header, rule = "-" }))
end
local rows = {}
for i, r in ipairs(results) do rows[i] = { r.name, pct(r.total_return), num(r.sharpe), pct(r.max_drawdown) } end
print(tabulate.format(rows, { header = { "Grid point", "Return", "Sharpe", "MaxDD" }, align = { "left" }, rule = "-" }))

local series = {}
for i, r in ipairs(results) do series[i] = validation.returns(r) end
local deflated = validation.deflated_sharpe_of(series)
print()
print(string.format("Best grid point: %s, weekly Sharpe %.3f (annualised %.2f)", results[deflated.best].name, deflated.sharpe,
  deflated.sharpe * math.sqrt(52)))
print(string.format("Deflated Sharpe Ratio: %.3f (expected best weekly Sharpe of %d luckless trials: %.3f)", deflated.dsr,
  deflated.trials, deflated.sr0))
if #series[1] >= 2 * options.blocks and #series >= 2 then
  local p = validation.pbo(series, options.blocks)
  print(string.format("Probability of Backtest Overfitting: %.2f (CSCV, %d blocks, %d combinations)", p.pbo, options.blocks, p.combinations))
else
  print(string.format("Probability of Backtest Overfitting: n/a (needs %d weeks for %d blocks)", 2 * options.blocks, options.blocks))
end
print(deflated.dsr > 0.95 and "The best point survives the deflation at 95%."
  or "The best point does not survive the deflation at 95%: treat its edge as selection luck until shown otherwise.")
experiment.save(results, options.out .. "/phase3_results.json")
lab.report(results, options.out .. "/phase3_report.html", { title = "Phase 3: robustness grid around " .. base.name,
  grid = #axes == 2 and { rows = axes[1], columns = axes[2], metric = "sharpe" } or nil })
