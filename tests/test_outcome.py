"""The status of one export attempt: blocked (fix first) is told apart from failed (try later)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import Period, Problem, SentReceipt
from nmbrs_procountor_plugin.export.outcome import TRY_LATER, result, status_of

DOWN = Problem("procountor.unavailable", "Procountor is unavailable.")
BUSY = Problem("procountor.export.in_progress", "Another session is sending.")
DATA = Problem("procountor.account.unknown", "Account 9999 does not exist.")
NOTE = Problem("procountor.export.already_booked", "Already booked.", severity="info")
WARN = Problem("procountor.rights.personal_receipts_only", "Own receipts only.", severity="warning")


EXPIRED = Problem("procountor.auth.expired", "The authorization has expired.")
UNKNOWN = Problem("procountor.export.outcome_unknown", "The answer was lost.")
RENEWING = Problem("procountor.auth.refresh_busy", "Another task is renewing the authorization.")


@pytest.mark.parametrize(
    ("problems", "new", "expected"),
    [
        ((), 0, "already_sent"),
        ((NOTE, WARN), 0, "already_sent"),
        ((), 2, "sent"),
        ((WARN,), 1, "sent"),
        ((DOWN,), 1, "partially_sent"),
        ((DATA,), 3, "partially_sent"),
        ((DATA,), 0, "blocked"),  # found before sending, or Procountor refused the first POST
        ((DATA, DOWN), 0, "blocked"),  # the data must be fixed whatever the outage
        ((EXPIRED,), 0, "blocked"),  # the authorization ended: log in again first
        ((DOWN,), 0, "failed"),
        ((UNKNOWN, DOWN), 0, "failed"),
        ((BUSY, NOTE), 0, "failed"),
        ((RENEWING,), 0, "failed"),  # the authorization still works: try again in a minute
    ],
)
def test_status_of_an_attempt(problems: tuple[Problem, ...], new: int, expected: str) -> None:
    assert status_of(problems, new=new) == expected


def test_every_try_later_code_is_a_real_catalogue_code() -> None:
    from nmbrs_procountor_plugin.messages import catalogue

    assert set(catalogue()) >= TRY_LATER


def test_the_result_lists_receipts_in_period_order() -> None:
    def receipt(month: int) -> SentReceipt:
        return SentReceipt(Period(2026, month), str(month), date(2026, month, 1), "June", Decimal("1.00"), "UNFINISHED")

    answer = result([receipt(6), receipt(1), receipt(3)], [DOWN], new=0)
    assert [r.period.month for r in answer.receipts] == [1, 3, 6]
    assert (answer.status, answer.problems) == ("failed", (DOWN,))
