#!/usr/bin/env bash
# The insight dashboard over a large data set: /insight with the default filter and with an
# area + type filter, each figure's CSV and the API, at p50 and p95 (goal: 200 ms at p95 on 2
# cores), and how soon a report received now shows in the figures (goal: 5 s).
#
# usage: Benchmarks/insight/run.sh DATABASE [RUNS]
#   DATABASE  a database filled by `cairn demo generate` (sqlite:///path or postgres://…), e.g.
#             DATABASE=sqlite:///tmp/big.sqlite after
#             `cairn demo generate --database sqlite:///tmp/big.sqlite --reports 1000000 --cases 20000 --years 3`
#   RUNS      warm requests per page (default 20)
# env: CAIRN_BIN  a release-built `cairn` (default .build/release/cairn)
#      PORT       (default 8098)
#      RESTART=1  also measure again after restarting the server (a cold process and cache)
#
# Migrates the database, makes a coordinator account bench-coordinator@generated.invalid if
# there is none, takes an API token for it, serves on PORT and runs measure.py.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DATABASE="${1:?usage: run.sh DATABASE [RUNS]}"
RUNS="${2:-20}"
BIN="${CAIRN_BIN:-$REPO/.build/release/cairn}"
PORT="${PORT:-8098}"
EMAIL=bench-coordinator@generated.invalid
PASSWORD=bench-coordinator-password-1
[ -x "$BIN" ] || { echo "no cairn binary at $BIN (swift build -c release --product cairn)" >&2; exit 1; }

"$BIN" migrate --database "$DATABASE" >/dev/null
if ! "$BIN" user list --search "$EMAIL" --database "$DATABASE" | grep -q "$EMAIL"; then
  CAIRN_NEW_PASSWORD="$PASSWORD" "$BIN" user create --email "$EMAIL" --name "Benchmark coordinator" \
    --agency "Westmere Modern Slavery Partnership Office" --roles coordinator --database "$DATABASE" >/dev/null
fi
TOKEN="$("$BIN" token create --user "$EMAIL" --name benchmark --database "$DATABASE")"

serve() {
  CAIRN_LOG_LEVEL=error "$BIN" serve --database "$DATABASE" --port "$PORT" > "${TMPDIR:-/tmp}/cairn-insight-bench.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "the server did not start" >&2; cat "${TMPDIR:-/tmp}/cairn-insight-bench.log" >&2; exit 1
}
trap 'kill $SERVER 2>/dev/null || true' EXIT
serve
python3 "$HERE/measure.py" "http://127.0.0.1:$PORT" "$TOKEN" "$EMAIL" "$PASSWORD" "$RUNS"
if [ "${RESTART:-0}" = 1 ]; then
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  echo "--- after a restart"
  serve
  python3 "$HERE/measure.py" "http://127.0.0.1:$PORT" "$TOKEN" "$EMAIL" "$PASSWORD" "$RUNS"
fi
