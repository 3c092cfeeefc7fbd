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


@pytest.mark.parametrize(
    ("problems", "new", "tried", "expected"),
    [
        ((), 0, False, "already_sent"),
        ((NOTE, WARN), 0, False, "already_sent"),
        ((), 2, True, "sent"),
        ((WARN,), 1, True, "sent"),
        ((DOWN,), 1, True, "partially_sent"),
        ((DATA,), 3, True, "partially_sent"),
        ((DATA,), 0, False, "blocked"),
        ((DATA, DOWN), 0, False, "blocked"),
        ((DOWN,), 0, False, "failed"),
        ((BUSY, NOTE), 0, False, "failed"),
        ((DATA,), 0, True, "failed"),
    ],
)
def test_status_of_an_attempt(problems: tuple[Problem, ...], new: int, tried: bool, expected: str) -> None:
    assert status_of(problems, new=new, tried_to_write=tried) == expected


def test_every_try_later_code_is_a_real_catalogue_code() -> None:
    from nmbrs_procountor_plugin.messages import catalogue

    assert set(catalogue()) >= TRY_LATER


def test_the_result_lists_receipts_in_period_order() -> None:
    def receipt(month: int) -> SentReceipt:
        return SentReceipt(Period(2026, month), str(month), date(2026, month, 1), "June", Decimal("1.00"), "UNFINISHED")

    answer = result([receipt(6), receipt(1), receipt(3)], [DOWN], new=0, tried_to_write=False)
    assert [r.period.month for r in answer.receipts] == [1, 3, 6]
    assert (answer.status, answer.problems) == ("failed", (DOWN,))
