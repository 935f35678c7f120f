#!/usr/bin/env python3
"""Load generators for bench/run (Python 3 standard library only).

Each subcommand drives the engine's HTTP API over keep-alive HTTP/1.1
connections with asyncio raw streams (no per-request parsing beyond the
status line, headers and Content-Length/chunked body). Only 127.0.0.1.

  batch     POST /v1/tenants/{t}/events/batch with N events per request from C
            connections, for D seconds or until TOTAL events; prints JSON.
  feed      closed loop: keeps sivo_pending_deliveries below HIGH by posting
            batches; runs until killed (SIGTERM) or for D seconds.
  latency   single-event POSTs with unique ids, paced at R events/s over C
            connections for D seconds; writes "id t_send t_202" lines.
  endpoints create T tenants and E endpoints per tenant, bounded by D seconds;
            prints JSON (created, seconds).
"""

import argparse
import asyncio
import json
import signal
import sys
import time

HOST = "127.0.0.1"


def event_data(seq, size=1024):
    """A transcript.segment `data` object whose envelope is about `size` bytes."""
    data = {
        "call_id": "call_01HZBENCH000000000000000",
        "segment_id": "seg_%08d" % (seq % 100000000),
        "seq": seq,
        "speaker": "agent",
        "text": "",
        "start_ms": 1000 * seq,
        "end_ms": 1000 * seq + 900,
        "language": "en",
        "confidence": 0.93,
        "is_final": True,
    }
    # The envelope adds about 140 bytes (id, type, tenant_id, created_at).
    base = len(json.dumps(data, separators=(",", ":"))) + 140
    data["text"] = ("hello this is a benchmark transcript segment " * 40)[: max(0, size - base)]
    return data


