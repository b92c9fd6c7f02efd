#!/usr/bin/env bash
# The retention run over many due reports, on SQLite.
#
# usage: Benchmarks/retention/run.sh [DUE] [KEPT]        (default 100000 due, 100000 kept)
# env:   CAIRN_BIN   a built `cairn` (default .build/debug/cairn; a release build is faster)
#        WORK        folder for the database (default: a new /tmp/cairn-retention-bench.XXXXXX)
#        LINK        0 to skip `cairn link rebuild` (no links for the run to take apart)
#
# Makes a fresh database (`cairn migrate`), fills it with DUE reports closed with no further
# action 30 months ago and KEPT closed 6 months ago (make_data.py), links them all
# (`cairn link rebuild`: links, keys, clusters and networks for the run to take apart), then
# times `cairn retention run --dry-run`, `cairn retention run` and `cairn audit verify`, and
# checks that exactly the due reports were anonymised and the kept ones not touched.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DUE="${1:-100000}"
KEPT="${2:-100000}"
CAIRN_BIN="${CAIRN_BIN:-$REPO/.build/debug/cairn}"
WORK="${WORK:-$(mktemp -d /tmp/cairn-retention-bench.XXXXXX)}"
DB="$WORK/cairn.sqlite"
export CAIRN_DATABASE_URL="sqlite://$DB" CAIRN_LOG_LEVEL=warning
[ -x "$CAIRN_BIN" ] || { echo "no cairn binary at $CAIRN_BIN" >&2; exit 1; }

# Wall-clock seconds, and CPU seconds (user + system) of the command: on a shared machine the
# CPU time says more about the work than the wall clock does.
seconds() { /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/last.out"; awk '{ printf "%.1f s (%.1f s CPU)", $1, $2 + $3 }' "$WORK/time"; }

"$CAIRN_BIN" migrate >/dev/null
python3 "$HERE/make_data.py" "$DB" "$DUE" "$KEPT"
link="skipped"
if [ "${LINK:-1}" != 0 ]; then link=$(seconds "$CAIRN_BIN" link rebuild); fi
links=$(sqlite3 "$DB" "SELECT COUNT(*) FROM report_links")
dry=$(seconds "$CAIRN_BIN" retention run --dry-run)
cat "$WORK/last.out" >&2
run=$(seconds "$CAIRN_BIN" retention run)
cpu=$(awk '{ print $2 + $3 }' "$WORK/time")
cat "$WORK/last.out" >&2
verify=$(seconds "$CAIRN_BIN" audit verify)
anonymised=$(sqlite3 "$DB" "SELECT COUNT(*) FROM reports WHERE anonymised_at IS NOT NULL")
untouched=$(sqlite3 "$DB" "SELECT COUNT(*) FROM reports WHERE anonymised_at IS NULL AND description <> ''")
left=$(sqlite3 "$DB" "SELECT COUNT(*) FROM report_links")
[ "$anonymised" = "$DUE" ] || { echo "expected $DUE anonymised, found $anonymised" >&2; exit 1; }
[ "$untouched" = "$KEPT" ] || { echo "expected $KEPT untouched, found $untouched" >&2; exit 1; }
echo "| due | kept | links before → after | link rebuild | dry run | run | due reports per CPU second | audit verify |"
echo "|---|---|---|---|---|---|---|---|"
printf "| %s | %s | %s → %s | %s | %s | %s | %.0f | %s |\n" "$DUE" "$KEPT" "$links" "$left" "$link" "$dry" "$run" \
  "$(echo "$DUE / $cpu" | bc -l)" "$verify"
