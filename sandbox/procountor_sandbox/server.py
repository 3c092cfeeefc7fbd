"""``Sandbox``: a threaded loopback HTTP server around the sandbox application.

Built on werkzeug's development server, with three additions the tests need: every handler
thread is tracked so ``stop()`` leaves no thread or socket behind; a socket can be marked
for an abortive close (SO_LINGER 0 → TCP RST) to simulate a connection reset; and connections
are kept alive (HTTP/1.1), as Procountor's gateway keeps them, so a client's connection reuse
can be seen: each request is logged with the number of the connection that carried it.

werkzeug's server closes every connection after one answer (it sends ``Connection: close``)
because the application may leave part of a request body unread, and the next request line
would then be read from the middle of it. Here the whole body is read before the application
runs (:meth:`_Handler.make_environ`), so the stream always stands at the next request and the header can
be left out. A connection is still closed when the client asks for it, when an answer breaks off
(werkzeug marks that itself), and for the injected faults that drop or reset it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import logging
import socket
import struct
import threading
import time
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .app import CONNECTION_KEY, SandboxApp
from .config import SandboxConfig
from .faults import FaultRegistry
from .persist import StateFile, load_file
from .ratelimit import RateLimiter
from .requestlog import LoggedRequest, RequestLog
from .state import SandboxState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

JOIN_TIMEOUT = 5.0
logger = logging.getLogger(__name__)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _SavingApp:
    """Saves the state file after every request that may have changed the state."""

    def __init__(self, app: SandboxApp, state_file: StateFile) -> None:
        self.app = app
        self.state_file = state_file

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self.app(environ, start_response)
        finally:
            path = environ.get("PATH_INFO", "")
            if environ.get("REQUEST_METHOD") not in _READ_METHODS and not path.startswith("/_sandbox"):
                try:
                    self.state_file.save()
                except Exception:  # the answer must still go out; stop() saves (and raises) again
                    logger.exception("could not save the sandbox state to %s", self.state_file.path)


def _whole_body(environ: WSGIEnvironment) -> bytes:
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):  # chunked: werkzeug's reader stops at the last chunk
        return bytes(stream.read())
    length = str(environ.get("CONTENT_LENGTH") or "0")
    return bytes(stream.read(int(length))) if length.isdigit() and int(length) > 0 else b""


class _Handler(WSGIRequestHandler):
    # Set explicitly: werkzeug otherwise mutates its shared handler class when threaded.
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle or stalled client cannot pin a thread for ever
    server: _Server
    connection_number = 0
    _socket_reader: Any = None

    def setup(self) -> None:
        super().setup()
        self.connection_number = self.server.count_connection()
        # The answer goes out in several writes (status line, headers, body); on a kept-alive
        # connection Nagle's algorithm would hold the last one for the client's delayed ACK (~40 ms).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def make_environ(self) -> WSGIEnvironment:
        environ = super().make_environ()
        environ[CONNECTION_KEY] = self.connection_number
        environ["wsgi.input"] = io.BytesIO(_whole_body(environ))
        # After the answer werkzeug drains "whatever is left" from the socket (it expects to
        # close it), which would swallow the client's next request: let it drain nothing.
        self._socket_reader = self.rfile
        self.rfile = io.BytesIO()
        return environ

    def run_wsgi(self) -> None:
        self._socket_reader = None
        try:
            super().run_wsgi()
        finally:
            if self._socket_reader is not None:
                self.rfile = self._socket_reader

    def send_header(self, keyword: str, value: str) -> None:
        # werkzeug adds "Connection: close" to every answer; the body is already read in full
        # (make_environ), so the connection can stay open for the client's next request.
        if keyword.lower() == "connection" and value.lower() == "close":
            return
        super().send_header(keyword, value)

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error" or self.server.verbose:
            super().log(type, message, *args)

    def connection_dropped(self, error: BaseException, environ: Any | None = None) -> None:
        # Without this the handler would wait for another request on a connection that the
        # application deliberately left unanswered.
        self.close_connection = True


class _Server(ThreadedWSGIServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, app: WSGIApplication, verbose: bool, fd: int) -> None:
        self.verbose = verbose
        self._tracked_lock = threading.Lock()
        self._live: dict[threading.Thread, socket.socket] = {}
        self._reset: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._numbers = itertools.count(1)
        self.connections_opened = 0
        super().__init__(host, port, app, handler=_Handler, fd=fd)

    def count_connection(self) -> int:
        """A number for a newly accepted connection (1, 2, ...)."""
        with self._tracked_lock:
            self.connections_opened += 1
            return next(self._numbers)

    def mark_reset(self, sock: socket.socket) -> None:
        with self._tracked_lock:
            self._reset.add(sock)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._run_request,
            args=(request, client_address),
            daemon=True,
            name=f"procountor-sandbox-{client_address}",
        )
        with self._tracked_lock:
            self._live[thread] = request
        thread.start()

    def _run_request(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracked_lock:
                self._live.pop(threading.current_thread(), None)

    def shutdown_request(self, request: Any) -> None:
        with self._tracked_lock:
            abort = request in self._reset
        if abort:
            with contextlib.suppress(OSError):
                request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_request(request)  # close with linger 0 = RST, no FIN first
            return
        super().shutdown_request(request)

    def stop_connections(self) -> None:
        """Unblock handler threads still reading, then wait for all of them."""
        with self._tracked_lock:
            live = dict(self._live)
        # One grace period for all: with keep-alive, idle connections are normal at stop time.
        grace = time.monotonic() + 0.5
        for thread in live:
            thread.join(timeout=max(0.0, grace - time.monotonic()))
        with self._tracked_lock:
            live = dict(self._live)
        for sock in live.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in live:
            thread.join(timeout=JOIN_TIMEOUT)

    def live_threads(self) -> int:
        with self._tracked_lock:
            return len(self._live)


class ListenError(OSError):
    """The sandbox cannot listen on the address it was given; the message names it and the cause."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        where = f"{host}:{port}"
        if cause.errno == errno.EADDRINUSE:
            self.message = (
                f"cannot listen on {where}: port {port} is in use by another program; stop it or choose another port"
            )
        elif cause.errno == errno.EACCES:
            self.message = f"cannot listen on {where}: permission denied (ports below 1024 need administrator rights)"
        elif cause.errno == errno.EADDRNOTAVAIL:
            self.message = f"cannot listen on {where}: {host} is not an address of this machine"
        elif isinstance(cause, socket.gaierror):
            self.message = f"cannot listen on {where}: {host} is not a known host name or address"
        else:
            self.message = f"cannot listen on {where}: {cause.strerror or cause}"

    def __str__(self) -> str:
        return self.message


