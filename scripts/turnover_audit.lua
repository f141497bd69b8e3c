#!/usr/bin/env alphalab
--- The turnover audit: the Phase 1 suite (or --only) under `rebalance` with rank buffers
--- of 1.0 (hold the top_n only: today's rule), 1.5 and 2.0 (a held name stays while it
--- ranks within hold_buffer x top_n). Per experiment and buffer: turnover a period, cost
--- drag a year, net excess return over SPY and Sharpe. It answers "how much of the ML
--- models' cost is churn a rank buffer would damp, and what does the damping cost?".
--- The buffers share every training: a buffer changes trading, not scoring.

local cli = require "cli"
local audit = require "audit"
local tabulate = require "tabulate"
local format = require "format"

local options = cli.parse(arg, cli.with_suite_options{
  only = { help = "comma-separated experiment numbers, e.g. 0,1,5" },
  buffers = { default = "1,1.5,2", help = "comma-separated hold_buffer values (1 = no buffer)" },
  out = { default = "results", help = "folder for turnover_audit.txt" },
}, "usage: alphalab scripts/turnover_audit.lua [options]")

local buffers = cli.numbers(options, "buffers", "hold_buffer", 1)

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

local suites = {}
for i, b in ipairs(buffers) do
  suites[i] = audit.suite(data, options, { execution = "rebalance", hold_buffer = b },
    { log = log, label = string.format("running the suite with hold_buffer = %g", b), only = cli.only(options) })
end

local rows = {}
for k, first in ipairs(suites[1]) do
  for i, b in ipairs(buffers) do
    local r = suites[i][k]
    rows[#rows + 1] = { i == 1 and first.name or "", string.format("%g", b), format.rate(r.turnover), format.rate(r.cost_drag),
      format.pct(r.excess_return), format.num(r.sharpe) }
  end
end
local function mean(i, field)
  local sum = 0
  for _, r in ipairs(suites[i]) do sum = sum + (r[field] or 0) end
  return sum / #suites[i]
end
local summary = {}
for i, b in ipairs(buffers) do
  summary[#summary + 1] = string.format("  hold_buffer %g: mean turnover %s a period, mean cost drag %s a year, mean net excess %s, mean Sharpe %s",
    b, format.rate(mean(i, "turnover")), format.rate(mean(i, "cost_drag")), format.pct(mean(i, "excess_return")), format.num(mean(i, "sharpe")))
end
local lines = {
  "TURNOVER AUDIT: rank buffers under rebalance",
  string.format("%s; %d-%d, retraining every %d weeks; turnover is traded notional / equity a period, cost drag the costs",
    description, options.start, options["end"], options["retrain-weeks"]),
  "paid as a fraction of equity a year, excess the total return over SPY's, net of costs",
  "",
  tabulate.format(rows, { header = { "Experiment", "Buffer", "Turnover", "CostDrag", "NetExcess", "Sharpe" },
    align = { "left", "right", "right", "right", "right", "right" }, rule = "-" }),
  "",
  table.concat(summary, "\n"),
}
cli.publish(lines, options.out .. "/turnover_audit.txt")
