"""The journal's own rules: every problem names its line and value, nothing is rounded silently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.export.amounts import cents_text, whole_cents
from nmbrs_procountor_plugin.export.journal_checks import JournalLineSchema, line_numbers, validate_journal
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, lines_by_period

JUNE = Period(2026, 6)
REFERENCE = "Payroll June 2026 run 6"


def line(
    account: str = "7000",
    amount: str = "100.00",
    description: str = "Gross wages",
    period: Period = JUNE,
    cost_center: str | None = None,
    cost_unit: str | None = None,
) -> JournalLine:
    return JournalLine(account, Decimal(amount), description, period, cost_center, cost_unit)


def journal(*lines: JournalLine, reference: str = REFERENCE, period: Period = JUNE) -> Journal:
    return Journal("company-1", "run-6", period, reference, date(2026, 6, 25), tuple(lines))


def balanced(*extra: JournalLine) -> Journal:
    return journal(line("7000", "100.00"), line("2939", "-100.00", "Net wages payable"), *extra)


def codes(check: object) -> list[str]:
    return [p.code for p in check.problems]  # type: ignore[attr-defined]


def test_a_clean_journal_has_no_problems_and_keeps_every_line_in_order() -> None:
    check = validate_journal(balanced(), "en")
    assert check.problems == ()
    assert not check.blocking
    assert [item.index for item in check.lines] == [0, 1]
    assert all(isinstance(item, IndexedLine) for item in check.lines)


def test_the_lines_of_periods_not_yet_booked_keep_journal_order_and_their_grouping() -> None:
    may, april = Period(2026, 5), Period(2026, 4)
    check = validate_journal(
        journal(
            line("7000", "1.00", period=may),
            line("7000", "2.00"),
            line("7000", "3.00", period=april),
            line("2939", "-2.00"),
            line("2939", "-1.00", period=may),
            line("2939", "-3.00", period=april),
        ),
        "en",
    )
    rest = check.lines.without_periods({may})
    assert [item.index for item in rest] == [1, 2, 3, 5]
    assert list(lines_by_period(rest)) == [april, JUNE]
    # the grouping it keeps is the one the lines would get if grouped afresh
    assert dict(lines_by_period(rest)) == dict(lines_by_period(list(rest)))
    assert [item.index for item in check.lines.without_periods(set())] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("10.50", True),
        ("10.500", True),
        ("10.5000000", True),
        ("10", True),
        ("1E+3", True),
        ("-0.01", True),
        ("10.005", False),
        ("0.001", False),
        ("10.5001", False),
        ("-3.333", False),
        ("1.00000000000000000000000000001", False),  # normalize() would round this to 1 under prec 28
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_whole_cents_reads_the_exact_value(text: str, ok: bool) -> None:
    assert whole_cents(Decimal(text)) is ok


def test_three_decimals_are_refused_naming_line_and_value_not_rounded() -> None:
    check = validate_journal(balanced(line("7000", "10.005"), line("2939", "-10.005")), "en")
    errors = [p for p in check.problems if p.blocking]
    assert [p.code for p in errors] == ["procountor.journal.amount_decimals"] * 2
    assert errors[0].field == "lines[2].amount"
    assert "Line 3" in errors[0].message
    assert "10.005" in errors[0].message
    assert errors[1].field == "lines[3].amount"
    assert "-10.005" in errors[1].message
    assert [item.index for item in check.lines] == [0, 1]  # the bad lines are not booked


def test_trailing_zeros_are_not_extra_decimals() -> None:
    check = validate_journal(journal(line("7000", "10.500"), line("2939", "-10.50")), "en")
    assert not check.blocking
    assert [item.line.amount for item in check.lines] == [Decimal("10.500"), Decimal("-10.50")]


def test_a_float_cannot_even_reach_the_plugin() -> None:
    with pytest.raises(TypeError, match="float"):
        JournalLine("7000", 10.5, "x", JUNE)  # type: ignore[arg-type]


def test_the_schema_itself_refuses_floats_and_never_rounds() -> None:
    schema = JournalLineSchema(JUNE)
    data = {"ledger_account": "7000", "description": "", "period": "2026-06"}
    assert schema.validate({**data, "amount": 10.5}) != {}
    assert schema.validate({**data, "amount": "1.005"}) == {"amount": ["procountor.journal.amount_decimals"]}
    assert schema.load({**data, "amount": "10.500"})["amount"] == Decimal("10.500")


def test_absurdly_large_amounts_are_refused() -> None:
    check = validate_journal(balanced(line("7000", "1E+13"), line("2939", "-9999999999999.99")), "en")
    assert codes(check) == ["procountor.journal.amount_too_large"]
    assert check.problems[0].field == "lines[2].amount"


def test_a_line_after_the_run_period_is_refused() -> None:
    check = validate_journal(
        balanced(line(period=Period(2026, 7)), line("2939", "-100.00", period=Period(2026, 7))), "en"
    )
    problems = [p for p in check.problems if p.code == "procountor.journal.period_after_run"]
    assert [p.field for p in problems] == ["lines[2].period", "lines[3].period"]
    assert problems[0].message == (
        "Line 3 (amount 100.00) is booked in period July 2026, after the run's own period June 2026."
    )


def test_earlier_periods_are_corrections_and_fine() -> None:
    check = validate_journal(
        balanced(line(period=Period(2025, 12)), line("2939", "-100.00", period=Period(2025, 12))), "en"
    )
    assert check.problems == ()


def test_missing_reference_is_refused() -> None:
    check = validate_journal(journal(line(), line("2939", "-100.00"), reference="  "), "en")
    assert codes(check) == ["procountor.journal.reference_missing"]
    assert check.problems[0].field == "reference"


def test_reference_of_81_characters_is_refused_80_is_fine() -> None:
    assert validate_journal(journal(line(), line("2939", "-100.00"), reference="R" * 80), "en").problems == ()
    check = validate_journal(journal(line(), line("2939", "-100.00"), reference="R" * 81), "en")
    assert codes(check) == ["procountor.journal.reference_too_long"]
    assert "81" in check.problems[0].message
    assert "80" in check.problems[0].message


def test_reference_length_counts_as_sent() -> None:
    # the Kannada letter has no Windows-1252 stand-in but becomes one '?': same length; a
    # ligature "ﬃ" becomes "ffi": 78 + 3 > 80
    check = validate_journal(journal(line(), line("2939", "-100.00"), reference="R" * 78 + "\ufb03"), "en")
    assert codes(check) == ["procountor.journal.reference_too_long"]


def test_reference_with_foreign_characters_is_reported_as_adjusted() -> None:
    check = validate_journal(journal(line(), line("2939", "-100.00"), reference="Palkat Ŕ 😀"), "en")
    assert codes(check) == ["procountor.journal.reference_adjusted"]
    assert check.problems[0].severity == "info"
    assert "'Palkat R ?'" in check.problems[0].message


def test_missing_account_is_refused_naming_the_line() -> None:
    check = validate_journal(balanced(line("  ", "5.00"), line("2939", "-5.00")), "nl")
    assert codes(check) == ["procountor.journal.account_missing"]
    assert check.problems[0].field == "lines[2].ledger_account"
    assert check.problems[0].message == "Regel 3 (bedrag 5,00) heeft geen grootboekrekening."


def test_all_problems_are_collected_not_the_first() -> None:
    check = validate_journal(
        journal(line("", "1.001", period=Period(2026, 8)), line("2939", "-1.00"), reference=""), "en"
    )
    assert sorted(codes(check)) == sorted(
        [
            "procountor.journal.reference_missing",
            "procountor.journal.account_missing",
            "procountor.journal.amount_decimals",
            "procountor.journal.period_after_run",
        ]
    )
    assert {p.field for p in check.problems} == {
        "reference",
        "lines[0].ledger_account",
        "lines[0].amount",
        "lines[0].period",
    }


def test_zero_lines_are_left_out_with_one_info_problem() -> None:
    check = validate_journal(balanced(line("7100", "0.00"), line("", "0", period=Period(2026, 9))), "en")
    assert [item.index for item in check.lines] == [0, 1]
    assert codes(check) == ["procountor.journal.zero_lines_skipped"]
    info = check.problems[0]
    assert info.severity == "info"
    assert not check.blocking
    assert info.message == "2 lines with amount 0.00 were left out: lines 3 and 4."


def test_a_journal_with_only_zero_lines_is_empty() -> None:
    check = validate_journal(journal(line("7000", "0.00")), "en")
    assert "procountor.journal.empty" in codes(check)
    assert check.blocking
    assert check.lines == ()
    assert "procountor.journal.empty" in codes(validate_journal(journal(), "en"))


def test_descriptions_that_will_be_adjusted_are_noted_once() -> None:
    check = validate_journal(
        balanced(
            line("7010", "1.00", "Bonus €"),  # € is in Windows-1252: unchanged
            line("7020", "1.00", "Ŕent 😀"),  # replaced
            line("7030", "-2.00", "x" * 300),  # cut
        ),
        "en",
    )
    assert codes(check) == ["procountor.journal.text_adjusted"]
    assert check.problems[0].severity == "info"
    assert check.problems[0].message == "The descriptions of lines 4 and 5 were adjusted for Procountor."


def test_problems_come_in_each_language() -> None:
    bad = balanced(line("7000", "10.005"))
    for locale, text in (
        ("en", "Line 3: the amount 10.005 has more than two decimals."),
        ("nl", "Regel 3: het bedrag 10,005 heeft meer dan twee decimalen."),
        ("sv", "Rad 3: beloppet 10,005 har fler än två decimaler."),
        ("fi", "Rivi 3: summassa 10,005 on enemmän kuin kaksi desimaalia."),
        ("de", "Line 3: the amount 10.005 has more than two decimals."),
    ):
        assert validate_journal(bad, locale).problems[0].message == text


def test_line_numbers_are_human() -> None:
    assert line_numbers([0, 2]) == (1, 3)


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("0.01", "0.01"),  # the shortest amount str writes with two decimals
        ("-0.07", "-0.07"),
        ("1234.50", "1234.50"),
        ("-9999999999999.99", "-9999999999999.99"),
        ("10.5", None),  # whole cents, but not written with two decimals: ask the exact way
        ("10.500", None),
        ("10.005", None),
        ("5", None),
        ("1E+2", None),
        ("1.00E+3", None),
        ("NaN", None),
        ("-Infinity", None),
    ],
)
def test_cents_text_is_the_amount_as_written_only_when_that_is_exactly_two_decimals(
    amount: str, written: str | None
) -> None:
    assert cents_text(Decimal(amount)) == written


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=-6, max_value=4))
def test_cents_text_writes_what_format_writes_for_every_amount_with_two_decimals(digits: int, exponent: int) -> None:
    amount = Decimal(digits).scaleb(exponent)
    written = cents_text(amount)
    if amount.as_tuple().exponent == -2:
        assert written == format(amount, "f")
    else:
        assert written is None
