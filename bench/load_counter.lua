-- wrk script: counter dossiers (bench/dossiers.py). Each dossier is two requests:
--   POST /api/v1/dossiers/                  JSON, "channel": "counter" -> 201 with its code
--   POST /api/v1/dossiers/{code}/documents/ multipart with a PDF       -> 201
--
-- Run with one connection per thread (wrk -t C -c C): each thread's requests and responses then
-- strictly alternate, so response() knows which request it answers and how long it took
-- (CLOCK_MONOTONIC through LuaJIT's ffi). A create whose upload has not been sent when time is
-- up is not a completed dossier.
--
-- Environment (set by bench/dossiers.py):
--   LOAD_TOKEN        bearer token of the counter officer
--   LOAD_CREATE_BODY  file with the JSON body of the create
--   LOAD_UPLOAD_BODY  file with the multipart body of the upload
--   LOAD_BOUNDARY     its multipart boundary
--   LOAD_RESULT       where done() writes its JSON figures

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clk_id, load_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("load_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local function slurp(path)
  local handle = assert(io.open(path, "rb"))
  local data = handle:read("*a")
  handle:close()
  return data
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local token = os.getenv("LOAD_TOKEN")
  create_request = wrk.format("POST", "/api/v1/dossiers/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, slurp(os.getenv("LOAD_CREATE_BODY")))
  upload_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("LOAD_BOUNDARY"),
  }
  upload_body = slurp(os.getenv("LOAD_UPLOAD_BODY"))
  pending_code = nil
  kind = nil
  started = 0
  create_us = {}
  upload_us = {}
  creates_ok = 0
  uploads_ok = 0
  failures = {}
end

function request()
  started = now_us()
  if pending_code ~= nil then
    kind = "upload"
    local path = "/api/v1/dossiers/" .. pending_code .. "/documents/"
    pending_code = nil
    return wrk.format("POST", path, upload_headers, upload_body)
  end
  kind = "create"
  return create_request
end

local function failed(status)
  local key = kind .. " " .. status
  failures[key] = (failures[key] or 0) + 1
end

function response(status, headers, body)
  local elapsed = now_us() - started
  if kind == "create" then
    create_us[#create_us + 1] = elapsed
    local code = status == 201 and body:match('"code":%s*"([^"]+)"') or nil
    if code ~= nil then
      creates_ok = creates_ok + 1
      pending_code = code
    else
      failed(status)
    end
  else
    upload_us[#upload_us + 1] = elapsed
    if status == 201 then
      uploads_ok = uploads_ok + 1
    else
      failed(status)
    end
  end
end

function done(summary, latency, requests)
  local create, upload, merged = {}, {}, {}
  local creates, uploads = 0, 0
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("create_us")) do
      create[#create + 1] = string.format("%.0f", value)
    end
    for _, value in ipairs(thread:get("upload_us")) do
      upload[#upload + 1] = string.format("%.0f", value)
    end
    for key, count in pairs(thread:get("failures")) do
      merged[key] = (merged[key] or 0) + count
    end
    creates = creates + thread:get("creates_ok")
    uploads = uploads + thread:get("uploads_ok")
  end
  local parts = {}
  for key, count in pairs(merged) do
    parts[#parts + 1] = string.format('"%s": %d', key, count)
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("LOAD_RESULT"), "w"))
  out:write(string.format(
    '{"duration_us": %d, "requests": %d, "creates_ok": %d, "uploads_ok": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"non_2xx_3xx": %d, "failures": {%s}, "create_us": [%s], "upload_us": [%s]}\n',
    summary.duration, summary.requests, creates, uploads,
    e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ", "),
    table.concat(create, ","), table.concat(upload, ",")
  ))
  out:close()
end
