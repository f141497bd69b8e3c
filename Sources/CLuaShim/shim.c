#include "CLuaShim.h"
#include <signal.h>
#include <stddef.h>

static int alab_trampoline(lua_State *L) {
    alab_callback callback = (alab_callback)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    int results = callback(L, context);
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
int alab_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }
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

static void alab_stophook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

void alab_interrupt(lua_State *L) {
    lua_sethook(L, alab_stophook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void alab_clearinterrupt(lua_State *L) { lua_sethook(L, NULL, 0, 0); }

static lua_State *volatile alab_interrupted_state = NULL;
static void (*volatile alab_interrupt_also)(void) = NULL;

static void alab_onsigint(int signal_number) {
    (void)signal_number;
    if (alab_interrupted_state != NULL) alab_interrupt(alab_interrupted_state);
    if (alab_interrupt_also != NULL) alab_interrupt_also();
}

void alab_catchinterrupts(lua_State *L, void (*also)(void)) {
    alab_interrupted_state = L;
    alab_interrupt_also = also;
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = L != NULL ? alab_onsigint : SIG_DFL;
    sigaction(SIGINT, &action, NULL);
    if (L != NULL) {
        // A parent may have started us with SIGINT blocked (threads of a test runner
        // often block signals, and exec keeps the mask): Ctrl-C must still reach us.
        sigset_t interrupt;
        sigemptyset(&interrupt);
        sigaddset(&interrupt, SIGINT);
        sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
    }
}
