-- wrk reporter: one JSON line with throughput, latency percentiles (ms) and errors.
-- Used by bench/run.py and bench/growth.py: wrk -s bench/wrk_report.lua ...
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "rps": %.2f, "p50": %.3f, "p95": %.3f, ' ..
    '"p99": %.3f, "max": %.3f, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
