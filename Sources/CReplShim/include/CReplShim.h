// libedit's global settings, set and read here rather than from Swift (they are C
// globals, which Swift 6's concurrency checker rightly refuses to touch).
#ifndef ALPHALAB_CREPLSHIM_H
#define ALPHALAB_CREPLSHIM_H

/// Returns the completions of `word`, typed after `before` on the line, as a malloc'ed,
/// NULL-terminated array of malloc'ed strings (or NULL for none).
typedef char **(*alab_completer)(const char *word, const char *before);

/// Sets up line editing: the program name, Tab completion through `completer`, and
/// word breaks that keep `a.b:c` together so fields and methods complete.
void alab_editline_setup(const char *name, alab_completer completer);

/// Reads a line with `prompt`; NULL at end of input, or with `*cancelled` set when Ctrl-C
/// cancelled the line. The caller frees the line.
char *alab_readline(const char *prompt, int *cancelled);

/// History: load from and save to `path`, keeping at most `limit` entries.
void alab_history_load(const char *path, int limit);
void alab_history_add(const char *line);
int alab_history_save(const char *path);

#endif
