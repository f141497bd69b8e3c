local validation = require "validation"
local check = require "assert"

local tests = {}

function tests.normal_distribution()
  -- The erfc approximation's documented accuracy: a relative error below 1.2e-7.
  check.near(validation.normal_cdf(0), 0.5, 1e-7)
  check.near(validation.normal_cdf(1.959963984540054), 0.975, 2e-7)
  check.near(validation.normal_cdf(-5), 2.866515718791939e-07, 1e-13)
  check.near(validation.normal_quantile(0.975), 1.959963984540054, 1e-7)
  check.near(validation.normal_quantile(0.01), -2.326347874040841, 1e-7)
end

-- The worked example of Bailey & Lopez de Prado (2014), "The Deflated Sharpe Ratio":
-- an annualised Sharpe of 2.5 over 5 years of daily returns (T = 1250), the best of
-- N = 100 trials whose annualised Sharpe ratios have variance 0.5, skewness -3,
-- kurtosis 10: expected maximum Sharpe 0.1132 (daily), DSR 0.9004.
function tests.deflated_sharpe_matches_the_papers_example()
  local dsr, sr0 = validation.deflated_sharpe(2.5 / math.sqrt(250), 100, 0.5 / 250, 1250, -3, 10)
  check.near(sr0, 0.1132, 5e-5, "expected maximum Sharpe ratio")
  check.near(dsr, 0.9004, 5e-4, "deflated Sharpe ratio")
  -- One trial: no deflation, the probabilistic Sharpe ratio against zero.
  local single = validation.deflated_sharpe(0.1, 1, 0, 101, 0, 3)
  check.near(single, validation.normal_cdf(0.1 * 10 / math.sqrt(1 + 0.5 * 0.01)), 1e-12)
end

-- CSCV by hand with two blocks (two combinations) and two trials.
function tests.pbo_by_hand()
  -- A wins the first half, B the second: each in-sample winner is the out-of-sample loser.
  local a = { 0.02, 0.04, -0.01, -0.03 }
  local b = { 0.00, 0.01, 0.01, 0.03 }
  local p = validation.pbo({ a, b }, 2)
  check.equal(p.combinations, 2)
  check.near(p.pbo, 1, 0, "always overfit")
  check.near(p.logits[1], math.log((1 / 3) / (2 / 3)), 1e-12, "winner ranked 1 of 2: omega 1/3")
  -- A dominates both halves: never overfit.
  local p2 = validation.pbo({ { 0.02, 0.04, 0.02, 0.04 }, b }, 2)
  check.near(p2.pbo, 0, 0)
end

function tests.pbo_of_pure_noise_is_near_one_half()
  math.randomseed(7)
  local series = {}
  for i = 1, 12 do
    series[i] = {}
    for t = 1, 320 do series[i][t] = (math.random() - 0.5) * 0.04 end
  end
  local p = validation.pbo(series, 16)
  check.equal(p.combinations, 12870)
  if p.pbo < 0.3 or p.pbo > 0.7 then error("PBO of noise should be near 0.5, got " .. p.pbo) end
  -- A real edge in one trial drives the PBO to zero.
  for t = 1, 320 do series[1][t] = series[1][t] + 0.01 end
  check.near(validation.pbo(series, 16).pbo, 0, 0.01)
end

function tests.grid_enumerates_every_combination()
  local configs = validation.grid({ name = "g", invert_signal = true }, { top_n = { 5, 10 }, stop_loss_pct = { 0.05, 0.1, 0.15 } })
  check.equal(#configs, 6)
  check.equal(configs[1].name, "g_stop_loss_pct=0.05_top_n=5")
  check.equal(configs[6].top_n, 10); check.equal(configs[6].stop_loss_pct, 0.15); check.equal(configs[6].invert_signal, true)
end

return tests
