"""Real parts for end-to-end tests of the built binary, stdlib only.

- ThrowawayCa: a CA and a localhost certificate made with the openssl CLI.
- Receiver: a real HTTPS server on 127.0.0.1 recording every delivery, with a
  switchable answer (a status code, or a function of the request).
- Engine: the sivo-webhooks binary on a data dir, started, killed (SIGKILL) or
  stopped (SIGTERM) and restarted; `api()` calls its HTTP API.
"""

import http.client
import http.server
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCa:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sivo-ca-")
        d = self.dir
        run = lambda *args: subprocess.run(args, check=True, capture_output=True)
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.pem", "-days", "2",
            "-subj", "/CN=sivo test CA")
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{d}/server.key", "-out", f"{d}/server.csr", "-subj", "/CN=localhost")
        with open(f"{d}/ext.cnf", "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        run("openssl", "x509", "-req", "-in", f"{d}/server.csr", "-CA", f"{d}/ca.pem",
            "-CAkey", f"{d}/ca.key", "-CAcreateserial", "-out", f"{d}/server.pem", "-days", "2",
            "-extfile", f"{d}/ext.cnf")
        self.ca_file = f"{d}/ca.pem"
        self.cleanup = lambda: shutil.rmtree(d, ignore_errors=True)
        self.cert_file = f"{d}/server.pem"
        self.key_file = f"{d}/server.key"


class Receiver:
    """Records (path, headers, body) of every POST; answers `self.answer(request)`."""

    def __init__(self, ca, status=200):
        self.lock = threading.Lock()
        self.requests = []
        self.answer = lambda request: status
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": body, "at": time.time()}
                with receiver.lock:
                    receiver.requests.append(request)
                code = receiver.answer(request)
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ca.cert_file, ca.key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook"):
        return f"https://localhost:{self.port}{path}"

    def snapshot(self):
        with self.lock:
            return list(self.requests)

    def event_ids(self, path=None):
        return [r["headers"].get("x-sivo-event-id") for r in self.snapshot()
                if path is None or r["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Engine:
    def __init__(self, binary, ca, retry_schedule="200ms,200ms,200ms,200ms,200ms,200ms",
                 extra_args=()):
        self.binary = binary
        self.data_dir = tempfile.mkdtemp(prefix="sivo-data-")
        self.port = free_port()
        self.token = "admin-" + os.urandom(8).hex()
        self.args = [binary, "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
                     "--admin-token", self.token, "--ca-file", ca.ca_file,
                     "--allow-private-networks", "--retry-schedule", retry_schedule, *extra_args]
        self.process = None
        self.log_path = self.data_dir + ".log"
        self.log = open(self.log_path, "ab")

    def close(self):
        """Kills the process if it still runs and removes its files."""
        if self.process and self.process.poll() is None:
            self.kill()
        self.log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        os.unlink(self.log_path)

    def start(self, timeout=20):
        self.process = subprocess.Popen(self.args, stdout=self.log, stderr=self.log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"engine exited with {self.process.returncode} at start")
            try:
                status, _ = self.api("GET", "/healthz", token=None, timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("engine did not become healthy")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self, timeout=20):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def api(self, method, path, body=None, token="admin", timeout=15):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if token == "admin":
            token = self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, (json.loads(data) if data else None)
        finally:
            connection.close()
