#!/usr/bin/env python3
"""Load for the connection benchmarks (Benchmarks/connections/run.sh).

  load.py probe  PORT SECONDS [--source ADDR] [--threads N]
      A bystander: GET /health on a fresh connection, again and again, from ADDR; prints
      requests, failures (no answer within 5 s, refused, reset) and latency p50/p99/max.
  load.py hold   PORT COUNT SECONDS [--sources N] [--first ADDR] [--half]
      Opens COUNT connections spread over N loopback source addresses (127.0.0.2, .3, ...),
      sending nothing (or, with --half, half a request header), holds them SECONDS and prints
      what the server did with them: answered at once (e.g. 503), closed later (e.g. 408 or
      idle), still open at the end, could not connect.
  load.py signin PORT CLIENTS SECONDS [--obey-retry-after]
      CLIENTS sign-in clients, each from its own loopback address (127.0.1.1, ...), posting wrong
      passwords for a real account and for unknown addresses in a loop, one after another; with
      --obey-retry-after a client told 429 waits as long as Retry-After says; prints answers by
      status and their latency.
  load.py timing PORT ROUNDS
      Sequential sign-ins: an unknown address, a real account's wrong password, a locked
      account; prints the median and p90 time of each (the account-discovery check).

Results are printed as one JSON object per line.
"""
import http.client
import json
import re
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.parse


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def ms(value):
    return None if value is None else round(value * 1000, 1)


def probe(port, seconds, source="127.0.0.1", threads=2):
    latencies, failures, lock = [], [], threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        while time.monotonic() < stop:
            start = time.monotonic()
            failure = None
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(source, 0))
                conn.request("GET", "/health")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    failure = f"status {response.status}"
            except Exception as error:  # timeouts, refused and reset connections
                failure = type(error).__name__
            elapsed = time.monotonic() - start
            with lock:
                if failure is None:
                    latencies.append(elapsed)
                else:
                    failures.append(failure)
            time.sleep(0.02)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    kinds = {}
    for f in failures:
        kinds[f] = kinds.get(f, 0) + 1
    return {"probe": "/health", "ok": len(latencies), "failed": len(failures), "failures": kinds,
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99)), "max_ms": ms(max(latencies) if latencies else None)}


def hold(port, count, seconds, sources=10, first=2, half=False):
    sockets, could_not_connect = [], 0
    start = time.monotonic()
    for n in range(count):
        source = f"127.0.0.{first + n % sources}"
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
            if half:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: cairn\r\n")
            s.setblocking(False)
            sockets.append((s, time.monotonic()))
        except OSError:
            could_not_connect += 1
    opened = time.monotonic() - start
    answers = {}
    live = {s.fileno(): (s, t) for s, t in sockets}
    watcher = selectors.DefaultSelector()  # epoll: select() stops at descriptor 1,024
    for s, _ in sockets:
        watcher.register(s, selectors.EVENT_READ)
    stop = time.monotonic() + seconds
    while live and time.monotonic() < stop:
        for key, _ in watcher.select(timeout=0.2):
            s = key.fileobj
            fd = s.fileno()
            _, opened_at = live[fd]
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            line = data.split(b"\r\n", 1)[0].decode(errors="replace") if data else "closed without an answer"
            answers.setdefault(line, []).append(time.monotonic() - opened_at)
            watcher.unregister(s)
            del live[fd]
            s.close()
    still_open = len(live)
    for s, _ in live.values():
        s.close()
    # Seconds from connecting to the server's answer or close (read after all were opened, so
    # an answer within the first `seconds_to_open` seconds shows as up to that).
    return {"hold": count, "half_sent": half, "sources": sources, "could_not_connect": could_not_connect,
            "seconds_to_open": round(opened, 1), "still_open_at_end": still_open,
            "answers": {line: {"count": len(ages), "median_s": round(statistics.median(ages), 1), "max_s": round(max(ages), 1)}
                        for line, ages in answers.items()}}


def form_session(port, source):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request("GET", "/sign-in")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="_csrf" value="([^"]+)"', body).group(1)
    return conn, cookies, token


