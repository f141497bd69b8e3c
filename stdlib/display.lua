--- display: rich output for notebooks, plain text everywhere else.
--
-- In AlphaLab's Jupyter kernel (`alphalab kernel`) a value shows as what it is: a
-- result as its summary table and equity curve, a list of results as the Phase 1 table
-- (with the decision matrix when the list holds its experiments), a factor as its tear
-- sheet, a verdict as its page. From the command line and the REPL the same calls print
-- the value's text, so a script written in a notebook runs unchanged in a terminal.
--
--   local display = require "display"   -- a global in the kernel
--   display(r)                           -- a result, factor, verdict, list of results, any value
--   display.html("<b>done</b>")          -- raw HTML (text elsewhere)
--   display.svg(svg_text)                -- an SVG drawing
--   local id = display.new_id()          -- a display that will change ...
--   display.text("starting", { id = id })
--   display.update(id, "half way")       -- ... is redrawn in place
local pretty = require "pretty"

local M = {}

--- Whether outputs are drawn by a notebook (true in the kernel; the kernel sets it).
M.rich = false

local counter = 0

--- A new display id, unique in this process.
---@return string
function M.new_id()
  counter = counter + 1
  return string.format("alphalab-%d-%d", math.floor(lab.clock() * 1000), counter)
end

--- `text` with HTML's special characters escaped, to place it in HTML.
---@param text any
---@return string
function M.escape(text)
  return (tostring(text):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end
local escape = M.escape

--- The decision matrix of a list of Phase 1 results as HTML, or nil when no rule can be judged.
local function decision_html(results)
  local conclusions = require("decision").evaluate(results)
  local rows, judged = {}, false
  for _, c in ipairs(conclusions) do
    judged = judged or c.holds ~= nil
    local mark = c.holds == nil and "n/a" or (c.holds and "<b>YES</b>" or "no")
    rows[#rows + 1] = string.format('<tr><td>%s</td><td>%s</td><td style="text-align:left">%s</td><td style="text-align:left">%s</td></tr>',
      escape(c.rule), mark, c.holds and escape(c.action) or "", escape(c.reason))
  end
  if not judged then return nil end
  return "<h3>Decision matrix</h3><table><thead><tr><th>Rule</th><th>Holds</th><th>Action</th><th>Why</th></tr></thead><tbody>"
    .. table.concat(rows) .. "</tbody></table>"
end

local function is_result(value)
  local mt = type(value) == "userdata" and getmetatable(value)
  return type(mt) == "table" and mt.__name == "Result"
end

local function is_result_list(value)
  if type(value) ~= "table" or #value == 0 then return false end
  for _, v in ipairs(value) do
    if not is_result(v) then return false end
  end
  return true
end

--- The forms of a value a front end may choose from, by MIME type: always "text/plain"
--- (the REPL's pretty printer), plus HTML and SVG for the engine's objects (lab.mime).
---@param value any
---@return table<string, string>
function M.bundle(value)
  local bundle
  if is_result_list(value) then
    bundle = lab.mime(value, { after = decision_html(value) }) or {}
    bundle["text/plain"] = require("experiment").summary(value, { quiet = true })
  else
    bundle = lab.mime(value) or {}
    bundle["text/plain"] = type(value) == "string" and value or pretty.format(value)
  end
  return bundle
end

--- Where bundles go: the kernel replaces it with its own (display_data messages); here
--- it prints the text. `options.id` names the display, `options.update` redraws it,
--- `options.result` marks a cell's value, `options.clear` clears the cell.
---@param bundle table<string, string>
---@param options {id?: string, update?: boolean, result?: boolean, clear?: boolean, wait?: boolean}
function M.publish(bundle, options)
  if not options.update and not options.clear then print(bundle["text/plain"]) end
end

local function show(bundle, options)
  M.publish(bundle, { id = options and options.id })
end

--- Shows a value (a result, a list of results, a factor, a verdict, any value).
---@param value any
---@param options? {id?: string} a display id (display.new_id()), to redraw it later with display.update
function M.value(value, options) show(M.bundle(value), options) end

--- The text of HTML for front ends that cannot draw it: tags dropped (a block's end a new
--- line, a cell's a tab), entities decoded, blank runs closed up.
---@param html string
---@return string
function M.html_text(html)
  local text = html:gsub("<[Ss][Cc][Rr][Ii][Pp][Tt].-</[Ss][Cc][Rr][Ii][Pp][Tt]>", ""):gsub("<[Ss][Tt][Yy][Ll][Ee].-</[Ss][Tt][Yy][Ll][Ee]>", "")
  text = text:gsub("<br%s*/?>", "\n"):gsub("</[Tt][DdHh]>", "\t"):gsub("</%s*[%a%d]+%s*>", function(tag)
    local name = tag:match("</%s*([%a%d]+)"):lower()
    local block = { p = 1, div = 1, tr = 1, li = 1, h1 = 1, h2 = 1, h3 = 1, h4 = 1, table = 1, pre = 1, ul = 1, ol = 1 }
    return block[name] and "\n" or ""
  end):gsub("<[^>]*>", "")
  local entities = { lt = "<", gt = ">", amp = "&", quot = '"', apos = "'", nbsp = " ", ["#39"] = "'" }
  text = text:gsub("&(#?%w+);", function(name) return entities[name] or ("&" .. name .. ";") end)
  return (text:gsub("[ \t]+\n", "\n"):gsub("\n\n\n+", "\n\n"):gsub("^%s+", ""):gsub("%s+$", ""))
end

--- Shows HTML (`options.text`, else its text without the markup, outside a notebook).
---@param html string
---@param options? {id?: string, text?: string} text: what plain front ends print instead
function M.html(html, options)
  show({ ["text/html"] = html, ["text/plain"] = options and options.text or M.html_text(html) }, options)
end

--- Shows an SVG drawing (`options.text`, else "[SVG drawing]", outside a notebook).
---@param svg string
---@param options? {id?: string, text?: string}
function M.svg(svg, options)
  show({ ["image/svg+xml"] = svg, ["text/plain"] = options and options.text or "[SVG drawing]" }, options)
end

--- Shows plain text.
---@param text string
---@param options? {id?: string}
function M.text(text, options) show({ ["text/plain"] = tostring(text) }, options) end

--- Redraws the display `id` with a value, or with a bundle ({["text/html"] = ..., ...}) when `is_bundle`.
---@param id string
---@param value any
---@param is_bundle? boolean
function M.update(id, value, is_bundle)
  M.publish(is_bundle and value or M.bundle(value), { id = id, update = true })
end

--- Clears the cell's output (nothing outside a notebook); with `wait`, when the next output arrives.
---@param wait? boolean
function M.clear(wait)
  M.publish({}, { clear = true, wait = wait == true })
end

--- What the kernel shows for an expression's values: one value as its bundle, several as text.
---@param ... any
function M.result(...)
  local n = select("#", ...)
  if n == 0 then return end
  if n == 1 then return M.publish(M.bundle((...)), { result = true }) end
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "string" and v or pretty.format(v)
  end
  M.publish({ ["text/plain"] = table.concat(parts, "\t") }, { result = true })
end

return setmetatable(M, { __call = function(_, value, options) M.value(value, options) end })
