"""Connections stay open between requests, as at Procountor's gateway, so reuse can be seen.

Each logged request carries the number of the TCP connection that brought it; a client that
reuses its connection shows one number, a client that does not shows a new one per request.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import Api, api_for, receipt, token_request


def connections(sb: Sandbox) -> list[int]:
    return [r.connection for r in sb.request_log]


def test_one_session_sends_every_request_over_one_connection(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.clear_request_log()
    opened = quiet_sandbox.connection_count
    statuses = [api.get("/coa").status_code, api.post("/ledgerreceipts", json=receipt()).status_code]
    statuses.append(api.get("/fiscalyears").status_code)
    assert statuses == [200, 200, 200]
    assert len(set(connections(quiet_sandbox))) == 1
    assert quiet_sandbox.connection_count == opened + 1  # one connection opened, for all three
    assert connections(quiet_sandbox)[0] > 0


def test_separate_connections_get_separate_numbers(quiet_sandbox: Sandbox) -> None:
    first, second = api_for(quiet_sandbox), api_for(quiet_sandbox)
    quiet_sandbox.clear_request_log()
    first.get("/coa")
    second.get("/coa")
    first.get("/coa")
    numbers = connections(quiet_sandbox)
    assert numbers[0] == numbers[2]
    assert numbers[0] != numbers[1]


def test_an_answer_sent_before_the_body_was_read_leaves_the_connection_usable(quiet_sandbox: Sandbox, api: Api) -> None:
    # The gateway refuses a GET with a body without looking at the body; the next request on the
    # same connection must still be read from its own first line.
    refused = api.request("GET", "/coa", data=b'{"padding": "' + b"x" * 50_000 + b'"}')
    assert refused.status_code == 403
    assert api.get("/company").status_code == 200
    assert len(set(connections(quiet_sandbox)[-2:])) == 1


def test_a_client_that_asks_to_close_gets_a_closed_connection(quiet_sandbox: Sandbox) -> None:
    token = quiet_sandbox.issue_tokens("demo.admin", 10001)["access_token"]
    host, port = quiet_sandbox.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(
            f"GET /api/company HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := raw.recv(65536):  # ends only because the server closes
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")


def test_an_injected_reset_still_drops_the_connection_and_the_next_request_opens_a_new_one(
    quiet_sandbox: Sandbox, api: Api
) -> None:
    api.get("/coa")
    quiet_sandbox.inject_fault("GET", "/api/coa", "reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get("/coa")
    assert api.get("/coa").status_code == 200
    numbers = connections(quiet_sandbox)
    assert numbers[-1] != numbers[0]


def test_token_calls_and_api_calls_share_the_client_s_rate_limit(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(rate_limit_per_second=3)
    api = api_for(sb)
    statuses = [api.get("/company").status_code, api.get("/company").status_code]
    statuses.append(token_request(sb, grant_type="refresh_token", refresh_token="unknown").status_code)
    statuses.append(api.get("/company").status_code)
    assert statuses == [200, 200, 400, 429]
