#!/usr/bin/env alphalab
--- Factor research before any backtest: every feature of the chosen sets ranked by the
--- t-statistic of its information coefficient (Spearman IC against open-to-open returns
--- from the next open) at 1, 5 and 20 days, tear sheets for the strongest, and the seed's
--- claims about its signals answered in plain lines. With --model, the seed's ensemble is
--- walked forward with explain = true and each horizon's out-of-sample prediction is
--- analysed as a factor: does one of them predict backwards?
---
---   alphalab scripts/factor_tearsheet.lua                          # the embedded market
---   alphalab scripts/factor_tearsheet.lua --csv ../shared/data/sp500/daily_adjusted --start 2005 --end 2020

local cli = require "cli"
local tabulate = require "tabulate"

local options = cli.parse(arg, cli.with_data_options{
  sets = { default = "legacy,momentum,seed_described", help = "comma-separated feature sets" },
  start = { type = "integer", default = 2007, help = "first year of scoring dates" },
  ["end"] = { type = "integer", default = 2025, help = "last year of scoring dates" },
  dates = { default = "weekly", choices = { "daily", "weekly", "monthly" }, help = "how often the signal is sampled" },
  top = { type = "integer", default = 3, help = "tear sheets for this many of the strongest features" },
  model = { flag = true, help = "also walk the seed's ensemble forward (2 years to --end) and analyse each horizon's predictions" },
  out = { default = "results", help = "folder for factor_tearsheet.html and factor_ranking.txt" },
}, "usage: alphalab scripts/factor_tearsheet.lua [options]")

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)

-- Every feature once, in the order of the sets.
local features, seen, family = {}, {}, {}
for set in options.sets:gmatch("[%w_]+") do
  local names = lab.feature_sets()[set]
  if not names then error("unknown feature set '" .. set .. "'", 0) end
  for _, name in ipairs(names) do
    if not seen[name] then seen[name], features[#features + 1] = true, name end
    family[name] = family[name] or set
  end
end
local analysis = { dates = options.dates, start = options.start, ["end"] = options["end"], universe = options.universe }
log(string.format("analysing %d features, %s dates %d-%d", #features, options.dates, options.start, options["end"]))
local factors = lab.factor(data, features, analysis)
if #features == 1 then factors = { factors } end

local horizons = { 1, 5, 20 }
local function t_of(f, h) return f.ic_t[h] end
table.sort(factors, function(a, b) return math.abs(t_of(a, 20) or 0) > math.abs(t_of(b, 20) or 0) end)
local num = require("format").num
local rows = {}
for _, f in ipairs(factors) do
  local t = f:table()
  local row = { f.name, family[f.name] }
  for k = 1, 3 do
    row[#row + 1] = num(t.horizons[k].mean_ic, "%+.3f")
    row[#row + 1] = num(t.horizons[k].ic_t, "%+.2f")
  end
  row[#row + 1] = num(t.top_turnover * 100, "%.0f%%")
  rows[#rows + 1] = row
end
-- Many features at three horizons: Bonferroni's bar for a family-wise 5% is what a t must clear.
local tests = #factors * #horizons
local lines = {
  "FACTOR RANKING by |IC t| at 20 days (Newey-West t for overlapping horizons)",
  string.format("%s; %s scoring dates %d-%d; %d features x %d horizons = %d tests", description, options.dates,
    options.start, options["end"], #factors, #horizons, tests),
  "",
  tabulate.format(rows, { header = { "Feature", "Set", "IC 1d", "t", "IC 5d", "t", "IC 20d", "t", "Turnover" },
    align = { "left", "left" }, rule = "-" }),
  "",
}

-- The seed's claims, answered.
local function mean_t(set, k)
  local sum, n = 0, 0
  for _, f in ipairs(factors) do
    if family[f.name] == set then
      local t = f:table().horizons[k].ic_t
      if t then sum, n = sum + t, n + 1 end
    end
  end
  return n > 0 and sum / n or nil
end
lines[#lines + 1] = "THE SEED'S CLAIMS"
for k, h in ipairs(horizons) do
  local legacy, momentum = mean_t("legacy", k), mean_t("momentum", k)
  if legacy and momentum then
    lines[#lines + 1] = string.format("  %2dd: mean IC t of the 'mean-reversion' (legacy) features %s, of the momentum features %s",
      h, num(legacy, "%+.2f"), num(momentum, "%+.2f"))
  end
end
local by_name = {}
for _, f in ipairs(factors) do by_name[f.name] = f end
if by_name.RET_1D and by_name.MOM_12_1 then
  lines[#lines + 1] = string.format("  1-day return at 1 day: IC t %s (%s); 12-1 momentum at 20 days: IC t %s (%s)",
    num(t_of(by_name.RET_1D, 1), "%+.2f"), math.abs(t_of(by_name.RET_1D, 1) or 0) > 3 and "a real, short-lived reversal" or "noise",
    num(t_of(by_name.MOM_12_1, 20), "%+.2f"), (t_of(by_name.MOM_12_1, 20) or 0) > 3 and "momentum is there" or "no momentum here")
end

local sheets = {}
for i = 1, math.min(options.top, #factors) do
  sheets[i] = lab.factor(data, factors[i].name, { dates = options.dates, start = options.start, ["end"] = options["end"],
    universe = options.universe, decay = true })
end

if options.model then
  local r = lab.run({ name = "0_Baseline_Current", start_year = options["end"] - 1, end_year = options["end"], explain = true,
    universe = options.universe }, data)
  local per_horizon = lab.factor(data, r, { by_horizon = true })
  lines[#lines + 1] = "  the model's out-of-sample predictions as factors (" .. r.start_date .. " .. " .. r.end_date .. "):"
  for _, f in ipairs(per_horizon) do
    local h = f:table().horizons
    lines[#lines + 1] = string.format("    %-28s IC 1d %s (t %s), 5d %s (t %s), 20d %s (t %s)%s", f.name, num(h[1].mean_ic, "%+.3f"), num(h[1].ic_t, "%+.2f"),
      num(h[2].mean_ic, "%+.3f"), num(h[2].ic_t, "%+.2f"), num(h[3].mean_ic, "%+.3f"), num(h[3].ic_t, "%+.2f"),
      (h[2].ic_t or 0) < -2 and "  <- predicts backwards" or "")
    sheets[#sheets + 1] = f
  end
  local top = r:importance(20)
  if #top > 0 then
    local last = top[#top]
    local names = {}
    for i = 1, math.min(5, #last.features) do names[i] = string.format("%s %.4f", last.features[i].name, last.features[i].shap) end
    lines[#lines + 1] = "    what drives the 20-day model at its last retraining (mean |SHAP|): " .. table.concat(names, ", ")
  end
end

cli.publish(lines, options.out .. "/factor_ranking.txt")
lab.factor_report(sheets, options.out .. "/factor_tearsheet.html", { title = "Factor tear sheets (" .. description .. ")" })
log("wrote " .. options.out .. "/factor_ranking.txt and factor_tearsheet.html")
