#!/usr/bin/env alphalab
--- Phase 1 of the seed's plan: the eight ML improvement experiments, their summary
--- table, the decision matrix, results/ml_experiments_results.json and the log.
---
---   alphalab scripts/ml_improvement_experiments.lua                 # the seed's quick test (2024-2025) on the embedded market
---   alphalab scripts/ml_improvement_experiments.lua --csv ../shared/data/sp500/daily_adjusted \
---       --sectors ../shared/data/sp500/constituents.csv --benchmark ../shared/data/benchmarks/SPY.csv \
---       --start 2020 --end 2020                                     # a 2020 quick test on real data
---
--- --timing same_day_close reproduces the seed's look-ahead (audits only); --execution
--- round_trip the seed's trading (every position sold and bought again each week).

local cli = require "cli"
local experiment = require "experiment"
local decision = require "decision"

local options = cli.parse(arg, cli.with_suite_options{
  timing = { default = "prior_close", choices = { "prior_close", "same_day_close" }, help = "signal timing" },
  execution = cli.execution_option(),
  only = { help = "comma-separated experiment numbers, e.g. 0,1,5" },
  out = { default = "results", help = "folder for the results JSON and the log" },
  runs = cli.runs_option(),
}, "usage: alphalab scripts/ml_improvement_experiments.lua [options]")

local log_lines = {}
local terminal = lab.is_terminal("stderr")
local function log(line)
  log_lines[#log_lines + 1] = line
  -- On a terminal the progress bar is redrawn in place: clear it before a line of its own.
  if not options.quiet then io.stderr:write(terminal and "\r\27[K" or "", line, "\n") end
end

local data, description = cli.dataset(options)
log("data: " .. description)

local only = cli.only(options)
local configs = experiment.phase_one_with(cli.config(options), only)
log(string.format("phase 1: %d experiments, %d-%d, retraining every %d weeks, %s, %s execution", #configs, options.start,
  options["end"], options["retrain-weeks"], options.timing, options.execution))

local results = experiment.run_all(configs, data, { log = log, quiet = options.quiet })
log(cli.training_line(data))

local table_text = experiment.summary(results)
local decision_text = decision.report(results)
print()
print(decision_text)

experiment.save(results, options.out .. "/ml_experiments_results.json")
lab.write_file(options.out .. "/ml_experiments_log.txt",
  table.concat(log_lines, "\n") .. "\n\n" .. table_text .. "\n\n" .. decision_text .. "\n")
lab.report(results, options.out .. "/ml_experiments_report.html", { title = "Phase 1: ML improvement experiments (" .. description .. ")" })
log("wrote " .. options.out .. "/ml_experiments_results.json, ml_experiments_log.txt and ml_experiments_report.html")
-- Recorded last: the results are in the output folder even when the store cannot be reached.
if options.runs ~= "" then require("runs").record_all(options.runs, results, log) end
