"""The transport under the Label Studio session: one retry policy, declared once, and request logs.

Idempotent requests are retried on transient failures with backoff until a deadline; a
request that creates something (a POST) is never re-sent here: the algorithm that sent it
checks whether it landed (see `workbench.studio.imports`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

log = logging.getLogger("workbench.studio.client")
http_log = logging.getLogger("workbench.http")  # one line per request: `workbench -vv`

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LOOPBACK_REFUSED_SECONDS = 3.0


# -- the retry policy ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RetryPolicy:
    """Which requests are retried, on which failures, how often and for how long."""

    seconds: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    first_wait: float = 0.5
    longest_wait: float = 8.0

    # Sending these twice leaves the server as sending them once (our PATCHes always carry the
    # whole value). A POST creates something: only the algorithm that sent it can check
    # whether it landed, so it is never re-sent here (its error says `.retryable`).
    IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
    SAFE_POSTS = ("/api/token/refresh/",)  # exchanges a token, creates nothing
    STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
    ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

    def covers(self, request: httpx.Request) -> bool:
        """Whether the transport may send this request again after a transient failure."""
        return request.method in self.IDEMPOTENT or request.url.path.endswith(self.SAFE_POSTS)

    def transient(self, failure: Exception | int | None) -> bool:
        """Whether a failure (an exception or an HTTP status) may pass on a later attempt."""
        if isinstance(failure, int):
            return failure in self.STATUSES
        return isinstance(failure, self.ERRORS)

    def backoff(self) -> Backoff:
        """A fresh schedule of waits whose deadline starts now."""
        return Backoff(self)


class Backoff:
    """Waits of 0.5 s doubling to 8 s, as long as the next one ends before the deadline."""

    def __init__(self, policy: RetryPolicy):
        self._policy = policy
        self._deadline = time.monotonic() + policy.seconds
        self._wait = policy.first_wait

    def shorten(self, seconds: float) -> None:
        """Give up sooner: at most `seconds` from now."""
        self._deadline = min(self._deadline, time.monotonic() + seconds)

    def wait(self) -> bool:
        """Sleep before the next attempt; False (without sleeping) when time is up."""
        if time.monotonic() + self._wait > self._deadline:
            return False
        self._policy.sleep(self._wait)
        self._wait = min(self._wait * 2, self._policy.longest_wait)
        return True


class RetryTransport(httpx.BaseTransport):
    """An httpx transport that applies the retry policy to every request the session sends."""

    def __init__(self, inner: httpx.BaseTransport, policy: RetryPolicy):
        self._inner = inner
        self._policy = policy

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One attempt, logged as method, path, status and time (`workbench -vv`)."""
        started = time.monotonic()
        try:
            response = self._inner.handle_request(request)
        except httpx.HTTPError as exc:
            http_log.debug("%s %s failed after %.3f s: %s", request.method, request.url.path,
                           time.monotonic() - started, type(exc).__name__)
            raise
        http_log.debug("%s %s %s %.3f s", request.method, request.url.path,
                       response.status_code, time.monotonic() - started)
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self._policy.covers(request):
            return self._send(request)
        backoff = self._policy.backoff()
        attempts = 0
        while True:
            attempts += 1
            try:
                response = self._send(request)
            except self._policy.ERRORS as exc:
                limit = self._policy.seconds
                if isinstance(exc, httpx.ConnectError) and request.url.host in LOOPBACK:
                    # Nothing listens on this machine's port: a server restarting takes a
                    # second or two, a stopped one never comes back. Do not wait a minute.
                    limit = min(limit, LOOPBACK_REFUSED_SECONDS)
                    backoff.shorten(limit)
                if not backoff.wait():
                    raise
                # The first retry is said without -v too (a warning): never a silent minute.
                (log.warning if attempts == 1 else log.info)(
                    "Label Studio at %s did not answer %s %s (%s); retrying for up to %.0f s",
                    request.url.host, request.method, request.url.path, type(exc).__name__, limit)
                continue
            if not self._policy.transient(response.status_code):
                return response
            response.read()  # frees the connection; the body may explain the failure
            if not backoff.wait():
                return response
            log.info("retrying %s %s after HTTP %s", request.method, request.url.path,
                     response.status_code)

    def close(self) -> None:
        self._inner.close()
