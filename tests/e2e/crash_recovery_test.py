"""Crash torture of the real binary: events stream in while the engine is
killed with SIGKILL at random moments and restarted on the same data dir,
against receivers that succeed, flap and always fail. At the end every
acknowledged event has reached every matching endpoint at least once, no
non-matching endpoint got anything, and the DLQ holds exactly the events of
the always-failing endpoint. Then a SIGTERM under load: exit 0, nothing lost.

Usage: crash_recovery_test.py <sivo-webhooks binary>   (SIVO_CRASH_KILLS, default 20)
"""

import os
import random
import sys
import threading
import time
import unittest

from engine_harness import Engine, Receiver, ThrowawayCa

BINARY = None
KILLS = int(os.environ.get("SIVO_CRASH_KILLS", "20"))
TYPES = ["call.created", "transcript.segment", "queue.entered"]


class Sender(threading.Thread):
    """Streams events (batches and single posts); remembers what was acknowledged."""

    def __init__(self, engine, tenant):
        super().__init__(daemon=True)
        self.engine, self.tenant = engine, tenant
        self.acked = {}  # event id -> type
        self.sent = {}   # every id we tried, acknowledged or not
        self.stop = threading.Event()
        self.counter = 0

    def next_event(self):
        self.counter += 1
        event_id = f"e2e-{os.getpid()}-{self.counter}"
        event_type = random.choice(TYPES)
        self.sent[event_id] = event_type
        return {"id": event_id, "type": event_type, "data": {"call_id": f"call_{self.counter}", "seq": self.counter}}

    def run(self):
        path = f"/v1/tenants/{self.tenant}/events"
        while not self.stop.is_set():
            try:
                if random.random() < 0.5:
                    event = self.next_event()
                    status, body = self.engine.api("POST", path, event, timeout=5)
                    if status == 202:
                        self.acked[event["id"]] = event["type"]
                else:
                    events = [self.next_event() for _ in range(10)]
                    status, body = self.engine.api("POST", path + "/batch", {"events": events}, timeout=5)
                    if status == 200:
                        by_id = {e["id"]: e["type"] for e in events}
                        for item in body["items"]:
                            if item["status"] == 202:
                                self.acked[item["id"]] = by_id[item["id"]]
            except (OSError, ValueError):
                time.sleep(0.02)  # the engine is down: try again shortly
            time.sleep(0.03)


class CrashRecoveryTest(unittest.TestCase):
    def setUp(self):
        self.ca = ThrowawayCa()
        self.receiver = Receiver(self.ca)

        def answer(request):
            if request["path"] == "/fail":
                return 503
            if request["path"] == "/flap":
                return 503 if request["headers"].get("x-sivo-delivery-attempt") == "1" else 200
            return 200

        self.receiver.answer = answer
        self.engine = Engine(BINARY, self.ca, retry_schedule="100ms,100ms,100ms,100ms,100ms,100ms")
        self.engine.start()
        status, _ = self.engine.api("POST", "/v1/tenants", {"id": "acme", "name": "Acme"})
        self.assertEqual(status, 201)
        self.endpoints = {}
        for path, types in [("/ok", []), ("/flap", ["call.*"]), ("/fail", ["transcript.segment"]),
                            ("/none", ["agent.paused"])]:
            status, body = self.engine.api("POST", "/v1/tenants/acme/endpoints",
                                           {"url": self.receiver.url(path), "event_types": types})
            self.assertEqual(status, 201, body)
            self.endpoints[path] = body["id"]

    def tearDown(self):
        self.engine.close()
        self.receiver.close()
        self.ca.cleanup()

    def dead_letters(self, endpoint_id):
        ids, cursor = set(), None
        while True:
            path = f"/v1/tenants/acme/endpoints/{endpoint_id}/dlq?limit=1000"
            if cursor:
                path += f"&cursor={cursor}"
            status, body = self.engine.api("GET", path)
            self.assertEqual(status, 200, body)
            ids.update(item["event_id"] for item in body["items"])
            cursor = body.get("next_cursor")
            if not cursor:
                return ids

    def wait_until_settled(self, acked, timeout=120):
        expect_ok = set(acked)
        expect_flap = {i for i, t in acked.items() if t.startswith("call.")}
        expect_dead = {i for i, t in acked.items() if t == "transcript.segment"}
        deadline = time.time() + timeout
        while time.time() < deadline:
            ok = set(self.receiver.event_ids("/ok"))
            flap_delivered = {r["headers"]["x-sivo-event-id"] for r in self.receiver.snapshot()
                              if r["path"] == "/flap" and r["headers"].get("x-sivo-delivery-attempt") != "1"}
            dead = self.dead_letters(self.endpoints["/fail"])
            if expect_ok <= ok and expect_flap <= flap_delivered and expect_dead <= dead:
                return ok, dead
            time.sleep(0.5)
        ok = set(self.receiver.event_ids("/ok"))
        self.fail(f"not settled: {len(expect_ok - ok)} acked events never reached /ok, "
                  f"{len(expect_dead - self.dead_letters(self.endpoints['/fail']))} not in the DLQ")

    def test_sigkill_at_random_moments_loses_nothing_acknowledged(self):
        sender = Sender(self.engine, "acme")
        sender.start()
        for _ in range(KILLS):
            time.sleep(random.uniform(0.3, 1.2))
            self.engine.kill()
            time.sleep(random.uniform(0.0, 0.3))
            self.engine.start()
        time.sleep(1.0)
        sender.stop.set()
        sender.join()
        acked = dict(sender.acked)
        self.assertGreater(len(acked), 100, "the sender got too few events through")

        ok, dead = self.wait_until_settled(acked)
        # Exactly the always-failing endpoint's events are dead: nothing that
        # was not a transcript segment, nothing that was never sent.
        self.assertTrue(all(sender.sent.get(i) == "transcript.segment" for i in dead))
        self.assertEqual(self.receiver.event_ids("/none"), [])
        self.assertEqual(self.dead_letters(self.endpoints["/ok"]), set())
        deliveries = self.receiver.event_ids("/ok")
        duplicates = len(deliveries) - len(set(deliveries))
        print(f"\n[ measure ] {KILLS} kills, {len(acked)} acknowledged events, "
              f"{len(set(deliveries))} delivered to /ok, duplicate rate "
              f"{duplicates / max(1, len(set(deliveries))):.4%}", flush=True)

    def test_sigterm_under_load_exits_zero_and_loses_nothing(self):
        sender = Sender(self.engine, "acme")
        sender.start()
        time.sleep(2.0)
        code = self.engine.terminate()
        sender.stop.set()
        sender.join()
        self.assertEqual(code, 0)
        self.engine.start()
        self.wait_until_settled(dict(sender.acked))


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
