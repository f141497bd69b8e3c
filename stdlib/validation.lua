--- validation: how much of a best result is selection luck.
--
-- deflated_sharpe: the Deflated Sharpe Ratio of Bailey & Lopez de Prado (2014), the
--   probability that the best of N trials has a true Sharpe ratio above zero, given
--   how many trials were tried, their dispersion, and the best one's skew and kurtosis.
-- pbo: the Probability of Backtest Overfitting by combinatorially symmetric
--   cross-validation (Bailey, Borwein, Lopez de Prado & Zhu, 2015): how often the
--   in-sample best configuration ranks below the median out of sample.
-- grid: the configs of a parameter grid (Phase 3).

local M = {}

--- The standard normal distribution function (the engine's: lab.normal_cdf).
---@param x number
---@return number
function M.normal_cdf(x) return lab.normal_cdf(x) end

--- The standard normal quantile (the engine's: lab.normal_quantile).
---@param p number
---@return number
function M.normal_quantile(p) return lab.normal_quantile(p) end

--- Mean, sample standard deviation, skewness and (non-excess) kurtosis of a sample.
---@param x number[]
---@return {mean: number, sd: number, skew: number, kurtosis: number}
function M.moments(x)
  local n, sum = #x, 0
  for _, v in ipairs(x) do sum = sum + v end
  local mean = sum / n
  local m2, m3, m4 = 0, 0, 0
  for _, v in ipairs(x) do
    local d = v - mean
    m2, m3, m4 = m2 + d * d, m3 + d * d * d, m4 + d * d * d * d
  end
  m2, m3, m4 = m2 / n, m3 / n, m4 / n
  return { mean = mean, sd = math.sqrt(m2 * n / (n - 1)), skew = m3 / m2 ^ 1.5, kurtosis = m4 / (m2 * m2) }
end

--- The Deflated Sharpe Ratio (the engine's: lab.deflated_sharpe). Sharpe ratios are per
--- period (not annualised).
---@param sharpe number the best trial's per-period Sharpe ratio
---@param trials number the number of trials (or their effective number)
---@param variance number the variance of the trials' Sharpe ratios
---@param periods integer the number of return periods
---@param skew number the best trial's return skewness
---@param kurtosis number its kurtosis (3 for normal returns)
---@return number dsr
---@return number sr0 the expected maximum Sharpe ratio of N luckless trials
function M.deflated_sharpe(sharpe, trials, variance, periods, skew, kurtosis)
  return lab.deflated_sharpe(sharpe, trials, variance, periods, skew, kurtosis)
end

--- The Deflated Sharpe Ratio of the best of several return series (one per trial,
--- equal lengths): per-period Sharpe ratios (mean / sd), the best by Sharpe.
---@param series number[][]
---@return {dsr: number, sr0: number, best: integer, sharpe: number, trials: integer}
function M.deflated_sharpe_of(series)
  local sharpes, best, best_index = {}, -math.huge, nil
  for i, r in ipairs(series) do
    local m = M.moments(r)
    -- A series that never moves (a grid point that always held cash) has a Sharpe of 0.
    sharpes[i] = m.sd > 0 and m.mean / m.sd or 0
    if sharpes[i] > best then best, best_index = sharpes[i], i end
  end
  local spread = M.moments(sharpes)
  local m = M.moments(series[best_index])
  if not (m.sd > 0) then m.skew, m.kurtosis = 0, 3 end
  local dsr, sr0 = M.deflated_sharpe(best, #series, spread.sd ^ 2, #series[best_index], m.skew, m.kurtosis)
  return { dsr = dsr, sr0 = sr0, best = best_index, sharpe = best, trials = #series }
end

local function sharpe_of(sum, sum_squares, n)
  local mean = sum / n
  local variance = (sum_squares - n * mean * mean) / (n - 1)
  return variance > 0 and mean / math.sqrt(variance) or (mean > 0 and math.huge or (mean < 0 and -math.huge or 0))
end

--- The Probability of Backtest Overfitting by CSCV.
---@param series number[][] one return series per trial (equal lengths T)
---@param blocks? integer S, an even number of blocks the T periods are cut into (default 16)
---@return {pbo: number, combinations: integer, logits: number[]}
function M.pbo(series, blocks)
  blocks = blocks or 16
  assert(blocks % 2 == 0, "pbo: the number of blocks must be even")
  local n, T = #series, #series[1]
  assert(n >= 2, "pbo: needs at least two trials")
  assert(T >= blocks * 2, "pbo: needs at least two periods per block")
  -- Per block and trial: sum, sum of squares and count, so each combination costs S x N.
  local sums, squares, counts = {}, {}, {}
  for b = 1, blocks do
    local first, last = (b - 1) * T // blocks + 1, b * T // blocks
    sums[b], squares[b], counts[b] = {}, {}, last - first + 1
    for i = 1, n do
      local s, q = 0, 0
      for t = first, last do local v = series[i][t]; s, q = s + v, q + v * v end
      sums[b][i], squares[b][i] = s, q
    end
  end
  local logits, below, combinations = {}, 0, 0
  local chosen = {}
  local function evaluate()
    local inside = {}
    for _, b in ipairs(chosen) do inside[b] = true end
    local best, best_in = nil, -math.huge
    local out = {}
    for i = 1, n do
      local si, qi, ci, so, qo, co = 0, 0, 0, 0, 0, 0
      for b = 1, blocks do
        if inside[b] then si, qi, ci = si + sums[b][i], qi + squares[b][i], ci + counts[b]
        else so, qo, co = so + sums[b][i], qo + squares[b][i], co + counts[b] end
      end
      local s = sharpe_of(si, qi, ci)
      if s > best_in then best, best_in = i, s end
      out[i] = sharpe_of(so, qo, co)
    end
    -- Relative rank of the in-sample winner out of sample, in (0, 1).
    local rank = 1
    for i = 1, n do if i ~= best and out[i] < out[best] then rank = rank + 1 end end
    local omega = rank / (n + 1)
    local logit = math.log(omega / (1 - omega))
    logits[#logits + 1] = logit
    if logit <= 0 then below = below + 1 end
    combinations = combinations + 1
  end
  local function choose(start, left)
    if left == 0 then return evaluate() end
    for b = start, blocks - left + 1 do
      chosen[#chosen + 1] = b
      choose(b + 1, left - 1)
      chosen[#chosen] = nil
    end
  end
  choose(1, blocks // 2)
  return { pbo = below / combinations, combinations = combinations, logits = logits }
end

--- The configs of a grid: every combination of the values in `axes` ({field = {values}})
--- applied to `base`, named "<base name>_<field>=<value>_...". Fields vary in name order.
---@param base Config
---@param axes table<string, any[]>
---@return Config[]
function M.grid(base, axes)
  local fields = {}
  for field in pairs(axes) do fields[#fields + 1] = field end
  table.sort(fields)
  local configs = { {} }
  for _, field in ipairs(fields) do
    local next_configs = {}
    for _, partial in ipairs(configs) do
      for _, value in ipairs(axes[field]) do
        local c = {}
        for k, v in pairs(partial) do c[k] = v end
        c[field] = value
        next_configs[#next_configs + 1] = c
      end
    end
    configs = next_configs
  end
  local result = {}
  for i, changes in ipairs(configs) do
    local c = {}
    for k, v in pairs(base) do c[k] = v end
    local parts = { base.name or "grid" }
    for _, field in ipairs(fields) do
      c[field] = changes[field]
      parts[#parts + 1] = field .. "=" .. tostring(changes[field])
    end
    c.name = table.concat(parts, "_")
    result[i] = c
  end
  return result
end

--- The weekly returns of a result, as a list.
---@param result Result
---@return number[]
function M.returns(result)
  local r = {}
  for i, w in ipairs(result:decision_periods()) do r[i] = w["return"] end
  return r
end

return M
