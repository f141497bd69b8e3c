#!/usr/bin/env alphalab
--- Phase 4 of the seed's plan, out of sample: train once on the training years (the
--- seed: 2017-2023), then test the following years (2024-2025) with no retraining,
--- for the best config of earlier results.

local cli = require "cli"
local experiment = require "experiment"

local options = cli.parse(arg, cli.with_data_options{
  from = { default = "results/phase2_results.json", help = "results whose best (by Sharpe) is tested" },
  ["train-start"] = { type = "integer", default = 2017, help = "first training year" },
  ["train-end"] = { type = "integer", default = 2023, help = "last training year" },
  ["test-end"] = { type = "integer", default = 2025, help = "last test year" },
  execution = cli.execution_option(true),
  out = { default = "results", help = "folder for phase4_results.json" },
}, "usage: alphalab scripts/phase4_out_of_sample.lua [options]")

local best = experiment.best(lab.load_results(options.from))
local data, description = cli.dataset(options)
local config = experiment.with(best.config, {
  name = best.name .. "_out_of_sample",
  training_start_year = options["train-start"],
  start_year = options["train-end"] + 1, end_year = options["test-end"],
  retrain_weeks = 100000, -- one training, before the first test decision
  execution = options.execution,
  universe = options.universe,
})
local r = experiment.run(config, data)
print(string.format("PHASE 4: OUT OF SAMPLE  %s; trained on %d-%d once, tested %d-%d without retraining",
  best.name, options["train-start"], options["train-end"], options["train-end"] + 1, options["test-end"]))
print(description)
print(r)
print(string.format("in sample (%s): return %+.1f%%, Sharpe %.2f; out of sample: return %+.1f%%, Sharpe %.2f",
  options.from, best.total_return * 100, best.sharpe or 0 / 0, r.total_return * 100, r.sharpe or 0 / 0))
experiment.save({ r }, options.out .. "/phase4_results.json")
