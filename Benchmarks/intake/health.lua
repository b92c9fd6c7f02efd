-- wrk script for GET /health: the plain static request (no per-request Lua), with a
-- machine-readable summary line for run.sh.
wrk.method = "GET"
wrk.path = "/health"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d ok=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout, summary.requests - e.status))
end
