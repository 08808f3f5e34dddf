#!/bin/sh
# check-includes.sh — the layers of src/ (docs/architecture.md, "Layers"),
# checked on every `make test`. A room is a folder under src/; rooms sit on
# levels, lowest first. It fails (exit 1, one `file:line: why` per offence)
# when a file includes
#   - a header of a room on a higher level than its own, or
#   - another room's *_internal.h (whatever the levels: internal headers are
#     for the files of their own room only).
# Rooms on one level may include each other's public headers.
#
# The domain level is marked `*`: a room not named below (a new module)
# sits there, so adding a module needs no edit here; a new room that must
# sit lower or higher is added to its level.
#   usage: sh scripts/check-includes.sh [src-dir]
set -eu
cd "$(dirname "$0")/.."
src=${1:-src}

# Known offences being removed right now, "file:header" each (file under
# src/). Delete each line with its offence: a listed include that no
# longer exists is reported as stale.
ALLOW='
'

LEVELS='
core
db
http
rate
audit
handler
search
* auth sms legal dict auditlog member enterprise profile directory invite upload privacy dashboard health jobs
demo
app
cli
'

# shellcheck disable=SC2046 # file names under src/ have no spaces
awk -v levels="$LEVELS" -v allow="$ALLOW" -v src="$src" '
BEGIN {
    n = split(levels, lines, "\n")
    lv = 0
    for (i = 1; i <= n; i++) {
        if (lines[i] ~ /^[ \t]*$/) continue
        lv++
        m = split(lines[i], words, /[ \t]+/)
        for (j = 1; j <= m; j++) {
            if (words[j] == "") continue
            if (words[j] == "*") domain = lv
            else level[words[j]] = lv
        }
    }
    n = split(allow, al, "\n")
    for (i = 1; i <= n; i++) if (al[i] != "") allowed[al[i]] = 1
    bad = 0
}
function room_level(r) { return (r in level) ? level[r] : domain }
FNR == 1 {
    rel = substr(FILENAME, length(src) + 2)
    room = rel
    sub(/\/.*/, "", room)
    if (room == rel) room = ""     # a file directly in src/
}
/^[ \t]*#[ \t]*include[ \t]*"[^"\/]+\/[^"]+"/ {
    if (room == "") next
    inc = $0
    sub(/^[^"]*"/, "", inc)
    sub(/".*/, "", inc)
    to = inc
    sub(/\/.*/, "", to)
    if (to == room) next
    if ((rel ":" inc) in allowed) { seen[rel ":" inc] = 1; next }
    if (inc ~ /_internal\.h$/) {
        printf "%s:%d: includes %s, the internal header of room %s (internal headers are for their own room)\n", FILENAME, FNR, inc, to
        bad++
    } else if (room_level(to) > room_level(room)) {
        printf "%s:%d: room %s (level %d) includes %s from the higher room %s (level %d)\n", FILENAME, FNR, room, room_level(room), inc, to, room_level(to)
        bad++
    }
}
END {
    for (a in allowed)
        if (!(a in seen)) printf "check-includes: note: allowed offence %s no longer occurs; delete it from ALLOW\n", a
    if (bad) {
        printf "check-includes: %d include(s) against the layers (scripts/check-includes.sh, docs/architecture.md)\n", bad
        exit 1
    }
}' $(find "$src" -name '*.[ch]' | LC_ALL=C sort)
echo "check-includes: ok"
