-- Prints one tab-separated line when wrk finishes: requests/s, p50, p95, p99 (ms), non-2xx/3xx count,
-- socket errors, bytes per answer. With PATHS set to a file of request paths, each request takes the next path in turn.
local paths = {}
local index = 0

function init(args)
  local file = os.getenv("PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do paths[#paths + 1] = line end
  end
  index = math.random(1, math.max(#paths, 1))
end

function request()
  if #paths == 0 then return wrk.format() end
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.0f\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors, summary.bytes / math.max(summary.requests, 1)))
end
