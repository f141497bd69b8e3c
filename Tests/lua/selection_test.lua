local selection = require "selection"
local check = require "assert"

-- Candidates as the engine passes them: signal is the side's ranking key.
local function candidates(signals)
  local list = {}
  for ticker, signal in pairs(signals) do list[#list + 1] = { ticker = ticker, score = signal, signal = signal, sector = "" } end
  return list
end

local function set(names)
  local s = {}
  for _, n in ipairs(names) do s[n] = true end
  return s
end

local function names_of(period)
  local list = {}
  for _, p in ipairs(period.picks) do list[#list + 1] = p.ticker end
  table.sort(list)
  return table.concat(list, " ")
end

local tests = {}

function tests.topk_dropout_sells_the_lowest_held_and_buys_the_best_others()
  local rule = selection.topk_dropout{ n_drop = 1 }
  -- Held A, D, E; the best others are B and C. Among A, D, E and B, C the lowest is E (held): sold, B bought.
  local picks = rule(candidates{ A = 9, B = 8, C = 7, D = 6, E = 1, F = 0.5 }, { held = set{ "A", "D", "E" }, top_n = 3, period = 2, side = "long" })
  check.equal(table.concat(picks, " "), "A B D")
  -- n_drop = 2: E and D are the two lowest of {A, D, E, B, C}: both sold, B and C bought.
  picks = selection.topk_dropout{ n_drop = 2 }(candidates{ A = 9, B = 8, C = 7, D = 6, E = 1 }, { held = set{ "A", "D", "E" }, top_n = 3 })
  check.equal(table.concat(picks, " "), "A B C")
  -- Held names that still rank high are kept: nothing traded.
  picks = rule(candidates{ A = 9, B = 8, C = 7, D = 1 }, { held = set{ "A", "B", "C" }, top_n = 3 })
  check.equal(table.concat(picks, " "), "A B C")
  -- An empty book fills with the best top_k; a held name gone from the candidates is not kept.
  check.equal(table.concat(rule(candidates{ A = 1, B = 3, C = 2 }, { held = {}, top_n = 2 }), " "), "B C")
  check.equal(table.concat(rule(candidates{ A = 1, B = 3, C = 2 }, { held = set{ "Z", "A" }, top_n = 2 }), " "), "B C")
  check.contains(check.raises(selection.topk_dropout, { n_drop = -1 }), "n_drop must be a whole number")
end

function tests.a_lua_rule_ranking_by_signal_is_the_configs_own_selection()
  local d = lab.synthetic{ tickers = 40 }
  local config = { name = "plain", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2015,
                   top_n = 8, max_sector_pct = 0.25, use_momentum_filter = true, momentum_threshold = 0 }
  local own = lab.run(config, d)
  local lua = lab.run(config, d, { select = selection.by_signal() })
  check.contains(lua.strategy, "selected by a lua function")
  local a, b = own:decision_periods(), lua:decision_periods()
  check.equal(#b, #a)
  local capped = 0
  for i = 1, #a do
    check.equal(names_of(b[i]), names_of(a[i]), "period " .. i)
    if #a[i].picks < 8 then capped = capped + 1 end
  end
  check.near(lua.total_return, own.total_return, 1e-12)
  check.equal(capped < #a, true, "the sector cap and the filter still leave full books")
  -- The filters shaped the picks (so the rule's were admitted through them): without them, periods differ.
  local open = lab.run({ name = "open", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2015, top_n = 8,
                         max_sector_pct = 1 }, d, { select = selection.by_signal() })
  local differ = 0
  for i, p in ipairs(open:decision_periods()) do if names_of(p) ~= names_of(a[i]) then differ = differ + 1 end end
  check.equal(differ > 0, true, "the filters changed some period's picks")
end

function tests.topk_dropout_in_a_walk_forward_trades_at_most_n_drop_names_a_period()
  local d = lab.synthetic{ tickers = 40 }
  local config = { name = "topk", strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2015, top_n = 10 }
  local plain = lab.run(config, d)
  local r = lab.run(config, d, { select = selection.topk_dropout{ n_drop = 2 } })
  local periods, full = r:decision_periods(), 0
  for i = 2, #periods do
    local before = {}
    for _, p in ipairs(periods[i - 1].picks) do before[p.ticker] = true end
    local new = 0
    for _, p in ipairs(periods[i].picks) do if not before[p.ticker] then new = new + 1 end end
    if #periods[i - 1].picks == 10 then
      full = full + 1
      check.equal(new <= 2, true, "period " .. i .. " bought " .. new .. " new names")
    end
  end
  check.equal(full > #periods / 2, true, "most periods start from a full book")
  check.equal(r.turnover < plain.turnover, true, string.format("turnover %.3f below the plain top 10's %.3f", r.turnover, plain.turnover))
end

function tests.a_rule_that_picks_a_non_candidate_is_an_error_naming_it()
  local d = lab.synthetic{ tickers = 20 }
  local config = { strategy = "momentum_12_1", rebalance = "monthly", start_year = 2012, end_year = 2012 }
  check.contains(check.raises(lab.run, config, d, { select = function() return { "NOPE" } end }),
    "select function picked 'NOPE' in period 1, which is not among the period's candidates")
  check.contains(check.raises(lab.run, config, d, { select = function(c) return { c[1].ticker, c[1].ticker } end }), "twice in period 1")
  check.contains(check.raises(lab.run, config, d, { select = function() return 3 end }), "must return a list of tickers")
end

return tests
