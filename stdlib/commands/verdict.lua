--- `alphalab verdict`: does the strategy really work? Runs a config and its audit twins on
--- the same data and checks every known way its backtest can lie (timing, costs, universe,
--- selection, placebo, stability); prints one card with one headline: credible, fragile or
--- artefact.
---
---   alphalab verdict --config strategy.json --csv ../shared/data/sp500/daily_adjusted [--html verdict.html]
---   alphalab verdict --run 7 --store data/market.db
---
--- The run and its verdict are recorded in the run store (--runs; '' for none): with
--- --run, beside that run when the data is the one it ran on.

local cli = require "cli"

local options = cli.parse(arg, cli.with_data_options{
  config = { help = "a config file: JSON of config fields (as runs.promote writes it) or a .lua file returning them" },
  run = { type = "integer", help = "a recorded run whose config to judge" },
  runs = cli.runs_option("the run store the run and its verdict are recorded in (and --run is read from)"),
  html = { help = "also write the verdict as an HTML page here (twins' equity, cost curve, placebo histogram, years)" },
  permutations = { type = "integer", default = 200, help = "placebo permutations" },
  ["placebo-seed"] = { type = "integer", default = 1, help = "the placebo's seed" },
  rules = { help = "thresholds to change, e.g. placebo_pass=0.01,cost_multiple=3 (see help(lab.verdict))" },
  verbose = { flag = true, help = "every check's supporting figures after the card" },
}, "usage: alphalab verdict (--config FILE | --run ID) [options]")

local rules = {}
for pair in (options.rules or ""):gmatch("[^,]+") do
  local key, value = pair:match("^%s*([%w_]+)%s*=%s*([^%s]+)%s*$")
  if not key or not tonumber(value) then error("--rules: '" .. pair .. "' is not rule=number", 0) end
  rules[key] = tonumber(value)
end

local store = options.runs ~= "" and lab.runs(options.runs) or nil
if options.run and not options.config and not store then error("--run needs a run store (--runs '' turns it off)", 0) end
local config, stored = cli.config_source(options, "verdict", store)
if options.universe then
  config = type(config) == "string" and lab.config(config) or config
  config.universe = options.universe
end

local data, description = cli.dataset(options)
local log = cli.logger(options)
log("verdict on " .. description)
local verdict, result = lab.verdict(config, data, { permutations = options.permutations, seed = options["placebo-seed"],
  rules = rules, log = log })
print(verdict)
if options.verbose then print("\n" .. verdict.details) end

if options.html then
  lab.write_file(options.html, verdict:html())
  io.stderr:write("wrote " .. options.html .. "\n")
end
if store then
  local id = options.run
  if not stored or stored.data_fingerprint ~= result.data_fingerprint then
    if stored then io.stderr:write("run " .. options.run .. " ran on other data: the verdict is kept with a new run\n") end
    id = store:save(result)
  end
  store:save_verdict(id, verdict)
  io.stderr:write(string.format("recorded the verdict with run %d in %s\n", id, store.location))
end
