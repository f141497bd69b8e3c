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

--- The standard normal distribution function.
---@param x number
---@return number
function M.normal_cdf(x)
  -- Phi(x) = erfc(-x / sqrt 2) / 2, with the Chebyshev-fitted erfc of Numerical
  -- Recipes (erfcc): fractional error below 1.2e-7 everywhere.
  local z = -x / math.sqrt(2)
  local t = 1 / (1 + 0.5 * math.abs(z))
  local y = t * math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  local erfc = z >= 0 and y or 2 - y
  return 0.5 * erfc
end

--- The standard normal quantile (Acklam's algorithm, refined by one Halley step).
---@param p number
---@return number
function M.normal_quantile(p)
  assert(p > 0 and p < 1, "normal_quantile: p must be in (0, 1)")
  local a = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 }
  local b = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 }
  local c = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 }
  local d = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 }
  local x
  if p < 0.02425 then
    local q = math.sqrt(-2 * math.log(p))
    x = (((((c[1] * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) * q + c[6]) / ((((d[1] * q + d[2]) * q + d[3]) * q + d[4]) * q + 1)
  elseif p <= 1 - 0.02425 then
    local q = p - 0.5
    local r = q * q
    x = (((((a[1] * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * r + a[6]) * q / (((((b[1] * r + b[2]) * r + b[3]) * r + b[4]) * r + b[5]) * r + 1)
  else
    local q = math.sqrt(-2 * math.log(1 - p))
    x = -(((((c[1] * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) * q + c[6]) / ((((d[1] * q + d[2]) * q + d[3]) * q + d[4]) * q + 1)
  end
  local e = M.normal_cdf(x) - p
  local u = e * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
  return x - u / (1 + x * u / 2)
end

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

local euler_gamma = 0.5772156649015329

--- The Deflated Sharpe Ratio. Sharpe ratios are per period (not annualised).
---@param sharpe number the best trial's per-period Sharpe ratio
---@param trials integer the number of trials
---@param variance number the variance of the trials' Sharpe ratios
---@param periods integer the number of return periods
---@param skew number the best trial's return skewness
---@param kurtosis number its kurtosis (3 for normal returns)
---@return number dsr
---@return number sr0 the expected maximum Sharpe ratio of N luckless trials
function M.deflated_sharpe(sharpe, trials, variance, periods, skew, kurtosis)
  local sr0 = 0
  if trials > 1 then
    sr0 = math.sqrt(variance) * ((1 - euler_gamma) * M.normal_quantile(1 - 1 / trials)
      + euler_gamma * M.normal_quantile(1 - 1 / (trials * math.exp(1))))
  end
  local z = (sharpe - sr0) * math.sqrt(periods - 1) / math.sqrt(1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe)
  return M.normal_cdf(z), sr0
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
  for i, w in ipairs(result:weeks()) do r[i] = w["return"] end
  return r
end

return M
