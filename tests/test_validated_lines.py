"""The validated lines as columns: the same lines, periods and order as one object per line would give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, LineColumns, columns, lines_by_period

JUNE, MAY, APRIL = Period(2026, 6), Period(2026, 5), Period(2026, 4)


def journal(*lines: JournalLine) -> Journal:
    return Journal("c", "r", JUNE, "Payroll June", date(2026, 6, 25), lines)


def line(amount: str, period: Period = JUNE, account: str = "5000") -> JournalLine:
    return JournalLine(account, Decimal(amount), "Wages", period)


def test_each_period_holds_its_lines_in_journal_order_with_their_numbers_and_amounts_as_sent() -> None:
    lines = (
        line("10.5", MAY),
        line("1.00"),
        line("0.00"),  # left out: nothing is booked
        line("3.00", APRIL),  # the only line of its period
        line("-1.00"),
        line("-10.50", MAY),
    )
    groups = lines_by_period(validate_journal(journal(*lines), "en").lines)
    assert list(groups) == [APRIL, MAY, JUNE]
    assert [(p, g.indexes, g.amount_texts) for p, g in groups.items()] == [
        (APRIL, (3,), ("3.00",)),
        (MAY, (0, 5), ("10.50", "-10.50")),
        (JUNE, (1, 4), ("1.00", "-1.00")),
    ]
    assert all(g.lines == tuple(lines[i] for i in g.indexes) for g in groups.values())
    # lines that are not validated ones are sorted into journal order and grouped the same way
    shuffled = [IndexedLine(i, lines[i]) for i in (5, 1, 3, 0, 4)]
    assert dict(lines_by_period(shuffled)) == dict(groups)


def test_columns_read_as_one_line_object_each_and_slice_as_columns() -> None:
    items = [IndexedLine(4, line("2.5")), IndexedLine(7, line("-2.50", account="2939"))]
    found = columns(items)
    assert list(found) == items
    assert found[1] == items[1]
    assert found[:1] == LineColumns((4,), (items[0].line,), ("2.50",))
    assert list(found.pairs()) == [(4, items[0].line), (7, items[1].line)]
    assert found == items
    assert found != items[:1]
    assert columns(found) is found


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        LineColumns((1, 2), (line("1.00"),), ("1.00",))


def test_leaving_out_every_period_leaves_no_lines() -> None:
    check = validate_journal(journal(line("1.00"), line("-1.00", MAY)), "en")
    rest = check.lines.without_periods({JUNE, MAY})
    assert len(rest) == 0
    assert dict(lines_by_period(rest)) == {}
