#!/usr/bin/env python3
"""Times the plan's computed indicators and the board report against a running Cairn.

usage: measure.py BASE_URL TOKEN EMAIL PASSWORD [RUNS]

For each computed indicator, `GET /api/v1/indicators/{key}` (its twelve months to the current
one) RUNS times (default 20) after one unmeasured first read (the cold one is printed apart);
then the board report page (`/plan/report`, signed in through the web form) and the plan's page
(`/plan`) the same way; and `/health` as the same server's baseline. Prints, per request,
the first (cold) time, then p50, p95 and the maximum of the warm runs in milliseconds.
"""
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, token, email, password = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
KEYS = ["reports.received", "reports.by_sector", "reports.triaged_on_time", "reports.with_outcome",
        "reports.median_days_to_outcome", "referrals.accepted_rate", "nrm.referrals",
        "nrm.median_days_to_reasonable_grounds", "cases.mscos_improved", "cases.reexploitation_signs"]

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def fetch(path, headers=None, data=None):
    request = urllib.request.Request(base + path, data=data, headers=headers or {})
    started = time.perf_counter()
    try:
        with opener.open(request) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    return status, body, (time.perf_counter() - started) * 1000


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def measure(label, path, headers=None, check=None):
    status, body, cold = fetch(path, headers)
    if status != 200:
        print(f"{label}: HTTP {status}: {body[:300]!r}", file=sys.stderr)
        sys.exit(1)
    if check:
        check(body)
    times = []
    for _ in range(runs):
        status, _, elapsed = fetch(path, headers)
        assert status == 200, (path, status)
        times.append(elapsed)
    p95 = percentile(times, 95)
    print(f"{label:42s} cold {cold:8.1f}  p50 {statistics.median(times):7.1f}  p95 {p95:7.1f}  max {max(times):7.1f}  "
          f"{'ok' if p95 <= 200 else 'OVER 200 ms'}")
    return p95


def twelve_months(body):
    values = json.loads(body)["values"]
    assert len(values) == 12, len(values)


api = {"Authorization": f"Bearer {token}"}
measure("/health (baseline)", "/health")
worst = 0.0
for key in KEYS:
    worst = max(worst, measure(f"indicator {key}", f"/api/v1/indicators/{key}", api, twelve_months))

status, body, _ = fetch("/sign-in")
csrf = re.search(rb'name="_csrf" value="([^"]+)"', body).group(1).decode()
form = urllib.parse.urlencode({"email": email, "password": password, "next": "/", "_csrf": csrf}).encode()
status, body, _ = fetch("/sign-in", {"Content-Type": "application/x-www-form-urlencoded"}, form)
if b"Sign out" not in body:
    print("could not sign in through the web form", file=sys.stderr)
    sys.exit(1)
board = measure("board report /plan/report", "/plan/report")
plan = measure("plan /plan", "/plan")
print(f"worst indicator p95 {worst:.1f} ms; board report p95 {board:.1f} ms; plan page p95 {plan:.1f} ms")
