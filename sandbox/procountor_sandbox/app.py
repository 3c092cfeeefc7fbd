"""The WSGI application: faults, gateway, rate limit, then the Procountor endpoints.

The order mirrors the real path of a request: network and load-balancer failures happen
before the Azure gateway, which answers before the rate limiter and the API proper.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from . import admin, api, index, login, oauth
from .faults import Fault, FaultRegistry
from .ratelimit import RateLimiter
from .requestlog import NO_RESPONSE, LoggedRequest, RequestLog
from .responses import AZURE_403, NGINX_500, error, raw_html, unauthorized
from .state import SandboxState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)
CONNECTION_KEY = "procountor_sandbox.connection"
"""The WSGI environ key where the server puts the number of the request's TCP connection."""
TOKEN_PATHS = ("/api/oauth/token", "/api/oauth/token/")
# The API is served at /api and at the versioned paths of Procountor's release notes
# (/latest, /supported, /vYYMM; docs/sandbox.md). The token endpoint is only at /api.
API_PREFIX = re.compile(r"^/(?:api|latest|supported|v\d{4})(?:/|$)")
LOGIN_PATHS = ("/login", "/login/")


class DropConnection(ConnectionError):
    """Tells the server to close the socket without an answer (werkzeug treats it as a
    dropped connection, so nothing is printed)."""


class SandboxApp:
    def __init__(
        self,
        state: SandboxState,
        faults: FaultRegistry,
        limiter: RateLimiter,
        log: RequestLog,
        stopping: threading.Event,
        mark_reset: Callable[[socket.socket], None],
    ) -> None:
        self.state = state
        self.faults = faults
        self.limiter = limiter
        self.log = log
        self.stopping = stopping
        self.mark_reset = mark_reset

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        path = request.path
        if path == "/_sandbox" or path.startswith("/_sandbox/"):
            return admin.handle(self, request)(environ, start_response)
        started = time.time()
        status = NO_RESPONSE
        client: list[str | None] = [None]
        try:
            fault = self.faults.take(request.method, path)
            response = self._run(request, environ, fault, client)
            status = response.status_code
            return response(environ, start_response)
        finally:
            self.log.add(
                LoggedRequest(
                    request.method,
                    path,
                    request.query_string.decode("latin-1"),
                    status,
                    started,
                    client[0],
                    int(environ.get(CONNECTION_KEY, 0)),
                )
            )

    def _run(
        self,
        request: Request,
        environ: WSGIEnvironment,
        fault: Fault | None,
        client: list[str | None],
    ) -> Response:
        if fault is None:
            return self._safe_handle(request, client)
        if fault.kind == "reset":
            client[0] = self._bearer_client(request)
            self.mark_reset(environ["werkzeug.socket"])
            raise DropConnection("injected reset")
        if fault.kind == "commit_then_drop":
            self._safe_handle(request, client)
            raise DropConnection("injected commit_then_drop")
        if fault.kind == "delay":
            self.stopping.wait(fault.delay or 0.0)
            return self._safe_handle(request, client)
        client[0] = self._bearer_client(request)
        if fault.kind == "http_500_html":
            return raw_html(500, NGINX_500)
        if fault.kind == "http_401":
            return unauthorized()
        retry = {"Retry-After": str(fault.retry_after if fault.retry_after is not None else 1)}
        if fault.kind == "http_503":
            response = raw_html(503, "<html><body><h1>503 Service Unavailable</h1></body></html>")
        else:
            response = error(429, "Too Many Requests")
        response.headers.update(retry)
        return response

    def _safe_handle(self, request: Request, client: list[str | None]) -> Response:
        try:
            return self._handle(request, client)
        except HTTPException as exc:  # e.g. the client vanished while sending its body
            return error(exc.code or 400, exc.description or "Bad Request")
        except Exception:
            logger.exception("sandbox bug while handling %s %s", request.method, request.path)
            return error(500, "Internal sandbox error")

    def _bearer_client(self, request: Request) -> str | None:
        value = oauth.bearer(request)
        if not value:
            return None
        with self.state.lock:
            token = self.state.access.get(value)
            return token.client_id if token is not None else None

    def _limited(self, client_id: str | None) -> Response | None:
        if client_id is None or self.limiter.allow(client_id):
            return None
        # Undocumented by Procountor; the sandbox's choice (docs/sandbox.md).
        response = error(429, "Too Many Requests")
        response.headers["Retry-After"] = "1"
        return response

    def _handle(self, request: Request, client: list[str | None]) -> Response:
        path = request.path
        has_body = (request.content_length or 0) > 0 or "chunked" in request.headers.get(
            "Transfer-Encoding", ""
        ).lower()
        if request.method in ("GET", "HEAD") and has_body:
            # The Azure Application Gateway in front of Procountor refuses these (docs/procountor-api.md §6 [S2] 2.3.1).
            return raw_html(403, AZURE_403)
        if path in LOGIN_PATHS:
            client[0] = login.param(request, "client_id")
            return login.login(self.state, request)
        if path in TOKEN_PATHS:
            client[0] = oauth.token_request_client(request)
            return self._limited(client[0]) or oauth.token(self.state, request)
        if path == "/logout":
            client[0] = self._bearer_client(request)
            return self._limited(client[0]) or oauth.logout(self.state, request)
        if API_PREFIX.match(path):
            client[0] = self._bearer_client(request)
            limited = self._limited(client[0])
            if limited is not None:
                return limited
            value = oauth.bearer(request)
            with self.state.lock:
                token = self.state.valid_access(value) if value else None
            if token is None:
                return unauthorized()
            return api.dispatch(self.state, request, token)
        if path == "/" and request.method in ("GET", "HEAD"):
            return index.page(self.state, request)
        return error(404, "Not Found")
