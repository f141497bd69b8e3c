local check = require "assert"

local tests = {}

function tests.datasets_show_tickers_dates_bars_and_sectors()
  local d = lab.synthetic{ tickers = 12, start = "2015-01-01", ["end"] = "2016-12-31", late_listing_share = 0 }
  check.equal(d.ticker_count, 13)
  check.equal(d.benchmark, "SPY")
  check.equal(d.first, "2015-01-02")
  local u = d:universe()
  check.equal(#u, 12)
  local bars = d:bars(u[1], "2015-01-05", "2015-01-09")
  check.equal(#bars.date, 5); check.equal(bars.date[1], "2015-01-05")
  for i = 1, 5 do
    if not (bars.low[i] <= bars.open[i] and bars.open[i] <= bars.high[i]) then error("bar " .. i .. " is not a bar") end
  end
  check.equal(type(d:sector(u[1])), "string")
  local slice = d:slice("2016-01-01", "2016-06-30")
  check.equal(slice.first, "2016-01-04")
  check.equal(d:select({ u[1], u[2], "SPY" }).ticker_count, 3)
  check.contains(check.raises(d.bars, d, "NOPE"), "unknown ticker 'NOPE'")
end

function tests.features_are_read_by_ticker_and_date()
  local d = lab.synthetic{ tickers = 5, start = "2014-01-01", ["end"] = "2016-12-31", late_listing_share = 0 }
  local fm = d:features("momentum")
  check.equal(#fm.names, 10)
  local ticker = d:universe()[1]
  local row = fm:at(ticker, "2016-06-01")
  local closes = d:bars(ticker)
  -- MOM_12_1 by hand: close 21 trading days ago over close 252 days ago.
  local i
  for k, date in ipairs(closes.date) do if date == "2016-06-01" then i = k end end
  check.near(row.MOM_12_1, closes.close[i - 21] / closes.close[i - 252] - 1, 1e-5, "MOM_12_1")
  check.contains(check.raises(d.features, d, "legacyy"), "unknown feature set 'legacyy'")
end

function tests.universes_of_a_dataset()
  local d = lab.synthetic{ tickers = 30 }
  local names = d:universes()
  check.equal(table.concat(names, ","), "all,survivors,index")
  local members = d:members("index", "2015-06-01")
  check.equal(#members >= 15 and #members <= 22, true, "two thirds of the listed tickers")
  local spells = d:spells("index")
  check.equal(type(spells[1].ticker), "string"); check.equal(type(spells[1].start), "string")
  check.contains(check.raises(d.members, d, "sp500", "2015-06-01"), "'sp500' is not a universe of this data")
  local r = lab.run({ name = "pit", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2014, end_year = 2015,
    universe = "index", top_n = 5 }, d)
  local known = {}
  for _, t in ipairs(d:members("index", "2014-01-02")) do known[t] = true end
  for _, p in ipairs(r:decision_periods()[1].picks) do check.equal(known[p.ticker], true, p.ticker .. " is a member") end
end

function tests.factor_analysis()
  local d = lab.synthetic{ tickers = 60 }
  local f = lab.factor(d, "MOM_12_1", { start = 2010, ["end"] = 2020, horizons = { 5, 20 }, quantiles = 4 })
  check.equal(f.name, "MOM_12_1")
  local t = f:table()
  check.equal(#t.horizons, 2); check.equal(t.horizons[2].horizon, 20); check.equal(#t.horizons[2].quantile_returns, 4)
  check.equal(#t.horizons[1].ics, #t.dates)
  check.equal(t.horizons[2].mean_ic > 0, true, "planted momentum")
  check.contains(tostring(f), "MOM_12_1: ")
  local set = lab.factor(d, { "RET_1D", "VOLATILITY" }, { start = 2015, ["end"] = 2016, dates = "monthly" })
  check.equal(#set, 2); check.equal(set[2].name, "VOLATILITY")
  local lua = lab.factor(d, function(ctx) return ctx:feature("RET_1D") end, { start = 2015, ["end"] = 2015 })
  -- A score function returning a feature is that feature's factor.
  local direct = lab.factor(d, "RET_1D", { start = 2015, ["end"] = 2015 })
  check.equal(lua:horizon(1).mean_ic, direct:horizon(1).mean_ic)
  local path = os.tmpname()
  lab.factor_report({ f, lua }, path, { title = "two factors" })
  local html = io.open(path):read("a")
  os.remove(path)
  check.contains(html, "<h2>MOM_12_1</h2>"); check.contains(html, "<h2>lua function</h2>"); check.contains(html, "Mean forward return by quantile")
  check.contains(check.raises(lab.factor, d, "MOM_12_1", { dates = "hourly" }), "option 'dates' must be daily, weekly or monthly")
  local r = lab.run({ name = "m", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2015, end_year = 2015 }, d)
  check.contains(check.raises(lab.factor, d, r), "kept no scores: run it with explain = true")
end

function tests.train_and_predict()
  local d = lab.synthetic{ tickers = 20, start = "2008-01-01", ["end"] = "2013-12-31" }
  local model = lab.train(d, { date = "2013-06-03", features = "momentum", horizons = { 5 }, trees = 20, depth = 3,
    selection = false, start_year = 2009 })
  check.equal(model.date, "2013-06-03")
  check.equal(model.horizons[1], 5)
  local scores = model:predict(nil, { [5] = 1 })
  local n = 0
  for ticker, s in pairs(scores) do n = n + 1; check.equal(type(s), "number", ticker) end
  -- Every ticker still trading on the last day is scored; one that delisted has no features to score.
  local alive = #d:members("survivors", d.last)
  check.equal(n, alive)
  check.equal(alive >= 15, true, "most of the 20 tickers survive")
  check.contains(tostring(model), "Model(horizons [5]")
  check.contains(check.raises(lab.train, d, { features = "momentum" }), "option 'date' is required")
end

return tests
