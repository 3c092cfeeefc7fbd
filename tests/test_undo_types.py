"""The undo's boundary types check themselves (nmbrs_hookspecs.undo)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import Period, Problem
from nmbrs_hookspecs.undo import UndoPlan, UndoReceipt, UndoResult, UndoState

WHY = Problem("procountor.undo.period_closed", "closed", severity="error")
NOTE = Problem("procountor.undo.already_invalidated", "already", severity="info")


def receipt(state: UndoState = UndoState.INVALIDATED) -> UndoReceipt:
    return UndoReceipt(Period(2026, 6), "40001", date(2026, 6, 25), "Payroll", Decimal("10.00"), state)


def test_a_plan_is_possible_only_with_something_to_invalidate_and_nothing_blocking() -> None:
    assert UndoPlan((receipt(UndoState.WILL_INVALIDATE),), (NOTE,)).possible
    assert not UndoPlan((receipt(UndoState.WILL_INVALIDATE),), (WHY,)).possible
    assert not UndoPlan((receipt(UndoState.ALREADY_INVALIDATED),)).possible


def test_statuses_and_problems_agree() -> None:
    with pytest.raises(ValueError, match="cannot carry blocking"):
        UndoResult("undone", (receipt(),), (WHY,))
    with pytest.raises(ValueError, match="needs a problem"):
        UndoResult("blocked", (receipt(UndoState.PERIOD_CLOSED),))
    with pytest.raises(ValueError, match="every receipt must be invalidated"):
        UndoResult("undone", (receipt(UndoState.STILL_BOOKED),))
    with pytest.raises(ValueError, match="must be one of"):
        UndoResult("reverted")
    assert UndoResult("undone", (receipt(), receipt(UndoState.ALREADY_INVALIDATED)), (NOTE,)).status == "undone"


def test_money_is_a_decimal_and_the_state_a_known_one() -> None:
    with pytest.raises(TypeError):
        UndoReceipt(Period(2026, 6), "40001", date(2026, 6, 25), "Payroll", 10.0, UndoState.INVALIDATED)  # type: ignore[arg-type]
    with pytest.raises(ValueError):  # noqa: PT011 - the enum's own message
        UndoReceipt(Period(2026, 6), "40001", date(2026, 6, 25), "Payroll", Decimal("1"), "gone")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="external_id"):
        UndoReceipt(Period(2026, 6), " ", date(2026, 6, 25), "Payroll", Decimal("1"), UndoState.INVALIDATED)
