#ifndef CNCURSESW_H
#define CNCURSESW_H
/* The wide-char API (cchar_t, wget_wch, setcchar) is declared only when
   NCURSES_WIDECHAR is set before ncurses.h; SwiftPM drops pkg-config -D flags. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncurses.h>

/* A_* expand through NCURSES_BITS(), a function-like macro Swift cannot import. */
static const attr_t TUI_A_BOLD      = A_BOLD;
static const attr_t TUI_A_DIM       = A_DIM;
static const attr_t TUI_A_REVERSE   = A_REVERSE;
static const attr_t TUI_A_UNDERLINE = A_UNDERLINE;

/* Key codes we bind to the bracketed-paste markers ESC[200~ and ESC[201~ with define_key. */
static const int TUI_KEY_PASTE_BEGIN = KEY_MAX + 1;
static const int TUI_KEY_PASTE_END   = KEY_MAX + 2;

/* C globals read through functions: Swift 6 rejects direct references to them. */
static inline SCREEN *tui_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline WINDOW *tui_stdscr(void) { return stdscr; }
static inline int tui_color_pairs(void) { return COLOR_PAIRS; }

/* ---------------------------------------------------------------------------------------------
   Terminal restore for signals, crashes and exit().

   Signal handlers may only do async-signal-safe work, so everything they need is prepared up
   front in plain C storage: the termios saved before curses started and the bytes that undo our
   terminal modes (bracketed paste off, attributes off, keypad off, cursor on, leave the
   alternate screen). A handler writes those bytes, restores termios, and then lets the original
   disposition run: the Swift runtime's backtracer for crashes, the default action otherwise.

   The storage is `weak` with an initialiser so that every Swift object file that emits these
   inline helpers links to one shared copy (a plain `static` would give each file its own).
   --------------------------------------------------------------------------------------------- */
#define TUI_RESET_CAPACITY 512
#define TUI_SIGNAL_SLOTS 65

__attribute__((weak)) struct termios tui_saved_termios = {0};
__attribute__((weak)) int tui_saved_termios_valid = 0;
__attribute__((weak)) char tui_reset_bytes[TUI_RESET_CAPACITY] = {0};
__attribute__((weak)) size_t tui_reset_length = 0;
__attribute__((weak)) volatile sig_atomic_t tui_restore_armed = 0;
__attribute__((weak)) int tui_handlers_installed = 0;
__attribute__((weak)) int tui_atexit_registered = 0;
__attribute__((weak)) struct sigaction tui_previous_actions[TUI_SIGNAL_SLOTS] = {{{0}}};

/* Saves the terminal settings of `fd` (before curses changes them). Returns 0 or -1. */
static inline int tui_save_termios(int fd) {
    if (tcgetattr(fd, &tui_saved_termios) != 0) return -1;
    tui_saved_termios_valid = 1;
    return 0;
}

/* Restores the termios saved by tui_save_termios (async-signal-safe). */
static inline int tui_restore_termios(int fd) {
    if (!tui_saved_termios_valid) return -1;
    int result;
    do { result = tcsetattr(fd, TCSAFLUSH, &tui_saved_termios); } while (result != 0 && errno == EINTR);
    return result;
}

/* Sets the bytes written on an emergency restore (truncated to the buffer). */
static inline void tui_set_reset_bytes(const char *bytes, size_t length) {
    if (length > TUI_RESET_CAPACITY) length = TUI_RESET_CAPACITY;
    memcpy(tui_reset_bytes, bytes, length);
    tui_reset_length = length;
}

/* Arms or disarms the emergency restore: armed only while curses owns the terminal. */
static inline void tui_set_restore_armed(int armed) { tui_restore_armed = armed; }

