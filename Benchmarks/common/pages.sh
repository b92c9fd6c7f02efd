# Shared by the page benchmarks (indicators, insight): sourced by their run.sh after it sets
# HERE, DATABASE, RUNS, PORT and LOG. Migrates the database, makes a coordinator account
# bench-coordinator@generated.invalid if there is none, takes an API token for it, serves on
# PORT and runs $HERE/measure.py; with RESTART=1 it restarts the server and measures again.
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${CAIRN_BIN:-$REPO/.build/release/cairn}"
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
  CAIRN_LOG_LEVEL=error "$BIN" serve --database "$DATABASE" --port "$PORT" > "$LOG" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "the server did not start" >&2; cat "$LOG" >&2; exit 1
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
