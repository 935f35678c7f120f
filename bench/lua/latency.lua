-- wrk script for scenario (d): single-event POSTs with unique ids, paced at
-- BENCH_RATE events/s in total (shared evenly by wrk's threads), each thread
-- writing "id t_send t_202" lines (wall-clock seconds) to BENCH_OUT-<thread>.txt
-- so that bench/run can match them with the receiver's arrival log.
--
-- Pacing: wrk calls delay() after each response of a connection; every call
-- takes the next slot of its thread's schedule (one slot per 1/rate), so a
-- thread sends at its rate whenever one of its connections is free, and
-- catches up (no delay) when it fell behind. This replaces a Python loader
-- that needed ~0.45 of the machine's 2 cores for 5k/s and so competed with
-- the engine it measured.
--
-- Env: BENCH_BODY_FILE (the event JSON, "IDPLACEHOLDER" where the id goes),
-- BENCH_TOKEN, BENCH_RATE, BENCH_PREFIX (ids are <prefix>-<thread>-<n>),
-- BENCH_THREADS (wrk's -t), BENCH_OUT.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec* ts);
]]
local CLOCK_REALTIME = 0
local ts = ffi.new("bench_timespec")
local function now_s()
  ffi.C.clock_gettime(CLOCK_REALTIME, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local thread_count = 0
function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local template, out, prefix, interval_s, next_slot
local sent = {}  -- id -> send time, until its answer
local n = 0

function init(args)
  local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
  template = f:read("*a")
  f:close()
  prefix = os.getenv("BENCH_PREFIX") .. "-" .. thread_index .. "-"
  out = assert(io.open(os.getenv("BENCH_OUT") .. "-" .. thread_index .. ".txt", "w"))
  out:setvbuf("line")  -- wrk never closes a thread's Lua state: nothing may wait in a buffer
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  local id = prefix .. n
  n = n + 1
  sent[id] = now_s()
  return wrk.format(nil, nil, nil, (template:gsub("IDPLACEHOLDER", id, 1)))
end

function response(status, headers, body)
  local t202 = now_s()
  local id = body and body:match('"id"%s*:%s*"([^"]+)"')
  if status ~= 202 or not id or not sent[id] then return end
  out:write(string.format("%s %.6f %.6f\n", id, sent[id], t202))
  sent[id] = nil
end

function delay()
  interval_s = interval_s or tonumber(os.getenv("BENCH_THREADS")) / tonumber(os.getenv("BENCH_RATE"))
  local now = now_s()
  next_slot = (next_slot or now) + interval_s
  local wait_ms = (next_slot - now) * 1000
  return wait_ms > 0 and wait_ms or 0
end
