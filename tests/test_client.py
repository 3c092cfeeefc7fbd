"""The Procountor client: retries that never duplicate a write, timeouts, and no body on GET."""

from __future__ import annotations

import pytest

from nmbrs_procountor_plugin.api.client import ProcountorClient, retry_policy
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.api.pacing import Pacer
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, DEMO_USER


class FixedToken:
    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def refresh_after_rejection(self, rejected: str) -> str:
        return self.token

    def mark_expired(self) -> None:
        return None


def client_for(sb: Sandbox, pacer: Pacer, timeout: float = 5.0) -> ProcountorClient:
    return ProcountorClient(
        sb.api_url, FixedToken(sb.issue_tokens(DEMO_USER, COMPANY_1)["access_token"]), timeout=timeout, pacer=pacer
    )


def test_reads_are_retried_on_5xx_and_429(sandbox: Sandbox, pacer: Pacer) -> None:
    sandbox.inject_fault("GET", "/api/coa", "http_500_html", count=1)
    sandbox.inject_fault("GET", "/api/coa", "http_429", count=1, retry_after=1)
    accounts = client_for(sandbox, pacer).chart_of_accounts()
    assert "5000" in {a["ledgerAccountCode"] for a in accounts}
    statuses = [r.status for r in sandbox.request_log if r.path == "/api/coa"]
    assert statuses == [500, 429, 200]


def test_a_write_answered_with_500_is_not_retried_blindly(sandbox: Sandbox, pacer: Pacer) -> None:
    sandbox.inject_fault("POST", "/api/dimensions/501/items", "http_500_html", count=1)
    with pytest.raises(ProcountorUnavailable) as lost:
        client_for(sandbox, pacer).create_dimension_item(501, "900", "Turku")
    assert lost.value.uncertain
    assert len([r for r in sandbox.request_log if r.method == "POST"]) == 1


def test_a_write_refused_with_429_is_retried_after_the_pause(sandbox: Sandbox, pacer: Pacer) -> None:
    sandbox.inject_fault("POST", "/api/dimensions/501/items", "http_429", count=1, retry_after=1)
    item = client_for(sandbox, pacer).create_dimension_item(501, "901", "Pori")
    assert item["codeName"] == "901"
    assert [r.status for r in sandbox.request_log if r.method == "POST"] == [429, 200]


def test_a_slow_answer_times_out_and_a_write_is_then_uncertain(sandbox: Sandbox, pacer: Pacer) -> None:
    sandbox.inject_fault("POST", "/api/dimensions/501/items", "delay", count=1, delay=2.0)
    with pytest.raises(ProcountorUnavailable) as slow:
        client_for(sandbox, pacer, timeout=0.5).create_dimension_item(501, "902", "Vaasa")
    assert slow.value.uncertain


def test_a_refused_connection_is_certain_nothing_was_sent(pacer: Pacer) -> None:
    client = ProcountorClient("http://127.0.0.1:9/api", FixedToken("t"), timeout=1, pacer=pacer)
    client._http.get_adapter("http://").max_retries = retry_policy(0)  # type: ignore[attr-defined]
    with pytest.raises(ProcountorUnavailable) as refused:
        client.create_dimension_item(1, "x", "y")
    assert not refused.value.uncertain


def test_get_with_a_body_is_refused_before_sending(sandbox: Sandbox, pacer: Pacer) -> None:
    with pytest.raises(ValueError, match="GET requests must not carry a body"):
        client_for(sandbox, pacer).request("GET", "/coa", json_body={"x": 1})
    assert sandbox.request_log == []
