#include "CReplShim.h"
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>

static alab_completer alab_current_completer = NULL;
static char **alab_pending = NULL;
static int alab_next = 0;

/* The line before the word being completed, for the completer's context. */
static char *alab_before = NULL;

static char *alab_generator(const char *text, int state) {
    if (state == 0) {
        free(alab_pending); // its strings were handed to readline, which frees them
        alab_pending = alab_current_completer != NULL ? alab_current_completer(text, alab_before != NULL ? alab_before : "") : NULL;
        alab_next = 0;
    }
    if (alab_pending == NULL || alab_pending[alab_next] == NULL) return NULL;
    return alab_pending[alab_next++];
}

static char **alab_attempt(const char *text, int start, int end) {
    (void)end;
    rl_attempted_completion_over = 1; // never fall back to file names
    free(alab_before);
    alab_before = rl_line_buffer != NULL && start > 0 ? strndup(rl_line_buffer, (size_t)start) : NULL;
    return rl_completion_matches(text, alab_generator);
}

void alab_editline_setup(const char *name, alab_completer completer) {
    rl_readline_name = name;
    alab_current_completer = completer;
    rl_attempted_completion_function = alab_attempt;
    rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{(,+-*/%^#~[]";
    rl_completion_append_character = '\0';
    using_history();
}

/* Ctrl-C at a prompt cancels the line, as in Python's and IPython's REPLs. libedit's own
   SIGINT handler puts the terminal back in its normal mode and passes the signal on to the
   handler it found, ours, which jumps back here; the next readline() starts a fresh line
   (libedit resets its line buffer and raw mode on entry). */
static sigjmp_buf alab_line_jump;
static volatile sig_atomic_t alab_line_armed = 0;

static void alab_line_interrupted(int signo) {
    (void)signo;
    if (alab_line_armed) {
        alab_line_armed = 0;
        siglongjmp(alab_line_jump, 1);
    }
}

char *alab_readline(const char *prompt, int *cancelled) {
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = alab_line_interrupted;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous);
    char *volatile line = NULL;
    *cancelled = 0;
    if (sigsetjmp(alab_line_jump, 1) == 0) {
        alab_line_armed = 1;
        line = readline(prompt);
        alab_line_armed = 0;
    } else {
        *cancelled = 1;
    }
    sigaction(SIGINT, &previous, NULL);
    return line;
}

void alab_history_load(const char *path, int limit) {
    stifle_history(limit);
    read_history(path);
}

void alab_history_add(const char *line) { add_history(line); }
int alab_history_save(const char *path) { return write_history(path); }
