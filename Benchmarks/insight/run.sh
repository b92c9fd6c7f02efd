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
# there is none, takes an API token for it, serves on PORT and runs measure.py
# (Benchmarks/common/pages.sh).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATABASE="${1:?usage: run.sh DATABASE [RUNS]}"
RUNS="${2:-20}"
PORT="${PORT:-8098}"
LOG="${TMPDIR:-/tmp}/cairn-insight-bench.log"
# shellcheck source=../common/pages.sh
. "$HERE/../common/pages.sh"
