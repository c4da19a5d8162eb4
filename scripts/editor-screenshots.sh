#!/usr/bin/env bash
# The record editor's screenshots (issue 8), each from a real run of stitch-wizard --sandbox through
# scripts/screenshot.sh at 120x32: the tutorial's source and token, then the editor's views.
#
#   bash scripts/editor-screenshots.sh          # all of them, into screenshots/editor-*.png (+ .ans)
#   STITCH_WIZARD=.build-release/release/stitch-wizard bash scripts/editor-screenshots.sh
#
# Views still to add here once the editor shows them (the panels exist; EditorScreen does not reach
# them yet): schema panel, history list and request/reply detail with copy as curl, send progress,
# destination table picker / page / cell detail.
set -euo pipefail
cd "$(dirname "$0")/.."
export SCREENSHOT_SIZE=${SCREENSHOT_SIZE:-120x32}
shot() { bash scripts/screenshot.sh "$@"; }
to_editor=('wait:New import_api source' Enter 'wait:Create the Import API source' Enter
           'wait:cannot be displayed again' y 'wait:ctrl-s')
# A second row typed into the grid: id, name, age, has_magic.
second_row=(a Enter 'text:2' Enter Right Enter 'text:Jake' Enter Right Enter 'text:28' Enter Right Enter 'text:true' Enter)

# The grid: typed columns (key marked), a row added and typed cell by cell; then text its column
# refuses typed into a cell (the reason under the grid, the text kept in the cell).
shot editor-grid "${to_editor[@]}" "${second_row[@]}" Left Enter 'text:0 years' Enter 'wait:is not integer'
# The problem list: an added row without its key; Ctrl-S refuses and lists it (enter goes to the cell).
shot editor-problems "${to_editor[@]}" a C-s 'wait:Not sent'
# The raw JSON view of the same batch (Ctrl-R).
shot editor-raw "${to_editor[@]}" "${second_row[@]}" C-r 'wait:ctrl-r'
# Sent: the reply (201, Batch Status body, latency) under the grid.
shot editor "${to_editor[@]}" "${second_row[@]}" C-s 'wait:201 Created' 'sleep:1'
