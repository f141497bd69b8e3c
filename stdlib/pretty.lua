--- pretty: readable text for any Lua value, as the REPL prints it.
--
-- Tables print with sorted keys (numbers, then strings, then the rest), nested up to
-- a depth, with long tables cut off, cycles marked, and engine objects shown by
-- their own summary.

local M = {}

M.defaults = { depth = 4, items = 40, width = 80, indent = "  " }

local function is_identifier(k)
  return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil
end

local type_order = { number = 1, string = 2, boolean = 3 }

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ta, tb = type_order[type(a)] or 4, type_order[type(b)] or 4
    if ta ~= tb then return ta < tb end
    if ta <= 2 then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v):gsub("\\\n", "\\n") end
  if t == "number" and math.type(v) == "float" then
    if v ~= v then return "nan" end
    return string.format("%.14g", v)
  end
  return tostring(v)
end

local function format(v, options, depth, seen, indent)
  if type(v) ~= "table" then return scalar(v) end
  local mt = getmetatable(v)
  if mt and mt.__tostring and not mt.__engine_table then return tostring(v) end
  if seen[v] then return "<cycle>" end
  if depth >= options.depth then return "{...}" end
  seen[v] = true
  local n, parts, count = #v, {}, 0
  for _, k in ipairs(sorted_keys(v)) do
    count = count + 1
    if count > options.items then
      parts[#parts + 1] = string.format("... (%d more)", (function() local c = 0 for _ in pairs(v) do c = c + 1 end return c end)() - options.items)
      break
    end
    local item = format(v[k], options, depth + 1, seen, indent .. options.indent)
    if math.type(k) == "integer" and k >= 1 and k <= n then
      parts[#parts + 1] = item
    elseif is_identifier(k) then
      parts[#parts + 1] = k .. " = " .. item
    else
      parts[#parts + 1] = "[" .. scalar(k) .. "] = " .. item
    end
  end
  seen[v] = nil
  if #parts == 0 then return "{}" end
  local one_line = "{ " .. table.concat(parts, ", ") .. " }"
  if #one_line + #indent <= options.width and not one_line:find("\n") then return one_line end
  local inner = indent .. options.indent
  return "{\n" .. inner .. table.concat(parts, ",\n" .. inner) .. "\n" .. indent .. "}"
end

--- The text of `value`. Options: depth, items (per table), width, indent.
---@param value any
---@param options? {depth?: integer, items?: integer, width?: integer, indent?: string}
---@return string
function M.format(value, options)
  local o = {}
  for k, v in pairs(M.defaults) do o[k] = v end
  for k, v in pairs(options or {}) do o[k] = v end
  return format(value, o, 0, {}, "")
end

--- Prints each argument's text, one per line.
---@param ... any
function M.print(...)
  for i = 1, select("#", ...) do print(M.format((select(i, ...)))) end
end

return M