class Conn:
    def __init__(self, port):
        self.port = port
        self.reader = None
        self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 22)

    async def request(self, raw):
        if self.writer is None:
            await self.open()
        self.writer.write(raw)
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("connection closed")
        status = int(line.split(b" ", 2)[1])
        length = None
        chunked = False
        close = False
        while True:
            h = await self.reader.readline()
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).strip().split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            body = b"".join(parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body = b""
        if close:
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.writer = None


def raw_request(method, path, token, body=b"", port=0):
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def batch_body(n, start_seq=0):
    events = [{"type": "transcript.segment", "data": event_data(start_seq + i)} for i in range(n)]
    return json.dumps({"events": events}, separators=(",", ":")).encode()


async def metrics_value(conn, port, name):
    status, body = await conn.request(raw_request("GET", "/metrics", "x", port=port))
    for line in body.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# ---------------------------------------------------------------- batch
async def cmd_batch(a):
    raw = raw_request("POST", f"/v1/tenants/{a.tenant}/events/batch", a.token, batch_body(a.size), a.port)
    stop_at = time.monotonic() + a.duration
    stored = 0
    requests = 0
    errors = 0
    lock = asyncio.Lock()
    t0 = time.monotonic()

    async def worker():
        nonlocal stored, requests, errors
        c = Conn(a.port)
        while time.monotonic() < stop_at and (a.total <= 0 or stored < a.total):
            try:
                status, body = await c.request(raw)
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                errors += 1
                c.close()
                await asyncio.sleep(0.05)
                continue
            requests += 1
            if status == 200:
                stored += body.count(b'"status":202')
            else:
                errors += 1
                await asyncio.sleep(0.01)
        c.close()

    await asyncio.gather(*(worker() for _ in range(a.connections)))
    elapsed = time.monotonic() - t0
    print(json.dumps({"events": stored, "requests": requests, "errors": errors, "seconds": elapsed,
                      "events_per_s": stored / elapsed if elapsed else 0}))


# ---------------------------------------------------------------- feed
async def cmd_feed(a):
    raw = raw_request("POST", f"/v1/tenants/{a.tenant}/events/batch", a.token, batch_body(a.size), a.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    deadline = time.monotonic() + a.duration
    mconn = Conn(a.port)
    pending = [0.0]
    sent = 0

    async def poll():
        while not stop.is_set():
            try:
                pending[0] = await metrics_value(mconn, a.port, "sivo_pending_deliveries")
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                mconn.close()
            await asyncio.sleep(0.05)

    async def worker():
        nonlocal sent
        c = Conn(a.port)
        while not stop.is_set() and time.monotonic() < deadline:
            if pending[0] >= a.high:
                await asyncio.sleep(0.02)
                continue
            try:
                status, body = await c.request(raw)
                if status == 200:
                    n = body.count(b'"status":202')
                    sent += n
                    pending[0] += n * a.fanout
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                c.close()
                await asyncio.sleep(0.05)
        c.close()

    poller = asyncio.ensure_future(poll())
    await asyncio.gather(*(worker() for _ in range(a.connections)))
    stop.set()
    await poller
    print(json.dumps({"events": sent}))


# ---------------------------------------------------------------- latency
async def cmd_latency(a):
    body_tpl = json.dumps({"id": "IDPLACEHOLDER", "type": "transcript.segment", "data": event_data(0)},
                          separators=(",", ":"))
    rows = []
    t0 = time.monotonic() + 0.2
    wall0 = time.time() - time.monotonic()  # monotonic -> wall clock
    end = t0 + a.duration
    interval = a.connections / a.rate
    errors = 0

    async def worker(k):
        nonlocal errors
        c = Conn(a.port)
        i = 0
        while True:
            due = t0 + (i * a.connections + k) / a.rate
            if due >= end:
                break
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
            eid = f"{a.prefix}-{k}-{i}"
            body = body_tpl.replace("IDPLACEHOLDER", eid).encode()
            raw = raw_request("POST", f"/v1/tenants/{a.tenant}/events", a.token, body, a.port)
            ts = time.monotonic()
            try:
                status, _ = await c.request(raw)
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                errors += 1
                c.close()
                i += 1
                continue
            t202 = time.monotonic()
            if status == 202:
                rows.append((eid, wall0 + ts, wall0 + t202))
            else:
                errors += 1
            i += 1
        c.close()

    del interval
    await asyncio.gather(*(worker(k) for k in range(a.connections)))
    with open(a.out, "w") as f:
        for eid, ts, t202 in rows:
            f.write(f"{eid} {ts:.6f} {t202:.6f}\n")
    span = (max(r[2] for r in rows) - min(r[1] for r in rows)) if rows else 0
    print(json.dumps({"sent": len(rows), "errors": errors, "achieved_rate": len(rows) / span if span else 0}))


# ---------------------------------------------------------------- endpoints
async def cmd_endpoints(a):
    deadline = time.monotonic() + a.duration
    t0 = time.monotonic()
    created = 0
    tenants_made = 0
    errors = 0
    queue = asyncio.Queue()
    for t in range(a.tenants):
        queue.put_nowait(t)

    async def worker():
        nonlocal created, tenants_made, errors
        c = Conn(a.port)
        while not queue.empty() and time.monotonic() < deadline:
            t = queue.get_nowait()
            tid = f"{a.prefix}{t:04d}"
            body = json.dumps({"id": tid, "name": tid}).encode()
            status, _ = await c.request(raw_request("POST", "/v1/tenants", a.token, body, a.port))
            if status not in (200, 201, 409):
                errors += 1
                continue
            tenants_made += 1
            for e in range(a.per_tenant):
                if time.monotonic() >= deadline:
                    break
                body = json.dumps({"url": f"{a.url}/{tid}/{e}", "description": "idle"}).encode()
                status, _ = await c.request(
                    raw_request("POST", f"/v1/tenants/{tid}/endpoints", a.token, body, a.port))
                if status == 201:
                    created += 1
                else:
                    errors += 1
        c.close()

    await asyncio.gather(*(worker() for _ in range(a.connections)))
    print(json.dumps({"tenants": tenants_made, "endpoints": created, "errors": errors,
                      "seconds": time.monotonic() - t0}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("batch", "feed", "latency", "endpoints"):
        s = sub.add_parser(name)
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--token", required=True)
        s.add_argument("--tenant", default="bench")
        s.add_argument("--connections", type=int, default=4)
        s.add_argument("--duration", type=float, default=10.0)
        s.add_argument("--size", type=int, default=1000)
        s.add_argument("--total", type=int, default=0)
        s.add_argument("--high", type=float, default=50000)
        s.add_argument("--fanout", type=int, default=10)
        s.add_argument("--rate", type=float, default=5000)
        s.add_argument("--prefix", default="lat")
        s.add_argument("--out", default="/dev/null")
        s.add_argument("--tenants", type=int, default=1000)
        s.add_argument("--per-tenant", type=int, default=100)
        s.add_argument("--url", default="https://127.0.0.1:18443/idle")
    a = p.parse_args()
    asyncio.run({"batch": cmd_batch, "feed": cmd_feed, "latency": cmd_latency,
                 "endpoints": cmd_endpoints}[a.cmd](a))


if __name__ == "__main__":
    sys.exit(main())
