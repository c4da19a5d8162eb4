#!/usr/bin/env bash
# Drive stitch-wizard in a private tmux server and save screenshots/NAME.png (+ NAME.ans).
#
#   scripts/screenshot.sh NAME STEP...
#
# Each STEP is one of:
#   wait:TEXT     poll the pane until TEXT is on screen (fails after $SCREENSHOT_TIMEOUT s, default 20)
#   text:TEXT     type TEXT literally (tmux send-keys -l)
#   sleep:SECS    pause
#   start:ARGS    end the wizard and start it again with ARGS added (--source 100001, --accessible),
#                 against the same throwaway sandbox data, so what an earlier run made is still there
#   anything else is a tmux key name: Enter, y, Tab, Up, BSpace, Escape, C-s, C-d ...
# SCREENSHOT_SIZE=COLUMNSxROWS sets the terminal's size (default 80x24).
# Example:
#   scripts/screenshot.sh editor 'wait:Create the Import API source' Enter \
#       'wait:cannot be displayed again' y 'wait:batch JSON' C-s 'wait:201 Created'
#
# Secrets: the wizard always runs with --sandbox against a fresh, throwaway data directory, and tmux
# is started with an emptied environment (env -i), so neither STITCH_CONNECT_TOKEN nor any other
# variable of the caller reaches the wizard. The sandbox mints its own tokens on every run; a capture
# of the token screen therefore shows only a throwaway token that stops existing with the temp dir.
# Do not point this script at a real Stitch account.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
name=$1; shift
[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { echo "screenshot.sh: NAME must be a plain file name, not '$name'" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
binary=${STITCH_WIZARD:-$root/.build/debug/stitch-wizard}  # override e.g. for a release build
venv=$root/.venv-screenshots
out_dir=$root/screenshots
columns=80 rows=24
# SCREENSHOT_SIZE=120x32: a larger terminal (the record editor's panels side by side).
if [[ -n ${SCREENSHOT_SIZE:-} ]]; then
    [[ $SCREENSHOT_SIZE =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "screenshot.sh: SCREENSHOT_SIZE must be COLUMNSxROWS" >&2; exit 2; }
    columns=${BASH_REMATCH[1]} rows=${BASH_REMATCH[2]}
fi
timeout=${SCREENSHOT_TIMEOUT:-20}

if [[ ! -x $binary ]]; then
    echo "screenshot.sh: $binary not found; run 'swift build' first (or set STITCH_WIZARD)." >&2
    exit 1
fi
command -v tmux >/dev/null || { echo "screenshot.sh: tmux is required (apt-get install tmux)." >&2; exit 1; }
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import pyte, PIL' 2>/dev/null; then
    echo "screenshot.sh: creating $venv (pyte, pillow)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyte pillow
fi
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]] ||
    { echo "screenshot.sh: DejaVu Sans Mono missing (apt-get install fonts-dejavu-core)." >&2; exit 1; }

data=$(mktemp -d "${TMPDIR:-/tmp}/stitch-shot.XXXXXX")
# A private server (like -L NAME) whose socket lives in the temp dir, so cleanup removes it too.
socket=$data/tmux.sock
cleanup() {
    tmux -S "$socket" kill-server 2>/dev/null || true
    rm -rf -- "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tmx() { tmux -S "$socket" "$@"; }
screen_text() { tmx capture-pane -p -t shot; }

# The pane's command: the wizard against the throwaway sandbox, with extra arguments ($1, checked
# to be plain words: no quoting, no secrets).
wizard_command() {
    [[ $1 =~ ^[A-Za-z0-9\ ._/=-]*$ ]] || { echo "screenshot.sh: start: takes plain arguments, not '$1'" >&2; exit 2; }
    echo "exec env TERM=tmux-256color LANG=C.UTF-8 $(printf %q "$binary") --sandbox --data $(printf %q "$data/sandbox") $1"
}

# -f /dev/null: the caller's ~/.tmux.conf must not change the look. remain-on-exit keeps the last
# frame (and any error message) if the wizard quits or crashes.
command=$(wizard_command "")
env -i HOME="$data" PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=tmux-256color \
    tmux -S "$socket" -f /dev/null new-session -d -s shot -x "$columns" -y "$rows" "$command" \; \
    set-option -w -t shot remain-on-exit on

extra=""  # the arguments of the last start: step, shown in the title bar
for step in "$@"; do
    case $step in
    wait:*)
        needle=${step#wait:}
        deadline=$((SECONDS + timeout))
        until screen_text | grep -qF -- "$needle"; do
            if ((SECONDS >= deadline)); then
                echo "screenshot.sh: '$needle' did not appear within ${timeout}s; the screen was:" >&2
                screen_text >&2
                exit 1
            fi
            sleep 0.1
        done ;;
    text:*) tmx send-keys -t shot -l -- "${step#text:}" ;;
    sleep:*) sleep "${step#sleep:}" ;;
    start:*)
        # respawn-pane -k ends the running wizard (SIGHUP) and clears the pane.
        extra=${step#start:}
        command=$(wizard_command "$extra")  # an assignment, so a refusal stops the script (set -e)
        tmx respawn-pane -k -t shot "$command"
        tmx clear-history -t shot ;;
    *) tmx send-keys -t shot -- "$step" ;;
    esac
done
sleep 0.3  # let the frame after the last step settle (keys are handled asynchronously)

mkdir -p "$out_dir"
# -N keeps trailing spaces, so bars drawn with coloured blanks reach the right edge.
tmx capture-pane -p -e -N -t shot >"$out_dir/$name.ans"
# Secrets never reach a screenshot, not even the throwaway sandbox's: a token (at_…, ac_…) keeps its
# prefix and length, so the layout is what the run drew, and its characters become FAKE000….
perl -pi -e 's/((?:at|ac)_)([A-Za-z0-9]{20,})/$1 . substr("FAKE" . ("0" x length($2)), 0, length($2))/ge' "$out_dir/$name.ans"
cursor=()
if [[ $(tmx display-message -p -t shot '#{cursor_flag}') == 1 ]]; then
    cursor=(--cursor "$(tmx display-message -p -t shot '#{cursor_x},#{cursor_y}')")
fi
"$venv/bin/python" "$root/scripts/ansi_to_png.py" "$out_dir/$name.ans" -o "$out_dir/$name.png" \
    --columns "$columns" --rows "$rows" --title "stitch-wizard --sandbox${extra:+ $extra}" "${cursor[@]}"
echo "wrote $out_dir/$name.png"
