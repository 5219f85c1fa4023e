"""A loopback HTTP proxy of our own that disturbs requests: drops, resets, delays and 502s.

Fault injection for the integration tests only. It listens on 127.0.0.1, forwards to one
upstream on loopback, disturbs about `rate` of the requests with a seeded generator, and
stops injecting after `max_faults` (so every loop it causes is bounded).
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

FAULTS = ("refuse_502", "drop_before", "delay", "landed_502", "landed_reset")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "content-length", "content-encoding"}


class FaultProxy:
    """Forward HTTP to `upstream`, disturbing about `rate` of the requests."""

    def __init__(self, upstream: str, *, rate: float = 0.2, seed: int = 0, max_faults: int = 500,
                 faults=FAULTS, delay: float = 0.5):
        host = urlsplit(upstream).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fault proxy only forwards to loopback")
        self.upstream = upstream.rstrip("/")
        self.rate, self.max_faults, self.faults, self.delay = rate, max_faults, tuple(faults), delay
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: Counter = Counter()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _pick(self) -> str | None:
        with self._lock:
            self.counts["requests"] += 1
            if self.counts["faults"] >= self.max_faults or self._rng.random() >= self.rate:
                return None
            fault = self._rng.choice(self.faults)
            self.counts["faults"] += 1
            self.counts[fault] += 1
            return fault

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _reset(self):
                # RST instead of FIN: the client sees "connection reset by peer"
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def _reply(self, status, headers, body):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
                return requests.request(self.command, proxy.upstream + self.path, data=body,
                                        headers=headers, timeout=300, allow_redirects=False)

            def _handle(self):
                fault = proxy._pick()
                if fault == "refuse_502":
                    length = int(self.headers.get("Content-Length") or 0)
                    self.rfile.read(length)
                    return self._reply(502, [("Content-Type", "text/html")], b"<h1>502 Bad Gateway</h1>")
                if fault == "drop_before":
                    return self._reset()
                if fault == "delay":
                    time.sleep(proxy.delay)
                upstream = self._forward()
                if fault == "landed_502":
                    return self._reply(502, [("Content-Type", "text/html")], b"<h1>502 Bad Gateway</h1>")
                if fault == "landed_reset":
                    return self._reset()
                headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP]
                self._reply(upstream.status_code, headers, upstream.content)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        return Handler
