"""What answers before the API proper: 401, the Azure gateway's 403, rights, the rate limit."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import ADMIN, BAKERY, VIEWER, Api, api_for, receipt

UNAUTHORIZED = {"errors": [{"status": 401, "message": "Unauthorized"}]}


def test_missing_or_unknown_token_is_401_with_procountor_body(sandbox: Sandbox) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        answer = requests.get(sandbox.api_url + "/company", headers=headers, timeout=5)
        assert answer.status_code == 401
        assert answer.json() == UNAUTHORIZED


def test_get_with_a_body_is_403_even_with_a_valid_token(api: Api) -> None:
    answer = api.get("/coa", json={})
    assert answer.status_code == 403
    assert api.get("/coa").status_code == 200
    answer = api.get("/ledgerreceipts", data="x")
    assert answer.status_code == 403


def test_viewer_can_read_but_not_write(quiet_sandbox: Sandbox) -> None:
    viewer = api_for(quiet_sandbox, VIEWER, BAKERY)
    assert viewer.get("/users/rights").json()["rights"]["accounting"]["journalReceipts"] == ("VIEWING_RIGHTS")
    assert viewer.get("/ledgerreceipts").status_code == 200
    denied = viewer.post("/ledgerreceipts", json=receipt())
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["status"] == 403
    assert quiet_sandbox.receipts(BAKERY) == []


def test_rights_changes_take_effect_immediately(quiet_sandbox: Sandbox) -> None:
    admin = api_for(quiet_sandbox, ADMIN, BAKERY)
    quiet_sandbox.set_journal_rights(ADMIN, BAKERY, "NO_ACCESS")
    assert admin.get("/ledgerreceipts").status_code == 403
    assert admin.post("/ledgerreceipts", json=receipt()).status_code == 403
    quiet_sandbox.set_journal_rights(ADMIN, BAKERY, "VIEWING_RIGHTS")
    assert admin.post("/ledgerreceipts", json=receipt()).status_code == 403
    quiet_sandbox.set_journal_rights(VIEWER, BAKERY, "ALL_RIGHTS")
    viewer = api_for(quiet_sandbox, VIEWER, BAKERY)
    assert viewer.post("/ledgerreceipts", json=receipt()).status_code == 200


def test_unknown_path_and_wrong_method(api: Api) -> None:
    missing = api.get("/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["status"] == 404
    assert api.request("DELETE", "/coa").status_code == 405


def test_rate_limit_answers_429_with_retry_after(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(rate_limit_per_second=5)
    admin = api_for(sb)
    answers = [admin.get("/company") for _ in range(7)]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    limited = answers[5]
    assert limited.headers["Retry-After"] == "1"
    assert limited.json() == {"errors": [{"status": 429, "message": "Too Many Requests"}]}
    time.sleep(1.0)
    assert admin.get("/company").status_code == 200


def test_token_requests_count_against_the_client(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(rate_limit_per_second=3)
    body = {
        "grant_type": "refresh_token",
        "refresh_token": "unknown",
        "client_id": sb.client_id,
        "client_secret": sb.client_secret,
    }
    statuses = [requests.post(sb.api_url + "/oauth/token", data=body, timeout=5).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_rate_limit_can_be_disabled(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(rate_limit_per_second=None)
    admin = api_for(sb)
    assert {admin.get("/company").status_code for _ in range(40)} == {200}
