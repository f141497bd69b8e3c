local tabulate = require "tabulate"
local pretty = require "pretty"
local repl = require "repl"
local check = require "assert"

local tests = {}

function tests.tabulate_aligns_columns()
  local text = tabulate.format({ { "a", 1.5 }, { "long name", 22 } }, { header = { "name", "value" }, rule = "-" })
  check.equal(text, "name       value\n----------------\na            1.5\nlong name     22")
end

function tests.pretty_sorts_keys_and_nests()
  check.equal(pretty.format({ b = 1, a = { 1, 2 }, [3] = "x" }), '{ [3] = "x", a = { 1, 2 }, b = 1 }')
  check.equal(pretty.format({ 1, 2, n = 0.5 }), "{ 1, 2, n = 0.5 }")
  check.equal(pretty.format("q\"uote"), '"q\\"uote"')
end

function tests.pretty_limits_depth_width_items_and_marks_cycles()
  local t = {}; t.self = t
  check.equal(pretty.format(t), "{ self = <cycle> }")
  check.equal(pretty.format({ { { { { 1 } } } } }, { depth = 2 }), "{ { {...} } }")
  local many = {}
  for i = 1, 100 do many[i] = i end
  check.contains(pretty.format(many), "... (60 more)")
  local wide = {}
  for i = 1, 30 do wide["key" .. i] = i end
  check.contains(pretty.format(wide), "\n  key1 = 1,")
end

function tests.pretty_shows_engine_objects_by_their_summary()
  local data = lab.synthetic{ tickers = 5 }
  check.contains(pretty.format({ data = data }), "Dataset(tickers")
end

function tests.completion_of_globals_fields_and_methods()
  local found = {}
  for _, c in ipairs(repl.complete("lab.syn")) do found[c] = true end
  check.equal(found["lab.synthetic"], true, "lab.syn completes to lab.synthetic")
  _G.__d = lab.synthetic{ tickers = 5 }
  local methods = repl.complete("__d:uni")
  check.equal(methods[1], "__d:universe")
  local fields = {}
  for _, c in ipairs(repl.complete("__d.")) do fields[c] = true end
  check.equal(fields["__d.ticker_count"], true, "fields of an engine object complete after '.'")
  check.equal(repl.complete("whil")[1], "while")
  _G.__d = nil
end

function tests.help_documents_every_lab_function()
  -- help prints through the global print (outside the REPL) and returns the same text.
  local printed = {}
  local print_ = print
  print = function(text) printed[#printed + 1] = text end
  for name, value in pairs(lab) do
    if type(value) == "function" then
      local text = help(value)
      check.contains(text, "lab." .. name, "help(lab." .. name .. ")")
      check.contains(text, "\n  type: (", "help(lab." .. name .. ") shows its Lua type")
      check.equal(printed[#printed], text, "help(lab." .. name .. ") printed its text")
      check.contains(help(lab), "\n  lab." .. name .. "(", "help(lab) lists lab." .. name)
    end
  end
  check.contains(help(), "help(f)")
  check.contains(help(lab), "lab.run")
  print = print_
end

return tests
