"""POST /attachments as the official definition states it, and invalidation's open-period rule.

docs/procountor-api.md §3c: multipart with ``meta`` (Attachment) and ``file``, at most 10,000,000
bytes, ``referenceType`` INVOICE with the receipt's ``invoiceId`` for JOURNAL receipts.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from procountor_sandbox import Sandbox, SandboxConfig

from .sandbox_helpers import BAKERY, VIEWER, Api, api_for, receipt

LIMIT = 10_000_000


def meta(invoice_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Payroll 2025-06.csv",
        "referenceType": "INVOICE",
        "referenceId": invoice_id,
        "sendWithInvoice": False,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def attach(api: Api, attachment: dict[str, Any], content: bytes = b"Tili;Debet\r\n5000;1,00\r\n") -> requests.Response:
    files = {
        "meta": (None, json.dumps(attachment), "application/json"),
        "file": (attachment.get("name", "x.csv"), content, "text/csv"),
    }
    return api.post("/attachments", files=files)


@pytest.fixture
def journal(api: Api) -> dict[str, Any]:
    answer = api.post("/ledgerreceipts", json=receipt())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_attachment_lands_on_the_journal_through_its_invoice_id(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any]
) -> None:
    answer = attach(api, meta(journal["invoiceId"]), b"\xef\xbb\xbfTili;Debet\r\n")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["referenceType"] == "INVOICE"
    assert body["referenceId"] == journal["invoiceId"]
    assert body["mimeType"] == "text/csv"
    listed = api.get(f"/ledgerreceipts/{journal['id']}").json()["attachments"]
    assert [a["id"] for a in listed] == [body["id"]]
    stored = quiet_sandbox.attachments(BAKERY)
    assert [a["content"] for a in stored] == [b"\xef\xbb\xbfTili;Debet\r\n"]
    assert [(r.method, r.path, r.status) for r in quiet_sandbox.request_log][-2] == ("POST", "/api/attachments", 200)


def test_meta_may_come_as_a_plain_form_field(api: Api, journal: dict[str, Any]) -> None:
    answer = api.post(
        "/attachments",
        data={"meta": json.dumps(meta(journal["invoiceId"]))},
        files={"file": ("Payroll 2025-06.csv", b"a;b\r\n", "text/csv")},
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "Payroll 2025-06"}, "name"),  # no file extension
        ({"name": None}, "name"),
        ({"referenceType": "RECEIPT"}, "referenceType"),
        ({"referenceType": None}, "referenceType"),
        ({"referenceId": "12"}, "referenceId"),
        ({"sendWithInvoice": None}, "sendWithInvoice"),
        ({"sendWithInvoice": True}, "sendWithInvoice"),  # only for sales invoices and orders
        ({"referenceId": 1}, "referenceId"),  # no such invoice
    ],
)
def test_attachment_fields_are_checked(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    answer = attach(api, meta(journal["invoiceId"], **overrides))
    assert answer.status_code == 400, answer.text
    assert [e.get("field") for e in answer.json()["errors"]] == [field]
    assert quiet_sandbox.attachments(BAKERY) == []


def test_a_journal_is_referenced_through_its_invoice_not_as_ledgerreceipt(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any]
) -> None:
    answer = attach(api, meta(journal["id"], referenceType="LEDGERRECEIPT"))
    assert answer.status_code == 400
    assert "INVOICE" in answer.json()["errors"][0]["message"]
    assert quiet_sandbox.attachments(BAKERY) == []


def test_the_size_limit_is_ten_million_bytes(quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any]) -> None:
    assert attach(api, meta(journal["invoiceId"], name="at-limit.csv"), b"x" * LIMIT).status_code == 200
    over = attach(api, meta(journal["invoiceId"], name="over.csv"), b"x" * (LIMIT + 1))
    assert over.status_code == 400
    assert over.json()["errors"][0]["message"] == "File size too big"
    assert [a["name"] for a in quiet_sandbox.attachments(BAKERY)] == ["at-limit.csv"]


def test_attaching_needs_write_rights_and_multipart(quiet_sandbox: Sandbox, journal: dict[str, Any], api: Api) -> None:
    viewer = api_for(quiet_sandbox, VIEWER)
    assert attach(viewer, meta(journal["invoiceId"])).status_code == 403
    assert api.post("/attachments", json=meta(journal["invoiceId"])).status_code == 415
    assert quiet_sandbox.attachments(BAKERY) == []


def test_attachment_faults_reset_and_commit_then_drop(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any]
) -> None:
    quiet_sandbox.inject_fault("POST", "/api/attachments", "reset")
    with pytest.raises(requests.ConnectionError):
        attach(api, meta(journal["invoiceId"], name="first.csv"))
    quiet_sandbox.inject_fault("POST", "/api/attachments", "commit_then_drop")
    with pytest.raises(requests.ConnectionError):
        attach(api, meta(journal["invoiceId"], name="second.csv"))
    assert [a["name"] for a in quiet_sandbox.attachments(BAKERY)] == ["second.csv"]


def test_invalidate_commit_then_drop_invalidates_without_an_answer(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any]
) -> None:
    path = f"/api/ledgerreceipts/{journal['id']}/invalidate"
    quiet_sandbox.inject_fault("PUT", path, "commit_then_drop")
    with pytest.raises(requests.ConnectionError):
        api.put(f"/ledgerreceipts/{journal['id']}/invalidate")
    assert quiet_sandbox.receipts(BAKERY)[0]["status"] == "INVALIDATED"
    assert ("PUT", path, 0) in [(r.method, r.path, r.status) for r in quiet_sandbox.request_log]


@pytest.mark.parametrize("status", ["CLOSED", "PENDING"])
def test_invalidate_needs_an_open_period(
    quiet_sandbox: Sandbox, api: Api, journal: dict[str, Any], status: str
) -> None:
    quiet_sandbox.set_tracking_period_status(BAKERY, 2025, 6, status)
    assert api.put(f"/ledgerreceipts/{journal['id']}/invalidate").status_code == 403
    quiet_sandbox.set_tracking_period_status(BAKERY, 2025, 6, "OPEN")
    assert api.put(f"/ledgerreceipts/{journal['id']}/invalidate").status_code == 200
    assert quiet_sandbox.receipts(BAKERY)[0]["status"] == "INVALIDATED"


def test_attachments_survive_a_restart(tmp_path: Any) -> None:
    from tests.sandbox.sandbox_helpers import TODAY

    config = SandboxConfig(today=TODAY, rate_limit_per_second=None, state_file=tmp_path / "state.json")
    with Sandbox(config) as first:
        api = api_for(first)
        made = api.post("/ledgerreceipts", json=receipt()).json()
        assert attach(api, meta(made["invoiceId"]), b"\xef\xbb\xbfa;b\r\n").status_code == 200
    with Sandbox(config) as second:
        assert [a["content"] for a in second.attachments(BAKERY)] == [b"\xef\xbb\xbfa;b\r\n"]
        assert len(second.receipts(BAKERY)[0]["attachments"]) == 1
