"""Recorded exchanges after a run is booked: its journal document attached, and the run taken back.

One exchange of each: ``POST /attachments`` (multipart: ``meta`` + ``file``) and
``PUT /ledgerreceipts/{id}/invalidate``. The multipart body is byte-for-byte the same on every run
(its boundary comes from the content), which is what lets it replay.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount
from nmbrs_hookspecs.undo import UndoState
from nmbrs_procountor_devtools.demo_data import COMPANY
from tests.cassette_tests.conftest import Target
from tests.cassette_tests.support import YEAR, all_played, exchanges
from tests.cassette_tests.test_cassettes_export import BALANCED, mapped, one_period_journal, posts

pytestmark = pytest.mark.vcr


def _raw_body(vcr: Any, path: str) -> bytes:
    [body] = [r.body for r, _ in vcr.data if r.uri.split("?")[0].endswith(path)]
    return body if isinstance(body, bytes) else str(body).encode("utf-8")


def test_a_booked_receipt_gets_its_journal_document(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    account = mapped(host, target, authorized_account)
    journal = one_period_journal("run-document", *BALANCED)

    result = host.export_journal(admin, account.id, COMPANY, journal)

    assert result.status == "sent", result.problems
    [post] = posts(vcr)
    [attach] = [e for e in exchanges(vcr) if e.path == "/api/attachments"]
    assert attach.method == "POST"
    assert attach.status == 200
    assert attach.answer["referenceType"] == "INVOICE"
    assert attach.answer["referenceId"] == post.answer["invoiceId"]
    assert attach.answer["name"] == f"{journal.reference} {YEAR}-06.csv"
    body = _raw_body(vcr, "/api/attachments")
    meta = {
        "name": f"{journal.reference} {YEAR}-06.csv",
        "referenceType": "INVOICE",
        "referenceId": post.answer["invoiceId"],
        "sendWithInvoice": False,
    }
    assert json.dumps(meta, separators=(",", ":")).encode() in body
    assert b"\xef\xbb\xbfRivi;Kausi;Tili;Selite;" in body
    assert f"1;{YEAR}-06;5000;line 5000;;;10,00;\r\n".encode() in body
    assert all_played(vcr)


def test_a_sent_run_is_taken_back(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    account = host.create_account(admin, "procountor", "undoer", {"attach_journal_lines": False})
    target.authorize(host, account)
    mapped(host, target, account)
    journal = one_period_journal("run-undo", *BALANCED)
    sent = host.export_journal(admin, account.id, COMPANY, journal)
    assert sent.status == "sent", sent.problems

    result = host.undo_journal(admin, account.id, COMPANY, journal)

    assert result.status == "undone", result.problems
    assert [r.state for r in result.receipts] == [UndoState.INVALIDATED]
    [receipt] = sent.receipts
    [put] = [e for e in exchanges(vcr) if e.method == "PUT"]
    assert (put.path, put.status) == (f"/api/ledgerreceipts/{receipt.external_id}/invalidate", 200)
    assert all_played(vcr)
