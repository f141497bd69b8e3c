#include "CLuaShim.h"
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

// What a state may use, and what it has used. The allocator's user data, so the
// allocator, the hook and the trampolines of a state all find it from `L`.
typedef struct alab_limits {
    size_t used;                    // bytes Lua holds
    size_t memory_limit;            // 0: none
    int memory_hit;                 // an allocation was refused since the last alab_resetlimits
    int host_depth;                 // > 0 while Swift runs: Lua is not running then
    double cpu_limit;               // seconds of CPU time running Lua code; 0: none
    double cpu_used;                // CPU seconds Lua code ran, up to cpu_started
    double cpu_started;             // the thread's CPU clock when Lua code last started running
    volatile sig_atomic_t interrupted;
} alab_limits;

static alab_limits *alab_limits_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (alab_limits *)ud;
}

static double alab_thread_cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// Lua code starts (or resumes after a host function) and stops running. The cap on
// memory holds only while Lua code runs: a host function pushing its results, or
// Swift setting up a call, never sees an allocation fail (that error would unwind
// through Swift frames). What the host pushes is bounded by what the engine made.
static void alab_lua_starts(alab_limits *l) {
    if (--l->host_depth == 0 && l->cpu_limit > 0) l->cpu_started = alab_thread_cpu();
}

static void alab_lua_stops(alab_limits *l) {
    if (l->host_depth++ == 0 && l->cpu_limit > 0) {
        double ran = alab_thread_cpu() - l->cpu_started;
        if (ran > 0) l->cpu_used += ran; // a thread's clock: never count a negative span
    }
}

static void *alab_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    alab_limits *l = (alab_limits *)ud;
    size_t old = ptr != NULL ? osize : 0; // without a block, osize is the object's type
    if (nsize == 0) {
        free(ptr);
        l->used -= old;
        return NULL;
    }
    if (l->memory_limit > 0 && l->host_depth == 0 && nsize > old && l->used - old + nsize > l->memory_limit) {
        l->memory_hit = 1;
        return NULL; // Lua collects garbage, retries, then raises "not enough memory"
    }
    void *block = realloc(ptr, nsize);
    if (block != NULL) l->used = l->used - old + nsize;
    return block;
}

lua_State *alab_newstate(void) {
    lua_State *L = luaL_newstate(); // its panic and warning functions
    if (L == NULL) return NULL;
    alab_limits *l = calloc(1, sizeof(alab_limits));
    if (l == NULL) { lua_close(L); return NULL; }
    l->host_depth = 1;
    // Blocks allocated so far came from realloc too: the counting allocator frees them alike.
    l->used = (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
    lua_setallocf(L, alab_alloc, l);
    return L;
}

void alab_close(lua_State *L) {
    alab_limits *l = alab_limits_of(L);
    lua_close(L);
    free(l);
}

static void alab_hook(lua_State *L, lua_Debug *ar);

// The one hook of a state: every 100,000 instructions while a CPU limit is set (about
// a millisecond of Lua: reading the thread's CPU clock is a system call), at the
// next instruction after an interrupt.
static void alab_sethook(lua_State *L, alab_limits *l) {
    if (l->interrupted) lua_sethook(L, alab_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    else if (l->cpu_limit > 0) lua_sethook(L, alab_hook, LUA_MASKCOUNT, 100000);
    else lua_sethook(L, NULL, 0, 0);
}

static void alab_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    alab_limits *l = alab_limits_of(L);
    if (l->interrupted) {
        l->interrupted = 0;
        alab_sethook(L, l);
        luaL_error(L, "interrupted!");
    }
    if (l->cpu_limit > 0 && l->host_depth == 0 && l->cpu_used + alab_thread_cpu() - l->cpu_started > l->cpu_limit) {
        luaL_where(L, 0); // the line running when the time ran out
        lua_pushfstring(L, "CPU time limit exceeded: Lua code ran for more than %f s (--cpu-limit SECONDS)", l->cpu_limit);
        lua_concat(L, 2);
        lua_error(L);
    }
}

void alab_setlimits(lua_State *L, size_t memory_bytes, double cpu_seconds) {
    alab_limits *l = alab_limits_of(L);
    l->memory_limit = memory_bytes;
    l->cpu_limit = cpu_seconds;
    alab_sethook(L, l);
}

void alab_resetlimits(lua_State *L) {
    alab_limits *l = alab_limits_of(L);
    l->memory_hit = 0;
    l->cpu_used = 0;
}

int alab_memoryhit(lua_State *L) { return alab_limits_of(L)->memory_hit; }

static int alab_trampoline(lua_State *L) {
    alab_callback callback = (alab_callback)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    alab_limits *l = alab_limits_of(L);
    alab_lua_stops(l);
    int results = callback(L, context);
    alab_lua_starts(l);
    // The Swift frame has returned: raising here unwinds only Lua and C frames.
    if (results < 0) return lua_error(L);
    return results;
}

void alab_pushfunction(lua_State *L, alab_callback callback, void *context) {
    lua_pushlightuserdata(L, (void *)callback);
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, alab_trampoline, 2);
}

