"""The journal document on every receipt, against the sandbox: content, exactly once, faults, size limit."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests

from nmbrs_hookspecs.booking import RunKey
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, IntegrationAccount, Journal, JournalLine, Period
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1
from tests.test_export import dims

YEAR = date.today().year
ATTACHMENTS = "/api/attachments"


@pytest.fixture
def mapped(host: ReferenceHost, authorized_account: IntegrationAccount, admin: Actor) -> IntegrationAccount:
    host.save_mapping(admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    return authorized_account


def amount(cell: str) -> Decimal:
    """A cell as a Finnish spreadsheet reads it: decimal comma, empty = 0."""
    return Decimal(cell.replace(",", ".")) if cell else Decimal("0.00")


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and LibreOffice read it as UTF-8
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def attachment_posts(sb: Sandbox) -> list[Any]:
    return [r for r in sb.request_log if r.method == "POST" and r.path == ATTACHMENTS]


def test_each_receipt_carries_its_periods_journal_lines_as_a_csv(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    result = host.export_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "sent", result.problems
    assert not [p for p in result.problems if p.code.startswith("procountor.attachment")]

    receipts = {str(r["id"]): r for r in sandbox.receipts(COMPANY_1)}
    documents = {a["id"]: a for a in sandbox.attachments(COMPANY_1)}
    assert len(documents) == 6
    for sent in result.receipts:
        receipt = receipts[sent.external_id]
        [listed] = receipt["attachments"]
        document = documents[listed["id"]]
        assert document["name"] == f"{journal.reference} {sent.period}.csv"
        assert (document["referenceType"], document["referenceId"]) == ("INVOICE", receipt["invoiceId"])
        assert document["sendWithInvoice"] is False
        rows = read_csv(document["content"])
        header, body, total = rows[0], rows[1:-1], rows[-1]
        assert header == ["Rivi", "Kausi", "Tili", "Selite", "Kustannuspaikka", "Kustannusyksikkö", "Debet", "Kredit"]
        expected = [(i + 1, line) for i, line in enumerate(journal.lines) if line.period == sent.period]
        assert [int(r[0]) for r in body] == [number for number, _ in expected]
        for row, (_, line) in zip(body, expected, strict=True):
            assert row[1:6] == [
                str(sent.period),
                line.ledger_account,
                line.description,
                line.cost_center or "",
                line.cost_unit or "",
            ]
            assert amount(row[6]) - amount(row[7]) == line.amount
            assert "." not in row[6] + row[7]  # the decimal comma
        assert total[3] == "Yhteensä"
        assert amount(total[6]) == sent.total == amount(total[7])  # the receipt's debits, and it balances
    café = read_csv(documents[receipts[result.receipts[-1].external_id]["attachments"][0]["id"]]["content"])
    assert "Wages Tampere café" in [r[3] for r in café]

    run = RunKey(mapped.id, COMPANY.id, journal.run_id)
    assert [len(r.attachments) for r in host.ledger.records(run)] == [1] * 6
    sandbox.clear_request_log()
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "already_sent"
    assert not attachment_posts(sandbox)  # the ledger says they are attached: nothing sent, nothing read


@pytest.mark.parametrize("fault", ["http_500_html", "reset", "commit_then_drop"])
def test_a_failed_attachment_keeps_the_booking_and_the_next_send_attaches_it_once(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, fault: str
) -> None:
    journal = june_run(YEAR)
    sandbox.inject_fault("POST", ATTACHMENTS, fault)

    first = host.export_journal(admin, mapped.id, COMPANY, journal)

    assert first.status == "sent", first.problems
    assert len(first.receipts) == 6
    missing = [p for p in first.problems if p.code == "procountor.attachment.missing"]
    if fault == "commit_then_drop":  # it landed: reading the receipt back says so
        assert missing == []
    else:
        assert [p.severity for p in missing] == ["warning"]
        assert f"January {first.receipts[0].period.year}" in missing[0].message
    assert len(sandbox.receipts(COMPANY_1)) == 6

    sandbox.clear_request_log()
    second = host.export_journal(admin, mapped.id, COMPANY, journal)

    assert second.status == "already_sent", second.problems
    assert not [p for p in second.problems if p.code.startswith("procountor.attachment")]
    assert not [r for r in sandbox.request_log if r.method == "POST" and r.path == "/api/ledgerreceipts"]
    assert len(attachment_posts(sandbox)) == (0 if fault == "commit_then_drop" else 1)
    assert [len(r["attachments"]) for r in sandbox.receipts(COMPANY_1)] == [1] * 6
    assert len(sandbox.attachments(COMPANY_1)) == 6
    run = RunKey(mapped.id, COMPANY.id, journal.run_id)
    assert [len(r.attachments) for r in host.ledger.records(run)] == [1] * 6


def test_an_attachment_that_landed_unrecorded_is_found_on_the_receipt_not_sent_again(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    """The ledger lost the record (a worker died after the POST): the receipt's list is the fallback."""
    journal = june_run(YEAR)
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "sent"
    run = RunKey(mapped.id, COMPANY.id, journal.run_id)
    with host.db.transaction() as conn:  # as if never recorded
        conn.execute("UPDATE booking_records SET attachments = '[]'")
    assert [len(r.attachments) for r in host.ledger.records(run)] == [0] * 6
    sandbox.clear_request_log()
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "already_sent"
    assert not attachment_posts(sandbox)
    assert [len(r.attachments) for r in host.ledger.records(run)] == [1] * 6


