#!/usr/bin/env alphalab
-- The Lua test runner: runs every *_test.lua in this folder (or the files given as
-- arguments). A test file returns a table of test functions; a test fails by raising
-- an error. Prints one line per test and a summary; exits non-zero on any failure.

local folder = arg[0]:match("^(.*)/[^/]*$") or "."
local files = { ... }
if #files == 0 then
  local listing = io.popen('ls "' .. folder .. '"/*_test.lua')
  for path in listing:lines() do files[#files + 1] = path end
  listing:close()
end

local passed, failed = 0, {}
for _, path in ipairs(files) do
  local chunk = assert(loadfile(path))
  local tests = chunk()
  local names = {}
  for name in pairs(tests) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local ok, err = xpcall(tests[name], debug.traceback)
    local label = path:match("[^/]+$") .. ": " .. name
    if ok then
      passed = passed + 1
      print("ok    " .. label)
    else
      failed[#failed + 1] = label
      print("FAIL  " .. label .. "\n" .. tostring(err))
    end
  end
end
print(string.format("%d passed, %d failed", passed, #failed))
if #failed > 0 then os.exit(1) end
