#!/usr/bin/env alphalab
--- The retraining audit: does warm retraining (a full training every --full-refit-weeks
--- periods, the full model continued by a few trees on the grown window in between)
--- decide as full retraining does? Each experiment (by default 0, 2 and 4 of the Phase 1
--- suite, with Phase 2's weekly retraining) runs both ways on the same data and the
--- audit reports, per experiment: the out-of-sample IC of each, the share of weekly picks
--- both held, the excess return difference a year with its standard error, the rank
--- correlation of the scores per week, the trainings and the time of each. The fast mode
--- decides the same when |IC difference| < 0.005, at least 90% of picks are identical
--- and the excess difference is within one standard error.
---
---   alphalab scripts/retraining_audit.lua --csv ../shared/data/sp500/daily_adjusted \
---     --benchmark ../shared/data/SPY.csv --limit 100 --start 2017 --end 2021

local cli = require "cli"
local experiment = require "experiment"
local tabulate = require "tabulate"
local format = require "format"

local options = cli.parse(arg, cli.with_data_options{
  only = { default = "0,2,4", help = "the Phase 1 experiments audited, by number" },
  start = { type = "integer", default = 2017, help = "first year" },
  ["end"] = { type = "integer", default = 2021, help = "last year" },
  ["retrain-weeks"] = { type = "integer", default = 1, help = "retrain every N weeks (Phase 2: 1)" },
  ["full-refit-weeks"] = { type = "integer", default = 13, help = "warm: a full training every N weeks" },
  execution = cli.execution_option(true),
  floor = { flag = true, help = "also run full retraining on a window one trading day shorter and hold it against full "
    .. "retraining: how far the exact method moves by itself (a third run per experiment)" },
  out = { default = "results", help = "folder for retraining_audit.txt" },
}, "usage: alphalab scripts/retraining_audit.lua [options]")

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("data: " .. description)
local configs = experiment.phase_one_with(cli.config(options, { retrain_mode = "warm", full_refit_weeks = options["full-refit-weeks"] }),
  cli.only(options))

local rows, verdicts, details, floors = {}, {}, {}, {}
for i, cfg in ipairs(configs) do
  log(string.format("[%d/%d] %s", i, #configs, cfg.name))
  local a = lab.retraining_audit(cfg, data, { log = log, floor = options.floor })
  if a.floor then
    local f = a.floor
    floors[#floors + 1] = { cfg.name, format.num(f.ic_difference, "%+.4f"), format.rate(f.identical_picks), format.pct(f.excess_difference),
      format.rate(f.excess_standard_error), format.num(f.score_rank_correlation, "%.3f") }
  end
  rows[i] = { cfg.name, format.num(a.full_ic, "%.4f"), format.num(a.fast_ic, "%.4f"), format.num(a.ic_difference, "%+.4f"),
    format.rate(a.identical_picks), format.pct(a.excess_difference), format.rate(a.excess_standard_error),
    format.num(a.score_rank_correlation, "%.3f"), string.format("%d / %d", a.full_run_trainings, a.fast_run_trainings),
    string.format("%.0f / %.0f s", a.full_seconds, a.fast_seconds), a.decides_the_same and "yes" or "NO" }
  verdicts[i] = a.decides_the_same
  details[#details + 1] = "  " .. cfg.name .. ": " .. table.concat(a.details, "; ")
end

local same = 0
for _, v in ipairs(verdicts) do if v then same = same + 1 end end
local lines = {
  string.format("RETRAINING AUDIT: warm (full refit every %d weeks) against full retraining", options["full-refit-weeks"]),
  string.format("%s; %d-%d, retraining every %d week(s); IC is the mean out-of-sample rank IC, picks the share both runs held,",
    description, options.start, options["end"], options["retrain-weeks"]),
  "excess the warm run's excess return a year less the full run's (with its standard error), rho the mean rank correlation of the scores",
  "",
  tabulate.format(rows, {
    header = { "Experiment", "IC full", "IC warm", "IC diff", "Picks same", "Excess diff", "SE", "rho", "Trainings", "Time", "Same?" },
    align = { "left" }, rule = "-" }),
  "",
}
for _, line in ipairs(details) do lines[#lines + 1] = line end
lines[#lines + 1] = ""
if #floors > 0 then
  lines[#lines + 1] = "FLOOR: full retraining against full retraining on a window one trading day shorter (embargo_days + 1),"
  lines[#lines + 1] = "the same figures: how far the exact method moves when nothing but one day of rows changes"
  lines[#lines + 1] = ""
  lines[#lines + 1] = tabulate.format(floors, { header = { "Experiment", "IC diff", "Picks same", "Excess diff", "SE", "rho" },
    align = { "left" }, rule = "-" })
  lines[#lines + 1] = ""
end
lines[#lines + 1] = string.format("%d of %d experiments decide the same under warm retraining (|IC diff| < 0.005, picks >= 90%%, "
  .. "excess diff within one SE)%s", same, #verdicts, same == #verdicts and "" or ": keep retrain_mode = \"full\" for the others")
cli.publish(lines, options.out .. "/retraining_audit.txt")
log(cli.training_line(data))
