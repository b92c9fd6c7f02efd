#!/usr/bin/env python3
"""Times the plan's computed indicators and the board report against a running Cairn.

usage: measure.py BASE_URL TOKEN EMAIL PASSWORD [RUNS]

For each computed indicator, `GET /api/v1/indicators/{key}` (its twelve months to the current
one) RUNS times (default 20) after one unmeasured first read (the cold one is printed apart);
then the board report page (`/plan/report`, signed in through the web form) and the plan's page
(`/plan`) the same way; and `/health` as the same server's baseline. Prints, per request,
the first (cold) time, then p50, p95 and the maximum of the warm runs in milliseconds.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from timing import Client  # noqa: E402

base, token, email, password = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
KEYS = ["reports.received", "reports.by_sector", "reports.triaged_on_time", "reports.with_outcome",
        "reports.median_days_to_outcome", "referrals.accepted_rate", "nrm.referrals",
        "nrm.median_days_to_reasonable_grounds", "cases.mscos_improved", "cases.reexploitation_signs"]
client = Client(base)


def measure(label, path, headers=None, check=None):
    return client.measure(label, path, runs, headers, check, first="cold")


def twelve_months(body):
    values = json.loads(body)["values"]
    assert len(values) == 12, len(values)


api = {"Authorization": f"Bearer {token}"}
measure("/health (baseline)", "/health")
worst = 0.0
for key in KEYS:
    worst = max(worst, measure(f"indicator {key}", f"/api/v1/indicators/{key}", api, twelve_months))

client.sign_in(email, password)
board = measure("board report /plan/report", "/plan/report")
plan = measure("plan /plan", "/plan")
print(f"worst indicator p95 {worst:.1f} ms; board report p95 {board:.1f} ms; plan page p95 {plan:.1f} ms")