int alab_registryindex(void) { return LUA_REGISTRYINDEX; }
int alab_upvalueindex(int i) { return lua_upvalueindex(i); }
void alab_pop(lua_State *L, int n) { lua_pop(L, n); }
void alab_newtable(lua_State *L) { lua_newtable(L); }
const char *alab_tostring(lua_State *L, int index, size_t *length) { return lua_tolstring(L, index, length); }
int alab_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    alab_limits *l = alab_limits_of(L);
    alab_lua_starts(l);
    int status = lua_pcall(L, nargs, nresults, msgh);
    alab_lua_stops(l);
    return status;
}
void *alab_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
int alab_isinteger(lua_State *L, int index) { return lua_isinteger(L, index); }

static int alab_traceback(lua_State *L) {
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, message, 1);
    return 1;
}

void alab_pushtraceback(lua_State *L) { lua_pushcfunction(L, alab_traceback); }

void alab_interrupt(lua_State *L) {
    alab_limits *l = alab_limits_of(L);
    l->interrupted = 1;
    alab_sethook(L, l);
}

void alab_clearinterrupt(lua_State *L) {
    alab_limits *l = alab_limits_of(L);
    l->interrupted = 0;
    alab_sethook(L, l);
}

static lua_State *volatile alab_interrupted_state = NULL;
static void (*volatile alab_interrupt_also)(void) = NULL;

static void alab_onsigint(int signal_number) {
    (void)signal_number;
    if (alab_interrupted_state != NULL) alab_interrupt(alab_interrupted_state);
    if (alab_interrupt_also != NULL) alab_interrupt_also();
}

/* What SIGINT did before alab_catchinterrupts took it (restored when it lets go): the
   default (terminate) for the command line, "ignore" for the Jupyter kernel, which must
   survive an interrupt that arrives between two cells. */
static struct sigaction alab_previous_sigint;

void alab_catchinterrupts(lua_State *L, void (*also)(void)) {
    alab_interrupted_state = L;
    alab_interrupt_also = also;
    if (L == NULL) {
        sigaction(SIGINT, &alab_previous_sigint, NULL);
        return;
    }
    struct sigaction action, previous;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = alab_onsigint;
    sigaction(SIGINT, &action, &previous);
    if (previous.sa_handler != alab_onsigint) alab_previous_sigint = previous;
    // A parent may have started us with SIGINT blocked (threads of a test runner
    // often block signals, and exec keeps the mask): Ctrl-C must still reach us.
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

/* __index of a table keyed by integers (horizons): a key given as decimal text ("20")
   reads the integer key (20), so code written when these tables had string keys keeps
   working for a release. */
static int alab_integerkey_index(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    size_t length = 0;
    const char *text = lua_tolstring(L, 2, &length);
    if (lua_stringtonumber(L, text) != length + 1 || !lua_isinteger(L, -1)) return 0;
    lua_rawget(L, 1);
    return 1;
}

/* __tostring of the tables the engine returns: their text as the REPL's pretty printer
   lays it out (require("pretty").format), so print(r:trials()) shows the table rather than
   its address; the address when the pretty printer cannot be loaded. */
static int alab_enginetable_tostring(lua_State *L) {
    lua_settop(L, 1);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "pretty");
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, -1, "format") == LUA_TFUNCTION) {
        lua_pushvalue(L, 1);
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) return 1;
    }
    lua_pushfstring(L, "table: %p", lua_topointer(L, 1));
    return 1;
}

/* __index of the tables the engine returns: a key renamed in a release (registered by
   alab_renamekey) reads the new key, after the registry's "alphalab.deprecated_key"
   function (the host's: it says so once per process, as for a renamed function) is told
   the old and the new name; any other missing key is nil. */
static int alab_enginetable_index(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "alphalab.renamed_keys") != LUA_TTABLE) return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TSTRING) return 0;
    int renamed = lua_gettop(L);
    lua_pushvalue(L, renamed);
    if (lua_rawget(L, 1) == LUA_TNIL) return 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "alphalab.deprecated_key") == LUA_TFUNCTION) {
        lua_pushvalue(L, 2);
        lua_pushvalue(L, renamed);
        lua_call(L, 2, 0);
    } else {
        lua_pop(L, 1);
    }
    return 1;
}

void alab_renamekey(lua_State *L, const char *old, const char *renamed) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, "alphalab.renamed_keys") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "alphalab.renamed_keys");
    }
    lua_pushstring(L, renamed);
    lua_setfield(L, -2, old);
    lua_pop(L, 1);
}

/* The shared metatable `name` (created on first use with `index`, when given, as __index),
   given to the table at `index`. Not luaL_newmetatable: its __name would make tostring()
   show these plain tables as objects. __engine_table tells the pretty printer that the
   __tostring is its own. */
static void alab_setsharedmetatable(lua_State *L, int index, const char *name, lua_CFunction indexer) {
    index = lua_absindex(L, index);
    if (lua_getfield(L, LUA_REGISTRYINDEX, name) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 3);
        if (indexer != NULL) {
            lua_pushcfunction(L, indexer);
            lua_setfield(L, -2, "__index");
        }
        lua_pushcfunction(L, alab_enginetable_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "__engine_table");
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, name);
    }
    lua_setmetatable(L, index);
}

void alab_setintegerkeys(lua_State *L, int index) {
    alab_setsharedmetatable(L, index, "alphalab.integer_keys", alab_integerkey_index);
}

void alab_setenginetable(lua_State *L, int index) {
    alab_setsharedmetatable(L, index, "alphalab.engine_table", alab_enginetable_index);
}