/* Undoes our terminal modes without curses; async-signal-safe and runs at most once per arming. */
static inline void tui_emergency_restore(void) {
    if (!tui_restore_armed) return;
    tui_restore_armed = 0;
    int saved_errno = errno;
    size_t written = 0;
    while (written < tui_reset_length) {
        ssize_t n = write(STDOUT_FILENO, tui_reset_bytes + written, tui_reset_length - written);
        if (n > 0) { written += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        break; /* terminal gone (SIGHUP): nothing more to do */
    }
    tui_restore_termios(STDIN_FILENO);
    errno = saved_errno;
}

/* Crash: restore, put the previous handler (the Swift backtracer) back, and re-raise. The
   signal stays blocked until this handler returns, then the previous action handles it. */
static void tui_crash_signal_handler(int sig) {
    tui_emergency_restore();
    if (sig > 0 && sig < TUI_SIGNAL_SLOTS) sigaction(sig, &tui_previous_actions[sig], NULL);
    raise(sig);
}

/* Termination (SIGINT/SIGTERM/SIGHUP/SIGQUIT): restore, then die by the default action so the
   parent sees the usual "killed by signal" status (130 for SIGINT in a shell). */
static void tui_termination_signal_handler(int sig) {
    tui_emergency_restore();
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(sig, &default_action, NULL);
    raise(sig);
}

static void tui_atexit_restore(void) { tui_emergency_restore(); }

/* Set when the process was stopped (SIGTSTP) while the restore was armed and has been continued:
   the terminal was given back to the shell meanwhile, so the UI must re-enter its screen and
   repaint (read and cleared by tui_take_continued). */
__attribute__((weak)) volatile sig_atomic_t tui_continued = 0;

/* SIGTSTP (`kill -TSTP`, a job-control shell's `kill -STOP`-less suspend, an editor stopping its
   process group): Ctrl-Z itself is a key in raw mode (undo), but a stop from elsewhere would leave
   the shell in raw mode without echo on our alternate screen, and after `fg` the shell's cooked,
   echoing, signal-generating modes would stay in force under a UI that never repaints. So: restore
   the terminal as on exit, stop for real, and on SIGCONT put our terminal modes back at once
   (async-signal-safe tcsetattr; a background `bg` gets SIGTTOU as usual) and flag the repaint. */
static void tui_stop_signal_handler(int sig) {
    int saved_errno = errno;
    int was_armed = tui_restore_armed;
    struct termios program;
    int have_program = tcgetattr(STDIN_FILENO, &program) == 0;
    tui_emergency_restore();
    struct sigaction default_action, ours;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(sig, &default_action, &ours);
    sigset_t stop_only;
    sigemptyset(&stop_only);
    sigaddset(&stop_only, sig);
    pthread_sigmask(SIG_UNBLOCK, &stop_only, NULL);
    raise(sig); /* stops the process here until SIGCONT (discarded in an orphaned process group) */
    pthread_sigmask(SIG_BLOCK, &stop_only, NULL); /* blocked again until this handler returns */
    sigaction(sig, &ours, NULL);
    if (was_armed) {
        if (have_program) {
            int result;
            do { result = tcsetattr(STDIN_FILENO, TCSANOW, &program); } while (result != 0 && errno == EINTR);
        }
        tui_restore_armed = 1;
        tui_continued = 1;
    }
    errno = saved_errno;
}

/* Whether the process was continued after a stop since the last call (and clears it). */
static inline int tui_take_continued(void) {
    int continued = tui_continued;
    tui_continued = 0;
    return continued;
}

/* Signal lists as macros: a `static const` array would not be emitted for Swift callers. */
#define TUI_CRASH_SIGNALS { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE }
#define TUI_TERMINATION_SIGNALS { SIGINT, SIGTERM, SIGHUP, SIGQUIT }
#define TUI_SIGNAL_COUNT(list) (sizeof(list) / sizeof((list)[0]))

/* Installs the restore handlers (remembering the previous ones) and an atexit hook.
   Call after curses has installed its own handlers, so ours run first. Returns 0 or -1. */
static inline int tui_install_restore_handlers(void) {
    if (!tui_atexit_registered) {
        if (atexit(tui_atexit_restore) == 0) tui_atexit_registered = 1;
    }
    if (tui_handlers_installed) return 0;
    const int crash[] = TUI_CRASH_SIGNALS;
    const int termination[] = TUI_TERMINATION_SIGNALS;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    /* SA_ONSTACK: a stack-overflow SIGSEGV can only be handled on the alternate stack. */
    action.sa_flags = SA_ONSTACK;
    int result = 0;
    action.sa_handler = tui_crash_signal_handler;
    for (size_t i = 0; i < TUI_SIGNAL_COUNT(crash); i++) {
        if (sigaction(crash[i], &action, &tui_previous_actions[crash[i]]) != 0) result = -1;
    }
    action.sa_handler = tui_termination_signal_handler;
    for (size_t i = 0; i < TUI_SIGNAL_COUNT(termination); i++) {
        if (sigaction(termination[i], &action, &tui_previous_actions[termination[i]]) != 0) result = -1;
    }
    /* SA_RESTART: a stop and continue must not fail the other threads' reads and writes. */
    action.sa_handler = tui_stop_signal_handler;
    action.sa_flags = SA_ONSTACK | SA_RESTART;
    if (sigaction(SIGTSTP, &action, &tui_previous_actions[SIGTSTP]) != 0) {
        result = -1;
    } else if (tui_previous_actions[SIGTSTP].sa_handler == SIG_IGN) {
        /* Started with stops ignored (nohup-like): keep it that way. */
        sigaction(SIGTSTP, &tui_previous_actions[SIGTSTP], NULL);
    }
    tui_handlers_installed = 1;
    return result;
}

/* Puts back the handlers that were there before tui_install_restore_handlers. */
static inline void tui_uninstall_restore_handlers(void) {
    if (!tui_handlers_installed) return;
    const int crash[] = TUI_CRASH_SIGNALS;
    const int termination[] = TUI_TERMINATION_SIGNALS;
    for (size_t i = 0; i < TUI_SIGNAL_COUNT(crash); i++) {
        sigaction(crash[i], &tui_previous_actions[crash[i]], NULL);
    }
    for (size_t i = 0; i < TUI_SIGNAL_COUNT(termination); i++) {
        sigaction(termination[i], &tui_previous_actions[termination[i]], NULL);
    }
    sigaction(SIGTSTP, &tui_previous_actions[SIGTSTP], NULL);
    tui_handlers_installed = 0;
}
#endif
