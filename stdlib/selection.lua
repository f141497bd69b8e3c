--- selection: selection rules written in Lua, for lab.run(config, dataset, {select = rule}).
--
-- A rule is a function(candidates, ctx) called each period (and each side of a long-short
-- book) with the period's candidates, {ticker, score, signal, momentum, sector} (the scored
-- members that pass the universe filter; `signal` is the score as this side ranks it, higher
-- better), and ctx = {held (set of the side's tickers held into the decision), period,
-- side, top_n}. It returns the tickers it picks, best first; the config's momentum filter
-- and sector cap then admit them in that order, top_n at most.

local M = {}

--- Better first: higher signal, then the ticker's name (a total order, so picks never
--- depend on the order candidates arrive in).
local function better(a, b)
  if a.signal ~= b.signal then return a.signal > b.signal end
  return a.ticker < b.ticker
end

--- `candidates` ranked best first, as the list of their tickers a rule returns.
local function ranked_tickers(candidates)
  table.sort(candidates, better)
  local tickers = {}
  for i, c in ipairs(candidates) do tickers[i] = c.ticker end
  return tickers
end

--- The plain ranking: every candidate by signal, best first; the config's filters then
--- take the first top_n they admit, which is what the config's own selection does (but
--- for its hold buffer). A rule to start from.
---@return fun(candidates: table[], ctx: table): string[]
function M.by_signal()
  return ranked_tickers
end

--- Qlib's top-k with dropout (TopkDropoutStrategy, selling the bottom and buying the top):
--- keep the held names, but sell those of them that rank among the n_drop lowest of the
--- held and the best others together, and fill the book up to top_k with the best names
--- not held. A period trades at most n_drop names for new ones once the book is full
--- (more when held names leave the candidates). Held names no longer among the candidates
--- (delisted, filtered out) cannot be kept.
---@param options {n_drop: integer, top_k?: integer} top_k defaults to the config's top_n
---@return fun(candidates: table[], ctx: table): string[]
function M.topk_dropout(options)
  local n_drop, top_k = options.n_drop, options.top_k
  assert(math.type(n_drop) == "integer" and n_drop >= 0, "selection.topk_dropout: n_drop must be a whole number >= 0")
  assert(top_k == nil or (math.type(top_k) == "integer" and top_k > 0), "selection.topk_dropout: top_k must be a whole number > 0")
  return function(candidates, ctx)
    local k = top_k or ctx.top_n
    table.sort(candidates, better)
    local last, others = {}, {}
    for _, c in ipairs(candidates) do
      if ctx.held[c.ticker] then last[#last + 1] = c else others[#others + 1] = c end
    end
    -- The best names not held, as many as could come in.
    local today = {}
    for i = 1, math.min(#others, math.max(0, n_drop + k - #last)) do today[i] = others[i] end
    -- The held names among the n_drop lowest of held and today together are sold.
    local comb = {}
    for _, c in ipairs(last) do comb[#comb + 1] = c end
    for _, c in ipairs(today) do comb[#comb + 1] = c end
    table.sort(comb, better)
    local sell, sold = {}, 0
    for i = math.max(1, #comb - n_drop + 1), #comb do
      if ctx.held[comb[i].ticker] then sell[comb[i].ticker] = true; sold = sold + 1 end
    end
    local keep = {}
    for _, c in ipairs(last) do if not sell[c.ticker] then keep[#keep + 1] = c end end
    for i = 1, math.min(#today, math.max(0, sold + k - #last)) do keep[#keep + 1] = today[i] end
    return ranked_tickers(keep)
  end
end

return M
