"""A real browser completes the login: headless Chromium on the sandbox's page, second company.

The browser lands on a tiny callback receiver (standing in for the host's redirect URI), whose
query string is handed to the callback hook exactly as a host's web route would. Debian's
``/usr/bin/chromium`` is used; Playwright never downloads a browser.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from nmbrs_hookspecs.types import Actor
from tests.conftest import COMPANY_2, DEMO_PASSWORD, DEMO_USER, make_host

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CALLBACK_PATH = "/procountor/callback"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


class CallbackReceiver:
    """The host's redirect URI in miniature: remembers the query it was called with."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == CALLBACK_PATH:
                    receiver.received.append(dict(parse_qsl(parts.query)))
                    receiver.arrived.set()
                body = b"<html><body><h1>Back in Nmbrs</h1></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # the query holds a code
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{CALLBACK_PATH}"

    def __enter__(self) -> CallbackReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    with CallbackReceiver() as running:
        yield running


def test_real_browser_logs_in_and_authorizes_the_second_company(
    sandbox_factory: Callable[..., Sandbox], receiver: CallbackReceiver, admin: Actor
) -> None:
    from playwright.sync_api import sync_playwright

    sb = sandbox_factory(redirect_uri=receiver.url)
    host = make_host(sb)
    try:
        account = host.create_account(admin, "procountor", "browser-bureau")
        url = host.authorization_url(admin, account.id)

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(url)
                page.fill("input[name=username]", DEMO_USER)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[value=login]")
                page.wait_for_selector("select[name=company]")
                page.select_option("select[name=company]", str(COMPANY_2))
                page.click("button[value=login]")
                page.wait_for_url(receiver.url + "?*", timeout=15_000)
                assert "Back in Nmbrs" in page.content()
            finally:
                browser.close()

        assert receiver.arrived.wait(5)
        (params,) = receiver.received
        assert set(params) == {"code", "state"}
        status = host.authorization_callback(admin, account.id, params)
        assert status.state == "authorized"
        assert status.administration is not None
        assert status.administration.id == str(COMPANY_2)
        assert status.administration.name == "Kuusi Consulting Oy"
        assert host.account_status(admin, account.id).administration == status.administration
    finally:
        host.close()
