-- wrk script: GET <LOAD_PATH_PREFIX><code>/ for random dossier codes (bench/dossiers.py).
--
-- Environment (set by bench/dossiers.py):
--   LOAD_CODES        file with one dossier code per line
--   LOAD_PATH_PREFIX  "/api/v1/tracking/" (motcua) or "/ceiling/" (bench/load_ceiling_app.py)
--   LOAD_CLIENTS      number of simulated citizens (X-Forwarded-For addresses); 0: none sent
--   LOAD_SEED         seed of the random choices
--   LOAD_RESULT       where done() writes its JSON figures
--
-- Latency percentiles come from wrk's own histogram (every request of every connection).

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
  for line in io.lines(os.getenv("LOAD_CODES")) do
    if #line > 0 then
      codes[#codes + 1] = line
    end
  end
  prefix = os.getenv("LOAD_PATH_PREFIX")
  clients = tonumber(os.getenv("LOAD_CLIENTS") or "0")
  math.randomseed(tonumber(os.getenv("LOAD_SEED") or "1") * 1000 + thread_number)
  statuses = {}
end

function request()
  local code = codes[math.random(#codes)]
  local headers = {}
  if clients > 0 then
    local n = math.random(clients)
    headers["X-Forwarded-For"] = string.format(
      "10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256
    )
  end
  return wrk.format("GET", prefix .. code .. "/", headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("LOAD_RESULT"), "w"))
  out:write(string.format(
    '{"duration_us": %d, "requests": %d, "bytes": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"non_2xx_3xx": %d, "statuses": {%s}}\n',
    summary.duration, summary.requests, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max,
    e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ", ")
  ))
  out:close()
end
