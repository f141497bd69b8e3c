#!/usr/bin/env alphalab
--- The construction audit: the Phase 1 suite (the ML baseline alone by default, --only for
--- more) under `rebalance`, its picks weighted equally (top-N, today's rule) and through the
--- risk model and the optimizer (`weighting = "optimized"`) at each --penalties turnover
--- penalty. Per experiment and construction: turnover a period, cost drag a year, net
--- excess return over SPY, Sharpe and realised beta to SPY. It answers "how much of the ML
--- models' cost would portfolio construction save, and what does it cost them?", and makes
--- no claim that the optimizer improves returns unless these figures show it.
--- The constructions share every training: weighting changes trading, not scoring.

local cli = require "cli"
local audit = require "audit"
local tabulate = require "tabulate"
local format = require "format"

local options = cli.parse(arg, cli.with_suite_options{
  only = { default = "0", help = "comma-separated experiment numbers (default 0, the ML baseline)" },
  penalties = { default = "0,1,3", help = "comma-separated turnover_penalty values for the optimized books" },
  ["risk-aversion"] = { type = "number", default = 10, help = "risk_aversion of the optimized books" },
  ["max-position"] = { type = "number", default = 0.2, help = "max_position of the optimized books" },
  out = { default = "results", help = "folder for construction_audit.txt" },
}, "usage: alphalab scripts/construction_audit.lua [options]")

local constructions = { { label = "equal top-N", overrides = { execution = "rebalance", weighting = "equal" } } }
for _, penalty in ipairs(cli.numbers(options, "penalties", "turnover_penalty", 0)) do
  constructions[#constructions + 1] = { label = string.format("optimized, penalty %g", penalty), overrides = {
    execution = "rebalance", weighting = "optimized", turnover_penalty = penalty,
    risk_aversion = options["risk-aversion"], max_position = options["max-position"] } }
end

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

local suites = {}
for i, c in ipairs(constructions) do
  suites[i] = audit.suite(data, options, c.overrides, { log = log, label = "running the suite: " .. c.label, only = cli.only(options) })
end

--- The run's realised beta to SPY, from the periods with both returns.
local function beta(r)
  local returns, spy = {}, {}
  for _, w in ipairs(r:decision_periods()) do
    if w.spy_return and w["return"] then returns[#returns + 1], spy[#spy + 1] = w["return"], w.spy_return end
  end
  return audit.beta(returns, spy)
end

local rows, ratios = {}, {}
for k, first in ipairs(suites[1]) do
  for i, c in ipairs(constructions) do
    local r = suites[i][k]
    rows[#rows + 1] = { i == 1 and first.name or "", c.label, format.rate(r.turnover), format.rate(r.cost_drag),
      format.pct(r.excess_return), format.num(r.sharpe), format.num(beta(r)) }
    if i > 1 then
      ratios[#ratios + 1] = string.format("  %s, %s: turnover %.2f x equal top-N's, cost drag %s instead of %s, net excess %s instead of %s",
        first.name, c.label, r.turnover / first.turnover, format.rate(r.cost_drag), format.rate(first.cost_drag),
        format.pct(r.excess_return), format.pct(first.excess_return))
    end
  end
end
local lines = {
  "CONSTRUCTION AUDIT: equal top-N against the risk model and optimizer, under rebalance",
  string.format("%s; %d-%d, retraining every %d weeks; risk_aversion %g, max_position %g", description, options.start,
    options["end"], options["retrain-weeks"], options["risk-aversion"], options["max-position"]),
  "turnover is traded notional / equity a period, cost drag the costs paid a year, excess the total return over SPY's net of costs",
  "",
  tabulate.format(rows, { header = { "Experiment", "Construction", "Turnover", "CostDrag", "NetExcess", "Sharpe", "Beta" },
    align = { "left", "left", "right", "right", "right", "right", "right" }, rule = "-" }),
  "",
  table.concat(ratios, "\n"),
}
cli.publish(lines, options.out .. "/construction_audit.txt")
