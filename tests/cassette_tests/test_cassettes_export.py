"""Recorded journal exports: June with corrections (6 receipts), a resend, a closed period, a field error.

Journals use a fixed year (2026); recording pins the sandbox's ``today`` so its fiscal years
match. What the plugin sent is read back from the cassette: the exact receipt payloads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    IntegrationAccount,
    Journal,
    JournalLine,
    Period,
)
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from tests.cassette_tests.conftest import Target
from tests.cassette_tests.support import YEAR, Exchange, all_played, calls, exchanges

pytestmark = pytest.mark.vcr

RECEIPTS = "/api/ledgerreceipts"
RIGHTS = "GET /api/users/rights -> 200"
# Pre-flight reads go out side by side, so their order on tape is whichever answered first.
READS = frozenset({"GET /api/coa -> 200", "GET /api/dimensions -> 200", "GET /api/fiscalyears -> 200"})
# A preview reads the user's rights with the others; an export that goes on to send does not
# (its first POST's 403 would say it), one that is refused reads them after the others.
PREVIEW_READS = READS | {RIGHTS}


def in_steps(shape: list[str], *steps: int) -> list[str | frozenset[str]]:
    """``shape`` cut into steps of the given lengths, a step of several calls as a set (any order)."""
    found: list[str | frozenset[str]] = []
    for length in steps:
        step, shape = shape[:length], shape[length:]
        found.append(frozenset(step) if length > 1 else step[0])
    assert not shape, f"calls left over: {shape}"
    return found


def mapped(host: ReferenceHost, target: Target, account: IntegrationAccount) -> IntegrationAccount:
    dims = (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))
    host.mappings.save(AdministrationMapping(account.id, COMPANY.id, target.origin.company_id, dims))
    return account


def one_period_journal(run_id: str, *lines: tuple[str, str, str | None]) -> Journal:
    june = Period(YEAR, 6)
    rows = tuple(JournalLine(acc, Decimal(amount), f"line {acc}", june, cc) for acc, amount, cc in lines)
    return Journal(COMPANY.id, run_id, june, f"Payroll {run_id}", date(YEAR, 6, 25), rows)


def posts(vcr: Any) -> list[Exchange]:
    return [e for e in exchanges(vcr) if e.method == "POST" and e.path == RECEIPTS]


def test_june_with_corrections_books_six_receipts(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    account = mapped(host, target, authorized_account)
    journal = june_run(YEAR)
    plan = host.preview_export(admin, account.id, COMPANY, journal)

    result = host.export_journal(admin, account.id, COMPANY, journal)

    assert result.status == "sent", result.problems
    periods = [f"{YEAR}-{m:02d}" for m in range(1, 7)]
    assert [str(r.period) for r in result.receipts] == periods
    sent = posts(vcr)
    assert len(sent) == 6
    # What went out is exactly what the preview showed, receipt by receipt.
    assert [e.sent for e in sent] == [dict(p.payload) for p in plan.receipts]
    expected_dates = [Period(YEAR, m).last_day.isoformat() for m in range(1, 6)] + [f"{YEAR}-06-25"]
    assert [e.sent["receiptDate"] for e in sent] == expected_dates
    for exchange, period in zip(sent, periods, strict=True):
        payload = exchange.sent
        assert payload["type"] == "JOURNAL"
        assert payload["name"] == journal.reference
        assert f"run={journal.run_id}" in payload["invoiceNotes"]
        assert f"period={period}" in payload["invoiceNotes"]
        rows = payload["transactions"]
        assert sum(Decimal(str(r["accountingValue"])) for r in rows) == 0
        assert {r["vatStatus"] for r in rows} == {12}
        assert exchange.status == 200
    assert len(sent[-1].sent["transactions"]) == 9  # June's own run
    # ... and the result reports Procountor's ids and dates from the answers.
    assert [r.external_id for r in result.receipts] == [str(e.answer["id"]) for e in sent]
    assert [r.receipt_date for r in result.receipts] == [date.fromisoformat(d) for d in expected_dates]
    # The preview reads what the export reads (its resend check included), then the export reads again.
    search = f"GET {RECEIPTS} -> 200"
    reads = [c for c in calls(vcr) if not c.startswith("POST")]
    assert in_steps(reads, 4, 1, 3, 1) == [PREVIEW_READS, search, READS, search]
    assert all_played(vcr)


def test_resending_a_sent_journal_is_already_sent(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    account = mapped(host, target, authorized_account)
    first = host.export_journal(admin, account.id, COMPANY, june_run(YEAR))

    again = host.export_journal(admin, account.id, COMPANY, june_run(YEAR))

    assert first.status == "sent"
    assert again.status == "already_sent"
    assert [r.external_id for r in again.receipts] == [r.external_id for r in first.receipts]
    second = _second_export(vcr)
    # The ledger answers: one batch read of its six receipt ids, no pre-flight, no search, no write.
    assert [(e.method, e.path) for e in second] == [
        ("GET", f"{RECEIPTS}/{','.join(r.external_id for r in first.receipts)}")
    ]
    assert len(posts(vcr)) == 6
    assert all_played(vcr)


def _second_export(vcr: Any) -> list[Exchange]:
    """The second export's exchanges: everything after the first export's last POST."""
    all_exchanges = exchanges(vcr)
    last_post = max(i for i, e in enumerate(all_exchanges) if e.method == "POST")
    return all_exchanges[last_post + 1 :]


def test_closed_period_is_refused_before_anything_is_sent(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    target.require_sandbox("close a tracking period")
    if target.sandbox is not None:
        target.sandbox.set_tracking_period_status(int(target.origin.company_id), YEAR, 3, "CLOSED")
    account = mapped(host, target, authorized_account)

    result = host.export_journal(admin, account.id, COMPANY, june_run(YEAR))

    assert result.status == "blocked"
    closed = [p for p in result.problems if p.code == "procountor.period.closed"]
    assert closed
    assert closed[0].message.startswith(f"Mar 31, {YEAR} lies in a closed period of Procountor (Mar 1, {YEAR} to")
    # read, refused (the rights read too, so every problem comes at once), nothing written
    assert in_steps(calls(vcr), 3, 1) == [READS, RIGHTS]
    years = next(e for e in exchanges(vcr) if e.path == "/api/fiscalyears").answer["fiscalYears"]
    statuses = {p["status"] for y in years for p in y.get("tracking_periods", y.get("trackingPeriods", []))}
    assert "CLOSED" in statuses
    assert all_played(vcr)


def test_procountor_field_error_becomes_a_problem(vcr: Any, target: Target, host: ReferenceHost, admin: Actor) -> None:
    # VAT status 3 is for sales only: Procountor refuses it on a PURCHASE receipt.
    account = host.create_account(admin, "procountor", "vat-3", {"vat_status": 3})
    target.authorize(host, account)
    mapped(host, target, account)
    journal = one_period_journal("run-vat", ("5000", "10.00", None), ("2939", "-10.00", None))

    result = host.export_journal(admin, account.id, COMPANY, journal)

    assert result.status == "blocked"
    assert result.receipts == ()
    rejected = [p for p in result.problems if p.code == "procountor.export.rejected"]
    assert rejected
    assert all(p.blocking for p in rejected)
    [post] = posts(vcr)
    assert {r["vatStatus"] for r in post.sent["transactions"]} == {3}
    assert post.sent["vatType"] == "PURCHASE"
    assert post.status == 400
    fields = {e["field"] for e in post.answer["errors"]}
    assert any("vatStatus" in str(f) for f in fields)
    assert any(p.field and (p.field.startswith("lines[") or "vatStatus" in p.field) for p in rejected)
    assert all_played(vcr)


def test_receipts_are_approved_when_the_setting_says_so(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "approver", {"approve_receipts": True})
    target.authorize(host, account)
    mapped(host, target, account)

    result = host.export_journal(admin, account.id, COMPANY, one_period_journal("run-approve", *BALANCED))

    assert result.status == "sent", result.problems
    [receipt] = result.receipts
    assert receipt.status == "APPROVED"
    [post] = posts(vcr)
    approve = exchanges(vcr)[-1]
    assert (approve.method, approve.path, approve.status) == ("PUT", f"{RECEIPTS}/{post.answer['id']}/approve", 200)
    assert post.answer["status"] == "UNFINISHED"  # created unfinished, then approved
    assert all_played(vcr)


def test_a_missing_dimension_item_is_created_when_the_setting_allows(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor
) -> None:
    target.require_sandbox("add a cost center to the test company safely")  # it would create a real item
    account = host.create_account(admin, "procountor", "creator", {"create_missing_dimension_items": True})
    target.authorize(host, account)
    mapped(host, target, account)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("400", "Lahti")))

    result = host.export_journal(admin, account.id, company, one_period_journal("run-create", *LAHTI))

    assert result.status == "sent", result.problems
    assert "procountor.dimension.item_created" in {p.code for p in result.problems}
    created = [e for e in exchanges(vcr) if e.method == "POST" and e.path.startswith("/api/dimensions/")]
    [item] = created
    dimension_ids = {d["name"]: d["id"] for d in next(e for e in exchanges(vcr) if e.path == "/api/dimensions").answer}
    assert item.path == f"/api/dimensions/{dimension_ids['Kustannuspaikka']}/items"
    assert item.sent == {"codeName": "400", "description": "Lahti"}
    [post] = posts(vcr)
    [value] = post.sent["transactions"][0]["dimensionItemValues"]
    assert (value["dimensionId"], value["itemId"]) == (dimension_ids["Kustannuspaikka"], item.answer["id"])
    assert all_played(vcr)


BALANCED = (("5000", "10.00", None), ("2939", "-10.00", None))
LAHTI = (("5000", "70.00", "400"), ("2939", "-70.00", None))
