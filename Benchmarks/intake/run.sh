#!/usr/bin/env bash
# Public-report intake on SQLite against the same server's /health route, with wrk.
#
# usage: Benchmarks/intake/run.sh [DURATION_SECONDS]           (default 10 per measurement)
# env:   CAIRN_BIN     a built `cairn` binary; skips the release build
#        REV           build this commit (e.g. HEAD) from a clean `git archive` export in
#                      /tmp/cairn-intake-src-SHA instead of the working tree, so uncommitted
#                      edits are left out (the export is kept, so a re-run rebuilds nothing)
#        SCRATCH       build folder for the release build (default /work/.build-release,
#                      outside the checkout so it does not disturb debug builds in .build)
#        CONCURRENCY   client counts (default "1 16 64")
#        WRK_THREADS   wrk threads when clients > 1 (default 2; 1 client always uses 1)
#        WARMUP        warm-up seconds per route before measuring (default 3)
#        SETTLE        pause after each wrk run (default 2 s): wrk stops with requests still
#                      queued in the server, which would otherwise delay the next measurement
#        PORT          (default 18931), WORK (default: a new /tmp/cairn-intake-bench.XXXXXX)
#
# Builds `cairn` in release mode, starts `cairn serve` on a fresh SQLite file (WAL,
# synchronous=FULL, as Cairn always opens it) with the public rate limit lifted, waits for
# /health, warms both routes up, then for each client count measures GET /health and then
# POST /api/v1/public/reports for DURATION seconds each, waiting after each intake run until
# the server has linked every stored report (from /metrics) so the next measurement starts quiet. wrk runs on the same machine as
# the server, so client and server share the cores. Prints a Markdown table, fails if any
# intake answer was not 201 (or any health answer not 2xx, or any socket error), then stops
# the server and counts the stored reports to show every acknowledged report landed.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DURATION="${1:-10}"
CONCURRENCY="${CONCURRENCY:-1 16 64}"
WRK_THREADS="${WRK_THREADS:-2}"
WARMUP="${WARMUP:-3}"
SETTLE="${SETTLE:-2}"
PORT="${PORT:-18931}"
SCRATCH="${SCRATCH:-/work/.build-release}"
WORK="${WORK:-$(mktemp -d /tmp/cairn-intake-bench.XXXXXX)}"
mkdir -p "$WORK"

command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install -y wrk)" >&2; exit 1; }

SRC="$REPO"
if [ -z "${CAIRN_BIN:-}" ] && [ -n "${REV:-}" ]; then
  sha="$(git -C "$REPO" rev-parse --verify "$REV^{commit}")"
  SRC="/tmp/cairn-intake-src-${sha:0:12}"
  if [ ! -f "$SRC/.exported" ]; then
    echo "exporting $REV ($sha) to $SRC..." >&2
    rm -rf "$SRC" && mkdir -p "$SRC"
    git -C "$REPO" archive "$sha" | tar -x -C "$SRC"
    touch "$SRC/.exported"
  fi
fi
export CAIRN_RESOURCES="${CAIRN_RESOURCES:-$SRC/Sources/Cairn/Resources}"
if [ -z "${CAIRN_BIN:-}" ]; then
  echo "building cairn from $SRC (release, scratch path $SCRATCH)..." >&2
  (cd "$SRC" && swift build -c release --product cairn --scratch-path "$SCRATCH" >&2)
  CAIRN_BIN="$SCRATCH/release/cairn"
  sync   # write the build's output back now, not during the measurement
fi
[ -x "$CAIRN_BIN" ] || { echo "no cairn binary at $CAIRN_BIN" >&2; exit 1; }

DB="$WORK/cairn.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT

echo "starting $CAIRN_BIN on port $PORT, database $DB (log: $WORK/server.log)..." >&2
CAIRN_REPORT_RATE_LIMIT=1000000 "$CAIRN_BIN" serve --port "$PORT" --database "sqlite://$DB" \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!

python3 - "$BASE/health" "$SERVER_PID" <<'PY' || { echo "server did not become healthy; log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 120
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit(1)
PY

# run_wrk NAME CLIENTS SECONDS  -> wrk output in $WORK/NAME-CLIENTS.txt
run_wrk() {
  local name="$1" clients="$2" secs="$3" threads="$WRK_THREADS" url
  [ "$clients" -lt "$threads" ] && threads="$clients"
  [ "$clients" -eq 1 ] && threads=1
  case "$name" in
    health*) url="$BASE/health" script="$HERE/health.lua" ;;
    intake*) url="$BASE/api/v1/public/reports" script="$HERE/intake.lua" ;;
  esac
  wrk -t"$threads" -c"$clients" -d"${secs}s" --timeout 10s --latency -s "$script" "$url" \
    > "$WORK/$name-$clients.txt" 2>&1
  sleep "$SETTLE"
  case "$name" in intake*) wait_linked > "$WORK/linked-$name-$clients.txt" ;; esac
}