def test_an_oversized_journal_period_is_refused_before_anything_is_sent(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    march = Period(YEAR, 3)
    # 40,000 lines of 255-character descriptions: March's document is about 11 MB.
    text = "Palkka " + "x" * 248
    lines = [JournalLine("5000", Decimal("1.00"), text, march) for _ in range(20_000)]
    lines += [JournalLine("2939", Decimal("-1.00"), text, march) for _ in range(20_000)]
    june = june_run(YEAR)
    journal = replace(june, lines=(*june.lines, *lines))
    sandbox.clear_request_log()

    plan = host.preview_export(admin, mapped.id, COMPANY, journal)
    result = host.export_journal(admin, mapped.id, COMPANY, journal)

    for problems in (plan.problems, result.problems):
        [too_large] = [p for p in problems if p.code == "procountor.attachment.too_large"]
        assert too_large.blocking
        assert f"March {march.year}" in too_large.message
        assert "10,000,000" in too_large.message
    assert result.status == "blocked"
    assert not [r for r in sandbox.request_log if r.method != "GET"]
    assert sandbox.receipts(COMPANY_1) == []


def test_the_setting_off_attaches_nothing(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "no-documents", {"attach_journal_lines": False})
    host.credentials.put(account.id, host.credentials.get(authorized_account.id).data, 0)  # type: ignore[union-attr]
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    journal: Journal = june_run(YEAR)
    assert host.export_journal(admin, account.id, COMPANY, journal).status == "sent"
    assert not attachment_posts(sandbox)
    assert sandbox.attachments(COMPANY_1) == []


def test_the_ledger_is_the_first_answer_a_document_deleted_by_hand_is_not_sent_again(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "sent"
    first = sandbox.attachments(COMPANY_1)[0]
    sandbox.delete_attachment(COMPANY_1, first["id"])  # the accountant removed it on purpose
    sandbox.clear_request_log()
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "already_sent"
    assert not attachment_posts(sandbox)
    assert len(sandbox.attachments(COMPANY_1)) == 5


def test_an_accountants_own_attachment_is_not_taken_for_the_journal_document(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    sandbox.inject_fault("POST", ATTACHMENTS, "reset")  # January's document does not land
    first = host.export_journal(admin, mapped.id, COMPANY, journal)
    assert [p.code for p in first.problems if p.code.startswith("procountor.attachment")] == [
        "procountor.attachment.missing"
    ]
    january = next(r for r in sandbox.receipts(COMPANY_1) if r["receiptDate"].startswith(f"{YEAR}-01"))
    token = sandbox.issue_tokens("demo.admin", COMPANY_1)["access_token"]
    meta = {
        "name": "scan.pdf",
        "referenceType": "INVOICE",
        "referenceId": january["invoiceId"],
        "sendWithInvoice": False,
    }
    answer = requests.post(
        f"{sandbox.api_url}/attachments",
        headers={"Authorization": f"Bearer {token}"},
        files={
            "meta": (None, json.dumps(meta).encode("utf-8"), "application/json"),
            "file": ("scan.pdf", b"%PDF-1.4", "application/pdf"),
        },
        timeout=5,
    )
    assert answer.status_code == 200

    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "already_sent"

    names = sorted(a["name"] for a in sandbox.receipts(COMPANY_1)[0]["attachments"])
    assert names == [f"{journal.reference} {YEAR}-01.csv", "scan.pdf"]


def test_a_send_that_stops_halfway_leaves_each_booked_receipt_with_its_document(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nmbrs_procountor_plugin.api.client import ProcountorClient

    original = ProcountorClient.create_ledger_receipt
    calls = {"n": 0}

    def third_receipt_fails_for_good(self: ProcountorClient, payload: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            sandbox.inject_fault("POST", "/api/ledgerreceipts", "http_500_html", count=3)
        return original(self, payload)

    monkeypatch.setattr(ProcountorClient, "create_ledger_receipt", third_receipt_fails_for_good)
    partial = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert partial.status == "partially_sent"
    assert [str(r.period) for r in partial.receipts] == [f"{YEAR}-01", f"{YEAR}-02"]
    assert [len(r["attachments"]) for r in sandbox.receipts(COMPANY_1)] == [1, 1]
    requests_made = [(r.method, r.path) for r in sandbox.request_log if r.method == "POST"]
    assert requests_made[:4] == [("POST", "/api/ledgerreceipts"), ("POST", ATTACHMENTS)] * 2  # voucher right after
