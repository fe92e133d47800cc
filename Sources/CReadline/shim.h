// GNU readline for the pantau executable. readline.h uses FILE without
// including <stdio.h>, so that comes first.
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
static inline void pantau_set_catch_signals(int on) { rl_catch_signals = on; }
static inline const char *pantau_line_buffer(void) { return rl_line_buffer; }
static inline int pantau_point(void) { return rl_point; }
static inline void pantau_set_readline_name(const char *name) {
  rl_readline_name = name;
}
static inline char **pantau_completion_matches(const char *text, pantau_generator g) {
  return rl_completion_matches(text, g);
}