# Linking runs just after each commit, in the background. Before the next measurement, wait
# until the server reports no unlinked reports (cairn_linking_backlog_reports on /metrics,
# open to loopback), so every measurement starts on a quiet server and the linking that an
# intake run caused is not billed to the next one. Prints the seconds waited beyond SETTLE
# ("-" for a build without the metric).
wait_linked() {
  python3 - "$BASE/metrics" <<'PY'
import re, sys, time, urllib.request
start = time.time()
while True:
    try:
        text = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
    except Exception:
        text = ""
    m = re.search(r"^cairn_linking_backlog_reports (\S+)$", text, re.M)
    if m is None:
        print("-"); break
    if float(m.group(1)) == 0:
        print(f"{time.time() - start:.1f}"); break
    if time.time() - start > 600:
        print("timeout"); break
    time.sleep(0.2)
PY
}

echo "warming up ($WARMUP s per route)..." >&2
run_wrk health-warmup 16 "$WARMUP"
run_wrk intake-warmup 16 "$WARMUP"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for c in $CONCURRENCY; do
  echo "$c client(s): /health ${DURATION}s, then intake ${DURATION}s..." >&2
  run_wrk health "$c" "$DURATION"
  run_wrk intake "$c" "$DURATION"
  printf "%s\t%s\t%s\t%s\n" "$c" "$(grep '^RESULT' "$WORK/health-$c.txt")" "$(grep '^RESULT' "$WORK/intake-$c.txt")" \
    "$(cat "$WORK/linked-intake-$c.txt")" >> "$RESULTS"
done

stop_server

python3 - "$RESULTS" "$DB" "$WORK" <<'PY'
import glob, os, re, sqlite3, sys
results, db, work = sys.argv[1:4]

def parse(line):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}

def ms(us):
    return f"{us / 1000:.2f}"

problems = []
print("| clients | /health req/s | /health p50 ms | /health p99 ms | intake req/s | intake p50 ms | intake p99 ms | intake ÷ health | linking caught up after (s) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for row in open(results):
    c, h, i, linked = row.rstrip("\n").split("\t")
    h, i = parse(h), parse(i)
    hr = h["requests"] / (h["duration_us"] / 1e6)
    ir = i["requests"] / (i["duration_us"] / 1e6)
    print(f"| {c} | {hr:,.0f} | {ms(h['p50_us'])} | {ms(h['p99_us'])} | {ir:,.0f} | {ms(i['p50_us'])} | {ms(i['p99_us'])} | {ir / hr:.1%} | {linked} |")
    for name, r in (("/health", h), ("intake", i)):
        errors = {k: r[k] for k in ("non2xx", "connect", "read", "write", "timeout") if r[k]}
        if errors:
            problems.append(f"{name} at {c} clients: {errors}")
    if i["other"] or i["ok"] != i["requests"]:
        problems.append(f"intake at {c} clients: {i['other']} answers other than 201 out of {i['requests']}")

# Every 201 the clients saw (warm-up included) must be a stored report. A few more may be
# stored: requests still in flight when wrk stopped are committed but never counted.
acknowledged = 0
for path in glob.glob(os.path.join(work, "intake-*.txt")):
    for line in open(path):
        if line.startswith("RESULT"):
            acknowledged += parse(line)["ok"]
        elif line.startswith("FIRST_OTHER"):
            problems.append(f"{os.path.basename(path)}: first non-201 answer: {line[12:].strip()}")
con = sqlite3.connect(db)
stored = con.execute("SELECT count(*) FROM reports WHERE source = 'public'").fetchone()[0]
audit = con.execute("SELECT count(*) FROM audit_entries WHERE action = 'report.created'").fetchone()[0] \
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_entries'").fetchone() else None
journal = con.execute("PRAGMA journal_mode").fetchone()[0]
con.close()
print()
print(f"acknowledged (201) reports: {acknowledged:,}; stored public reports: {stored:,}"
      + (f"; report.created audit entries: {audit:,}" if audit is not None else "") + f"; journal_mode={journal}")
if stored < acknowledged:
    problems.append(f"only {stored} reports stored but {acknowledged} were acknowledged")
if problems:
    print("\nFAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
echo "raw wrk output and server log: $WORK" >&2
