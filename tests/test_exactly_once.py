"""Exactly once, and a sent status that tells the truth: the export against the host's booking ledger.

Each test sends the seed's June run (six periods: corrections January to May, and June) to the
sandbox and checks what Procountor holds afterwards, what the host shows as sent, and what the
attempt history says, after renames, outages, closed periods, dropped notes and a lost ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs.booking import AttemptKind, BookingState, RunKey, SentState
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    ExportResult,
    IntegrationAccount,
    Journal,
    JournalLine,
    Period,
)
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint
from nmbrs_procountor_plugin.export.resend import receipt_total
from tests.conftest import COMPANY_1, DEMO_USER, make_host, store_tokens

YEAR = 2026
RECEIPTS = "/api/ledgerreceipts"
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 7)]


def dims() -> tuple[DimensionMapping, ...]:
    return (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))


@pytest.fixture
def world(sandbox_factory: Callable[..., Any], request: pytest.FixtureRequest) -> Iterator[World]:
    overrides = getattr(request, "param", {})
    sb = sandbox_factory(today=date(YEAR, 11, 1), **overrides)
    host = make_host(sb)
    yield World(sb, host)
    host.close()


class World:
    """A sandbox, a host, and an authorized, mapped account."""

    def __init__(self, sb: Any, host: ReferenceHost) -> None:
        self.sb = sb
        self.host = host
        self.admin = Actor("admin-1", {"procountor": "write"}, "en")
        self.account: IntegrationAccount = host.create_account(self.admin, "procountor", "bureau")
        store_tokens(host, sb, self.account)
        host.save_mapping(
            self.admin, AdministrationMapping(self.account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY
        )

    def send(self, journal: Journal | None = None) -> ExportResult:
        return self.host.export_journal(self.admin, self.account.id, COMPANY, journal or june_run(YEAR))

    def receipts(self, *, live: bool = True) -> list[dict[str, Any]]:
        found = self.sb.receipts(COMPANY_1)
        return [r for r in found if r["status"] != "INVALIDATED"] if live else found

    def months(self) -> list[str]:
        return sorted(r["receiptDate"][:7] for r in self.receipts())

    def posts(self) -> int:
        return sum(1 for r in self.sb.request_log if r.method == "POST" and r.path == RECEIPTS)

    def writes(self) -> int:
        return sum(1 for r in self.sb.request_log if r.method != "GET" and r.path.startswith("/api/"))

    def run(self, journal: Journal | None = None) -> RunKey:
        return RunKey(self.account.id, COMPANY.id, (journal or june_run(YEAR)).run_id)

    def empty_ledger(self) -> None:
        self.host.ledger.forget_run(self.run())

    def status(self) -> Any:
        return self.host.sent_status(self.admin, self.account.id, COMPANY.id, june_run(YEAR).run_id)


def months_of(result: ExportResult) -> list[str]:
    return [str(r.period) for r in result.receipts]


# ------------------------------------------------------------------ identity: rename, date, order, amounts


def test_a_renamed_reference_is_not_booked_again(world: World) -> None:
    assert world.send().status == "sent"
    renamed = replace(june_run(YEAR), reference="Palkat kesäkuu (korjattu nimi)")
    world.sb.clear_request_log()
    again = world.send(renamed)
    assert again.status == "already_sent"
    assert world.months() == MONTHS
    assert world.posts() == 0


def test_a_moved_booking_date_is_not_booked_again(world: World) -> None:
    assert world.send().status == "sent"
    moved = replace(june_run(YEAR), booking_date=date(YEAR, 6, 20))
    again = world.send(moved)
    assert again.status == "already_sent"
    assert world.months() == MONTHS
    assert [r["receiptDate"] for r in world.receipts() if r["receiptDate"].startswith(f"{YEAR}-06")] == [
        f"{YEAR}-06-25"
    ]


def test_reordered_lines_are_the_same_booking(world: World) -> None:
    assert world.send().status == "sent"
    journal = june_run(YEAR)
    again = world.send(replace(journal, lines=tuple(reversed(journal.lines))))
    assert again.status == "already_sent"
    assert not [p for p in again.problems if p.blocking]
    assert world.months() == MONTHS


def test_changed_amounts_in_one_period_are_refused_for_that_period_only(world: World) -> None:
    journal = june_run(YEAR)
    world.send(journal)
    before = world.receipts()
    lines = list(journal.lines)
    lines[-1] = replace(lines[-1], amount=lines[-1].amount - Decimal("1.00"))
    lines[-2] = replace(lines[-2], amount=lines[-2].amount + Decimal("1.00"))
    again = world.send(replace(journal, lines=tuple(lines)))
    assert again.status == "blocked"
    changed = [p for p in again.problems if p.code == "procountor.export.changed_after_send"]
    assert [p.field for p in changed] == [f"receipts[{YEAR}-06]"]
    assert "new run" in (changed[0].hint or "")
    assert months_of(again) == MONTHS[:5]
    assert world.receipts() == before
    assert world.status().state is SentState.SENT


# ------------------------------------------------------------------ the sent status tells the truth


def test_an_outage_after_sending_never_makes_the_journal_look_unsent(world: World) -> None:
    first = world.send()
    world.sb.inject_fault("GET", f"{RECEIPTS}/*", "http_503", count=10, retry_after=0)
    during = world.send()
    assert during.status == "failed"
    assert "procountor.unavailable" in {p.code for p in during.problems}
    status = world.status()
    assert status.state is SentState.SENT
    assert [r.external_id for r in status.receipts] == [r.external_id for r in first.receipts]
    history = world.host.attempt_history(world.admin, world.account.id, COMPANY.id, june_run(YEAR).run_id)
    assert [(a.kind, a.outcome) for a in history] == [(AttemptKind.EXPORT, "failed"), (AttemptKind.EXPORT, "sent")]
    assert history[0].problems == during.problems
    assert history[1].writes == 12  # 6 receipts and their 6 journal documents
    assert status.last_attempt == history[0]


def test_an_unavailable_procountor_fails_and_data_problems_block(world: World) -> None:
    world.sb.inject_fault("GET", "/api/coa", "http_503", count=10, retry_after=0)
    assert world.send().status == "failed"
    world.sb.clear_faults()
    journal = june_run(YEAR)
    broken = replace(journal, lines=(*journal.lines[:-1], replace(journal.lines[-1], ledger_account="")))
    assert world.send(broken).status == "blocked"
    assert world.receipts() == []
    assert world.status().state is SentState.NOT_SENT


def test_a_5xx_html_page_is_summarised_not_shown(world: World) -> None:
    world.sb.inject_fault("GET", "/api/coa", "http_500_html", count=10)
    result = world.send()
    [down] = [p for p in result.problems if p.code == "procountor.unavailable"]
    assert "HTTP 500" in down.message
    assert "<" not in down.message
    assert len(down.message) < 300


def test_preview_and_export_attempts_are_kept_newest_first(world: World) -> None:
    world.host.preview_export(world.admin, world.account.id, COMPANY, june_run(YEAR))
    world.send()
    world.send()
    history = world.host.attempt_history(world.admin, world.account.id, COMPANY.id, june_run(YEAR).run_id)
    assert [(a.kind, a.outcome) for a in history] == [
        (AttemptKind.EXPORT, "already_sent"),
        (AttemptKind.EXPORT, "sent"),
        (AttemptKind.PREVIEW, "previewed"),
    ]
    assert history[0].writes == 0
    assert history[0].actor_id == "admin-1"


# ------------------------------------------------------------------ booked periods are not re-checked


def test_a_fully_booked_run_is_already_sent_after_its_periods_closed(world: World) -> None:
    world.send()
    for month in range(1, 7):
        world.sb.set_tracking_period_status(COMPANY_1, YEAR, month, "CLOSED")
    world.sb.set_dimension_item_status(COMPANY_1, 7001, False)  # cost center 100, deactivated since
    world.sb.clear_request_log()
    again = world.send()
    assert again.status == "already_sent"
    assert len(world.sb.request_log) <= 2
    assert world.writes() == 0


def _book_all_but_june(world: World) -> None:
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 6, "CLOSED")
    journal = june_run(YEAR)
    early = replace(journal, lines=tuple(line for line in journal.lines if line.period.month < 6))
    assert world.send(early).status == "sent"
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 6, "OPEN")


def test_a_partly_booked_run_books_its_missing_period_although_a_booked_one_closed(world: World) -> None:
    _book_all_but_june(world)
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 1, "CLOSED")
    world.sb.clear_request_log()
    finished = world.send()
    assert finished.status == "sent", finished.problems
    assert world.posts() == 1
    assert world.months() == MONTHS
    assert world.status().state is SentState.SENT


def test_a_pending_missing_period_blocks_before_anything_is_written(world: World) -> None:
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 6, "PENDING")
    world.sb.clear_request_log()
    result = world.send()
    assert result.status == "blocked"
    [pending] = [p for p in result.problems if p.code == "procountor.period.pending"]
    assert "pending" in pending.message
    assert f"Jun 1, {YEAR}" in pending.message
    assert f"Jun 30, {YEAR}" in pending.message
    assert "accountant" in (pending.hint or "")
    assert world.writes() == 0
    assert world.receipts() == []


@pytest.mark.parametrize("world", [{"pending_periods": "accept"}, {"pending_periods": "refuse"}], indirect=True)
def test_pending_blocks_whatever_procountor_would_answer(world: World) -> None:
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 3, "PENDING")
    assert world.send().status == "blocked"
    assert world.receipts() == []


def test_missing_search_rights_block_and_personal_only_warns(world: World) -> None:
    world.sb.set_search_rights(DEMO_USER, COMPANY_1, "NO_ACCESS")
    blocked = world.send()
    assert blocked.status == "blocked"
    assert "procountor.rights.receipt_search" in {p.code for p in blocked.problems}
    assert world.receipts() == []
    world.sb.set_search_rights(DEMO_USER, COMPANY_1, "VIEWING_RIGHTS", personal_only=True)
    # Rights are read in a preview (a send reads them only when refused: docs/performance.md).
    plan = world.host.preview_export(world.admin, world.account.id, COMPANY, june_run(YEAR))
    [warning] = [p for p in plan.problems if p.code == "procountor.rights.personal_receipts_only"]
    assert warning.severity == "warning"
    assert world.send().status == "sent"


# ------------------------------------------------------------------ exactly once in both directions of the unknown

POST_FAULTS = ["commit_then_drop", "http_500_html", "reset"]


@pytest.mark.parametrize("world", [{"keep_invoice_notes": False}], indirect=True)
@pytest.mark.parametrize("fault", POST_FAULTS)
def test_dropped_invoice_notes_the_ledger_protects(world: World, fault: str) -> None:
    world.sb.inject_fault("POST", RECEIPTS, fault, count=2)
    first = world.send()
    assert all(r.get("invoiceNotes") is None for r in world.receipts())
    world.send()
    world.send()
    assert world.months() == MONTHS, first.problems
    assert world.status().state is SentState.SENT


@pytest.mark.parametrize("fault", POST_FAULTS)
def test_an_emptied_ledger_the_fingerprint_protects(world: World, fault: str) -> None:
    world.sb.inject_fault("POST", RECEIPTS, fault, count=2)
    world.send()
    world.empty_ledger()
    again = world.send()
    assert again.status == "already_sent", again.problems
    assert world.months() == MONTHS
    assert world.status().state is SentState.SENT  # the fingerprint search filled the ledger again


@pytest.mark.parametrize("world", [{"keep_invoice_notes": False}], indirect=True)
def test_a_lost_answer_with_dropped_notes_is_recognised_by_the_intent(world: World) -> None:
    world.sb.inject_fault("POST", RECEIPTS, "commit_then_drop", count=1)
    first = world.send()
    assert first.status == "sent", first.problems
    assert world.months() == MONTHS
    records = world.host.ledger.records(world.run())
    assert [r.state for r in records] == [BookingState.BOOKED] * 6


def test_foreign_receipts_with_the_run_name_are_never_taken_for_this_run(world: World) -> None:
    journal = june_run(YEAR)
    run_fp = Fingerprint("another-run", COMPANY.id, Period(YEAR, 6), "ab" * 32).text()
    company_fp = Fingerprint(journal.run_id, "another-company", Period(YEAR, 6), "ab" * 32).text()
    for notes in (run_fp, company_fp, None, "typed by the accountant"):
        _hand_made(world, journal.reference, f"{YEAR}-06-25", notes)
    foreign = {r["id"] for r in world.receipts()}
    result = world.send()
    assert result.status == "sent", result.problems
    ours = [r for r in world.receipts() if r["id"] not in foreign]
    assert sorted(r["receiptDate"][:7] for r in ours) == MONTHS
    assert {r.external_id for r in result.receipts}.isdisjoint({str(i) for i in foreign})


def _hand_made(world: World, name: str, day: str, notes: str | None, client: Any = None) -> None:
    from nmbrs_procountor_plugin.api.connection import open_client

    client = client or open_client(world.account, world.host, "en")
    body: dict[str, Any] = {
        "type": "JOURNAL",
        "name": name,
        "receiptDate": day,
        "vatType": "PURCHASE",
        "vatStatus": 12,
        "transactions": [
            {"transactionType": "ENTRY", "account": "5000", "accountingValue": Decimal("1.00"), "vatPercent": 0},
            {"transactionType": "ENTRY", "account": "2939", "accountingValue": Decimal("-1.00"), "vatPercent": 0},
        ],
    }
    if notes is not None:
        body["invoiceNotes"] = notes
    client.create_ledger_receipt(body)


def test_reported_totals_equal_what_procountor_holds(world: World) -> None:
    _book_all_but_june(world)
    finished = world.send()
    held = {str(r["id"]): receipt_total(r) for r in world.receipts()}
    assert {r.external_id: r.total for r in finished.receipts} == held
    again = world.send()
    assert {r.external_id: r.total for r in again.receipts} == held
    assert Counter(r.status for r in again.receipts) == Counter(r["status"] for r in world.receipts())


def test_an_invalidated_booking_frees_its_period_in_the_ledger(world: World) -> None:
    first = world.send()
    june = next(r for r in first.receipts if r.period == Period(YEAR, 6))
    _invalidate(world, june.external_id)
    again = world.send()
    assert again.status == "sent"
    assert world.months() == MONTHS
    [record] = [r for r in world.host.ledger.records(world.run()) if r.period == Period(YEAR, 6)]
    assert record.booked
    assert record.receipt is not None
    assert record.receipt.external_id != june.external_id


def _invalidate(world: World, receipt_id: str) -> None:
    from nmbrs_procountor_plugin.api.connection import open_client

    open_client(world.account, world.host, "en").request("PUT", f"/ledgerreceipts/{receipt_id}/invalidate")


def test_a_journal_with_its_own_problems_shows_no_payloads_and_reads_no_ledger(world: World) -> None:
    journal = june_run(YEAR)
    unbalanced = replace(journal, lines=(*journal.lines[:-1], replace(journal.lines[-1], amount=Decimal("-1.00"))))
    plan = world.host.preview_export(world.admin, world.account.id, COMPANY, unbalanced)
    assert plan.receipts == ()
    assert "procountor.journal.unbalanced" in {p.code for p in plan.problems}
    world.send()
    world.sb.clear_request_log()
    result = world.send(unbalanced)
    assert result.status == "blocked"
    assert not [r for r in world.sb.request_log if r.path.startswith(f"{RECEIPTS}/")]


@pytest.mark.parametrize("world", [{"rate_limit_per_second": None}], indirect=True)
def test_an_emptied_ledger_finds_the_run_among_more_than_a_page_of_receipts(world: World) -> None:
    from nmbrs_procountor_plugin.api.connection import open_client

    first = world.send()
    client = open_client(world.account, world.host, "en")
    for n in range(200):
        _hand_made(world, f"Manual journal {n}", f"{YEAR}-06-{1 + n % 28:02d}", None, client)
    world.empty_ledger()
    world.sb.clear_request_log()
    again = world.send()
    assert again.status == "already_sent", again.problems
    assert [r.external_id for r in again.receipts] == [r.external_id for r in first.receipts]
    assert world.posts() == 0
    pages = [r for r in world.sb.request_log if r.method == "GET" and r.path == RECEIPTS]
    assert len(pages) == 2  # 206 receipts in the months: a full page of 200, then a short one


def test_an_attempt_stopped_by_a_gate_is_recorded_with_no_requests(world: World) -> None:
    blocked = replace(COMPANY, debtor_blocked=True)
    world.sb.clear_request_log()
    result = world.host.export_journal(world.admin, world.account.id, blocked, june_run(YEAR))
    assert result.status == "blocked"
    [attempt] = world.host.attempt_history(world.admin, world.account.id, COMPANY.id, june_run(YEAR).run_id)
    assert (attempt.outcome, attempt.requests, attempt.writes) == ("blocked", 0, 0)
    assert attempt.problems == result.problems
    assert world.sb.request_log == []


def test_an_invalid_line_is_reported_alone_not_as_an_unbalanced_period(world: World) -> None:
    journal = june_run(YEAR)
    odd = replace(journal, lines=(replace(journal.lines[0], amount=Decimal("0.005")), *journal.lines[1:]))
    result = world.send(odd)
    codes = {p.code for p in result.problems}
    assert result.status == "blocked"
    assert "procountor.journal.unbalanced" not in codes
    assert [p.field for p in result.problems if p.blocking] == ["lines[0].amount"]


def test_a_preview_shows_the_payloads_even_when_a_period_is_closed(world: World) -> None:
    world.sb.set_tracking_period_status(COMPANY_1, YEAR, 3, "CLOSED")
    world.sb.clear_request_log()
    plan = world.host.preview_export(world.admin, world.account.id, COMPANY, june_run(YEAR))
    assert [str(r.period) for r in plan.receipts] == MONTHS
    assert "procountor.period.closed" in {p.code for p in plan.problems}
    assert not plan.sendable
    # A send would stop at the closed period, so the preview does not search for booked receipts.
    assert not [r for r in world.sb.request_log if r.path.startswith(RECEIPTS)]


def test_an_empty_journal_is_refused_without_asking_procountor(world: World) -> None:
    empty = replace(june_run(YEAR), lines=())
    world.sb.clear_request_log()
    plan = world.host.preview_export(world.admin, world.account.id, COMPANY, empty)
    result = world.send(empty)
    assert "procountor.journal.empty" in {p.code for p in plan.problems}
    assert (plan.receipts, result.status) == ((), "blocked")
    assert "procountor.journal.empty" in {p.code for p in result.problems}
    assert world.sb.request_log == []


def test_a_preview_changes_nothing_even_where_the_ledger_is_out_of_date(world: World) -> None:
    first = world.send()
    june = next(r for r in first.receipts if r.period == Period(YEAR, 6))
    _invalidate(world, june.external_id)
    world.host.preview_export(world.admin, world.account.id, COMPANY, june_run(YEAR))
    states = {str(r.period): r.state for r in world.host.ledger.records(world.run())}
    assert states[f"{YEAR}-06"] is BookingState.BOOKED  # only a send records what it found
    world.empty_ledger()
    world.sb.clear_request_log()
    plan = world.host.preview_export(world.admin, world.account.id, COMPANY, june_run(YEAR))
    skipped = sorted(p.field or "" for p in plan.problems if p.code == "procountor.export.already_booked")
    assert skipped == [f"receipts[{m}]" for m in MONTHS[:5]]  # found by the fallback search
    assert [str(r.period) for r in plan.receipts] == MONTHS
    assert world.host.ledger.records(world.run()) == ()
    assert world.writes() == 0


def test_an_invalid_journal_creates_no_dimension_item_in_preview_or_export(world: World) -> None:
    account = world.host.create_account(world.admin, "procountor", "creator", {"create_missing_dimension_items": True})
    store_tokens(world.host, world.sb, account)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("400", "Lahti")))
    world.host.mappings.save(AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()))
    p = Period(YEAR, 6)
    lines = (JournalLine("5000", Decimal("70.00"), "w", p, "400"), JournalLine("2939", Decimal("-69.00"), "n", p))
    unbalanced = Journal(COMPANY.id, "run-u", p, "Unbalanced", date(YEAR, 6, 25), lines)
    world.sb.clear_request_log()
    plan = world.host.preview_export(world.admin, account.id, company, unbalanced)
    result = world.host.export_journal(world.admin, account.id, company, unbalanced)
    assert "procountor.journal.unbalanced" in {p.code for p in plan.problems}
    assert result.status == "blocked"
    assert world.writes() == 0


def test_a_refused_post_leaves_no_intent_and_a_lost_one_keeps_it_until_found(world: World) -> None:
    world.sb.inject_fault("POST", RECEIPTS, "http_500_html", count=10)
    lost = world.send()
    assert lost.status == "failed"
    [record] = world.host.ledger.records(world.run())
    assert (record.period, record.state) == (Period(YEAR, 1), BookingState.INTENDED)
    world.sb.clear_faults()
    assert world.send().status == "sent"
    assert [r.state for r in world.host.ledger.records(world.run())] == [BookingState.BOOKED] * 6
    assert world.months() == MONTHS


def test_a_post_procountor_refuses_clears_its_intent(world: World) -> None:
    account = world.host.create_account(world.admin, "procountor", "vat-3", {"vat_status": 3})
    store_tokens(world.host, world.sb, account)
    world.host.mappings.save(AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()))
    refused = world.host.export_journal(world.admin, account.id, COMPANY, june_run(YEAR))
    assert refused.status == "blocked"  # refused: the VAT status must be fixed, not retried
    assert "procountor.export.rejected" in {p.code for p in refused.problems}
    assert world.host.ledger.records(RunKey(account.id, COMPANY.id, june_run(YEAR).run_id)) == ()


def test_a_run_another_worker_is_sending_fails_and_books_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from nmbrs_procountor_plugin.export import lease

    monkeypatch.setattr(lease, "LEASE_WAIT_SECONDS", 0.0)
    key = f"procountor:export:{world.account.id}:{COMPANY.id}:{june_run(YEAR).run_id}"
    assert world.host.leases.acquire(key, "another-worker", 60)
    busy = world.send()
    assert (busy.status, busy.receipts) == ("failed", ())
    assert [p.code for p in busy.problems if p.blocking] == ["procountor.export.in_progress"]
    assert world.receipts() == []


def test_changed_amounts_found_by_the_fallback_search_are_refused_too(world: World) -> None:
    journal = june_run(YEAR)
    world.send(journal)
    world.empty_ledger()
    lines = list(journal.lines)
    lines[-1] = replace(lines[-1], amount=lines[-1].amount - Decimal("1.00"))
    lines[-2] = replace(lines[-2], amount=lines[-2].amount + Decimal("1.00"))
    world.sb.clear_request_log()
    again = world.send(replace(journal, lines=tuple(lines)))
    assert again.status == "blocked"
    assert [p.field for p in again.problems if p.code == "procountor.export.changed_after_send"] == [
        f"receipts[{YEAR}-06]"
    ]
    assert world.posts() == 0
    assert world.months() == MONTHS
