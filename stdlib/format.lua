--- format: how AlphaLab's scripts and modules print figures. Returns and other
--- fractions print as percentages; a figure that does not exist (nil: a Sharpe ratio of a
--- constant series, a metric of a run without periods) prints as "n/a".
--
--   local format = require "format"
--   format.pct(0.254)          --> "+25.4%"   signed: returns, differences
--   format.rate(0.441)         --> "44.1%"    unsigned: drawdowns, turnover, shares
--   format.num(-1.462)         --> "-1.46"    signed ratios (Sharpe, t)
--   format.num(0.0123, "%.3f") --> "0.012"    any other number format
local M = {}

--- A fraction as a signed percentage with one decimal ("+25.4%"), or "n/a".
---@param x number|nil
---@return string
function M.pct(x) return x and string.format("%+.1f%%", x * 100) or "n/a" end

--- A fraction as an unsigned percentage with one decimal ("44.1%"), or "n/a".
---@param x number|nil
---@return string
function M.rate(x) return x and string.format("%.1f%%", x * 100) or "n/a" end

--- A number in `fmt` (default "%+.2f": signed, two decimals), or "n/a".
---@param x number|nil
---@param fmt? string a string.format pattern for one number
---@return string
function M.num(x, fmt) return x and string.format(fmt or "%+.2f", x) or "n/a" end

return M
