// Lua's API as plain C functions for Swift: its macros, and the trampolines that
// keep Lua's longjmp away from Swift frames.
#ifndef ALPHALAB_CLUASHIM_H
#define ALPHALAB_CLUASHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// A Swift function called from Lua. It returns the number of results it pushed, or -1
/// after pushing an error value: the trampoline then raises it with lua_error, once the
/// Swift frame has returned.
typedef int (*alab_callback)(lua_State *L, void *context);

/// Pushes a Lua function that calls `callback(L, context)` through the trampoline.
void alab_pushfunction(lua_State *L, alab_callback callback, void *context);

/// A new state with the standard allocator wrapped in one that counts Lua's memory
/// and can cap it (see alab_setlimits). Close it with alab_close.
lua_State *alab_newstate(void);
void alab_close(lua_State *L);

/// Caps the memory Lua code may hold (bytes, 0 for none) and the CPU time it may run
/// (seconds, 0 for none; time inside host functions does not count). Over the memory
/// cap an allocation fails and Lua raises its memory error; over the CPU limit the hook
/// raises an error.
void alab_setlimits(lua_State *L, size_t memory_bytes, double cpu_seconds);
/// Starts a new count of CPU time and forgets a refused allocation.
void alab_resetlimits(lua_State *L);
/// Whether an allocation was refused since alab_resetlimits.
int alab_memoryhit(lua_State *L);

/// The registry pseudo-index.
int alab_registryindex(void);
/// The pseudo-index of upvalue `i` of the running C function.
int alab_upvalueindex(int i);

void alab_pop(lua_State *L, int n);
void alab_newtable(lua_State *L);
const char *alab_tostring(lua_State *L, int index, size_t *length);
int alab_pcall(lua_State *L, int nargs, int nresults, int msgh);
void *alab_newuserdata(lua_State *L, size_t size);
int alab_isinteger(lua_State *L, int index);
/* Gives the table at `index` the shared metatable of integer-keyed tables: a decimal
   string key reads the integer key. */
void alab_setintegerkeys(lua_State *L, int index);
/* Gives the table at `index` the shared metatable of the tables the engine returns: they
   print as the pretty printer lays them out. */
void alab_setenginetable(lua_State *L, int index);
/* Registers a renamed key of the engine's tables: reading `old` from one reads `renamed`,
   after calling the registry's "alphalab.deprecated_key" function with both names. */
void alab_renamekey(lua_State *L, const char *old, const char *renamed);

/// Pushes the message handler used for protected calls: it turns an error into its
/// message plus a traceback (as lua.c does), leaving non-string errors with a
/// __tostring alone.
void alab_pushtraceback(lua_State *L);

/// Makes running Lua code raise "interrupted!" at its next instruction (safe to call
/// from a signal handler, as lua.c does), through the same hook as the CPU limit.
/// `alab_clearinterrupt` takes a pending interrupt back.
void alab_interrupt(lua_State *L);
void alab_clearinterrupt(lua_State *L);

/// Installs (or, with NULL, removes) a SIGINT handler that interrupts `L` and then
/// calls `also` (for example to cancel engine work); removing it gives SIGINT back
/// what it did before (terminate, or be ignored).
void alab_catchinterrupts(lua_State *L, void (*also)(void));

#endif
