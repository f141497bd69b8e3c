#!/usr/bin/env alphalab
--- The execution audit: the Phase 1 suite (or --only) under the seed's round trips
--- (every position sold and bought again at every decision, slippage on the whole book
--- twice a period) and under a portfolio that holds what stays and trades the
--- difference (costs on traded notional), side by side with turnover and cost drag,
--- and the decision-matrix conclusions that change. It answers "is the verdict about
--- the strategy, or about a cost no trader would pay?". Both passes share every
--- training: execution changes trading, not scoring.

local cli = require "cli"
local audit = require "audit"

local options = cli.parse(arg, cli.with_suite_options{
  only = { help = "comma-separated experiment numbers, e.g. 0,1,5" },
  slippage = { type = "number", default = 10, help = "slippage_bps of both passes" },
  out = { default = "results", help = "folder for execution_audit.txt" },
}, "usage: alphalab scripts/execution_audit.lua [options]")

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

local only = cli.only(options)

local function suite(execution)
  return audit.suite(data, options, { slippage_bps = options.slippage, execution = execution },
    { log = log, label = "running the suite with execution = " .. execution, only = only })
end

local seed, held = suite("round_trip"), suite("rebalance")

local rate = require("format").rate
local report = audit.compare({ label = "round_trip", results = seed }, { label = "rebalance", results = held }, {
  what = "execution",
  columns = { { "Turnover", function(r) return rate(r.turnover) end }, { "CostDrag", function(r) return rate(r.cost_drag) end } },
})

local seed_drag, held_drag = 0, 0
for i = 1, #seed do
  seed_drag, held_drag = seed_drag + (seed[i].cost_drag or 0), held_drag + (held[i].cost_drag or 0)
end
local lines = {
  "EXECUTION AUDIT: the seed's round trips vs a portfolio that trades the difference",
  string.format("%s; %d-%d, retraining every %d weeks, %g bps slippage; turnover is traded notional / equity a period,",
    description, options.start, options["end"], options["retrain-weeks"], options.slippage),
  "cost drag the costs paid as a fraction of equity a year",
  "",
  report.text,
  string.format("Mean cost drag: %s a year under round_trip, %s under rebalance.", rate(seed_drag / #seed), rate(held_drag / #held)),
}
if report.changed > 0 then
  lines[#lines + 1] = "Verdict: the seed's round trips change the plan's conclusions; judge the strategy under rebalance."
else
  lines[#lines + 1] = "Verdict: the conclusions stand under either execution model."
end

cli.publish(lines, options.out .. "/execution_audit.txt")
