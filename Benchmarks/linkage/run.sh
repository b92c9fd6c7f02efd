#!/usr/bin/env bash
# Cairn vs Splink on the same generated UK-style person records.
#
# usage: Benchmarks/linkage/run.sh [ROWS ...]        (default: 100000 1000000)
# env:   SEED (default 7), WORK (default /tmp/cairn-linkage-bench),
#        SKIP_SPLINK=1 to run Cairn only, QUERIES (incremental adds, default 2000)
#
# Builds the small stand-alone tool in tool/ (the Linkage engine plus the same `dedupe`
# command as `cairn link dedupe`), installs Splink from PyPI if missing, then for each size:
# generates a file, runs both under /usr/bin/time -v, scores both with evaluate.py and
# prints a table. Finally measures incremental linking latency against the largest file.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SEED="${SEED:-7}"
WORK="${WORK:-/tmp/cairn-linkage-bench}"
QUERIES="${QUERIES:-2000}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100000 1000000)
mkdir -p "$WORK"

echo "building the linkage tool (release)..." >&2
(cd "$HERE/tool" && swift build -c release >&2)
TOOL="$HERE/tool/.build/release/linkdev"
if [ -z "${SKIP_SPLINK:-}" ] && ! python3 -c "import splink" 2>/dev/null; then
  python3 -m pip install --quiet splink >&2
fi

MAP=(--map given_name=given_name --map family_name=family_name --map date_of_birth=date_of_birth
     --map address=address --map town=town --map postcode=postcode --map phone=phone --map email=email)

# Wall seconds and peak MB from a /usr/bin/time -v log.
measure() {
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(m)))
kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"{secs:.1f} {kb / 1024:.0f}")
PY
}

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for n in "${SIZES[@]}"; do
  data="$WORK/people-$n-seed$SEED.csv"
  echo "generating $n rows (seed $SEED)..." >&2
  "$TOOL" generate --rows "$n" --seed "$SEED" --output "$data"

  echo "cairn dedupe on $n rows..." >&2
  /usr/bin/time -v "$TOOL" dedupe --input "$data" --id record_id "${MAP[@]}" \
      --output "$WORK/cairn-clusters-$n.csv" --pairs "$WORK/cairn-pairs-$n.csv" 2> "$WORK/cairn-$n.log"
  read -r secs mb < <(measure "$WORK/cairn-$n.log")
  scores=$(python3 "$HERE/evaluate.py" "$data" "$WORK/cairn-clusters-$n.csv" "$WORK/cairn-pairs-$n.csv")
  printf "%s\t%s\t%s\t%s\t%s\n" cairn "$n" "$secs" "$mb" "$scores" >> "$RESULTS"

  if [ -z "${SKIP_SPLINK:-}" ]; then
    echo "splink on $n rows..." >&2
    /usr/bin/time -v python3 "$HERE/splink_dedupe.py" "$data" "$WORK/splink-clusters-$n.csv" \
        "$WORK/splink-pairs-$n.csv" > "$WORK/splink-$n.out" 2> "$WORK/splink-$n.log"
    read -r secs mb < <(measure "$WORK/splink-$n.log")
    scores=$(python3 "$HERE/evaluate.py" "$data" "$WORK/splink-clusters-$n.csv" "$WORK/splink-pairs-$n.csv")
    printf "%s\t%s\t%s\t%s\t%s\n" splink "$n" "$secs" "$mb" "$scores" >> "$RESULTS"
  fi
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("| system | rows | wall s | peak MB | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | exact clusters | links P | links R | links F1 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for system, n, secs, mb, js in rows:
    s = json.loads(js)
    print(f"| {system} | {int(n):,} | {secs} | {mb} | {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} | "
          f"{s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} | {s['exact']:.3f} | "
          f"{s['link_p']:.3f} | {s['link_r']:.3f} | {s['link_f1']:.3f} |")
PY

largest="${SIZES[${#SIZES[@]}-1]}"
echo "incremental: $QUERIES single-record adds against $largest - $QUERIES held records..." >&2
"$TOOL" incremental-bench --input "$WORK/people-$largest-seed$SEED.csv" --queries "$QUERIES"
