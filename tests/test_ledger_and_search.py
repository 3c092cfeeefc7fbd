"""The ledger check and the fallback search, against a scripted Procountor (fast, no sandbox).

What counts as "this run's receipt" decides whether a period is booked twice or never, so every
rule is pinned here: fingerprint of this company and run, or the ledger's intent where the notes
were dropped; never a foreign fingerprint, foreign notes, an invalidated receipt, a receipt the
ledger holds for another period, or one outside the run's months.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

import pytest

from nmbrs_hookspecs.booking import BookedReceipt, BookingIntent, BookingState, RunKey
from nmbrs_hookspecs.booking_store import SqliteBookingLedger
from nmbrs_hookspecs.store import Database
from nmbrs_hookspecs.types import Period
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.api.errors import ProcountorApiError
from nmbrs_procountor_plugin.api.payloads import LedgerReceipt
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, HostRow, ordered_rows_digest, rows_digest
from nmbrs_procountor_plugin.export.ledger import booked_receipt, confirm, intent_for
from nmbrs_procountor_plugin.export.planning import ReceiptDraft
from nmbrs_procountor_plugin.export.resend import Booked, payload_digest, receipt_total, search_booked, sent_receipt

COMPANY, RUN_ID = "c1", "run-6"
RUN = RunKey("acc", COMPANY, RUN_ID)
JAN, MAR, JUN = Period(2026, 1), Period(2026, 3), Period(2026, 6)


def draft(period: Period, day: date | None = None, name: str = "June payroll", amount: str = "10.00") -> ReceiptDraft:
    rows = (
        HostRow("5000", Decimal(amount), "Wages", "100", None),
        HostRow("2939", -Decimal(amount), "Net", None, None),
    )
    when = day or period.last_day
    fingerprint = Fingerprint(RUN_ID, COMPANY, period, rows_digest(rows))
    payload = {
        "type": "JOURNAL",
        "name": name,
        "receiptDate": when.isoformat(),
        "invoiceNotes": fingerprint.text(),
        "transactions": [
            {
                "transactionType": "ENTRY",
                "account": "5000",
                "accountingValue": Decimal(amount),
                "description": "Wages",
                "dimensionItemValues": [{"dimensionId": 501, "itemId": 7001, "value": Decimal(amount)}],
            },
            {"transactionType": "ENTRY", "account": "2939", "accountingValue": -Decimal(amount), "description": "Net"},
        ],
    }
    body = exact_json.dumps(payload)
    return ReceiptDraft(period, when, name, Decimal(amount), body, fingerprint, (0, 1), payload_digest(payload), rows)


class Procountor:
    """Scripted receipts; counts what the plugin asks."""

    def __init__(self, receipts: Iterable[dict[str, Any]] = ()) -> None:
        self.receipts = {str(r["id"]): r for r in receipts}
        self.searches: list[tuple[date, date]] = []
        self.reads: list[list[str]] = []

    def search_journal_receipts(self, start: date, end: date) -> list[dict[str, Any]]:
        self.searches.append((start, end))
        keys = ("id", "name", "receiptDate", "status")
        return [
            {k: r[k] for k in keys}
            for r in self.receipts.values()
            if start <= date.fromisoformat(r["receiptDate"]) <= end
        ]

    def ledger_receipts(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        wanted = [str(i) for i in ids]
        self.reads.append(wanted)
        found = [self.receipts[i] for i in wanted if i in self.receipts]
        if not found:
            raise ProcountorApiError(404, (), "not found")
        return found


def stored(
    receipt_id: int, source: ReceiptDraft, *, notes: str | None = "same", status: str = "UNFINISHED"
) -> dict[str, Any]:
    """The receipt Procountor would hold after the POST of ``source`` (notes kept, dropped or replaced)."""
    body = dict(source.payload)
    if notes == "same":
        pass
    elif notes is None:
        body.pop("invoiceNotes")
    else:
        body["invoiceNotes"] = notes
    transactions = [{**row, "id": receipt_id * 10 + i} for i, row in enumerate(source.payload["transactions"])]
    return {**body, "id": receipt_id, "status": status, "receiptNumber": receipt_id, "transactions": transactions}


def search(procountor: Procountor, drafts: list[ReceiptDraft], **kw: Any) -> dict[Period, Booked]:
    return search_booked(procountor, COMPANY, RUN_ID, drafts, kw.get("intents", {}), kw.get("known", ()))  # type: ignore[arg-type]


# ------------------------------------------------------------------ the fallback search


def test_nothing_to_look_for_asks_nothing() -> None:
    procountor = Procountor()
    assert search(procountor, []) == {}
    assert procountor.searches == []


def test_the_search_covers_the_whole_months_and_reads_only_when_there_are_candidates() -> None:
    procountor = Procountor()
    assert search(procountor, [draft(JUN, date(2026, 6, 25)), draft(JAN)]) == {}
    assert procountor.searches == [(date(2026, 1, 1), date(2026, 6, 30))]
    assert procountor.reads == []


def test_a_receipt_renamed_and_redated_is_found_by_its_fingerprint() -> None:
    old = draft(JUN, date(2026, 6, 25), name="Old name")
    procountor = Procountor([stored(1, old)])
    found = search(procountor, [draft(JUN, date(2026, 6, 20), name="New name")])
    assert list(found) == [JUN]
    assert found[JUN].id == "1"
    assert found[JUN].fingerprint == old.fingerprint
    assert found[JUN].same_rows(draft(JUN))
    assert not found[JUN].same_rows(draft(JUN, amount="11.00"))


@pytest.mark.parametrize(
    "notes",
    [
        Fingerprint("other-run", COMPANY, JUN, "ab" * 32).text(),
        Fingerprint(RUN_ID, "other-company", JUN, "ab" * 32).text(),
        "typed by the accountant",
        None,
    ],
)
def test_foreign_or_missing_fingerprints_are_never_this_runs(notes: str | None) -> None:
    procountor = Procountor([stored(1, draft(JUN), notes=notes)])
    assert search(procountor, [draft(JUN)]) == {}
    assert procountor.reads == [["1"]]


def test_a_fingerprint_for_a_period_not_asked_about_is_ignored() -> None:
    procountor = Procountor([stored(1, draft(MAR))])
    assert search(procountor, [draft(JAN), draft(JUN)]) == {}


def test_dropped_notes_are_recognised_by_the_intent_alone() -> None:
    sent = draft(JUN)
    intent = intent_for(sent, "attempt-1")
    procountor = Procountor([stored(1, sent, notes=None)])
    found = search(procountor, [sent], intents={JUN: intent})
    assert found[JUN].id == "1"
    assert found[JUN].fingerprint is None
    assert found[JUN].same_rows(sent)
    other = intent_for(draft(JUN, amount="11.00"), "attempt-1")
    assert search(Procountor([stored(1, sent, notes=None)]), [sent], intents={JUN: other}) == {}
    assert search(Procountor([stored(1, sent, notes=None)]), [draft(MAR)], intents={JUN: intent}) == {}


def test_foreign_notes_win_over_a_matching_intent() -> None:
    sent = draft(JUN)
    procountor = Procountor([stored(1, sent, notes="typed by the accountant")])
    assert search(procountor, [sent], intents={JUN: intent_for(sent, "a")}) == {}


def test_invalidated_known_and_out_of_month_receipts_are_not_candidates() -> None:
    procountor = Procountor(
        [
            stored(1, draft(JUN), status="INVALIDATED"),
            stored(2, draft(JUN)),
            stored(3, draft(MAR)),
        ]
    )
    found = search(procountor, [draft(JAN), draft(JUN)], known={"2"})
    assert found == {}
    assert procountor.reads == []


def test_a_receipt_invalidated_between_search_and_read_is_skipped() -> None:
    procountor = Procountor([stored(1, draft(JUN))])
    original = procountor.ledger_receipts

    def invalidated_meanwhile(ids: Iterable[str]) -> list[dict[str, Any]]:
        return [{**r, "status": "INVALIDATED"} for r in original(ids)]

    procountor.ledger_receipts = invalidated_meanwhile  # type: ignore[method-assign]
    assert search(procountor, [draft(JUN)]) == {}


def test_an_intent_dated_in_another_month_widens_the_search() -> None:
    sent = draft(JUN, date(2026, 6, 25))
    intent = BookingIntent("a", sent.fingerprint.digest, payload_digest(sent.payload), date(2026, 7, 1), sent.name)
    elsewhere = BookingIntent("a", sent.fingerprint.digest, "cd" * 32, date(2026, 9, 1), sent.name)
    procountor = Procountor()
    search(procountor, [sent], intents={JUN: intent, JAN: elsewhere})
    assert procountor.searches == [(date(2026, 6, 1), date(2026, 7, 31))]


def test_of_two_live_receipts_for_a_period_the_oldest_is_recognised() -> None:
    procountor = Procountor([stored(7, draft(JUN)), stored(3, draft(JUN)), stored(5, draft(JUN))])
    assert search(procountor, [draft(JUN)])[JUN].id == "3"


def test_payload_digest_is_the_same_for_the_post_and_what_procountor_stores() -> None:
    sent = draft(JUN)
    held = stored(1, sent, notes=None)
    assert payload_digest(held) == payload_digest(sent.payload)
    reordered = {**held, "transactions": list(reversed(held["transactions"]))}
    assert payload_digest(reordered) == payload_digest(sent.payload)
    loose = {
        **held,
        "transactions": [{**t, "accountingValue": str(t["accountingValue"]) + "0"} for t in held["transactions"]],
    }
    assert payload_digest(loose) == payload_digest(sent.payload)
    reconciled = {
        **held,
        "transactions": [*held["transactions"], {"transactionType": "RECONCILIATION_ENTRY", "account": "1"}],
    }
    assert payload_digest(reconciled) == payload_digest(sent.payload)
    for other in (draft(JUN, name="Other"), draft(JUN, date(2026, 6, 20)), draft(JUN, amount="10.01")):
        assert payload_digest(other.payload) != payload_digest(sent.payload)
    moved = {
        **held,
        "transactions": [
            {
                **held["transactions"][0],
                "dimensionItemValues": [{"dimensionId": 501, "itemId": 7002, "value": "10.00"}],
            },
            held["transactions"][1],
        ],
    }
    assert payload_digest(moved) != payload_digest(sent.payload)


def test_receipt_total_is_the_debit_side() -> None:
    assert receipt_total(stored(1, draft(JUN, amount="12.34"))) == Decimal("12.34")
    assert receipt_total(stored(1, draft(JUN, amount="0.50"))) == Decimal("0.50")
    assert receipt_total({"transactions": [{"account": "5000"}]}) == Decimal("0.00")
    assert receipt_total({"transactions": []}) == Decimal("0.00")


def test_a_found_receipt_reports_what_procountor_holds() -> None:
    found = Booked(cast(LedgerReceipt, stored(4, draft(JUN, amount="3.00"))), None)
    shown = found.sent(JUN)
    assert (shown.external_id, shown.total, shown.status, shown.name) == (
        "4",
        Decimal("3.00"),
        "UNFINISHED",
        "June payroll",
    )
    assert sent_receipt(JUN, {**found.receipt, "status": None}).status == "UNFINISHED"
    with pytest.raises(AttributeError):
        found.fingerprint = None  # type: ignore[misc]


def test_an_empty_description_is_the_same_whether_omitted_or_blank() -> None:
    sent = draft(JUN)
    payload = {
        **sent.payload,
        "transactions": [{k: v for k, v in t.items() if k != "description"} for t in sent.payload["transactions"]],
    }
    blank = {**payload, "transactions": [{**t, "description": ""} for t in payload["transactions"]]}
    assert payload_digest(payload) == payload_digest(blank)
    assert payload_digest(payload) != payload_digest(sent.payload)


# ------------------------------------------------------------------ the ledger check


@pytest.fixture
def ledger() -> SqliteBookingLedger:
    return SqliteBookingLedger(Database())


def book(ledger: SqliteBookingLedger, source: ReceiptDraft, receipt_id: int) -> None:
    ledger.record_receipt(RUN, source.period, booked_receipt(source, stored(receipt_id, source)))


def digests(*drafts: ReceiptDraft) -> dict[Period, str]:
    return {d.period: d.fingerprint.digest for d in drafts}


def test_a_booked_period_with_its_intent_kept_is_confirmed_and_an_invalidated_one_is_not_read(
    ledger: SqliteBookingLedger,
) -> None:
    jan, jun = draft(JAN), draft(JUN)
    ledger.record_intent(RUN, JUN, intent_for(jun, "a1"))
    book(ledger, jun, 2)
    book(ledger, jan, 1)
    ledger.mark_invalidated(RUN, JAN, "1")
    procountor = Procountor([stored(1, jan), stored(2, jun)])
    found = confirm(procountor, ledger, RUN, digests(jan, jun), writing=True)  # type: ignore[arg-type]
    assert procountor.reads == [["2"]]
    assert list(found.booked) == [JUN]
    assert (found.intents, found.freed) == ({}, [])


def test_an_empty_ledger_asks_procountor_nothing(ledger: SqliteBookingLedger) -> None:
    pending = intent_for(draft(JUN), "a1")
    ledger.record_intent(RUN, JUN, pending)
    found = confirm(None, ledger, RUN, digests(draft(JUN)), writing=True)
    assert (found.booked, found.changed, found.freed, found.intents) == ({}, {}, [], {JUN: pending})


def test_booked_receipts_are_confirmed_with_one_read(ledger: SqliteBookingLedger) -> None:
    jan, jun = draft(JAN), draft(JUN)
    book(ledger, jan, 1)
    book(ledger, jun, 2)
    procountor = Procountor([stored(1, jan), stored(2, jun)])
    found = confirm(procountor, ledger, RUN, digests(jan, jun), writing=True)  # type: ignore[arg-type]
    assert procountor.reads == [["1", "2"]]
    assert list(found.booked) == [JAN, JUN]
    assert found.known_ids == {"1", "2"}
    assert (found.changed, found.freed) == ({}, [])


def test_a_period_changed_after_booking_is_reported_not_booked(ledger: SqliteBookingLedger) -> None:
    jan, jun = draft(JAN), draft(JUN)
    book(ledger, jan, 1)
    book(ledger, jun, 2)
    procountor = Procountor([stored(1, jan), stored(2, jun)])
    found = confirm(procountor, ledger, RUN, digests(jan, draft(JUN, amount="11.00")), writing=True)  # type: ignore[arg-type]
    assert list(found.booked) == [JAN]
    assert list(found.changed) == [JUN]


def test_a_booked_period_the_journal_no_longer_has_stays_booked(ledger: SqliteBookingLedger) -> None:
    jan = draft(JAN)
    book(ledger, jan, 1)
    found = confirm(Procountor([stored(1, jan)]), ledger, RUN, digests(draft(JUN)), writing=True)  # type: ignore[arg-type]
    assert list(found.booked) == [JAN]


@pytest.mark.parametrize("writing", [True, False])
def test_an_invalidated_or_vanished_receipt_frees_its_period(ledger: SqliteBookingLedger, writing: bool) -> None:
    jan, jun = draft(JAN), draft(JUN)
    book(ledger, jan, 1)
    book(ledger, jun, 2)
    procountor = Procountor([stored(1, jan, status="INVALIDATED")])
    found = confirm(procountor, ledger, RUN, digests(jan, jun), writing=writing)  # type: ignore[arg-type]
    assert found.freed == [JAN, JUN]
    assert found.booked == {}
    states = [r.state for r in ledger.records(RUN)]
    expected = BookingState.INVALIDATED if writing else BookingState.BOOKED
    assert states == [expected, expected]


def test_all_ids_unknown_frees_every_period_and_other_errors_propagate(ledger: SqliteBookingLedger) -> None:
    book(ledger, draft(JUN), 2)
    assert confirm(Procountor(), ledger, RUN, digests(draft(JUN)), writing=False).freed == [JUN]  # type: ignore[arg-type]
    broken = Procountor()

    def refused(ids: Iterable[str]) -> list[dict[str, Any]]:
        raise ProcountorApiError(403, (), "forbidden")

    broken.ledger_receipts = refused  # type: ignore[method-assign]
    with pytest.raises(ProcountorApiError):
        confirm(broken, ledger, RUN, digests(draft(JUN)), writing=False)  # type: ignore[arg-type]


def test_a_booked_ledger_needs_a_client(ledger: SqliteBookingLedger) -> None:
    book(ledger, draft(JUN), 2)
    with pytest.raises(ValueError, match="client"):
        confirm(None, ledger, RUN, digests(draft(JUN)), writing=False)


def test_what_the_ledger_keeps_of_an_intent_and_a_receipt() -> None:
    sent = draft(JUN, date(2026, 6, 25))
    intent = intent_for(sent, "a1")
    assert (intent.attempt_id, intent.row_digest, intent.receipt_date, intent.name) == (
        "a1",
        sent.fingerprint.digest,
        date(2026, 6, 25),
        "June payroll",
    )
    assert intent.payload_digest == payload_digest(sent.payload)
    held = {**stored(9, sent), "invoiceId": 70001}
    kept = booked_receipt(sent, held)
    assert kept == BookedReceipt(
        "9", date(2026, 6, 25), "June payroll", sent.fingerprint.digest, Decimal("10.00"), "70001"
    )
    bare = booked_receipt(sent, {"id": 9})
    assert (bare.receipt_date, bare.name, bare.total, bare.invoice_id) == (
        date(2026, 6, 25),
        "June payroll",
        Decimal("10.00"),
        None,
    )


def test_a_found_fingerprint_holds_the_drafts_rows_only_when_its_digest_is_theirs_in_either_version() -> None:
    june = draft(JUN)
    receipt = cast(LedgerReceipt, {"id": 9, "receiptDate": "2026-06-30", "name": june.name})
    same_v2 = Fingerprint(RUN_ID, COMPANY, JUN, june.fingerprint.digest)
    other_v2 = Fingerprint(RUN_ID, COMPANY, JUN, draft(JUN, amount="11.00").fingerprint.digest)
    same_v1 = Fingerprint(RUN_ID, COMPANY, JUN, ordered_rows_digest(june.rows), version=1)
    reordered_v1 = Fingerprint(RUN_ID, COMPANY, JUN, ordered_rows_digest(june.rows[::-1]), version=1)
    assert Booked(receipt, same_v2).same_rows(june)
    assert not Booked(receipt, other_v2).same_rows(june)
    # a version-1 digest is over the rows in order: compared the version-1 way, not to the draft's digest
    assert Booked(receipt, same_v1).same_rows(june)
    assert not Booked(receipt, reordered_v1).same_rows(june)
    assert Booked(receipt, None).same_rows(june)  # matched by the ledger's intent: exact already
