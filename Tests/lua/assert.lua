-- Small assertions for the Lua tests, with messages that show both sides.
local pretty = require "pretty"
local M = {}

function M.equal(actual, expected, what)
  if actual ~= expected then
    error(string.format("%s: expected %s, got %s", what or "value", pretty.format(expected), pretty.format(actual)), 2)
  end
end

function M.near(actual, expected, tolerance, what)
  if type(actual) ~= "number" or math.abs(actual - expected) > (tolerance or 1e-9) then
    error(string.format("%s: expected %s +- %s, got %s", what or "value", expected, tolerance or 1e-9, tostring(actual)), 2)
  end
end

function M.contains(text, fragment, what)
  if type(text) ~= "string" or not text:find(fragment, 1, true) then
    error(string.format("%s: %q not found in %s", what or "text", fragment, pretty.format(text)), 2)
  end
end

--- Calls f and returns its error message; fails if it does not raise.
function M.raises(f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("expected an error, got none", 2) end
  return tostring(err)
end

return M
