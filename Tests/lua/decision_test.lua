local decision = require "decision"
local check = require "assert"

-- Hand-made Phase 1 results: plain tables with the fields the matrix reads.
local function results(changes)
  local base = {
    { name = "0_Baseline_Current", total_return = -0.25, sharpe = -1.2 },
    { name = "1_Signal_Inversion", total_return = 0.15, sharpe = 0.45 },
    { name = "2_Momentum_Features", total_return = 0.22, sharpe = 0.75 },
    { name = "5_Stop_Loss", total_return = -0.20, sharpe = -0.9 },
    { name = "6_Combined_Improvements", total_return = 0.10, sharpe = 0.50 },
  }
  for _, r in ipairs(base) do for k, v in pairs(changes[r.name:sub(1, 1)] or {}) do r[k] = v end end
  return base
end

local function by_rule(conclusions)
  local t = {}
  for _, c in ipairs(conclusions) do t[c.rule] = c end
  return t
end

local tests = {}

function tests.inversion_rule_needs_more_than_the_margin()
  local c = by_rule(decision.evaluate(results{}))
  check.equal(c.inversion.holds, true, "+40 points beat the 20-point margin")
  check.contains(c.inversion.reason, "Signal Inversion +15.0% vs Baseline -25.0%: +40.0%, threshold +20.0%")
  local close = by_rule(decision.evaluate(results{ ["1"] = { total_return = -0.06 } }))
  check.equal(close.inversion.holds, false, "+19 points do not")
  local strict = by_rule(decision.evaluate(results{}, { inversion_margin = 0.5 }))
  check.equal(strict.inversion.holds, false, "the threshold is a parameter")
end

function tests.momentum_rule_compares_returns()
  check.equal(by_rule(decision.evaluate(results{})).momentum_features.holds, true)
  check.equal(by_rule(decision.evaluate(results{ ["2"] = { total_return = -0.3 } })).momentum_features.holds, false)
end

function tests.stop_loss_rule_compares_sharpe()
  check.equal(by_rule(decision.evaluate(results{})).stop_loss.holds, true)
  local worse = by_rule(decision.evaluate(results{ ["5"] = { sharpe = -1.5 } }))
  check.equal(worse.stop_loss.holds, false)
  check.contains(worse.stop_loss.reason, "Stop-Loss Sharpe -1.50 vs Baseline -1.20")
end

function tests.combined_rule_needs_the_best()
  check.equal(by_rule(decision.evaluate(results{})).combined.holds, false, "Momentum Features has the best Sharpe")
  local best = by_rule(decision.evaluate(results{ ["6"] = { sharpe = 1.1 } }))
  check.equal(best.combined.holds, true)
  check.contains(best.combined.action, "full validation required")
  local by_return = by_rule(decision.evaluate(results{ ["6"] = { sharpe = 1.1 } }, { best_by = "total_return" }))
  check.equal(by_return.combined.holds, false, "by return, Momentum Features is best")
end

function tests.missing_experiments_are_not_guessed()
  local c = by_rule(decision.evaluate({ { name = "0_Baseline_Current", total_return = 0, sharpe = 0 } }))
  check.equal(c.inversion.holds, nil)
  check.contains(c.inversion.reason, "needs the Baseline and Signal Inversion results")
end

function tests.report_prints_conclusions_with_numbers()
  local text = decision.report(results{})
  check.contains(text, "[YES] inversion")
  check.contains(text, "-> the model is predicting backwards")
  check.contains(text, "[no ] combined")
end

return tests
