-- wrk script for scenario (b), the ceiling: POSTs a 1 KB signed envelope
-- with the same headers the engine sends, to the same nginx receiver.
-- The body and headers are prepared by bench/run in the environment.
wrk.method = "POST"
local f = io.open(os.getenv("BENCH_BODY_FILE"), "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Sivo-Webhooks/bench"
wrk.headers["X-Sivo-Event-Id"] = os.getenv("BENCH_EVENT_ID")
wrk.headers["X-Sivo-Event-Type"] = "transcript.segment"
wrk.headers["X-Sivo-Timestamp"] = os.getenv("BENCH_TS")
wrk.headers["X-Sivo-Delivery-Attempt"] = "1"
wrk.headers["X-Sivo-Signature"] = os.getenv("BENCH_SIG")
wrk.headers["webhook-id"] = os.getenv("BENCH_EVENT_ID")
wrk.headers["webhook-timestamp"] = os.getenv("BENCH_TS")
wrk.headers["webhook-signature"] = os.getenv("BENCH_STDSIG")
