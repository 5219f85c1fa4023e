"""A Label Studio that does not answer: said at once without -v, and no minute lost on loopback."""

from __future__ import annotations

import logging

import httpx
import pytest

from workbench.core.errors import StudioUnreachable
from workbench.studio.client import Studio
from workbench.studio.transport import LOOPBACK_REFUSED_SECONDS


def refusing(attempts: list):
    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        raise httpx.ConnectError("connection refused", request=request)
    return handler


def test_a_refused_loopback_port_is_given_up_in_seconds_not_the_retry_minute(caplog, clock):
    attempts: list = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=600, sleep=clock.sleep,
                    transport=httpx.MockTransport(refusing(attempts)))
    caplog.set_level(logging.INFO, logger="workbench")
    with pytest.raises(StudioUnreachable, match="cannot reach Label Studio at http://127.0.0.1:9"):
        studio.whoami()
    waits = clock.sleeps
    assert sum(waits) <= LOOPBACK_REFUSED_SECONDS and len(attempts) == len(waits) + 1
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "retrying for up to 3 s" in warned[0].getMessage()


def test_a_remote_server_is_retried_until_its_deadline_with_one_warning(caplog, clock):
    attempts: list = []
    waits = clock.sleeps
    studio = Studio("http://labelstudio.invalid", "k" * 40, retry_seconds=20, sleep=clock.sleep,
                    transport=httpx.MockTransport(refusing(attempts)))
    caplog.set_level(logging.INFO, logger="workbench")
    with pytest.raises(StudioUnreachable):
        studio.whoami()
    assert waits[:4] == [0.5, 1.0, 2.0, 4.0] and sum(waits) > LOOPBACK_REFUSED_SECONDS
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "retrying for up to 20 s" in warned[0].getMessage()
    assert len([r for r in caplog.records if "retrying" in r.getMessage()]) == len(waits)
