#!/usr/bin/env python3
"""Times the insight dashboard against a running Cairn.

usage: measure.py BASE_URL TOKEN EMAIL PASSWORD [RUNS]

Signs in through the web form, then for `/insight` (the default filter: the last 12 months),
`/insight` filtered by area and type, the same for the last 5 years, each figure's CSV and
`GET /api/v1/insight/reports?by=…`, makes one unmeasured first read (printed as "first": the
counts of a new filter are made then) and RUNS timed ones (default 20), and prints p50, p95 and
the maximum in milliseconds, with `/health` as the same server's baseline. Last, it submits a
public report and polls the API until the month's count has grown by one, and prints how long
that took.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from timing import Client  # noqa: E402

base, token, email, password = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
FIGURES = ["received", "types", "channels", "sources", "areas", "children", "urgency", "triage", "outcome-times", "outcomes",
           "referrals", "case-stages", "nrm", "recovery", "outcomes-movement", "warning-signs", "networks", "linked-share",
           "cross-agency-links"]
FILTERED = "area=WM1&type=labour"
client = Client(base)
fetch = client.fetch


def measure(label, path, headers=None, count=None):
    return client.measure(label, path, count or runs, headers)


client.sign_in(email, password)
api = {"Authorization": f"Bearer {token}"}

measure("/health (baseline)", "/health")
worst = 0.0
for label, path in [("/insight (last 12 months)", "/insight"), ("/insight area + type", f"/insight?{FILTERED}"),
                    ("/insight last 5 years", "/insight?period=5y"), ("/insight last 5 years, area + type", f"/insight?period=5y&{FILTERED}")]:
    worst = max(worst, measure(label, path))
csv = []
for figure in FIGURES:
    csv.append(measure(f"CSV {figure}", f"/insight/figures/{figure}", count=max(5, runs // 2)))
    csv.append(measure(f"CSV {figure}, area + type", f"/insight/figures/{figure}?{FILTERED}", count=max(5, runs // 2)))
worst = max([worst] + csv)
for by in ["month", "type", "source", "area"]:
    worst = max(worst, measure(f"API by={by}", f"/api/v1/insight/reports?by={by}", api))

# A report received now: how soon the figures count it.
def this_month():
    _, body, _ = fetch("/api/v1/insight/reports?by=month", api)
    items = json.loads(body)["items"]
    return items[-1]["count"] if items else 0

before = this_month()
sent = time.perf_counter()
status, body, _ = fetch("/api/v1/public/reports", {"Content-Type": "application/json"},
                        json.dumps({"description": "Fictional: insight benchmark, workers collected at dawn", "language": "en"}).encode())
assert status == 201, (status, body[:200])
while this_month() < before + 1:
    assert time.perf_counter() - sent < 30, "the new report did not show within 30 s"
    time.sleep(0.05)
print(f"a report received now shows in the figures after {(time.perf_counter() - sent) * 1000:.0f} ms")
print(f"worst p95: {worst:.1f} ms ({'ok' if worst <= 200 else 'OVER 200 ms'})")
