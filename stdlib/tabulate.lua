--- tabulate: aligned text tables.
--
--   print(tabulate.format({{"a", 1}, {"bb", 22}}, { header = {"name", "n"}, align = {"left", "right"} }))

local M = {}

local function width(s) return utf8.len(s) or #s end

local function pad(s, n, align)
  local gap = string.rep(" ", n - width(s))
  return align == "right" and gap .. s or s .. gap
end

--- Formats rows (lists of values, converted with tostring) as aligned columns.
--- Options: header (list), align (list of "left"/"right"; numbers default right),
--- separator (between columns, default two spaces), rule (a character for a line under the header).
---@param rows any[][]
---@param options? {header?: string[], align?: string[], rule?: string}
---@return string
function M.format(rows, options)
  options = options or {}
  local header, separator = options.header, options.separator or "  "
  local columns, text = 0, {}
  local all = {}
  if header then all[1] = header end
  for _, row in ipairs(rows) do all[#all + 1] = row end
  for _, row in ipairs(all) do columns = math.max(columns, #row) end
  local widths, numeric = {}, {}
  for c = 1, columns do widths[c], numeric[c] = 0, true end
  for r, row in ipairs(all) do
    text[r] = {}
    for c = 1, columns do
      local v = row[c]
      local s = v == nil and "" or tostring(v)
      text[r][c] = s
      widths[c] = math.max(widths[c], width(s))
      if (r > 1 or not header) and v ~= nil and type(v) ~= "number" then numeric[c] = false end
    end
  end
  local lines = {}
  for r = 1, #all do
    local cells = {}
    for c = 1, columns do
      local align = options.align and options.align[c] or (numeric[c] and "right" or "left")
      cells[c] = pad(text[r][c], widths[c], align)
    end
    lines[#lines + 1] = (table.concat(cells, separator):gsub("%s+$", ""))
    if r == 1 and header and options.rule then
      local total = (columns - 1) * #separator
      for c = 1, columns do total = total + widths[c] end
      lines[#lines + 1] = string.rep(options.rule, total)
    end
  end
  return table.concat(lines, "\n")
end

--- Prints rows as an aligned table (see format).
---@param rows any[][]
---@param options? {header?: string[], align?: string[], rule?: string}
function M.print(rows, options) print(M.format(rows, options)) end

return M
