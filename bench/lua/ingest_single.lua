-- wrk script for scenario (c): single-event ingest, keep-alive, no ids (the
-- engine generates one per event, so every request is a new event).
wrk.method = "POST"
local f = io.open(os.getenv("BENCH_BODY_FILE"), "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

-- wrk prints "Non-2xx or 3xx responses" when any request was not 202.
