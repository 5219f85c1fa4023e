"""The API key on every request: a legacy token as is, a personal access token exchanged.

Label Studio takes two kinds of key. A legacy token goes in `Authorization: Token KEY`. A
personal access token is a JWT refresh token: it is exchanged at POST /api/token/refresh/
for an access token that lives 5 minutes and goes in `Authorization: Bearer ACCESS`; it is
exchanged again before it expires, and once more when the server answers 401.
Done here rather than by the SDK so that the commands that do not need the SDK (a push:
importing it costs ~2.4 s) never import it.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Generator

import httpx

from workbench.core.errors import StudioAuthError

REFRESH_PATH = "api/token/refresh/"
EARLY = 30.0  # exchange an access token this many seconds before it expires


def jwt_claims(token: str) -> dict | None:
    """The claims of a JWT, read without checking its signature (the server checks it), or None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


class KeyAuth(httpx.Auth):
    """httpx authentication with a Label Studio key of either kind.

    `refresher` sends the exchange request (an unauthenticated client on the same transport,
    so the exchange is retried like any idempotent call).
    """

    def __init__(self, api_key: str, url: str, refresher: httpx.Client):
        self._key = api_key
        self._url = url.rstrip("/")
        self._refresher = refresher
        self._lock = threading.Lock()
        self._access: str | None = None
        self._expires = 0.0
        claims = jwt_claims(api_key)
        self.legacy = claims is None
        if not self.legacy:
            expiry = claims.get("exp")
            if not isinstance(expiry, (int, float)) or expiry < time.time():
                raise StudioAuthError(
                    f"Label Studio at {self._url}: the personal access token has "
                    f"{'expired' if isinstance(expiry, (int, float)) else 'no expiry'}; create a "
                    f"new one in Account & Settings and set LABEL_STUDIO_API_KEY")
            if claims.get("token_type") == "access":  # an access token given as is
                self._access, self._expires = api_key, float(expiry)

    def __repr__(self) -> str:  # never show the key
        return f"KeyAuth(legacy={self.legacy})"

    def _exchange(self) -> str:
        response = self._refresher.post(f"{self._url}/{REFRESH_PATH}", json={"refresh": self._key})
        if response.status_code >= 400:
            raise StudioAuthError(
                f"Label Studio at {self._url} refused the personal access token (HTTP "
                f"{response.status_code} at /{REFRESH_PATH}); create a new one in Account & "
                f"Settings and set LABEL_STUDIO_API_KEY")
        try:
            access = response.json()["access"]
        except (ValueError, KeyError, TypeError):
            raise StudioAuthError(f"Label Studio at {self._url} gave no access token at "
                                  f"/{REFRESH_PATH}; check LABEL_STUDIO_URL") from None
        claims = jwt_claims(access) or {}
        expiry = claims.get("exp")
        self._access = access
        self._expires = float(expiry) if isinstance(expiry, (int, float)) else time.time() + 240
        return access

    def access_token(self, renew: bool = False) -> str:
        """A live access token (exchanged when missing, about to expire, or `renew`)."""
        with self._lock:
            if renew or self._access is None or time.time() > self._expires - EARLY:
                return self._exchange()
            return self._access

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.legacy:
            request.headers["Authorization"] = f"Token {self._key}"
            yield request
            return
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        response = yield request
        if response.status_code == 401:  # expired early, or revoked: one fresh exchange
            request.headers["Authorization"] = f"Bearer {self.access_token(renew=True)}"
            yield request
