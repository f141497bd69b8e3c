#!/usr/bin/env alphalab
--- Scores to portfolios: 12-1 momentum on the synthetic market through four
--- constructions — equal top-N, the optimizer long only against SPY (with a tracking
--- error bound), dollar-neutral long-short equal-weighted, and long-short through the
--- optimizer held beta-neutral — with each book's return, its excess over its
--- benchmark (SPY, or cash for the long-short books), turnover, cost drag, realised
--- beta to SPY and the risk model's view of it.

local audit = require "audit"
local cli = require "cli"
local tabulate = require "tabulate"
local format = require "format"

local options = cli.parse(arg, cli.with_data_options{
  start = { type = "number", default = 2014, help = "first year of decisions" },
  ["end"] = { type = "number", default = 2016, help = "last year of decisions" },
}, "usage: alphalab scripts/portfolio_books.lua [options]")
local data, description = cli.dataset(options)
print("data: " .. description)

local base = cli.config(options, { strategy = "momentum_12_1", rebalance = "weekly", top_n = 10 })
local function with(fields)
  local c = {}
  for k, v in pairs(base) do c[k] = v end
  for k, v in pairs(fields) do c[k] = v end
  return c
end
local books = {
  { label = "equal top-N, long only", config = with{ name = "equal top-N" } },
  { label = "optimized, long only, tracking error <= 10%", config = with{ name = "optimized long", weighting = "optimized",
      turnover_penalty = 3, max_tracking_error = 0.10 } },
  { label = "equal, long-short", config = with{ name = "long-short", book = "long_short" } },
  { label = "optimized, long-short, beta-neutral", config = with{ name = "optimized long-short", book = "long_short",
      weighting = "optimized", turnover_penalty = 3, beta_neutral = true } },
}

local rows, spy = {}, nil
for _, b in ipairs(books) do
  local r = lab.run(b.config, data)
  local weeks = r:decision_periods()
  -- SPY's return each period, from the first (long-only) book: a long-short book's benchmark is cash.
  if not spy then
    spy = {}
    for i, w in ipairs(weeks) do spy[i] = w.spy_return end
  end
  local returns = {}
  for i, w in ipairs(weeks) do returns[i] = w["return"] end
  local a = r:attribution()
  rows[#rows + 1] = { b.label, format.pct(r.total_return), format.pct(r.excess_return), format.num(r.sharpe), format.rate(r.turnover),
    format.rate(r.cost_drag), format.num(audit.beta(returns, spy)), a and format.rate(a.predicted_risk) or "", a and format.rate(a.realised_risk) or "" }
  for _, w in ipairs(r.warnings or {}) do print("  " .. b.label .. ": " .. w) end
end
print(tabulate.format(rows, { header = { "Book", "Return", "Excess", "Sharpe", "Turnover", "CostDrag", "BetaToSPY", "PredictedRisk", "RealisedRisk" },
  rule = "-" }))