def sign_in(conn, cookies, token, email, password, retry_after=None):
    body = urllib.parse.urlencode({"email": email, "password": password, "next": "/", "_csrf": token})
    conn.request("POST", "/sign-in", body=body, headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if retry_after is not None:
        retry_after.append(int(response.headers.get("Retry-After") or 0))
    return response.status


def signin(port, clients, seconds, obey=False):
    results, lock = [], threading.Lock()
    stop = time.monotonic() + seconds

    def run(n):
        source = f"127.0.1.{1 + n}"
        try:
            conn, cookies, token = form_session(port, source)
        except Exception as error:
            with lock:
                results.append((type(error).__name__, 0))
            return
        k = 0
        while time.monotonic() < stop:
            k += 1
            email = "viewer@demo.invalid" if k % 2 else f"nobody-{n}-{k}@demo.invalid"
            start = time.monotonic()
            wait = []
            try:
                status = sign_in(conn, cookies, token, email, f"wrong-password-{n}-{k}", wait)
            except Exception as error:
                status = type(error).__name__
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
            with lock:
                results.append((status, time.monotonic() - start))
            if obey and status == 429 and wait:
                # As a person told "wait N seconds" would (an attacker would not: see `flood`).
                time.sleep(min(wait[0], max(0, stop - time.monotonic())))

    workers = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    by_status = {}
    for status, elapsed in results:
        by_status.setdefault(str(status), []).append(elapsed)
    return {"signin_clients": clients, "obey_retry_after": obey, "answers": {k: {"count": len(v), "p50_ms": ms(percentile(v, 50)), "p99_ms": ms(percentile(v, 99))}
                                                    for k, v in sorted(by_status.items())}}


def timing(port, rounds):
    cases = {"unknown address": ("nobody@demo.invalid", "wrong-password"),
             "wrong password": ("analyst@demo.invalid", "wrong-password"),
             "locked account": ("viewer@demo.invalid", "wrong-password")}
    # Lock the viewer first (from its own address, so the address limit does not interfere).
    conn, cookies, token = form_session(port, "127.0.2.1")
    for _ in range(6):
        sign_in(conn, cookies, token, "viewer@demo.invalid", "wrong-password")
    times, statuses = {name: [] for name in cases}, {name: set() for name in cases}
    for r in range(rounds):
        for n, (name, (email, password)) in enumerate(cases.items()):
            # Each address may fail 30 times in 15 minutes: spread the rounds over addresses.
            conn, cookies, token = form_session(port, f"127.0.{3 + r // 8}.{1 + n}")
            if name == "wrong password" and r % 4 == 3:
                # Keep the real account below its lockout threshold.
                sign_in(conn, cookies, token, email, "demo-password")
            start = time.monotonic()
            statuses[name].add(sign_in(conn, cookies, token, email, password))
            times[name].append(time.monotonic() - start)
    return {"timing_rounds": rounds, **{name: {"status": sorted(statuses[name]), "p50_ms": ms(statistics.median(v)), "p90_ms": ms(percentile(v, 90))}
                                         for name, v in times.items()}}


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("probe")
    p.add_argument("port", type=int); p.add_argument("seconds", type=float)
    p.add_argument("--source", default="127.0.0.1"); p.add_argument("--threads", type=int, default=2)
    h = commands.add_parser("hold")
    h.add_argument("port", type=int); h.add_argument("count", type=int); h.add_argument("seconds", type=float)
    h.add_argument("--sources", type=int, default=10); h.add_argument("--first", type=int, default=2); h.add_argument("--half", action="store_true")
    s = commands.add_parser("signin")
    s.add_argument("port", type=int); s.add_argument("clients", type=int); s.add_argument("seconds", type=float)
    s.add_argument("--obey-retry-after", action="store_true")
    t = commands.add_parser("timing")
    t.add_argument("port", type=int); t.add_argument("rounds", type=int)
    a = parser.parse_args()
    if a.command == "probe":
        result = probe(a.port, a.seconds, a.source, a.threads)
    elif a.command == "hold":
        result = hold(a.port, a.count, a.seconds, a.sources, a.first, a.half)
    elif a.command == "signin":
        result = signin(a.port, a.clients, a.seconds, a.obey_retry_after)
    else:
        result = timing(a.port, a.rounds)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
