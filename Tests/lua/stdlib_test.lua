local tabulate = require "tabulate"
local cli = require "cli"
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

function tests.display_prints_text_outside_a_notebook_and_bundles_engine_objects()
  local display = require "display"
  local shown, publish = {}, display.publish
  display.publish = function(bundle, options) shown[#shown + 1] = { bundle = bundle, options = options } end
  local data = lab.synthetic{ tickers = 12, seed = 4, start = "2012-01-03", ["end"] = "2015-12-31" }
  local r = lab.run(lab.config{ name = "0_Baseline_Current", strategy = "momentum_12_1", start_year = 2015, end_year = 2015 }, data)
  local s = lab.run(lab.config{ name = "5_Stop_Loss", strategy = "momentum_12_1", use_stop_loss = true, start_year = 2015, end_year = 2015 }, data)
  display(r)
  check.contains(shown[1].bundle["text/html"], "<table", "a result shows as its table")
  check.contains(shown[1].bundle["text/html"], "<svg", "with its equity curve drawn in the HTML")
  check.equal(shown[1].bundle["image/svg+xml"]:sub(1, 4), "<svg", "and as SVG of its own")
  check.equal(shown[1].bundle["text/plain"], tostring(r))
  local list = display.bundle({ r, s })
  check.contains(list["text/html"], "Decision matrix", "Baseline and Stop-Loss make the matrix's stop-loss rule")
  check.contains(list["text/plain"], "EXPERIMENT RESULTS SUMMARY")
  check.equal(display.bundle({ 1, 2 })["text/html"], nil, "a plain table has text only")
  check.equal(display.bundle("a\nb")["text/plain"], "a\nb", "a string shows as itself")
  local id = display.new_id()
  display.html("<b>x</b>", { id = id, text = "x" })
  display.update(id, 7)
  check.equal(shown[#shown].options.update, true)
  check.equal(shown[#shown].options.id, id)
  check.equal(shown[#shown].bundle["text/plain"], "7")
  display.publish = publish
  -- Outside a notebook the default publisher prints the text, and an update prints nothing.
  local printed, print_ = {}, print
  print = function(text) printed[#printed + 1] = text end
  display.html("<i>y</i>", { text = "y" })
  display.html("<h2>Verdict &amp; card</h2><table><tr><td>costs</td><td>2 &lt; 3</td></tr></table><script>x()</script>")
  display.svg("<svg/>")
  display.update(id, 8)
  display.clear()
  print = print_
  check.equal(table.concat(printed, "|"), "y|Verdict & card\ncosts\t2 < 3|[SVG drawing]", "HTML without its text shows its text, not its markup")
end

function tests.cli_config_maps_the_shared_options_to_config_fields()
  local options = { start = 2017, ["end"] = 2021, ["retrain-weeks"] = 1, execution = "rebalance", timing = "prior_close", top = 3, out = "results" }
  local c = cli.config(options, { name = "x", end_year = 2020 })
  check.equal(c.start_year, 2017)
  check.equal(c.end_year, 2020, "the script's own fields go on top")
  check.equal(c.retrain_weeks, 1)
  check.equal(c.execution, "rebalance")
  check.equal(c.signal_timing, "prior_close")
  check.equal(c.name, "x")
  check.equal(c.top_n, nil, "--top is not a shared option: it means different things in different scripts")
  check.equal(c.out, nil)
  check.equal(c.universe, nil, "an option left unset sets nothing")
end

return tests
