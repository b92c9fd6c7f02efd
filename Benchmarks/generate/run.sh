#!/usr/bin/env bash
# How long `cairn demo generate` takes to write the large fictional data set, how much memory it
# needs and how big the database is.
#
# usage: Benchmarks/generate/run.sh [REPORTS [CASES [MONTHS]]]    (default 1000000 20000 36)
# env:   CAIRN_BIN   a built `cairn` binary; without it, a release build of the working tree
#        SCRATCH     build folder for that build (default /work/.build-release)
#        DATABASE    where to write: a postgres:// URL (the database must exist and hold no
#                    reports), or sqlite://PATH (default: a new SQLite file in WORK)
#        SEED        (default 1); AS_OF (YYYY-MM-DD, default: today)
#        LINK=1      also re-link every report at the end (--link)
#        WORK        (default: a new /tmp/cairn-generate-bench.XXXXXX); the SQLite file stays there
#
# Prints the command's own output (progress every 5%, rows per table, seconds) and then the
# wall time, CPU time, peak memory (GNU time's maximum resident set size) and, for SQLite, the size of
# the database file after a checkpoint.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
REPORTS="${1:-1000000}"
CASES="${2:-20000}"
MONTHS="${3:-36}"
SEED="${SEED:-1}"
SCRATCH="${SCRATCH:-/work/.build-release}"
WORK="${WORK:-$(mktemp -d /tmp/cairn-generate-bench.XXXXXX)}"
mkdir -p "$WORK"
DATABASE="${DATABASE:-sqlite://$WORK/generated.sqlite}"

if [ -z "${CAIRN_BIN:-}" ]; then
  echo "building cairn (release, scratch path $SCRATCH)..." >&2
  (cd "$REPO" && swift build -c release --product cairn --scratch-path "$SCRATCH" >&2)
  CAIRN_BIN="$SCRATCH/release/cairn"
  sync
fi
[ -x "$CAIRN_BIN" ] || { echo "no cairn binary at $CAIRN_BIN" >&2; exit 1; }

args=(demo generate --database "$DATABASE" --reports "$REPORTS" --cases "$CASES" --months "$MONTHS" --seed "$SEED")
[ -n "${AS_OF:-}" ] && args+=(--as-of "$AS_OF")
[ "${LINK:-0}" = 1 ] && args+=(--link)
echo "$ $(basename "$CAIRN_BIN") ${args[*]}" >&2
/usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak memory %M KB" -o "$WORK/time.txt" "$CAIRN_BIN" "${args[@]}"
cat "$WORK/time.txt"
case "$DATABASE" in
  sqlite://*)
    file="${DATABASE#sqlite://}"
    command -v sqlite3 >/dev/null && sqlite3 "$file" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    echo "database file: $(du -m "$file" | cut -f1) MB ($file)"
    ;;
  postgres://*)
    command -v psql >/dev/null && echo "database size: $(psql "$DATABASE" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
    ;;
esac
