#!/bin/bash
# Shared rate limits on PostgreSQL: one upsert (what SharedRateLimits does) against an
# advisory-lock transaction doing the same check-and-count, with pgbench.
#   Benchmarks/connections/ratelimit-pg.sh [postgres://postgres@127.0.0.1:5432/postgres]
# Creates and drops a scratch database. Each run lasts $SECONDS_PER_RUN (default 10) seconds.
# The rule is set so that every attempt is allowed (the write path, the costlier one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="${1:-postgres://postgres@127.0.0.1:5432/postgres}"
seconds="${SECONDS_PER_RUN:-10}"
db="cairn_ratelimit_bench_$$"
psql "$server" -qc "CREATE DATABASE $db" >/dev/null
script="$(mktemp)"
trap 'rm -f "$script"; psql "$server" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
url="${server%/*}/$db"
psql "$url" -q <<'SQL'
CREATE UNLOGGED TABLE rl_unlogged (scope TEXT NOT NULL, key TEXT NOT NULL, full_at BIGINT NOT NULL, PRIMARY KEY (scope, key));
CREATE TABLE rl_logged (scope TEXT NOT NULL, key TEXT NOT NULL, full_at BIGINT NOT NULL, PRIMARY KEY (scope, key));
SQL
printf '%-9s %-9s %6s %7s %10s %12s\n' approach table keys clients "tx/s" "latency ms"
for keys in 1000 1; do
  for clients in 1 16; do
    for run in "upsert rl_unlogged" "upsert rl_logged" "advisory rl_unlogged"; do
      set -- $run
      sed "s/TABLE/$2/g" "$here/ratelimit-$1.sql" > "$script"
      out=$(pgbench -n -M prepared -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" -T "$seconds" \
              -D keys="$keys" -D interval=1000 -D window=3600000000000 -f "$script" "$url" 2>&1)
      tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -1)
      lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
      [[ -n "$tps" ]] || { echo "$out" >&2; exit 1; }
      printf '%-9s %-11s %6s %7s %10.0f %12s\n' "$1" "$2" "$keys" "$clients" "$tps" "$lat"
    done
  done
done
