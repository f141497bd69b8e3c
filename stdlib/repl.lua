--- repl: the interactive loop's Lua half: completion and printing of results.

local pretty = require "pretty"

local M = {}

local keywords = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while" }

--- Names of the fields and methods of `value` (tables, their __index tables, engine objects).
local function members(value, methods_only)
  local names, seen = {}, {}
  local function add(k, v)
    if type(k) == "string" and k:match("^[%a_][%w_]*$") and not seen[k] then
      if not methods_only or type(v) == "function" then seen[k] = true; names[#names + 1] = k end
    end
  end
  local t = type(value)
  if t == "table" then
    for k, v in pairs(value) do add(k, v) end
  end
  local mt = getmetatable(value)
  if type(mt) == "table" then
    if type(mt.__methods) == "table" then for k, v in pairs(mt.__methods) do add(k, v) end end
    if not methods_only and type(mt.__fields) == "table" then for _, k in ipairs(mt.__fields) do add(k, 0) end end
    if type(mt.__index) == "table" then for k, v in pairs(mt.__index) do add(k, v) end end
  end
  if t == "string" then for k, v in pairs(string) do add(k, v) end end
  table.sort(names)
  return names
end

--- The help text of `value` (the REPL and the kernel have help return it without printing).
---@param value any
---@return string|nil
function M.help_text(value)
  if not help then return nil end
  local ok, text = pcall(help, value)
  return ok and type(text) == "string" and text or nil
end

--- Completions of `word` (as typed before the cursor): globals and keywords, or the
--- fields after `a.b.` and the methods after `a:`; inside a call's unclosed table
--- constructor (`before`, the line before the word, ends in `lab.synthetic{`), the
--- options the function's help documents.
---@param word string
---@param before? string
---@return string[]
function M.complete(word, before)
  -- Inside an unclosed table constructor that is a call's argument (`lab.synthetic{ti`,
  -- `lab.run(c, d, { pro`): the options that function documents, before the globals.
  local callee = before and (before:match("([%a_][%w_%.:]*)%s*{[^{}]*$") or before:match("([%a_][%w_%.:]*)%s*%b()") and nil
    or before:match("([%a_][%w_%.:]*)%s*%([^()]*{[^{}]*$"))
  if callee and word:match("^[%w_]*$") then
    local ok, fn = pcall(load("return " .. callee:gsub(":", "."), "=complete", "t", _G))
    local text = ok and fn ~= nil and M.help_text and M.help_text(fn)
    local options = {}
    if type(text) == "string" then
      -- The documented options: the lines under "Options:", a name then its summary.
      local section = text:match("\n%s*Options:\n(.*)$") or ""
      for name in section:gmatch("%f[^\n%z]%s+([%a_][%w_]*)%s%s") do
        if name:sub(1, #word) == word then options[#options + 1] = name end
      end
    end
    if #options > 0 then
      table.sort(options)
      return options
    end
  end
  local path, sep, partial = word:match("^(.-)([.:])([%w_]*)$")
  local candidates, prefix = {}, ""
  if path then
    local value = _G
    for part in path:gmatch("[^.]+") do
      local ok, next_value = pcall(function() return value[part] end)
      if not ok or next_value == nil then return {} end
      value = next_value
    end
    candidates, prefix = members(value, sep == ":"), path .. sep
  else
    partial = word
    candidates = members(_G)
    for _, k in ipairs(keywords) do candidates[#candidates + 1] = k end
  end
  local result = {}
  for _, name in ipairs(candidates) do
    if name:sub(1, #partial) == partial then result[#result + 1] = prefix .. name end
  end
  table.sort(result)
  return result
end

--- Prints the values an expression returned (nothing for none).
---@param ... any
function M.show(...)
  local n = select("#", ...)
  if n == 0 then return end
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "string" and not v:find("\n") and pretty.format(v) or (type(v) == "string" and v or pretty.format(v))
  end
  print(table.concat(parts, "\t"))
end

return M
