-- wrk script for the benchmarks: GET the paths of the file named by env NEWSPRISM_PATHS in
-- turn (each thread from its own offset); count non-200 answers and the largest body; print
-- the latency percentiles as one JSON line at the end. Used by benchmarks/_load.py.
local paths = {}
for line in io.lines(os.getenv("NEWSPRISM_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  index = id * 7919
  errors = 0
  largest = 0
end

function request()
  index = index + 1
  return wrk.format("GET", paths[(index % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
  if #body > largest then largest = #body end
end

function done(summary, latency, requests)
  local errs, big = 0, 0
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors")
    big = math.max(big, t:get("largest"))
  end
  errs = errs + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"mean": %.3f, "max": %.3f, "errors": %d, "largest": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.mean / 1e3,
    latency.max / 1e3, errs, big))
end
