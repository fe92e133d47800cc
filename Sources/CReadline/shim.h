// GNU readline for the pantau executable. readline.h uses FILE without including it, so
// <stdio.h> comes first. Swift 6 refuses readline's mutable C globals, so they are set
// through these static inline functions.
#include <stdio.h>
#include <signal.h>
#include <readline/readline.h>
#include <readline/history.h>

typedef char *(*pantau_generator)(const char *, int);
typedef char **(*pantau_completer)(const char *, int, int);

static inline void pantau_set_completer(pantau_completer f) {
  rl_attempted_completion_function = f;
}
static inline void pantau_set_word_breaks(const char *s) {
  rl_completer_word_break_characters = (char *)s;
}
static inline void pantau_set_no_default_completion(void) {
  rl_attempted_completion_over = 1;
}
static inline void pantau_set_append_character(int c) { rl_completion_append_character = c; }
static inline void pantau_set_catch_signals(int on) { rl_catch_signals = on; }
static inline const char *pantau_line_buffer(void) { return rl_line_buffer; }
static inline int pantau_point(void) { return rl_point; }
static inline void pantau_set_readline_name(const char *name) { rl_readline_name = name; }
static inline char **pantau_completion_matches(const char *text, pantau_generator g) {
  return rl_completion_matches(text, g);
}
typedef int (*pantau_getc)(FILE *);
static inline void pantau_set_getc(pantau_getc f) { rl_getc_function = f; }
// Empties the line being edited.
static inline void pantau_clear_line(void) {
  rl_replace_line("", 0);
  rl_point = 0;
  rl_end = 0;
}
// Prompt and editing go to stderr (when stdout is a pipe or file, so that nothing but
// results reaches it).
static inline void pantau_set_output_to_stderr(void) { rl_outstream = stderr; }
// No bracketed-paste escapes (when neither stdout nor stderr is a terminal).
static inline void pantau_disable_bracketed_paste(void) {
  rl_variable_bind("enable-bracketed-paste", "off");
}
