"""Both kinds of key, without the SDK: legacy tokens as is, personal access tokens exchanged."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from workbench.core.errors import StudioAuthError
from workbench.studio.auth import jwt_claims
from workbench.studio.client import Studio


def jwt(**claims) -> str:
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'HS256'})}.{part(claims)}.signature"


def server(log: list, *, reject_first: int = 0):
    """A fake Label Studio: /api/token/refresh/ hands out access tokens; whoami wants one."""
    issued: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        log.append((request.method, request.url.path, request.headers.get("Authorization")))
        if request.url.path == "/api/token/refresh/":
            assert json.loads(request.content)["refresh"].count(".") == 2
            issued.append(jwt(token_type="access", exp=time.time() + 300, n=len(issued)))
            return httpx.Response(200, json={"access": issued[-1]})
        if request.headers.get("Authorization") != f"Bearer {issued[-1] if issued else ''}":
            return httpx.Response(401, json={"detail": "bad token"})
        if reject_first and len([x for x in log if x[1] != "/api/token/refresh/"]) <= reject_first:
            return httpx.Response(401, json={"detail": "token not valid"})
        return httpx.Response(200, json={"id": 1, "email": "a@b.c"})

    return httpx.MockTransport(answer)


def test_a_personal_access_token_is_exchanged_once_and_reused():
    log: list = []
    refresh = jwt(token_type="refresh", exp=time.time() + 3600)
    studio = Studio("http://ls.test", refresh, transport=server(log))
    assert studio.whoami() == {"id": 1, "email": "a@b.c"}
    assert studio.whoami()["id"] == 1
    paths = [path for _m, path, _a in log]
    assert paths.count("/api/token/refresh/") == 1 and paths.count("/api/current-user/whoami") == 2
    assert all(auth.startswith("Bearer ") for _m, path, auth in log if path != "/api/token/refresh/")
    assert refresh not in repr(studio) and refresh not in repr(studio._http.auth)


def test_an_access_token_refused_early_is_exchanged_again_once():
    log: list = []
    studio = Studio("http://ls.test", jwt(token_type="refresh", exp=time.time() + 3600),
                    transport=server(log, reject_first=1))
    assert studio.whoami()["id"] == 1
    assert [path for _m, path, _a in log].count("/api/token/refresh/") == 2


def test_a_legacy_token_is_sent_as_is():
    log: list = []

    def answer(request):
        log.append(request.headers.get("Authorization"))
        return httpx.Response(200, json={"id": 2, "email": "x@y.z"})

    studio = Studio("http://ls.test", "f" * 40, transport=httpx.MockTransport(answer))
    assert studio.whoami()["id"] == 2 and log == ["Token " + "f" * 40]


def test_an_expired_personal_access_token_is_one_clear_error():
    with pytest.raises(StudioAuthError, match="expired.*Account & Settings") as info:
        Studio("http://ls.test", jwt(token_type="refresh", exp=time.time() - 10))
    assert "eyJ" not in str(info.value)


def test_a_refused_exchange_names_the_fix():
    def answer(request):
        return httpx.Response(401, json={"detail": "Token is blacklisted"})

    studio = Studio("http://ls.test", jwt(token_type="refresh", exp=time.time() + 3600),
                    transport=httpx.MockTransport(answer))
    with pytest.raises(StudioAuthError, match="refused the personal access token"):
        studio.whoami()


def test_jwt_claims_reads_tokens_and_refuses_the_rest():
    assert jwt_claims(jwt(exp=5, token_type="refresh")) == {"exp": 5, "token_type": "refresh"}
    for junk in ("f" * 40, "a.b.c", "..", "x.eyJ.y", ""):
        assert jwt_claims(junk) is None
