--- `alphalab picks`: what a config buys at the next trading day, and the orders that get
--- a portfolio there.
---
---   alphalab picks --config live.json --store data/market.db [--holdings held.csv] [--capital 250000]
---   alphalab picks --run 7 --csv ../shared/data/sp500/daily_adjusted --date 2020-06-01
---   alphalab picks --config live.json --store data/market.db --equity account.csv   # with a circuit breaker
---
--- The config comes from a file (runs.promote writes one) or a recorded run. The table goes
--- to stdout; <out>/picks-<date>.csv and .json are written atomically.

local cli = require "cli"

local options = cli.parse(arg, cli.with_data_options{
  config = { help = "a config file: JSON of config fields (as runs.promote writes it) or a .lua file returning them" },
  run = { type = "integer", help = "a recorded run whose config to use" },
  runs = cli.runs_option("the run store --run reads"),
  holdings = { help = "a CSV of ticker,shares held now: also the orders (buy, trim, sell)" },
  equity = { help = "a CSV of date,equity[,picks_return]: the account's equity at past decisions' opens, for the circuit breaker (--run uses the run's own)" },
  date = { help = "a past decision date YYYY-MM-DD (the data is cut at its scoring close)" },
  capital = { type = "number", default = 100000, help = "the capital shares are counted for" },
  out = { default = "results", help = "folder for picks-DATE.csv and picks-DATE.json" },
}, "usage: alphalab picks (--config FILE | --run ID) [options]")

local config, stored = cli.config_source(options, "picks")

-- The circuit breaker reads the account's equity marks: a file, or the recorded run's own.
local equity = options.equity
if not equity and stored then
  equity = {}
  for _, week in ipairs(stored:decision_periods()) do
    equity[#equity + 1] = { date = week.exit_date, equity = week.equity, picks_return = week.picks_return or 0 }
  end
end

local data = cli.dataset(options)
local picks = lab.picks(config, data, { date = options.date, capital = options.capital, holdings = options.holdings, equity = equity })
print(picks.text)
local base = options.out .. "/picks-" .. picks.decision_date
lab.write_file(base .. ".csv", picks.csv)
lab.write_file(base .. ".json", picks.json)
io.stderr:write("wrote " .. base .. ".csv and " .. base .. ".json\n")
