"""Undoing a sent run against the sandbox: preview, all or nothing, faults and repeats, rights, resend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from nmbrs_hookspecs.booking import AttemptKind, BookingState, RunKey
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, ExportResult, IntegrationAccount, Journal, Period
from nmbrs_hookspecs.undo import UndoState
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.export import lease as lease_module
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1
from tests.test_export import dims, one_period_journal

YEAR = date.today().year
PERIODS = [f"{YEAR}-{m:02d}" for m in range(1, 7)]


@pytest.fixture
def mapped(host: ReferenceHost, authorized_account: IntegrationAccount, admin: Actor) -> IntegrationAccount:
    host.save_mapping(admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    return authorized_account


@pytest.fixture
def journal() -> Journal:
    return june_run(YEAR)


@pytest.fixture
def sent(host: ReferenceHost, mapped: IntegrationAccount, admin: Actor, journal: Journal) -> ExportResult:
    result = host.export_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "sent", result.problems
    return result


def status_of(sb: Sandbox) -> dict[str, str]:
    return {str(r["id"]): r["status"] for r in sb.receipts(COMPANY_1)}


def invalidations(sb: Sandbox) -> list[Any]:
    return [r for r in sb.request_log if r.method == "PUT" and r.path.endswith("/invalidate")]


def ledger_states(host: ReferenceHost, account: IntegrationAccount, journal: Journal) -> dict[str, BookingState]:
    records = host.ledger.records(RunKey(account.id, COMPANY.id, journal.run_id))
    return {str(r.period): r.state for r in records}


def test_hook_nmbrs_journal_undo_preview_lists_each_receipt_with_its_period_and_writes_nothing(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    sandbox.clear_request_log()
    plan = host.preview_undo(admin, mapped.id, COMPANY, journal)
    assert [str(r.period) for r in plan.receipts] == PERIODS
    assert [r.external_id for r in plan.receipts] == [r.external_id for r in sent.receipts]
    assert {r.state for r in plan.receipts} == {UndoState.WILL_INVALIDATE}
    assert [r.total for r in plan.receipts] == [r.total for r in sent.receipts]
    assert plan.possible
    assert not invalidations(sandbox)
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}


def test_hook_nmbrs_journal_undo_all_open_invalidates_all_then_a_resend_books_a_fresh_set_once(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)

    assert result.status == "undone", result.problems
    assert [(str(r.period), r.state) for r in result.receipts] == [(p, UndoState.INVALIDATED) for p in PERIODS]
    old_ids = {r.external_id for r in sent.receipts}
    assert {i for i, s in status_of(sandbox).items() if s == "INVALIDATED"} == old_ids
    assert set(ledger_states(host, mapped, journal).values()) == {BookingState.INVALIDATED}
    assert host.sent_status(admin, mapped.id, COMPANY.id, journal.run_id).state == "not_sent"
    latest = host.attempt_history(admin, mapped.id, COMPANY.id, journal.run_id)[0]
    assert (latest.kind, latest.outcome, latest.writes) == (AttemptKind.UNDO, "undone", 6)

    again = host.export_journal(admin, mapped.id, COMPANY, journal)
    assert again.status == "sent", again.problems
    new_ids = {r.external_id for r in again.receipts}
    assert len(new_ids) == 6
    assert not new_ids & old_ids
    live = {i for i, s in status_of(sandbox).items() if s != "INVALIDATED"}
    assert live == new_ids
    assert host.export_journal(admin, mapped.id, COMPANY, journal).status == "already_sent"
    assert {i for i, s in status_of(sandbox).items() if s != "INVALIDATED"} == new_ids
    # The fresh set can be taken back in turn: the undo acts on what the ledger holds now.
    again_undone = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert again_undone.status == "undone"
    assert {r.external_id for r in again_undone.receipts} == new_ids
    assert set(status_of(sandbox).values()) == {"INVALIDATED"}


@pytest.mark.parametrize(("status", "code"), [("CLOSED", "period_closed"), ("PENDING", "period_pending")])
def test_one_period_not_open_invalidates_nothing_and_names_the_period(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    status: str,
    code: str,
) -> None:
    sandbox.set_tracking_period_status(COMPANY_1, YEAR, 3, status)
    plan = host.preview_undo(admin, mapped.id, COMPANY, journal)
    march = plan.receipts[2]
    assert (str(march.period), march.state) == (f"{YEAR}-03", UndoState.PERIOD_CLOSED)
    assert {r.state for i, r in enumerate(plan.receipts) if i != 2} == {UndoState.WILL_INVALIDATE}
    assert not plan.possible

    result = host.undo_journal(admin, mapped.id, COMPANY, journal)

    assert result.status == "blocked"
    blocking = [p for p in result.problems if p.blocking]
    assert [p.code for p in blocking] == [f"procountor.undo.{code}"]
    assert f"March {YEAR}" in blocking[0].message  # the period as English writes it
    assert "new run" in (blocking[0].hint or "")
    assert not invalidations(sandbox)
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}
    assert set(ledger_states(host, mapped, journal).values()) == {BookingState.BOOKED}
    assert host.sent_status(admin, mapped.id, COMPANY.id, journal.run_id).state == "sent"


@pytest.mark.parametrize("fault", ["http_500_html", "reset", "commit_then_drop"])
def test_undo_interrupted_after_the_second_invalidation_and_repeated_invalidates_each_receipt_once(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    fault: str,
) -> None:
    other = host.export_journal(
        admin, mapped.id, COMPANY, one_period_journal(("5000", "10.00", None), ("2939", "-10.00", None))
    )
    assert other.status == "sent", other.problems
    third = sent.receipts[2].external_id
    sandbox.inject_fault("PUT", f"/api/ledgerreceipts/{third}/invalidate", fault)

    first = host.undo_journal(admin, mapped.id, COMPANY, journal)

    states = status_of(sandbox)
    ledger = ledger_states(host, mapped, journal)
    for receipt in sent.receipts:  # Procountor and the ledger agree after the interruption
        invalidated = states[receipt.external_id] == "INVALIDATED"
        assert (ledger[str(receipt.period)] is BookingState.INVALIDATED) == invalidated
    if fault == "commit_then_drop":  # the PUT landed; reading the receipt back says so
        assert first.status == "undone", first.problems
    else:
        assert first.status == "partially_undone"
        assert [states[r.external_id] for r in sent.receipts][:2] == ["INVALIDATED"] * 2
        assert "INVALIDATED" not in [states[r.external_id] for r in sent.receipts][2:]
        assert {"procountor.unavailable", "procountor.undo.incomplete"} <= {p.code for p in first.problems}
        assert [r.state for r in first.receipts][2:] == [UndoState.STILL_BOOKED] * 4

    second = host.undo_journal(admin, mapped.id, COMPANY, journal)

    assert second.status == "undone", second.problems
    assert {states_id for states_id, s in status_of(sandbox).items() if s == "INVALIDATED"} == {
        r.external_id for r in sent.receipts
    }
    assert status_of(sandbox)[other.receipts[0].external_id] == "UNFINISHED"  # nothing else touched
    puts = invalidations(sandbox)
    assert not [p for p in puts if p.status == 403]  # never a second invalidation of one receipt
    for receipt in sent.receipts:
        answered = [p for p in puts if p.path == f"/api/ledgerreceipts/{receipt.external_id}/invalidate"]
        assert len([p for p in answered if p.status == 200]) == (
            0 if receipt.external_id == third and fault == "commit_then_drop" else 1
        )


def test_a_receipt_invalidated_by_hand_counts_as_undone(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    april = sent.receipts[3].external_id
    sandbox.invalidate_receipt(COMPANY_1, int(april))
    plan = host.preview_undo(admin, mapped.id, COMPANY, journal)
    assert plan.receipts[3].state is UndoState.ALREADY_INVALIDATED
    assert plan.possible

    result = host.undo_journal(admin, mapped.id, COMPANY, journal)

    assert result.status == "undone", result.problems
    assert result.receipts[3].state is UndoState.ALREADY_INVALIDATED
    assert "procountor.undo.already_invalidated" in {p.code for p in result.problems}
    assert april not in {p.path.split("/")[3] for p in invalidations(sandbox)}
    assert len(invalidations(sandbox)) == 5
    assert set(ledger_states(host, mapped, journal).values()) == {BookingState.INVALIDATED}
    assert set(status_of(sandbox).values()) == {"INVALIDATED"}


def test_repeating_a_finished_undo_sends_nothing(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    assert host.undo_journal(admin, mapped.id, COMPANY, journal).status == "undone"
    sandbox.clear_request_log()
    again = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert again.status == "undone"
    assert {r.state for r in again.receipts} == {UndoState.ALREADY_INVALIDATED}
    assert sandbox.request_log == []


def test_a_read_only_actor_is_refused_and_nothing_is_sent(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    reader: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    sandbox.clear_request_log()
    with pytest.raises(ProblemError) as refused:
        host.undo_journal(reader, mapped.id, COMPANY, journal)
    assert refused.value.problems[0].code == "nmbrs.rights.refused"
    with pytest.raises(ProblemError):
        host.preview_undo(reader, mapped.id, COMPANY, journal)
    # The plugin checks again, for a host that forgot to.
    mapping = host.mapping_for(mapped.id, COMPANY.id)
    assert mapping is not None
    direct = procountor_plugin.nmbrs_journal_undo(
        account=mapped, mapping=mapping, company=COMPANY, journal=journal, actor=reader, host=host
    )
    assert direct is not None
    assert direct.status == "blocked"
    assert [p.code for p in direct.problems] == ["procountor.rights.write_required"]
    assert sandbox.request_log == []
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}


def test_a_procountor_user_without_rights_invalidates_nothing(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "blocked"
    assert "procountor.undo.rights" in {p.code for p in result.problems}
    assert not invalidations(sandbox)


def test_nothing_sent_means_nothing_to_undo(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, journal: Journal
) -> None:
    sandbox.clear_request_log()
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "nothing_to_undo"
    assert [p.code for p in result.problems] == ["procountor.undo.nothing_booked"]
    assert sandbox.request_log == []


def test_an_undo_waits_for_the_export_holding_the_run(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(lease_module, "LEASE_WAIT_SECONDS", 0.3)
    key = lease_module.lease_key(mapped.id, COMPANY.id, journal.run_id)
    assert host.leases.acquire(key, "exporting-worker", 60)
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "failed"
    assert [p.code for p in result.problems] == ["procountor.undo.in_progress"]
    assert not invalidations(sandbox)


def test_an_outage_at_the_first_invalidation_fails_without_touching_anything_and_a_repeat_undoes_all(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    first_id = sent.receipts[0].external_id
    sandbox.inject_fault("PUT", f"/api/ledgerreceipts/{first_id}/invalidate", "http_503")
    failed = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert failed.status == "failed"
    assert "procountor.unavailable" in {p.code for p in failed.problems}
    assert {r.state for r in failed.receipts} == {UndoState.STILL_BOOKED}
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}
    assert host.sent_status(admin, mapped.id, COMPANY.id, journal.run_id).state == "sent"
    assert host.undo_journal(admin, mapped.id, COMPANY, journal).status == "undone"
    assert set(status_of(sandbox).values()) == {"INVALIDATED"}


def test_a_receipt_invalidated_by_hand_while_the_undo_runs_counts_as_undone(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    monkeypatch: Any,
) -> None:
    from nmbrs_procountor_plugin.api.client import ProcountorClient

    original = ProcountorClient.invalidate_ledger_receipt
    third = sent.receipts[2].external_id

    def accountant_was_quicker(self: ProcountorClient, receipt_id: int | str) -> None:
        if str(receipt_id) == third:
            sandbox.invalidate_receipt(COMPANY_1, int(third))  # Procountor then answers 403
        original(self, receipt_id)

    monkeypatch.setattr(ProcountorClient, "invalidate_ledger_receipt", accountant_was_quicker)
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "undone", result.problems
    assert [p.status for p in invalidations(sandbox) if p.path.endswith(f"/{third}/invalidate")] == [403]
    assert set(status_of(sandbox).values()) == {"INVALIDATED"}
    assert set(ledger_states(host, mapped, journal).values()) == {BookingState.INVALIDATED}


def test_a_receipt_procountor_does_not_have_blocks_the_undo(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    """The ledger names a receipt Procountor does not know (e.g. a ledger restored onto another company)."""
    from nmbrs_hookspecs.booking import BookedReceipt

    stray = replace(journal, run_id="restored-run")
    run = RunKey(mapped.id, COMPANY.id, stray.run_id)
    host.ledger.record_receipt(
        run, journal.period, BookedReceipt("99999", date(YEAR, 6, 25), "Old", "ab" * 16, sent.receipts[-1].total)
    )
    host.ledger.record_receipt(
        run,
        Period(YEAR, 5),
        BookedReceipt(sent.receipts[4].external_id, date(YEAR, 5, 31), "x", "cd" * 16, sent.receipts[4].total),
    )
    result = host.undo_journal(admin, mapped.id, COMPANY, stray)
    assert result.status == "blocked"
    [missing] = [p for p in result.problems if p.code == "procountor.undo.receipt_missing"]
    assert "99999" in missing.message
    assert not invalidations(sandbox)


def test_a_closed_fiscal_year_closes_every_period_in_it() -> None:
    from nmbrs_procountor_plugin.export.preflight import FiscalPeriod, FiscalYear
    from nmbrs_procountor_plugin.export.undo import period_status

    june = FiscalPeriod(date(YEAR, 6, 1), date(YEAR, 6, 30), "OPEN")
    year_open = FiscalYear(date(YEAR, 1, 1), date(YEAR, 12, 31), True, (june,))
    year_closed = replace(year_open, is_open=False)
    day = date(YEAR, 6, 25)
    assert period_status(day, [year_open]) == "OPEN"
    assert period_status(day, [year_closed]) == "CLOSED"
    assert period_status(date(YEAR + 1, 1, 5), [year_open]) == "CLOSED"  # no fiscal year covers it
    assert period_status(day, [replace(year_open, periods=(replace(june, status="PENDING"),))]) == "PENDING"


def test_procountor_refusing_the_first_invalidation_blocks_and_names_the_receipt(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    monkeypatch: Any,
) -> None:
    from nmbrs_procountor_plugin.api.client import ProcountorClient

    original = ProcountorClient.invalidate_ledger_receipt

    def rights_taken_away_meanwhile(self: ProcountorClient, receipt_id: int | str) -> None:
        sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")  # Procountor then answers 403
        original(self, receipt_id)

    monkeypatch.setattr(ProcountorClient, "invalidate_ledger_receipt", rights_taken_away_meanwhile)
    result = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert result.status == "blocked"
    [refused] = [p for p in result.problems if p.code == "procountor.undo.refused"]
    assert sent.receipts[0].external_id in refused.message
    assert "403" in refused.message
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}


def test_a_run_whose_receipts_procountor_has_none_of_is_blocked(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    from nmbrs_hookspecs.booking import BookedReceipt

    stray = replace(journal, run_id="restored-elsewhere")
    run = RunKey(mapped.id, COMPANY.id, stray.run_id)
    host.ledger.record_receipt(
        run, journal.period, BookedReceipt("99998", date(YEAR, 6, 25), "Old", "ab" * 16, sent.receipts[-1].total)
    )
    plan = host.preview_undo(admin, mapped.id, COMPANY, stray)  # the batch read answers 404
    assert [r.state for r in plan.receipts] == [UndoState.MISSING]
    assert [p.code for p in plan.problems] == ["procountor.undo.receipt_missing"]
    assert host.undo_journal(admin, mapped.id, COMPANY, stray).status == "blocked"


def test_the_plugin_refuses_an_undo_through_a_mapping_it_does_not_know(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    saved = host.mapping_for(mapped.id, COMPANY.id)
    assert saved is not None
    for wrong in (replace(saved, administration_id="10002"), replace(saved, account_id="someone-else")):
        result = procountor_plugin.nmbrs_journal_undo(
            account=mapped, mapping=wrong, company=COMPANY, journal=journal, actor=admin, host=host
        )
        assert result is not None
        assert (result.status, [p.code for p in result.problems]) == ("blocked", ["procountor.export.not_mapped"])
    # Saved, but for another Procountor company than the one the account is authorized for.
    elsewhere = replace(saved, administration_id="10002")
    host.mappings.save(elsewhere)
    result = procountor_plugin.nmbrs_journal_undo(
        account=mapped, mapping=elsewhere, company=COMPANY, journal=journal, actor=admin, host=host
    )
    assert result is not None
    assert [p.code for p in result.problems] == ["procountor.export.not_mapped"]
    assert not invalidations(sandbox)


@pytest.mark.parametrize(
    ("level", "shown"), [("VIEWING_RIGHTS", "viewing rights"), ("A_LEVEL_NOT_YET_KNOWN", "unknown")]
)
def test_the_missing_right_is_named_in_words_and_an_unknown_level_as_unknown(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
    level: str,
    shown: str,
    monkeypatch: Any,
) -> None:
    from nmbrs_procountor_plugin.api.client import ProcountorClient

    if level in ("VIEWING_RIGHTS",):
        sandbox.set_journal_rights("demo.admin", COMPANY_1, level)
    else:  # a level Procountor may add later: the sandbox knows only today's enum
        rights = {"rights": {"accounting": {"journalReceipts": level}}}
        monkeypatch.setattr(ProcountorClient, "user_rights", lambda self: rights)
    preview = host.preview_undo(admin, mapped.id, COMPANY, journal)
    [refused] = [p for p in preview.problems if p.code == "procountor.undo.rights"]
    assert f"(right: {shown})" in refused.message
    assert level not in refused.message  # never Procountor's enum
    assert not invalidations(sandbox)


def test_a_lost_invalidation_that_cannot_be_read_back_is_not_counted_as_undone(
    host: ReferenceHost,
    sandbox: Sandbox,
    mapped: IntegrationAccount,
    admin: Actor,
    journal: Journal,
    sent: ExportResult,
) -> None:
    first_id = sent.receipts[0].external_id
    sandbox.inject_fault("PUT", f"/api/ledgerreceipts/{first_id}/invalidate", "reset")  # not invalidated
    sandbox.inject_fault("GET", f"/api/ledgerreceipts/{first_id}", "http_500_html", count=10)  # nor readable
    failed = host.undo_journal(admin, mapped.id, COMPANY, journal)
    assert failed.status == "failed"
    assert {r.state for r in failed.receipts} == {UndoState.STILL_BOOKED}
    # Not knowing is not done: the ledger still holds the live receipt, so a repeat undoes it.
    assert set(ledger_states(host, mapped, journal).values()) == {BookingState.BOOKED}
    assert set(status_of(sandbox).values()) == {"UNFINISHED"}
    sandbox.clear_faults()
    assert host.undo_journal(admin, mapped.id, COMPANY, journal).status == "undone"
    assert set(status_of(sandbox).values()) == {"INVALIDATED"}
