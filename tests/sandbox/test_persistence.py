"""``SandboxConfig.state_file``: the mutable state survives a restart (docs/sandbox.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from procountor_sandbox import Sandbox, StateFileError

from .sandbox_helpers import ADMIN, BAKERY, TODAY, Api, browser_login, code_from, exchange, receipt, token_request

Factory = Callable[..., Sandbox]


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "sandbox.json"


def _start(factory: Factory, path: Path) -> Sandbox:
    return factory(today=TODAY, rate_limit_per_second=None, state_file=path)


def _restart(factory: Factory, sb: Sandbox, path: Path) -> Sandbox:
    sb.stop()
    return _start(factory, path)


def _company(sb: Sandbox, token: str) -> requests.Response:
    return requests.get(sb.api_url + "/company", headers={"Authorization": f"Bearer {token}"}, timeout=5)


def _refresh(sb: Sandbox, refresh_token: str) -> requests.Response:
    return token_request(sb, grant_type="refresh_token", refresh_token=refresh_token)


def test_tokens_issued_before_a_restart_still_authorize_after_it(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    login = exchange(sb, code_from(browser_login(sb))["code"]).json()
    helper = sb.issue_tokens(ADMIN, BAKERY)

    again = _restart(sandbox_factory, sb, state_path)

    for token in (login["access_token"], helper["access_token"]):
        answer = _company(again, token)
        assert answer.status_code == 200, answer.text
        assert answer.json()["id"] == BAKERY
    assert _company(again, "not-a-token").status_code == 401


def test_a_refresh_token_rotated_before_a_restart_works_after_it(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    first = sb.issue_tokens(ADMIN, BAKERY)
    rotated = _refresh(sb, first["refresh_token"]).json()
    assert rotated["refresh_token"] != first["refresh_token"]

    again = _restart(sandbox_factory, sb, state_path)

    dead = _refresh(again, first["refresh_token"])
    assert (dead.status_code, dead.json()["error"]) == (400, "invalid_grant")
    fresh = _refresh(again, rotated["refresh_token"])
    assert fresh.status_code == 200, fresh.text
    assert _company(again, fresh.json()["access_token"]).status_code == 200


def test_expiry_is_absolute_and_revocations_survive(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    expired = sb.issue_tokens(ADMIN, BAKERY)
    sb.expire_access_tokens()
    revoked = sb.issue_tokens(ADMIN, BAKERY)
    sb.revoke_refresh_tokens()

    again = _restart(sandbox_factory, sb, state_path)

    assert _company(again, expired["access_token"]).status_code == 401
    assert _company(again, revoked["access_token"]).status_code == 200
    assert _refresh(again, revoked["refresh_token"]).json()["error"] == "invalid_grant"


def test_receipts_with_exact_decimals_and_notes_survive(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    api = Api(sb, sb.issue_tokens(ADMIN, BAKERY)["access_token"])
    body = receipt(invoiceNotes="Line one\nLine two – ä")
    body["transactions"][0]["accountingValue"] = 5000.10
    body["transactions"][0]["dimensionItemValues"][0]["value"] = 3000.10
    body["transactions"][2]["accountingValue"] = -4000.10
    first = api.post("/ledgerreceipts", json=body)
    assert first.status_code == 200, first.text
    assert api.put(f"/ledgerreceipts/{first.json()['id']}/approve").status_code == 200
    before = sb.receipts(BAKERY)

    again = _restart(sandbox_factory, sb, state_path)

    after = again.receipts(BAKERY)
    assert after == before
    row = after[0]["transactions"][0]
    assert isinstance(row["accountingValue"], Decimal)
    assert str(row["accountingValue"]) == "5000.10"
    assert after[0]["invoiceNotes"] == "Line one\nLine two – ä"
    assert after[0]["status"] == "APPROVED"

    api2 = Api(again, api.token)
    shown = api2.get(f"/ledgerreceipts/{first.json()['id']}").json()
    assert shown["version"] == before[0]["version"]
    second = api2.post("/ledgerreceipts", json=receipt()).json()
    assert second["receiptNumber"] == before[0]["receiptNumber"] + 1
    assert second["id"] > before[0]["id"]
    old_rows = {t["id"] for t in before[0]["transactions"]}
    assert not old_rows & {t["id"] for t in second["transactions"]}


def test_world_edits_survive(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    api = Api(sb, sb.issue_tokens(ADMIN, BAKERY)["access_token"])
    created = api.post("/dimensions/501/items", json={"codeName": "400", "description": "Turku"})
    assert created.status_code == 200, created.text
    sb.set_dimension_item_status(BAKERY, 7001, False)
    sb.set_tracking_period_status(BAKERY, 2025, 3, "CLOSED")
    sb.set_journal_rights("demo.viewer", BAKERY, "NO_ACCESS")

    again = _restart(sandbox_factory, sb, state_path)

    api2 = Api(again, api.token)
    items = {i["id"]: i for i in api2.get("/dimensions/501").json()["items"]}
    assert items[created.json()["id"]]["codeName"] == "400"
    assert items[7001].get("status") == "P"
    assert "status" not in items[7002]
    newer = api2.post("/dimensions/501/items", json={"codeName": "500"}).json()
    assert newer["id"] > created.json()["id"]
    duplicate = api2.post("/dimensions/501/items", json={"codeName": "400"})
    assert duplicate.status_code == 400
    periods = {
        p["startDate"]: p["status"]
        for fy in api2.get("/fiscalyears").json()["fiscalYears"]
        for p in fy["trackingPeriods"]
    }
    assert periods["2025-03-01"] == "CLOSED"
    assert periods["2025-04-01"] == "OPEN"
    viewer = Api(again, again.issue_tokens("demo.viewer", BAKERY)["access_token"])
    rights = viewer.get("/users/rights").json()
    assert rights["rights"]["accounting"]["journalReceipts"] == "NO_ACCESS"


def test_api_keys_and_their_revocation_survive(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    kept, dropped = sb.issue_api_key(ADMIN, BAKERY), sb.issue_api_key(ADMIN, BAKERY)
    answer = token_request(sb, grant_type="client_credentials", redirect_uri=sb.redirect_uri, api_key=dropped)
    dropped_token = answer.json()["access_token"]
    sb.revoke_api_key(dropped)

    again = _restart(sandbox_factory, sb, state_path)

    ok = token_request(again, grant_type="client_credentials", redirect_uri=again.redirect_uri, api_key=kept)
    assert ok.status_code == 200, ok.text
    assert _company(again, ok.json()["access_token"]).status_code == 200
    refused = token_request(again, grant_type="client_credentials", redirect_uri=again.redirect_uri, api_key=dropped)
    assert refused.json()["error"] == "invalid_grant"
    assert _company(again, dropped_token).status_code == 401


def test_revoke_api_key_refuses_the_key_and_kills_its_tokens(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(rate_limit_per_second=None)
    key, other = sb.issue_api_key(ADMIN, BAKERY), sb.issue_api_key(ADMIN, BAKERY)
    tokens = [
        token_request(sb, grant_type="client_credentials", redirect_uri=sb.redirect_uri, api_key=k).json()
        for k in (key, other)
    ]
    sb.revoke_api_key(key)
    assert _company(sb, tokens[0]["access_token"]).status_code == 401
    assert _company(sb, tokens[1]["access_token"]).status_code == 200
    refused = token_request(sb, grant_type="client_credentials", redirect_uri=sb.redirect_uri, api_key=key)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    with pytest.raises(ValueError, match="unknown API key"):
        sb.revoke_api_key("no-such-key")


def test_state_is_saved_after_each_mutating_request(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    api = Api(sb, sb.issue_tokens(ADMIN, BAKERY)["access_token"])
    assert api.post("/ledgerreceipts", json=receipt()).status_code == 200
    saved = json.loads(state_path.read_text(encoding="utf-8"))
    assert len(saved["companies"][str(BAKERY)]["receipts"]) == 1
    # a second sandbox reading the file while the first still runs (as after a crash)
    crashed = Sandbox(sb.config)
    assert len(crashed.receipts(BAKERY)) == 1
    assert [p.name for p in state_path.parent.iterdir()] == [state_path.name]  # no temp files left


@pytest.mark.parametrize("content", ["{not json", '{"format": 1}', "[]", '{"format": 99}'])
def test_a_corrupt_state_file_is_a_clear_error_naming_the_file(state_path: Path, content: str) -> None:
    from procountor_sandbox import SandboxConfig

    state_path.parent.mkdir(parents=True)
    state_path.write_text(content, encoding="utf-8")
    with pytest.raises(StateFileError, match=r"sandbox\.json") as raised:
        Sandbox(SandboxConfig(state_file=state_path))
    assert str(state_path) in str(raised.value)


def test_an_unreadable_state_file_is_a_clear_error(state_path: Path) -> None:
    from procountor_sandbox import SandboxConfig

    state_path.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(StateFileError, match="cannot read") as raised:
        Sandbox(SandboxConfig(state_file=state_path))
    assert str(state_path) in str(raised.value)


def test_a_missing_state_file_starts_from_the_seed(sandbox_factory: Factory, state_path: Path) -> None:
    sb = _start(sandbox_factory, state_path)
    assert sb.receipts(BAKERY) == []
    assert not state_path.exists()
    sb.stop()
    assert state_path.exists()


def test_without_a_state_file_nothing_is_written(
    sandbox_factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sb = sandbox_factory(today=TODAY, rate_limit_per_second=None)
    api = Api(sb, sb.issue_tokens(ADMIN, BAKERY)["access_token"])
    assert api.post("/ledgerreceipts", json=receipt()).status_code == 200
    sb.stop()
    assert os.listdir(tmp_path) == []
