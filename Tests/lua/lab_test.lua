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

function tests.train_and_predict()
  local d = lab.synthetic{ tickers = 20, start = "2008-01-01", ["end"] = "2013-12-31" }
  local model = lab.train(d, { date = "2013-06-03", features = "momentum", horizons = { 5 }, trees = 20, depth = 3,
    selection = false, start_year = 2009 })
  check.equal(model.date, "2013-06-03")
  check.equal(model.horizons[1], 5)
  local scores = model:predict(nil, { [5] = 1 })
  local n = 0
  for ticker, s in pairs(scores) do n = n + 1; check.equal(type(s), "number", ticker) end
  check.equal(n, 20)
  check.contains(tostring(model), "Model(horizons [5]")
  check.contains(check.raises(lab.train, d, { features = "momentum" }), "option 'date' is required")
end

return tests
