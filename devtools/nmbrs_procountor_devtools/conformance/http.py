"""The kit's one way to talk to Procountor: paced, with timeouts, every exchange kept for the record.

The kit reads raw answers (a refusal's shape is what it is looking for), so it uses ``requests``
directly rather than the plugin's client, which would interpret them. Calls are paced well under
Procountor's 20 requests per second per client (docs/procountor-api.md §6): exceeding it "may
result in suspending the service for the API client", and a maintainer runs this with the
product's real client.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

import requests

TIMEOUT: Final = (5.0, 30.0)  # connect, read
MIN_INTERVAL: Final = 0.2  # at most 5 requests per second
FORM: Final = "application/x-www-form-urlencoded"  # no charset: Procountor refuses one (release 24.08)


@dataclass(frozen=True, repr=False)
class Exchange:
    """One request as sent and the answer as received, bytes untouched."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status: int
    reason: str
    response_headers: dict[str, str]
    response_body: bytes


@dataclass
class Probe:
    """HTTP to one environment: ``base_url`` (login, token, logout) and ``api_url`` (the API)."""

    base_url: str
    api_path: str = "/api"
    min_interval: float = MIN_INTERVAL
    exchanges: list[Exchange] = field(default_factory=list, repr=False)  # they hold live tokens
    _http: requests.Session = field(default_factory=requests.Session, repr=False)
    _last: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def api_url(self) -> str:
        return self.base_url + self.api_path

    @property
    def token_url(self) -> str:
        # The token endpoint stays under /api whichever API path is chosen (docs/procountor-api.md §2).
        return self.base_url + "/api/oauth/token"

    def _pace(self) -> None:
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        params: Mapping[str, str] | None = None,
        follow_redirects: bool = False,
    ) -> requests.Response:
        self._pace()
        response = self._http.request(
            method,
            url,
            headers=dict(headers or {}),
            data=body,
            params=params,
            timeout=TIMEOUT,
            allow_redirects=follow_redirects,
        )
        sent = response.request
        raw = sent.body
        self.exchanges.append(
            Exchange(
                method=method,
                url=str(sent.url),
                request_headers=dict(sent.headers),
                request_body=raw.encode("utf-8") if isinstance(raw, str) else raw,
                status=response.status_code,
                reason=response.reason or "",
                response_headers=dict(response.headers),
                response_body=response.content,
            )
        )
        return response

    def token(self, form: Mapping[str, str]) -> requests.Response:
        return self.send(
            "POST",
            self.token_url,
            headers={"Content-Type": FORM, "Accept": "application/json"},
            body=urlencode(form).encode(),
        )

    def api(
        self, method: str, path: str, access_token: str, body: bytes | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return self.send(method, self.api_url + path, headers=headers, body=body, **kwargs)

    def close(self) -> None:
        self._http.close()
