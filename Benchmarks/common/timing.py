"""What the page benchmarks share: requests through one cookie-keeping opener, signing in
through the web form, and timing a request's warm runs at p50 and p95 against a 200 ms goal."""
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def fetch(self, path, headers=None, data=None):
        """(status, body, milliseconds)."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(request) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body = error.read()
            status = error.code
        return status, body, (time.perf_counter() - started) * 1000

    def sign_in(self, email, password):
        _, body, _ = self.fetch("/sign-in")
        csrf = re.search(rb'name="_csrf" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"email": email, "password": password, "next": "/", "_csrf": csrf}).encode()
        _, body, _ = self.fetch("/sign-in", {"Content-Type": "application/x-www-form-urlencoded"}, form)
        if b"Sign out" not in body:
            print("could not sign in through the web form", file=sys.stderr)
            sys.exit(1)

    def measure(self, label, path, runs, headers=None, check=None, first="first"):
        """One unmeasured first read (printed apart), then `runs` timed ones; returns the p95."""
        status, body, cold = self.fetch(path, headers)
        if status != 200:
            print(f"{label}: HTTP {status}: {body[:300]!r}", file=sys.stderr)
            sys.exit(1)
        if check:
            check(body)
        times = []
        for _ in range(runs):
            status, _, elapsed = self.fetch(path, headers)
            assert status == 200, (path, status)
            times.append(elapsed)
        p95 = percentile(times, 95)
        print(f"{label:46s} {first} {cold:8.1f}  p50 {statistics.median(times):7.1f}  p95 {p95:7.1f}  max {max(times):7.1f}  "
              f"{'ok' if p95 <= 200 else 'OVER 200 ms'}", flush=True)
        return p95


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]
