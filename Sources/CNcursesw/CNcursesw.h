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
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>

/* A_* expand through NCURSES_BITS(), a function-like macro Swift cannot import. */
static const attr_t TUI_A_BOLD      = A_BOLD;
static const attr_t TUI_A_DIM       = A_DIM;
static const attr_t TUI_A_REVERSE   = A_REVERSE;
static const attr_t TUI_A_UNDERLINE = A_UNDERLINE;
#endif
