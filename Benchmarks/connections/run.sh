#!/bin/bash
# Connection benchmarks: how a bystander's GET /health fares while the server is held by idle
# connections, half-sent requests or a sign-in flood (BENCHMARKS.md, "Connections").
#
#   Benchmarks/connections/run.sh                          # .build/release/cairn (build it first)
#   CAIRN_BIN=/path/to/cairn CAIRN_RESOURCES=... run.sh     # another build, e.g. an older commit's
#   SCENARIOS="quiet idle" run.sh                          # some of: quiet idle half signin flood timing
#
# Each scenario starts `cairn serve --demo` on a fresh SQLite file on a random port and stops it
# after. The bystander (load.py probe) opens a fresh connection for every request, from its
# own loopback address, so it needs the server to accept it; a request not answered within
# 5 s counts as failed. wrk measures the same with kept-alive connections where it can.
#   quiet   nothing else going on (the baseline)
#   idle    1,000 idle connections held from 10 loopback addresses (100 each, under the
#           per-address cap), with CAIRN_CONNECTION_IDLE_SECONDS=300 so they stay
#   half    the server under `ulimit -n 1024` (soft and hard); 1,100 half-sent requests from
#           one address, held 30 s
#   signin  100 clients, each from its own address, signing in with wrong passwords for 30 s
#           (bcrypt cost 12, the default), one attempt after another; a client answered 429
#           waits as long as Retry-After says, as a person would
#   flood   the same, but every client tries again as soon as it is answered, whatever it
#           was told (what an attacker does)
#   timing  the time a failed sign-in takes for an unknown address, a wrong password and a
#           locked account (40 rounds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${CAIRN_BIN:-$root/.build/release/cairn}"
scenarios="${SCENARIOS:-quiet idle half signin flood timing}"
seconds="${SECONDS_PER_RUN:-30}"
[[ -x "$bin" ]] || { echo "no cairn binary at $bin: swift build -c release --product cairn" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"   # the load tool holds more than 1,024 sockets
work="$(mktemp -d)"
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

start() { # start [ulimit] [env...]: a fresh demo server on a free port
  local files="$1"; shift
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  rm -rf "$work/db"; mkdir -p "$work/db"
  ( [[ "$files" != "-" ]] && ulimit -n "$files"
    exec env CAIRN_LOG_LEVEL=error "$@" "$bin" serve --demo --host 127.0.0.1 --port "$port" --database "sqlite://$work/db/cairn.sqlite" ) \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/health" && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; exit 1
}
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }
wrk_health() { # p50, p99 and requests/s of GET /health with 4 kept-alive connections for 10 s
  wrk -t1 -c4 -d10s --latency "http://127.0.0.1:$port/health" 2>&1 |
    awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /Requests\/sec/{rps=$2} /Socket errors/{err=$0} END{printf "{\"wrk\": \"/health\", \"p50\": \"%s\", \"p99\": \"%s\", \"rps\": \"%s\", \"errors\": \"%s\"}\n", p50, p99, rps, err}'
}
note() { echo "== $*  ($(date -u +%H:%M:%S), $(basename "$bin"), load $(cut -d' ' -f1 /proc/loadavg))"; }

for scenario in $scenarios; do
  case "$scenario" in
    quiet)
      start -
      note "quiet: /health alone"
      python3 "$here/load.py" probe "$port" "$seconds"
      wrk_health
      stop ;;
    idle)
      start - CAIRN_CONNECTION_IDLE_SECONDS=300
      note "idle: 1,000 idle connections from 127.0.0.2-11 held"
      python3 "$here/load.py" hold "$port" 1000 $((seconds + 25)) --sources 10 > "$work/hold.json" &
      holder=$!
      sleep 5
      python3 "$here/load.py" probe "$port" "$seconds"
      wrk_health
      wait "$holder"; cat "$work/hold.json"
      stop ;;
    half)
      start 1024
      note "half: 1,100 half-sent requests from 127.0.0.2 under ulimit -n 1024"
      python3 "$here/load.py" hold "$port" 1100 "$seconds" --sources 1 --half > "$work/hold.json" &
      holder=$!
      sleep 2
      python3 "$here/load.py" probe "$port" $((seconds - 2))
      wait "$holder"; cat "$work/hold.json"
      note "half: after the 1,100 were released"
      python3 "$here/load.py" probe "$port" 5
      stop ;;
    signin|flood)
      start -
      if [[ "$scenario" == signin ]]; then
        note "signin: 100 clients signing in with wrong passwords, waiting as Retry-After says"
        python3 "$here/load.py" signin "$port" 100 "$seconds" --obey-retry-after > "$work/signin.json" &
      else
        note "flood: 100 clients signing in with wrong passwords as fast as they are answered"
        python3 "$here/load.py" signin "$port" 100 "$seconds" > "$work/signin.json" &
      fi
      flood=$!
      sleep 3
      python3 "$here/load.py" probe "$port" $((seconds - 15))
      wrk_health
      wait "$flood"; cat "$work/signin.json"
      stop ;;
    timing)
      start -
      note "timing: failed sign-ins by kind"
      python3 "$here/load.py" timing "$port" 40
      stop ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
