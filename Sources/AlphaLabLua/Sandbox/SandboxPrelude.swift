/// The Lua side of the sandbox, run once in a new state before any script: it takes
/// away what runs programs or native code (`os.execute`, `io.popen`, `package.loadlib`,
/// C modules, binary chunks, `debug` beyond `traceback`) and puts a check of the
/// sandbox's rules in front of every standard function that opens a file by name.
///
/// The originals stay only as upvalues of the checking closures, which no script can
/// reach without `debug`. `check_read`, `check_write` and `count_output` are host
/// functions (left in the registry by the host) that raise the sandbox's error; `path`
/// is the `require` path of the allowed folders, `environment` the variables
/// `os.getenv` may return. Bytes written through a file opened under the output folder
/// count against the output limit (`count_output`), as `lab`'s files do on the host side.
enum SandboxPrelude {
    static let source = #"""
    local path, environment = ...
    local registry = debug.getregistry()
    local can_read, can_write = registry["alphalab.check_read"], registry["alphalab.check_write"]
    local can_count = registry["alphalab.count_output"]
    registry["alphalab.check_read"], registry["alphalab.check_write"], registry["alphalab.count_output"] = nil, nil, nil
    -- Raised at level 3: the line of the script that called the checked function.
    local function check_read(name) local ok, why = can_read(name); if not ok then error(why, 3) end end
    local function check_write(name) local ok, why = can_write(name); if not ok then error(why, 3) end end
    local error, type, select, tostring, setmetatable = error, type, select, tostring, setmetatable

    function os.getenv(name) return environment[name] end

    local function refused(name, why)
      return function() error("sandbox: " .. name .. " is not allowed" .. (why and (" (" .. why .. ")") or ""), 2) end
    end
    os.execute = refused("os.execute", "it runs programs")
    io.popen = refused("io.popen", "it runs programs")
    os.tmpname = refused("os.tmpname", "it creates a file outside the output folder")
    io.tmpfile = refused("io.tmpfile", "it writes a file outside the output folder")
    package.loadlib = refused("package.loadlib", "it loads native code")

    local function writes(mode) return mode ~= nil and tostring(mode):find("[wa+]") ~= nil end

    -- Files open for writing, by the path they were opened with (weak: a closed, collected file drops out).
    local written = setmetatable({}, { __mode = "k" })
    local methods = getmetatable(io.stdout).__index
    local write = methods.write
    function methods.write(file, ...)
      local name = written[file]
      if name then
        local bytes = 0
        for i = 1, select("#", ...) do
          local v = select(i, ...)
          if type(v) == "string" or type(v) == "number" then bytes = bytes + #tostring(v) end
        end
        local ok, why = can_count(bytes, name)
        if not ok then error(why, 2) end
      end
      return write(file, ...)
    end

    local open = io.open
    function io.open(name, mode)
      if writes(mode) then check_write(name) else check_read(name) end
      local file, message, code = open(name, mode)
      if file and writes(mode) then written[file] = name end
      return file, message, code
    end
    local lines = io.lines
    function io.lines(name, ...)
      if name ~= nil then check_read(name) end
      return lines(name, ...)
    end
    local input, output = io.input, io.output
    function io.input(file)
      if type(file) == "string" then check_read(file) end
      return input(file)
    end
    function io.output(file)
      if type(file) ~= "string" then return output(file) end
      check_write(file)
      local chosen = output(file)
      written[chosen] = file
      return chosen
    end
    -- io.write writes to the default output through the counted method.
    function io.write(...) return output():write(...) end
    local remove, rename = os.remove, os.rename
    function os.remove(name) check_write(name); return remove(name) end
    function os.rename(from, to) check_write(from); check_write(to); return rename(from, to) end

    -- Text chunks only: a binary chunk is unchecked bytecode that can break the VM.
    local load, loadfile = load, loadfile
    local function text_mode(mode, level)
      if mode ~= nil and mode ~= "t" then error("sandbox: binary chunks are not allowed (load mode must be \"t\")", level + 1) end
    end
    _G.load = function(chunk, ...)
      local n = select("#", ...)
      local name, mode, env = ...
      text_mode(mode, 2)
      if type(chunk) == "string" and chunk:byte(1) == 27 then
        error("sandbox: binary chunks are not allowed", 2)
      end
      if n >= 3 then return load(chunk, name, "t", env) end
      return load(chunk, name, "t")
    end
    _G.loadfile = function(name, ...)
      local n = select("#", ...)
      local mode, env = ...
      text_mode(mode, 2)
      if name ~= nil then check_read(name) end
      if n >= 2 then return loadfile(name, "t", env) end
      return loadfile(name, "t")
    end
    _G.dofile = function(name)
      if name ~= nil then check_read(name) end
      local f = assert(loadfile(name, "t"))
      return f()
    end

    -- require: Lua modules from the allowed folders only, no C modules.
    package.path = path
    package.cpath = ""
    local searchpath = package.searchpath
    package.searchers = {
      package.searchers[1], -- package.preload
      function(name)
        local file, err = searchpath(name, package.path)
        if not file then return "\n\t" .. err:gsub("^\n\t", "") end
        check_read(file)
        local f, message = loadfile(file, "t")
        if not f then error(string.format("error loading module '%s' from file '%s':\n\t%s", name, file, message), 2) end
        return f, file
      end,
      function(name) return "\n\tno C module '" .. name .. "' (the sandbox loads no native code)" end,
    }

    local traceback = debug.traceback
    debug = setmetatable({ traceback = traceback }, {
      __index = function(_, key) error("sandbox: debug." .. tostring(key) .. " is not allowed (only debug.traceback)", 2) end,
    })
    package.loaded.debug = debug
    """#
}
