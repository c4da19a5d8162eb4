#!/usr/bin/env bash
# The record editor's screenshots (issue 8), each from a real run of stitch-wizard --sandbox through
# scripts/screenshot.sh at 120x32: the tutorial's source and token, then the editor's views.
#
#   bash scripts/editor-screenshots.sh          # all of them, into screenshots/editor-*.png (+ .ans)
#   STITCH_WIZARD=.build-release/release/stitch-wizard bash scripts/editor-screenshots.sh
#
# Then the schema panel, the history list, a request's detail (its curl command says
# $STITCH_IMPORT_TOKEN, never the token), the progress of a long send, and the destination view
# (table picker, a page with NULL, the text "NULL" and a long value, that value's detail).
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

# The schema panel (Tab from the grid), the cursor on age.
shot editor-schema "${to_editor[@]}" Tab 'wait:origin' Down Down
# The history list after two sends (Tab, Tab: grid → schema → history).
shot editor-history "${to_editor[@]}" C-s 'wait:201 Created' "${second_row[@]}" C-s 'wait:2 of 2 batches' \
    Tab 'wait:origin' Tab 'wait:time UTC' 'sleep:1'
# The first request's detail, then scrolled to its end: copy as curl with $STITCH_IMPORT_TOKEN.
shot editor-history-detail "${to_editor[@]}" C-s 'wait:201 Created' Tab 'wait:origin' Tab 'wait:time UTC' \
    Enter 'wait:Request' 'sleep:1'
shot editor-history-curl "${to_editor[@]}" C-s 'wait:201 Created' Tab 'wait:origin' Tab 'wait:time UTC' \
    Enter 'wait:Request' Down Down Down Down Down Down Down Down Down Down Down Down 'wait:curl -sS' Down Down Down Down 'wait:data-binary' 'sleep:1'
# A long send under way: 100,000 sample rows added with Ctrl-G (20,000 at a time), sent 20,000
# records to a request; the shot is taken as soon as the progress line shows.
sample=()
for total in 20,001 40,001 60,001 80,001 100,001; do
    sample+=(C-g 'wait:Sample rows to add' BSpace BSpace BSpace 'text:20000' Enter "wait:$total rows")
done
shot editor-send-progress "${to_editor[@]}" "${sample[@]}" 'sleep:6' C-s 'wait:records/s'
# The destination: a row whose name is long and whose age is NULL, and a row named "NULL"; sent,
# then Ctrl-D (the page), t (the table picker), and Enter on the long name (its detail).
long_name='Finn the Human, hero of Ooo, who lives in the tree fort with Jake the Dog and keeps a very long name here on purpose'
nulls=(a Enter 'text:2' Enter Right Enter "text:$long_name" Enter Right n Right Enter 'text:true' Enter
       Left Left Left a Enter 'text:3' Enter Right Enter 'text:NULL' Enter Right Enter 'text:40' Enter Right Enter 'text:false' Enter
       C-s 'wait:201 Created' 'sleep:2' C-d 'wait:_sdc_sequence')
shot editor-destination "${to_editor[@]}" "${nulls[@]}" Down 'sleep:1'
shot editor-destination-picker "${to_editor[@]}" "${nulls[@]}" t 'wait:_sdc_rejected' 'sleep:1'
shot editor-destination-cell "${to_editor[@]}" "${nulls[@]}" Down Right Enter 'wait:Finn the Human' 'sleep:1'
