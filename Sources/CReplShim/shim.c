#include "CReplShim.h"
#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

static alab_completer alab_current_completer = NULL;
static char **alab_pending = NULL;
static int alab_next = 0;

static char *alab_generator(const char *text, int state) {
    if (state == 0) {
        free(alab_pending); // its strings were handed to readline, which frees them
        alab_pending = alab_current_completer != NULL ? alab_current_completer(text) : NULL;
        alab_next = 0;
    }
    if (alab_pending == NULL || alab_pending[alab_next] == NULL) return NULL;
    return alab_pending[alab_next++];
}

static char **alab_attempt(const char *text, int start, int end) {
    (void)start; (void)end;
    rl_attempted_completion_over = 1; // never fall back to file names
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

char *alab_readline(const char *prompt) { return readline(prompt); }

void alab_history_load(const char *path, int limit) {
    stifle_history(limit);
    read_history(path);
}

void alab_history_add(const char *line) { add_history(line); }
int alab_history_save(const char *path) { return write_history(path); }