def _listen(host: str, port: int) -> socket.socket:
    """Bind and listen here rather than in werkzeug, which prints to stderr and exits on failure."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's own server does
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ListenError(host, port, exc) from None
    return sock


class Sandbox:
    """A local, strict stand-in for Procountor's REST API (see docs/sandbox.md)."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config if config is not None else SandboxConfig()
        self._state = SandboxState(self.config)
        self._state_file: StateFile | None = None
        if self.config.state_file is not None:
            load_file(self._state, self.config.state_file)  # StateFileError names the file
            self._state_file = StateFile(self._state, self.config.state_file)
        self._faults = FaultRegistry()
        self._log = RequestLog()
        self._limiter = RateLimiter(self.config.rate_limit_per_second)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._server is not None:
            raise RuntimeError("sandbox already started")
        self._stopping.clear()
        app = SandboxApp(
            self._state,
            self._faults,
            self._limiter,
            self._log,
            self._stopping,
            self._mark_reset,
        )
        wsgi: WSGIApplication = app if self._state_file is None else _SavingApp(app, self._state_file)
        listening = _listen(self.config.host, self.config.port)
        try:
            server = _Server(self.config.host, self.config.port, wsgi, self.config.log_requests, listening.fileno())
        finally:
            listening.close()  # the server holds its own duplicate of the socket
        self._server = server
        self._port = server.port
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="procountor-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        if thread is not None:
            thread.join(timeout=JOIN_TIMEOUT)
        server.stop_connections()
        server.server_close()
        self._server = None
        self._thread = None
        self.save_state()

    def save_state(self) -> None:
        """Write the state file now (no-op without ``SandboxConfig.state_file``)."""
        if self._state_file is not None:
            self._state_file.save()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until Ctrl-C (or ``stop()`` from another thread), then shut down cleanly."""
        if self._server is None:
            self.start()
        try:
            while self._server is not None and not self._stopping.wait(0.2):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def _mark_reset(self, sock: socket.socket) -> None:
        if self._server is not None:
            self._server.mark_reset(sock)

    # --- addresses and credentials -------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("sandbox not started: the port is only known after start()")
        host = self.config.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self._port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api"

    @property
    def client_id(self) -> str:
        return self.config.client_id

    @property
    def client_secret(self) -> str:
        return self.config.client_secret

    @property
    def redirect_uri(self) -> str:
        return self.config.redirect_uri

    def describe(self) -> str:
        c = self.config
        lines = [
            "Procountor sandbox",
            f"  base URL      {self.base_url if self._port is not None else '(not started)'}",
            f"  API URL       {self.api_url if self._port is not None else '(not started)'}",
            f"  login page    {self.base_url + '/login' if self._port is not None else '-'}",
            f"  client id     {self.client_id}",
            f"  client secret {self.client_secret}",
            f"  redirect URI  {self.redirect_uri}",
            f"  switches      token_error_shape={c.token_error_shape} rotate_refresh_tokens={c.rotate_refresh_tokens} "
            f"keep_invoice_notes={c.keep_invoice_notes} pending_periods={c.pending_periods}",
            "  demo users:",
        ]
        with self._state.lock:
            for user in self._state.users.values():
                lines.append(f"    {user.username} / {user.password}")
                for company in self._state.user_companies(user):
                    right = user.rights[company.id]
                    lines.append(
                        f"      company {company.id} {company.name} (Y-tunnus {company.business_id}) journals: {right}"
                    )
        return "\n".join(lines)

    # --- test helpers --------------------------------------------------------------------
    def issue_tokens(self, username: str, company_id: int) -> dict[str, Any]:
        return self._state.issue_tokens(username, company_id)

    def issue_api_key(self, username: str, company_id: int) -> str:
        return self._state.issue_api_key(username, company_id)

    def revoke_api_key(self, key: str) -> None:
        """Revoke an API key as a company admin would: ``client_credentials`` with it then gets
        ``invalid_grant`` and the access tokens it produced answer 401."""
        self._state.revoke_api_key(key)

    def expire_access_tokens(self) -> None:
        self._state.expire_access_tokens()

    def live_grants(self) -> int:
        """How many login grants still honour their refresh token (for tests that end grants)."""
        with self._state.lock:
            return sum(1 for grant in self._state.grants.values() if grant.alive)

    def revoke_refresh_tokens(self) -> None:
        self._state.revoke_refresh_tokens()

    def set_journal_rights(self, username: str, company_id: int, right: str) -> None:
        self._state.set_journal_rights(username, company_id, right)

    def set_search_rights(self, username: str, company_id: int, level: str, personal_only: bool = False) -> None:
        self._state.set_search_rights(username, company_id, level, personal_only)

    def set_tracking_period_status(self, company_id: int, year: int, month: int, status: str) -> None:
        self._state.set_tracking_period_status(company_id, year, month, status)

    def set_dimension_item_status(self, company_id: int, item_id: int, active: bool) -> None:
        self._state.set_dimension_item_status(company_id, item_id, active)

    def receipts(self, company_id: int) -> list[dict[str, Any]]:
        return self._state.receipts(company_id)

    def count_receipts(self, company_id: int, name: str) -> int:
        """How many stored receipts are named ``name`` (cheap: fit to poll while serving)."""
        return self._state.count_receipts(company_id, name)

    def attachments(self, company_id: int) -> list[dict[str, Any]]:
        """Stored attachments with their file (``content``, bytes), oldest first."""
        return self._state.attachments(company_id)

    def delete_attachment(self, company_id: int, attachment_id: int) -> None:
        """Delete an attachment as an accountant would by hand in Procountor (no request logged)."""
        self._state.delete_attachment(company_id, attachment_id)

    def invalidate_receipt(self, company_id: int, receipt_id: int) -> None:
        """Invalidate a receipt as an accountant would by hand in Procountor (no request logged)."""
        self._state.invalidate_receipt(company_id, receipt_id)

    @property
    def connection_count(self) -> int:
        """How many TCP connections the sandbox has accepted since it started."""
        return self._server.connections_opened if self._server is not None else 0

    @property
    def request_log(self) -> list[LoggedRequest]:
        return self._log.snapshot()

    def clear_request_log(self) -> None:
        self._log.clear()

    def inject_fault(
        self,
        method: str,
        path: str,
        kind: str,
        count: int = 1,
        *,
        retry_after: int | None = None,
        delay: float | None = None,
    ) -> None:
        self._faults.add(method, path, kind, count, retry_after=retry_after, delay=delay)

    def clear_faults(self) -> None:
        self._faults.clear()

    def _live_handler_threads(self) -> int:
        return self._server.live_threads() if self._server is not None else 0
