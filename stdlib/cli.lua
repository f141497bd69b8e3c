--- cli: command-line options for scripts, and choosing the data a script runs on.
--
--   local cli = require "cli"
--   local opts = cli.parse(arg, {
--     start = { default = 2024, type = "integer", help = "first year" },
--     quiet = { flag = true, help = "no progress" },
--   }, "usage: alphalab script.lua [options]")
--
-- `--name value` and `--name=value`; flags take no value. An unknown option is an
-- error that suggests the closest one; `--help` prints the options and exits.

local M = {}

local function distance(a, b)
  local previous = {}
  for j = 0, #b do previous[j] = j end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    end
    previous = current
  end
  return previous[#b]
end

--- The candidate closest to `word`, if it is close enough to be a typo.
---@param word string
---@param candidates string[]
---@return string|nil
function M.closest(word, candidates)
  local best, best_distance
  for _, c in ipairs(candidates) do
    local d = distance(word, c)
    if not best_distance or d < best_distance or (d == best_distance and c < best) then best, best_distance = c, d end
  end
  if best and best_distance <= math.max(2, #word // 3) then return best end
end

local function usage_text(spec, usage)
  local names = {}
  for name in pairs(spec) do names[#names + 1] = name end
  table.sort(names)
  local lines = { usage or "options:" }
  for _, name in ipairs(names) do
    local o = spec[name]
    local left = "  --" .. name .. (o.flag and "" or " " .. (o.type or "value"):upper())
    local default = o.default ~= nil and not o.flag and ("  (default " .. tostring(o.default) .. ")") or ""
    -- Each option's text wrapped to 80 columns beside its name (on a line of its own when the name is long).
    local text, line = (o.help or "") .. default, ""
    local first = #left < 28 and string.format("%-28s ", left) or nil
    if not first then lines[#lines + 1] = left end
    local indent = string.rep(" ", 29)
    for word in text:gmatch("%S+") do
      if #line > 0 and 29 + #line + 1 + #word > 80 then
        lines[#lines + 1] = (first or indent) .. line
        first, line = nil, ""
      end
      line = #line > 0 and (line .. " " .. word) or word
    end
    lines[#lines + 1] = (first or indent) .. line
  end
  return table.concat(lines, "\n")
end

local function convert(name, value, o)
  if o.type == "integer" then
    local n = math.tointeger(tonumber(value))
    if not n then error(string.format("option --%s: '%s' is not an integer", name, value), 0) end
    return n
  elseif o.type == "number" then
    local n = tonumber(value)
    if not n then error(string.format("option --%s: '%s' is not a number", name, value), 0) end
    return n
  elseif o.choices then
    for _, c in ipairs(o.choices) do if c == value then return value end end
    error(string.format("option --%s: '%s' is not one of %s", name, value, table.concat(o.choices, ", ")), 0)
  end
  return value
end

--- Parses `args` (a script's `arg`) against `spec` ({name = {default, type =
--- "integer"|"number"|"string", flag, choices, help, ledger}}). Returns the options (with
--- defaults) and the remaining positional arguments. A bad option raises an error
--- naming it; `--help` prints the usage and exits. An option with `ledger` (the
--- `--runs` of cli.runs_option), when given, is where the script's trials go (lab.ledger).
---@param args string[] the script's `arg`
---@param spec table<string, {default?: any, type?: "integer"|"number"|"string", flag?: boolean, choices?: string[], help?: string, ledger?: boolean}>
---@param usage? string
---@return table options
---@return string[] positional
function M.parse(args, spec, usage)
  local options, rest, names = {}, {}, {}
  for name, o in pairs(spec) do
    names[#names + 1] = name
    if o.flag then options[name] = false else options[name] = o.default end
  end
  table.sort(names)
  local i = 1
  while args[i] do
    local a = args[i]
    if a == "--help" or a == "-h" then
      print(usage_text(spec, usage))
      os.exit(0)
    end
    local name, value = a:match("^%-%-([%w_-]+)=(.*)$")
    name = name or a:match("^%-%-([%w_-]+)$")
    if name then
      local o = spec[name]
      if not o then
        local hint = M.closest(name, names)
        error(string.format("unknown option --%s%s\n%s", name, hint and (" (did you mean --" .. hint .. "?)") or "",
          usage_text(spec, usage)), 0)
      end
      if o.flag then
        if value then error("option --" .. name .. " takes no value", 0) end
        options[name] = true
      else
        if not value then
          i = i + 1
          value = args[i]
          if value == nil then error("option --" .. name .. " needs a value", 0) end
        end
        options[name] = convert(name, value, o)
      end
    else
      rest[#rest + 1] = a
    end
    i = i + 1
  end
  -- A store option marked as the ledger (cli.runs_option) says where this process's
  -- trials go: set once, here, for every script that takes one.
  for name, o in pairs(spec) do
    if o.ledger and options[name] ~= nil then lab.ledger(options[name]) end
  end
  return options, rest
end

--- Options every experiment script accepts: its data, the training cache, --quiet.
M.data_options = {
  store = { help = "a price store (SQLite; AlphaLab's or the seed's market.db)" },
  csv = { help = "a folder of AlphaVantage CSVs, e.g. ../shared/data/sp500/daily_adjusted" },
  sectors = { help = "with --csv: a constituents CSV (Symbol, Name, Sector)" },
  benchmark = { help = "with --csv: SPY as a Yahoo CSV" },
  limit = { type = "integer", help = "with --csv: the first N tickers only" },
  membership = { help = "with --csv: a point-in-time membership file (ticker,start_date,end_date; Qlib; snapshots)" },
  delistings = { help = "with --csv: a delisting file (ticker,date,return; CRSP's DLRET)" },
  strict = { flag = true, help = "with --csv: a rejected file or a skipped row is an error (else each is reported)" },
  universe = { help = "the universe decisions pick from: all, survivors, or a point-in-time one (the store's, "
    .. "--membership's, the synthetic market's index)" },
  tickers = { type = "integer", help = "synthetic market: number of tickers (default: the embedded market's)" },
  seed = { type = "integer", help = "synthetic market: seed" },
  null = { flag = true, help = "synthetic market: the null market (nothing predictable)" },
  cache = { default = "results/cache", help = "folder of trained models reused across runs ('' for none)" },
  quiet = { flag = true, help = "no progress lines" },
}

--- The `--runs` option: where results are recorded or read, and where the script's trials
--- go (cli.parse passes it to lab.ledger). No default here: lab.runs(nil) takes
--- $ALPHALAB_RUNS, else results/runs.db.
---@param what? string what the store is for, in the help
---@return table
function M.runs_option(what)
  return { ledger = true, help = (what or "run store the results are recorded in") .. ": a SQLite file or a postgres://user@host:port/db URL "
    .. "(default $ALPHALAB_RUNS, else results/runs.db; '' for none); the script's trials are recorded there too" }
end

--- The `--execution` option: the config field's choices, from the engine. With
--- `inherit`, it has no default (a script keeps the execution of the config it reads).
---@param inherit? boolean
---@return table
function M.execution_option(inherit)
  local choices
  for _, f in ipairs(lab.config_fields()) do
    if f.key == "execution" then
      choices = {}
      for choice in f.type:gmatch("[%w_]+") do choices[#choices + 1] = choice end
    end
  end
  return {
    default = not inherit and "rebalance" or nil,
    choices = choices,
    help = inherit and "execution model (default: the config's own)"
      or "execution model: rebalance (hold what stays, trade the difference) or round_trip (the seed's)",
  }
end

--- The experiment numbers of `--only 0,2,5` as a set ({[0] = true, ...}), or nil for all.
---@param options table
---@return table<integer, boolean>|nil
function M.only(options)
  local only
  for n in (options.only or ""):gmatch("%d+") do
    only = only or {}
    only[tonumber(n)] = true
  end
  return only
end

--- The numbers of a comma-separated option (`--buffers 1,1.5,2`), each at least `minimum`;
--- a bad one is an error naming the option and what it should be (`what`, e.g. "hold_buffer").
---@param options table
---@param name string the option's name
---@param what string what each number is
---@param minimum number
---@return number[]
function M.numbers(options, name, what, minimum)
  local values = {}
  for text in (options[name] or ""):gmatch("[^,]+") do
    local x = tonumber(text)
    if not x or x < minimum then
      error(string.format("--%s: '%s' is not a %s (a number of at least %g)", name, text, what, minimum), 0)
    end
    values[#values + 1] = x
  end
  return values
end

--- Prints a report's lines and writes them, with a final newline, to `path`
--- (atomically, through lab.write_file).
---@param lines string[]
---@param path string
---@return string text the report
function M.publish(lines, path)
  local text = table.concat(lines, "\n")
  print(text)
  lab.write_file(path, text .. "\n")
  return text
end

--- A function writing a line to stderr, or doing nothing with `--quiet`.
---@param options table
---@return fun(line: string)
function M.logger(options)
  if options.quiet then return function() end end
  return function(line) io.stderr:write(line, "\n") end
end

--- One line on the trainings of `data` so far: performed, read from the disk cache, shared.
---@param data Dataset
---@return string
function M.training_line(data)
  local stats = data:training_stats()
  local updates = stats.updates > 0 and string.format(" (%d full, %d warm updates)", stats.trainings - stats.updates, stats.updates) or ""
  return string.format("trainings: %d done%s, %d from the disk cache, %d shared in memory (%.1f s training)",
    stats.trainings, updates, stats.disk_hits, stats.memory_hits, stats.seconds)
end

--- The config a command (`picks`, `verdict`) works on: `--config FILE` (the path, which
--- lab functions read) or `--run ID` (the stored run's config, and the stored result from
--- `store`, else the store `--runs` names); never both, and one of them is required.
---@param options table the command's parsed options
---@param command string the command's name, for messages
---@param store? RunStore
---@return Config|string config
---@return Result|nil stored the stored run, with --run
function M.config_source(options, command, store)
  if options.config and options.run then error(command .. " takes --config FILE or --run ID, not both", 0) end
  if options.config then return options.config end
  if not options.run then error(command .. " needs --config FILE or --run ID (alphalab " .. command .. " --help)", 0) end
  local stored = (store or lab.runs(options.runs)):load(options.run)
  return stored.config, stored
end

--- The options of `extra` plus the data options.
---@param extra? table
---@return table
function M.with_data_options(extra)
  local spec = {}
  for k, v in pairs(M.data_options) do spec[k] = v end
  for k, v in pairs(extra) do spec[k] = v end
  return spec
end

--- The name `--membership`'s universe gets: `--universe` unless that names a built-in one.
---@param options table
---@return string|nil
function M.membership_name(options)
  local name = options.universe
  if not name or name == "all" or name == "survivors" then return "members" end
  return name
end

--- The config fields the scripts' shared options stand for: `--start`, `--end`,
--- `--retrain-weeks`, `--execution`, `--universe` and `--timing`. (`--top` is not
--- among them: it is `top_n` in some scripts and a count of experiments in others.)
M.config_keys = { start = "start_year", ["end"] = "end_year", ["retrain-weeks"] = "retrain_weeks",
  execution = "execution", universe = "universe", timing = "signal_timing" }

--- The config fields `options` sets through the shared options (`cli.config_keys`; an
--- option the script lacks or left unset sets nothing), with `fields` on top.
---@param options table the script's parsed options
---@param fields? Config fields of the script's own
---@return Config
function M.config(options, fields)
  local c = {}
  for option, key in pairs(M.config_keys) do
    if options[option] ~= nil then c[key] = options[option] end
  end
  for k, v in pairs(fields or {}) do c[k] = v end
  return c
end

--- The options of a script running (a part of) the Phase 1 suite: the data options, the
--- span (`--start`, `--end`, the seed's 2024-2025) and `--retrain-weeks` (4), plus `extra`
--- (which may override any of them).
---@param extra? table
---@return table
function M.with_suite_options(extra)
  local spec = M.with_data_options{
    start = { type = "integer", default = 2024, help = "first year of decisions" },
    ["end"] = { type = "integer", default = 2025, help = "last year of decisions" },
    ["retrain-weeks"] = { type = "integer", default = 4, help = "retrain every N weeks" },
  }
  for k, v in pairs(extra) do spec[k] = v end
  return spec
end

--- The dataset the options ask for (the embedded synthetic market by default), with
--- the on-disk training cache, and a one-line description of it.
---@param options table
---@return Dataset data
---@return string description
function M.dataset(options)
  local data, label
  if options.store then
    data, label = lab.open(options.store), "store " .. options.store
  elseif options.csv then
    data = lab.read_csv(options.csv, { sectors = options.sectors, benchmark = options.benchmark, limit = options.limit,
      membership = options.membership, universe = options.membership and M.membership_name(options) or nil,
      delistings = options.delistings, strict = options.strict or nil })
    label = "CSV " .. options.csv
  else
    local synthetic = { seed = options.seed, tickers = options.tickers, null = options.null or nil }
    data = lab.synthetic(synthetic)
    label = (options.null and "null " or "") .. "synthetic market"
  end
  if options.cache and options.cache ~= "" then data = data:with_cache(options.cache) end
  return data, string.format("%s: %d tickers, %s .. %s", label, data.ticker_count, data.first, data.last)
end

return M
