#!/usr/bin/env alphalab
--- The seed's benchmark comparison: rule-based 12-1 momentum (top N by the return
--- from 12 months to 1 month ago, rebalanced monthly) against SPY over the same span.

local cli = require "cli"
local tabulate = require "tabulate"

local options = cli.parse(arg, cli.with_data_options{
  start = { type = "integer", default = 2006, help = "first year" },
  ["end"] = { type = "integer", default = 2025, help = "last year" },
  top = { type = "integer", default = 10, help = "number of tickers held" },
  execution = cli.execution_option(),
  out = { default = "results", help = "folder for momentum_vs_spy.json" },
}, "usage: alphalab scripts/momentum_vs_spy.lua [options]")

local data, description = cli.dataset(options)
local r = lab.run(cli.config(options, { name = "Momentum_12_1", strategy = "momentum_12_1", rebalance = "monthly", top_n = options.top }), data)

local format = require "format"
local pct = format.pct
local years = {}
for year in pairs(r.yearly_returns) do years[#years + 1] = year end
table.sort(years)

-- SPY per calendar year from the same open-to-open periods.
local spy_by_year = {}
for _, w in ipairs(r:decision_periods()) do
  local y = w.date:sub(1, 4)
  spy_by_year[y] = (1 + (spy_by_year[y] or 0)) * (1 + (w.spy_return or 0)) - 1
end
local rows = {}
for _, y in ipairs(years) do
  rows[#rows + 1] = { y, pct(r.yearly_returns[y]), pct(spy_by_year[y]), pct(r.yearly_returns[y] - spy_by_year[y]) }
end

print(string.format("MOMENTUM 12-1 (top %d, monthly) vs SPY  %s .. %s", options.top, r.start_date, r.end_date))
print(description)
print()
print(tabulate.format({
  { "Momentum 12-1", pct(r.total_return), pct(r.cagr), format.num(r.sharpe, "%.2f"), format.rate(r.max_drawdown) },
  { "SPY", pct(r.spy_return), "", "", "" },
}, { header = { "", "Return", "CAGR", "Sharpe", "MaxDD" }, rule = "-" }))
print(string.format("excess return %s (t %.2f over %d months)", pct(r.excess_return), r.excess_t_stat, #r:decision_periods()))
print(string.format("%s execution: turnover %.1f%% a month, cost drag %.2f%% a year, positions held %.0f trading days",
  r.execution, r.turnover * 100, r.cost_drag * 100, r.holding_days))
print()
print(tabulate.format(rows, { header = { "Year", "Momentum", "SPY", "Difference" }, rule = "-" }))
r:save(options.out .. "/momentum_vs_spy.json")
