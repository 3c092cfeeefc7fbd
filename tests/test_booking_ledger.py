"""The reference host's booking ledger and attempt history: the contract issue 11 adds."""

from __future__ import annotations

from collections.abc import Callable
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
    SentStatus,
    derive_sent_status,
    sent_receipt_of,
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


def test_the_history_returns_at_most_fifty_by_default_and_refuses_a_bad_limit() -> None:
    history = SqliteAttemptHistory(Database())
    for n in range(51):
        history.record(attempt(f"a{n}", float(n)))
    found = history.for_run(RUN)
    assert len(found) == 50
    assert found[-1].attempt_id == "a1"
    for bad in (0, True, "3"):
        with pytest.raises(ValueError, match="limit"):
            history.for_run(RUN, limit=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the types check themselves

D = "ab" * 32


def _valid() -> dict[str, Callable[..., object]]:
    return {
        "run": lambda **kw: RunKey(**{"account_id": "a", "company_id": "c", "run_id": "r", **kw}),
        "attachment": lambda **kw: AttachmentRecord(
            **{"external_id": "1", "name": "n.csv", "digest": D, "recorded_at": 1.0, **kw}
        ),
        "receipt": lambda **kw: BookedReceipt(
            **{
                "external_id": "1",
                "receipt_date": date(2026, 6, 1),
                "name": "n",
                "row_digest": D,
                "total": Decimal("1.00"),
                "invoice_id": None,
                **kw,
            }
        ),
        "intent": lambda **kw: BookingIntent(
            **{
                "attempt_id": "a",
                "row_digest": D,
                "payload_digest": D,
                "receipt_date": date(2026, 6, 1),
                "name": "n",
                **kw,
            }
        ),
        "record": lambda **kw: BookingRecord(
            **{
                "run": RUN,
                "period": JUN,
                "state": BookingState.BOOKED,
                "intent": None,
                "receipt": receipt(),
                "updated_at": 1.0,
                **kw,
            }
        ),
        "attempt": lambda **kw: Attempt(
            **{
                "attempt_id": "a",
                "run": RUN,
                "kind": AttemptKind.EXPORT,
                "actor_id": "u",
                "started_at": 1.0,
                "finished_at": 2.0,
                "outcome": "sent",
                **kw,
            }
        ),
    }


BAD: list[tuple[str, str, object]] = [
    ("run", "account_id", " "),
    ("run", "company_id", None),
    ("run", "run_id", 7),
    ("attachment", "external_id", ""),
    ("attachment", "name", None),
    ("attachment", "digest", "AB" * 32),
    ("attachment", "digest", "ab"),
    ("attachment", "recorded_at", "1"),
    ("attachment", "recorded_at", True),
    ("receipt", "external_id", ""),
    ("receipt", "receipt_date", "2026-06-01"),
    ("receipt", "name", ""),
    ("receipt", "row_digest", "xyz"),
    ("receipt", "total", 1.0),
    ("receipt", "total", Decimal("NaN")),
    ("receipt", "total", 1),
    ("receipt", "invoice_id", ""),
    ("intent", "attempt_id", ""),
    ("intent", "row_digest", "x"),
    ("intent", "payload_digest", None),
    ("intent", "receipt_date", None),
    ("intent", "name", ""),
    ("record", "run", "r"),
    ("record", "period", "2026-06"),
    ("record", "state", "sent"),
    ("record", "intent", "i"),
    ("record", "receipt", None),
    ("record", "updated_at", None),
    ("record", "attachments", ["a"]),
    ("record", "attachments", ("a",)),
    ("attempt", "attempt_id", ""),
    ("attempt", "run", None),
    ("attempt", "kind", "sending"),
    ("attempt", "actor_id", ""),
    ("attempt", "started_at", "now"),
    ("attempt", "finished_at", 0.5),
    ("attempt", "outcome", "done"),
    ("attempt", "problems", [Problem("x.y", "m")]),
    ("attempt", "problems", ("p",)),
    ("attempt", "requests", -1),
    ("attempt", "requests", 1.5),
    ("attempt", "writes", -1),
]


@pytest.mark.parametrize(("kind", "field", "value"), BAD)
def test_a_bad_value_is_refused_naming_the_field(kind: str, field: str, value: object) -> None:
    with pytest.raises((TypeError, ValueError), match=field):
        _valid()[kind](**{field: value})


@pytest.mark.parametrize("kind", ["run", "attachment", "receipt", "intent", "record", "attempt"])
def test_valid_values_are_accepted_and_frozen(kind: str) -> None:
    value = _valid()[kind]()
    field = next(iter(value.__dataclass_fields__))  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        setattr(value, field, "changed")


def test_optional_fields_accept_none_and_ints_pass_as_times() -> None:
    assert _valid()["receipt"](invoice_id="70001").invoice_id == "70001"  # type: ignore[attr-defined]
    assert _valid()["attachment"](recorded_at=5).recorded_at == 5  # type: ignore[attr-defined]
    assert _valid()["record"](intent=intent()).intent == intent()  # type: ignore[attr-defined]
    intended = _valid()["record"](state=BookingState.INTENDED, intent=intent(), receipt=None)
    assert not intended.booked  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="intent"):
        _valid()["record"](state=BookingState.INTENDED, intent=None, receipt=None)
    invalidated = _valid()["record"](state="invalidated")
    assert invalidated.state is BookingState.INVALIDATED  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="not booked"):
        sent_receipt_of(invalidated)  # type: ignore[arg-type]
    fresh = _valid()["attempt"]()
    assert (fresh.requests, fresh.writes, fresh.problems) == (0, 0, ())  # type: ignore[attr-defined]
    status = SentStatus("sent", (), ())  # type: ignore[arg-type]  # a plain string is coerced
    assert status.state is SentState.SENT
    with pytest.raises(AttributeError):
        status.state = SentState.NOT_SENT  # type: ignore[misc]
    with pytest.raises(ValueError, match="state"):
        SentStatus("done", (), ())  # type: ignore[arg-type]


def test_sent_receipt_of_refuses_a_period_that_is_not_booked() -> None:
    intended = BookingRecord(RUN, JUN, BookingState.INTENDED, intent(), None, 1.0)
    with pytest.raises(ValueError, match="not booked"):
        sent_receipt_of(intended)
    shown = sent_receipt_of(booked(JUN, "9"))
    assert (shown.external_id, shown.total, shown.status) == ("9", Decimal("12.50"), "BOOKED")
