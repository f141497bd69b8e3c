--- decision: the seed's decision matrix as code.
--
-- Given Phase 1 results (result objects or plain tables with name, total_return and
-- sharpe), it says what each rule of the seed's matrix concludes and why, with the
-- numbers:
--   1. Signal Inversion beats Baseline by more than 20 points -> the model predicts backwards
--   2. Momentum Features beat Baseline -> replace the features with momentum
--   3. Stop-Loss improves Sharpe over Baseline -> add the stop-loss
--   4. Combined is best -> implement all improvements, full validation required

local M = {}

--- Default thresholds: the seed's.
M.defaults = {
  inversion_margin = 0.20, -- total return points by which inversion must beat the baseline
  baseline = "0_", inversion = "1_", momentum = "2_", stop_loss = "5_", combined = "6_",
  best_by = "sharpe", -- how "best" is judged for the combined rule: "sharpe" or "total_return"
}

local function find(results, prefix)
  for _, r in ipairs(results) do
    if r.name == prefix or r.name:sub(1, #prefix) == prefix then return r end
  end
end

local pct = require("format").pct

--- The conclusions: a list of {rule, holds (true/false, or nil when an experiment is
--- missing), action, reason}.
---@param results Result[]
---@param thresholds? table<string, number>
---@return {rule: string, holds: boolean|nil, action: string, reason: string}[]
function M.evaluate(results, thresholds)
  local t = {}
  for k, v in pairs(M.defaults) do t[k] = v end
  for k, v in pairs(thresholds or {}) do t[k] = v end
  local base = find(results, t.baseline)
  local conclusions = {}
  local function add(rule, holds, action, reason)
    conclusions[#conclusions + 1] = { rule = rule, holds = holds, action = action, reason = reason }
  end

  local inv = find(results, t.inversion)
  if base and inv then
    local gap = inv.total_return - base.total_return
    add("inversion", gap > t.inversion_margin, "the model is predicting backwards: consider inverting in production",
      string.format("Signal Inversion %s vs Baseline %s: %s, threshold %s",
        pct(inv.total_return), pct(base.total_return), pct(gap), pct(t.inversion_margin)))
  else
    add("inversion", nil, "the model is predicting backwards", "needs the Baseline and Signal Inversion results")
  end

  local mom = find(results, t.momentum)
  if base and mom then
    add("momentum_features", mom.total_return > base.total_return, "replace the current features with momentum",
      string.format("Momentum Features %s vs Baseline %s", pct(mom.total_return), pct(base.total_return)))
  else
    add("momentum_features", nil, "replace the current features with momentum", "needs the Baseline and Momentum Features results")
  end

  local stop = find(results, t.stop_loss)
  if base and stop and not (stop.sharpe and base.sharpe) then
    add("stop_loss", nil, "add the stop-loss to production", "a Sharpe ratio is undefined (a run that never moved)")
  elseif base and stop then
    add("stop_loss", stop.sharpe > base.sharpe, "add the stop-loss to production",
      string.format("Stop-Loss Sharpe %.2f vs Baseline %.2f", stop.sharpe, base.sharpe))
  else
    add("stop_loss", nil, "add the stop-loss to production", "needs the Baseline and Stop-Loss results")
  end

  local combined = find(results, t.combined)
  if combined then
    local best = combined
    for _, r in ipairs(results) do
      if (r[t.best_by] or -math.huge) > (best[t.best_by] or -math.huge) then best = r end
    end
    local function show(x) return x and string.format("%.3f", x) or "n/a" end
    add("combined", combined[t.best_by] ~= nil and best == combined, "implement all improvements; full validation required",
      string.format("best %s: %s (%s); Combined %s", t.best_by, best.name, show(best[t.best_by]), show(combined[t.best_by])))
  else
    add("combined", nil, "implement all improvements", "needs the Combined Improvements result")
  end
  return conclusions
end

--- The conclusions as text, one paragraph per rule: YES/no/n/a, the action, the numbers.
---@param results Result[]
---@param thresholds? table<string, number>
---@return string
function M.report(results, thresholds)
  local lines = { "DECISION MATRIX" }
  for _, c in ipairs(M.evaluate(results, thresholds)) do
    local mark = c.holds == nil and "n/a" or (c.holds and "YES" or "no")
    lines[#lines + 1] = string.format("  [%-3s] %-18s %s", mark, c.rule, c.holds and ("-> " .. c.action) or "")
    lines[#lines + 1] = "        " .. c.reason
  end
  return table.concat(lines, "\n")
end

return M
