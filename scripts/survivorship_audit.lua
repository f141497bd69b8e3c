#!/usr/bin/env alphalab
--- The survivorship audit: a strategy on (a) the survivors (the tickers alive at the
--- end of the data, the list a data vendor gives today) and (b) the point-in-time
--- members (the tickers that were in the index on each scoring date), side by side,
--- with the difference and the decision matrix under each. 12-1 momentum always runs;
--- --only adds Phase 1 experiments (which then also train on members' rows only).
---
---   alphalab scripts/survivorship_audit.lua                 # the synthetic market: survivors vs its index
---   alphalab scripts/survivorship_audit.lua --csv ../shared/data/sp500/daily_adjusted \
---       --benchmark ../shared/data/benchmarks/SPY.csv --sectors ../shared/data/sp500/constituents.csv \
---       --membership ../shared/data/sp500/membership/sp500_ticker_start_end.csv --universe sp500 \
---       --start 2005 --end 2020
---
--- On the synthetic market the truth is known: bankrupt and acquired tickers have
--- prices up to their end. On real data whose prices cover only today's members, the
--- audit measures inclusion bias only: companies that left the index before the data
--- was collected have no prices, so (b) cannot hold them either.

local cli = require "cli"
local audit = require "audit"

local options = cli.parse(arg, cli.with_suite_options{
  start = { type = "integer", default = 2005, help = "first year of decisions" },
  ["end"] = { type = "integer", default = 2020, help = "last year of decisions" },
  only = { help = "Phase 1 experiments to add, e.g. 0,2 (default: none, momentum only)" },
  top = { type = "integer", default = 10, help = "momentum: number of tickers held" },
  execution = cli.execution_option(),
  out = { default = "results", help = "folder for survivorship_audit.txt" },
}, "usage: alphalab scripts/survivorship_audit.lua [options]")

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

-- The point-in-time universe: --universe, or the only one the data has.
local pit = options.universe
if not pit or pit == "all" or pit == "survivors" then
  pit = nil
  for _, name in ipairs(data:universes()) do
    if name ~= "all" and name ~= "survivors" then
      if pit then error("the data has several point-in-time universes (" .. pit .. ", " .. name .. "): name one with --universe", 0) end
      pit = name
    end
  end
end
if not pit then
  error("the data has no point-in-time universe: import one (alphalab import membership FILE --universe NAME) "
    .. "or pass --membership FILE with --csv", 0)
end
local synthetic = not options.store and not options.csv

local only = cli.only(options)

local function suite(universe)
  local momentum = cli.config(options, { name = "Momentum_12_1", strategy = "momentum_12_1", rebalance = "monthly", top_n = options.top,
    universe = universe })
  return audit.suite(data, options, { universe = universe },
    { log = log, label = "running with universe = " .. universe, first = { momentum }, phase_one = only ~= nil, only = only })
end

local survivors, members = suite("survivors"), suite(pit)
local pct = require("format").pct
local report = audit.compare({ label = "survivors", results = survivors }, { label = pit, results = members }, {
  what = "universe",
  matrix = only ~= nil,
  columns = {
    { "vs SPY", function(r) return pct(r.excess_return) end },
    { "t", function(r) return r.excess_t_stat and string.format("%+.2f", r.excess_t_stat) or "n/a" end },
  },
})

local first_day, last_day = survivors[1].start_date, survivors[1].end_date
local lines = {
  "SURVIVORSHIP AUDIT: survivors (alive at the data's end) vs point-in-time members (" .. pit .. ")",
  string.format("%s; %d-%d, %s execution; members on %s: %d survivors, %d %s", description, options.start, options["end"],
    options.execution, first_day, #data:members("survivors", first_day), #data:members(pit, first_day), pit),
  "",
  report.text,
  "",
}
local m_s, m_p = survivors[1], members[1]
lines[#lines + 1] = string.format("12-1 momentum: %s on survivors (excess over SPY %s, t %+.2f), %s on point-in-time members (excess %s, t %+.2f); survivors minus members: %s.",
  pct(m_s.total_return), pct(m_s.excess_return), m_s.excess_t_stat or 0 / 0, pct(m_p.total_return), pct(m_p.excess_return),
  m_p.excess_t_stat or 0 / 0, pct(m_s.total_return - m_p.total_return))
local coverage = m_p.coverage
if coverage then
  local shares = {}
  for _, y in ipairs(coverage.years) do shares[#shares + 1] = string.format("%d %.1f%%", y.year, y.share * 100) end
  lines[#lines + 1] = string.format("Coverage of %s (members with a bar on the decision days): %s; worst %d, %.1f%%.", coverage.universe,
    table.concat(shares, ", "), coverage.worst_year, coverage.worst_share * 100)
end
if synthetic then
  lines[#lines + 1] = "The synthetic market keeps the prices of tickers that went bankrupt or were acquired: this is the whole survivorship bias."
else
  lines[#lines + 1] = "Real data whose prices cover only the tickers alive when it was collected: this measures inclusion bias only. "
    .. "Companies that left the index before then have no prices here, so the point-in-time side cannot hold them either, "
    .. "and the full survivorship bias is larger."
end

cli.publish(lines, options.out .. "/survivorship_audit.txt")
