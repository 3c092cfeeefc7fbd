"""The reference host's booking ledger and attempt history: the contract issue 11 adds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nmbrs_hookspecs.booking import (
    AttachmentRecord,
    Attempt,
    AttemptKind,
    BookedReceipt,
    BookingIntent,
    BookingRecord,
    BookingState,
    RunKey,
    SentState,
    derive_sent_status,
)
from nmbrs_hookspecs.booking_store import SqliteAttemptHistory, SqliteBookingLedger
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.protocols import AttemptHistory, BookingLedger, PluginHost
from nmbrs_hookspecs.store import Database
from nmbrs_hookspecs.types import Period, Problem

RUN = RunKey("acc-1", "c1", "run-6")
OTHER_RUN = RunKey("acc-1", "c2", "run-6")
JAN, JUN = Period(2026, 1), Period(2026, 6)
DIGEST = "ab" * 32


def intent(attempt: str = "a1", digest: str = DIGEST) -> BookingIntent:
    return BookingIntent(attempt, digest, "cd" * 32, date(2026, 6, 25), "June payroll")


def receipt(external_id: str = "101", digest: str = DIGEST) -> BookedReceipt:
    return BookedReceipt(external_id, date(2026, 6, 25), "June payroll", digest, Decimal("12.50"), "9001")


@pytest.fixture
def ledger() -> SqliteBookingLedger:
    return SqliteBookingLedger(Database(), clock=lambda: 1000.0)


def only(ledger: SqliteBookingLedger, run: RunKey = RUN) -> BookingRecord:
    (record,) = ledger.records(run)
    return record


def test_the_reference_host_lends_a_ledger_and_an_attempt_history() -> None:
    host = ReferenceHost(load_entrypoints=False)
    assert isinstance(host, PluginHost)
    assert isinstance(host.ledger, BookingLedger)
    assert isinstance(host.attempts, AttemptHistory)


def test_intent_then_receipt_books_the_period_and_keeps_the_intent(ledger: SqliteBookingLedger) -> None:
    assert ledger.record_intent(RUN, JUN, intent()) is True
    assert only(ledger).state is BookingState.INTENDED
    ledger.record_receipt(RUN, JUN, receipt())
    record = only(ledger)
    assert (record.state, record.receipt, record.intent) == (BookingState.BOOKED, receipt(), intent())


def test_a_booked_period_refuses_a_new_intent(ledger: SqliteBookingLedger) -> None:
    ledger.record_receipt(RUN, JUN, receipt())
    assert ledger.record_intent(RUN, JUN, intent("a2")) is False
    assert only(ledger).booked


def test_a_second_receipt_for_a_booked_period_is_refused(ledger: SqliteBookingLedger) -> None:
    ledger.record_receipt(RUN, JUN, receipt("101"))
    ledger.record_receipt(RUN, JUN, receipt("101"))  # the same receipt again is fine
    with pytest.raises(ValueError, match="booked as receipt 101, not 102"):
        ledger.record_receipt(RUN, JUN, receipt("102"))
    assert only(ledger).receipt == receipt("101")


def test_clear_intent_forgets_only_its_own_attempt(ledger: SqliteBookingLedger) -> None:
    ledger.record_intent(RUN, JUN, intent("a1"))
    ledger.clear_intent(RUN, JUN, "other")
    assert only(ledger).state is BookingState.INTENDED
    ledger.clear_intent(RUN, JUN, "a1")
    assert ledger.records(RUN) == ()


def test_clear_intent_never_unbooks(ledger: SqliteBookingLedger) -> None:
    ledger.record_intent(RUN, JUN, intent("a1"))
    ledger.record_receipt(RUN, JUN, receipt())
    ledger.clear_intent(RUN, JUN, "a1")
    assert only(ledger).booked


def test_invalidated_needs_the_booked_receipt_and_frees_the_period(ledger: SqliteBookingLedger) -> None:
    ledger.record_receipt(RUN, JUN, receipt("101"))
    assert ledger.mark_invalidated(RUN, JUN, "999") is False
    assert ledger.mark_invalidated(RUN, JAN, "101") is False
    assert ledger.mark_invalidated(RUN, JUN, "101") is True
    assert only(ledger).state is BookingState.INVALIDATED
    assert ledger.record_intent(RUN, JUN, intent("a2")) is True
    ledger.record_receipt(RUN, JUN, receipt("102"))
    assert only(ledger).receipt == receipt("102")


def test_attachments_are_recorded_once_and_only_on_booked_periods(ledger: SqliteBookingLedger) -> None:
    document = AttachmentRecord("att-1", "June payroll 2026-06.csv", "ef" * 32, 1000.0)
    with pytest.raises(ValueError, match="not booked"):
        ledger.add_attachment(RUN, JUN, document)
    ledger.record_receipt(RUN, JUN, receipt())
    ledger.add_attachment(RUN, JUN, document)
    ledger.add_attachment(RUN, JUN, document)
    assert only(ledger).attachments == (document,)
    ledger.record_receipt(RUN, JUN, receipt())  # recording the same receipt keeps its attachments
    assert only(ledger).attachments == (document,)


def test_runs_are_kept_apart_by_company(ledger: SqliteBookingLedger) -> None:
    ledger.record_receipt(RUN, JUN, receipt())
    assert ledger.records(OTHER_RUN) == ()
    ledger.plan(RUN, [JUN, JAN, JUN])
    assert ledger.planned(RUN) == (JAN, JUN)
    assert ledger.planned(OTHER_RUN) == ()


def test_the_ledger_survives_a_new_host_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    SqliteBookingLedger(Database(path)).record_receipt(RUN, JUN, receipt())
    assert only(SqliteBookingLedger(Database(path))).receipt == receipt()


def attempt(attempt_id: str, started: float, outcome: str = "sent") -> Attempt:
    problems = () if outcome in ("sent", "already_sent") else (Problem("x.unavailable", "Down."),)
    return Attempt(attempt_id, RUN, AttemptKind.EXPORT, "u1", started, started + 1, outcome, problems, 7, 6)


def test_attempts_come_newest_first_and_keep_their_problems() -> None:
    history = SqliteAttemptHistory(Database())
    history.record(attempt("a1", 10.0))
    history.record(attempt("a2", 20.0, "failed"))
    history.record(attempt("a0", 5.0, "blocked"))
    found = history.for_run(RUN)
    assert [a.attempt_id for a in found] == ["a2", "a1", "a0"]
    assert found[0] == attempt("a2", 20.0, "failed")
    assert [a.attempt_id for a in history.for_run(RUN, limit=1)] == ["a2"]
    assert history.for_run(OTHER_RUN) == ()


def test_an_attempt_with_more_writes_than_requests_is_refused() -> None:
    with pytest.raises(ValueError, match="writes"):
        Attempt("a", RUN, AttemptKind.EXPORT, "u", 1.0, 2.0, "sent", (), 1, 2)


def booked(period: Period, external_id: str) -> BookingRecord:
    return BookingRecord(RUN, period, BookingState.BOOKED, None, receipt(external_id), 1.0)


def test_sent_status_comes_from_the_ledger_not_from_the_last_attempt() -> None:
    failed = attempt("a2", 20.0, "failed")
    status = derive_sent_status([JAN, JUN], [booked(JAN, "1"), booked(JUN, "2")], failed)
    assert status.state is SentState.SENT
    assert [r.external_id for r in status.receipts] == ["1", "2"]
    assert status.last_attempt == failed


def test_sent_status_partial_and_not_sent() -> None:
    intended = BookingRecord(RUN, JUN, BookingState.INTENDED, intent(), None, 1.0)
    partial = derive_sent_status([JAN, JUN], [booked(JAN, "1"), intended])
    assert (partial.state, partial.missing) == (SentState.PARTIALLY_SENT, (JUN,))
    assert derive_sent_status([JAN], [intended]).state is SentState.NOT_SENT
    invalidated = BookingRecord(RUN, JAN, BookingState.INVALIDATED, None, receipt("1"), 1.0)
    assert derive_sent_status([JAN], [invalidated]).state is SentState.NOT_SENT
