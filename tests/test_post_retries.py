"""How one receipt's POST is retried: a request that certainly never left is sent again after a
growing pause, without searching Procountor for it; one whose answer was lost is looked for first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs.booking import BookingIntent
from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.export import pipeline
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint
from nmbrs_procountor_plugin.export.planning import ReceiptDraft

JUNE = Period(2026, 6)
JOURNAL = Journal(
    "c-1",
    "run-1",
    JUNE,
    "Payroll",
    date(2026, 6, 25),
    (JournalLine("5000", Decimal("1.00"), "x", JUNE), JournalLine("2939", Decimal("-1.00"), "y", JUNE)),
)
RECEIPT = {"id": 40001, "receiptDate": "2026-06-25", "name": "Payroll", "status": "UNFINISHED"}


class FlakyClient:
    """Refuses to connect ``failures`` times, then books the receipt."""

    def __init__(self, failures: int, *, uncertain: bool) -> None:
        self.failures = failures
        self.uncertain = uncertain
        self.posts = 0

    def create_ledger_receipt(self, body: str) -> dict[str, Any]:
        self.posts += 1
        if self.posts <= self.failures:
            raise ProcountorUnavailable("connection refused", uncertain=self.uncertain, reason="connect")
        return RECEIPT


@pytest.fixture
def draft() -> ReceiptDraft:
    fingerprint = Fingerprint("run-1", "c-1", JUNE, "a" * 64)
    return ReceiptDraft(JUNE, date(2026, 6, 25), "Payroll", Decimal("1.00"), "{}", fingerprint, (0, 1), "b" * 64)


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr("nmbrs_procountor_plugin.export.pipeline.time.sleep", slept.append)
    return slept


def intent() -> BookingIntent:
    return BookingIntent("attempt-1", "a" * 64, "b" * 64, date(2026, 6, 25), "Payroll")


def test_a_post_that_never_left_is_sent_again_after_a_growing_pause_without_a_search(
    draft: ReceiptDraft, pauses: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[Any] = []
    monkeypatch.setattr(pipeline, "_landed", lambda *args: searched.append(args))
    client = FlakyClient(2, uncertain=False)
    assert pipeline._post(client, JOURNAL, draft, intent()) == RECEIPT  # type: ignore[arg-type]
    assert client.posts == 3
    assert searched == []  # it certainly did not land: nothing to look for
    assert pauses == [pipeline.RETRY_PAUSE_SECONDS, 2 * pipeline.RETRY_PAUSE_SECONDS]


def test_a_post_that_never_left_gives_up_after_its_attempts(draft: ReceiptDraft, pauses: list[float]) -> None:
    client = FlakyClient(pipeline.POST_ATTEMPTS, uncertain=False)
    with pytest.raises(ProcountorUnavailable):
        pipeline._post(client, JOURNAL, draft, intent())  # type: ignore[arg-type]
    assert client.posts == pipeline.POST_ATTEMPTS


def test_a_post_whose_answer_was_lost_is_looked_for_before_it_is_sent_again(
    draft: ReceiptDraft, pauses: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    looked: list[Any] = []

    def landed(*args: Any) -> dict[str, Any] | None:
        looked.append(args)
        return RECEIPT  # it had landed after all

    monkeypatch.setattr(pipeline, "_landed", landed)
    client = FlakyClient(1, uncertain=True)
    assert pipeline._post(client, JOURNAL, draft, intent()) == RECEIPT  # type: ignore[arg-type]
    assert client.posts == 1  # found, never sent twice
    assert len(looked) == 1
    assert pauses == []
