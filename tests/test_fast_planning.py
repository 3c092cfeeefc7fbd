"""The fast planning path gives exactly the answers of the schema-only path it replaced.

Plain code accepts the lines that clearly keep every rule and marshmallow words the rest; the
receipt's JSON is written once while planning, from memoised pieces. Each shortcut is held to the
slow, obvious computation it replaces, over journals mixing valid and invalid lines.
"""

from __future__ import annotations

import gc
import json
from datetime import date
from decimal import Decimal
from typing import Any, cast
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmbrs_hookspecs.types import AdministrationMapping, DimensionKind, DimensionMapping, Journal, JournalLine, Period
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export import journal_checks, planning
from nmbrs_procountor_plugin.export.fingerprint import rows_digest
from nmbrs_procountor_plugin.export.hot_loop import collector_paused
from nmbrs_procountor_plugin.export.journal_checks import RULED_FIELDS, JournalLineSchema, validate_journal
from nmbrs_procountor_plugin.export.planning import DimensionTarget, ReceiptDraft, build_receipts
from nmbrs_procountor_plugin.export.resend import payload_digest
from nmbrs_procountor_plugin.export.text import DESCRIPTION_LIMIT, procountor_text
from nmbrs_procountor_plugin.provider import AccountSettings
from tests.test_planning import host_row_as_sent

RUN = Period(2026, 6)
SETTINGS = AccountSettings(
    authorization_method="login",
    api_key=None,
    approve_receipts=False,
    vat_type="PURCHASE",
    vat_status=12,
    create_missing_dimension_items=False,
)
BOTH = AdministrationMapping(
    "a", "c", "1", (DimensionMapping("cost_center", True, "KP"), DimensionMapping("cost_unit", True, "Projekti"))
)

# Amounts at the edges of every rule: 2 and 3 decimals, trailing zeros, the 10^13 bound, zero.
edge_amounts = st.sampled_from(
    [
        Decimal("10.50"),
        Decimal("10.500"),
        Decimal("10.005"),
        Decimal("-0.001"),
        Decimal("1E+2"),
        Decimal("9999999999999.99"),
        Decimal("10000000000000"),
        Decimal("-10000000000000.00"),
        Decimal("0"),
        Decimal("0.00"),
        Decimal("-7.1"),
    ]
)
edge_accounts = st.sampled_from(["7000", " 7100 ", "", "   ", "\t"])
edge_periods = st.sampled_from([Period(2026, 6), Period(2026, 5), Period(2026, 7), Period(2027, 1), Period(2025, 12)])
texts = st.sampled_from(["Gross wages", "Äijälä Ŕ", "x" * 300, "", "tab\there", "Gross wages"])


@st.composite
def mixed_journals(draw: st.DrawFn) -> Journal:
    lines = draw(
        st.lists(
            st.builds(
                JournalLine,
                edge_accounts,
                edge_amounts,
                texts,
                edge_periods,
                st.sampled_from([None, "100"]),
                st.sampled_from([None, "P-10"]),
            ),
            max_size=30,
        )
    )
    return Journal("c", "r", RUN, "Payroll", date(2026, 6, 25), tuple(lines))


def schema_only(journal: Journal) -> tuple[list[int], dict[int, dict[str, list[str]]]]:
    """What the schema alone says of every non-zero line: the accepted indexes, and the errors."""
    bookable = [i for i, line in enumerate(journal.lines) if line.amount != 0]
    data = [
        {
            "ledger_account": journal.lines[i].ledger_account,
            "amount": journal.lines[i].amount,
            "period": journal.lines[i].period,
        }
        for i in bookable
    ]
    # with many=True marshmallow keys the errors by the position of the line
    errors = cast(
        dict[int, dict[str, list[str]]],
        JournalLineSchema(journal.period, many=True, only=RULED_FIELDS).validate(data),
    )
    failed = {bookable[position]: found for position, found in errors.items()}
    return [i for i in bookable if i not in failed], failed


@settings(max_examples=200, deadline=None)
@given(mixed_journals())
def test_plain_checks_accept_and_refuse_exactly_the_lines_the_schema_does(journal: Journal) -> None:
    accepted, failed = schema_only(journal)
    check = validate_journal(journal, "en")
    # the plain check is exact, not merely safe: it sends no line of host types the slow way
    plain = journal_checks._PlainLineCheck(journal.period)
    assert [i for i, line in enumerate(journal.lines) if line.amount != 0 and plain(line) is not None] == accepted
    assert [item.index for item in check.lines] == accepted
    # and every line to book carries its amount as sent: exactly two decimals, the exact value
    assert [item.amount_text for item in check.lines] == [
        format(item.line.amount.quantize(Decimal("0.01")), "f") for item in check.lines
    ]
    refused_fields = {p.field for p in check.problems if p.blocking and (p.field or "").startswith("lines[")}
    assert refused_fields == {f"lines[{i}].{name}" for i, by_field in failed.items() for name in by_field}
    # and the whole answer, info notes included, is the one of every line through the schema
    with patch.object(journal_checks._PlainLineCheck, "__call__", lambda self, line: None):
        assert validate_journal(journal, "en") == check


def test_invalid_lines_get_the_same_problems_as_when_every_line_went_through_the_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = (
        JournalLine("7000", Decimal("10.005"), "three decimals", RUN),
        JournalLine("", Decimal("5.00"), "no account", RUN),
        JournalLine("7000", Decimal("10000000000000"), "too large", RUN),
        JournalLine("7000", Decimal("1.00"), "later period", Period(2026, 7)),
        JournalLine("7000", Decimal("-6.00"), "fine", RUN),
    )
    journal = Journal("c", "r", RUN, "Payroll", date(2026, 6, 25), lines)
    fast = validate_journal(journal, "fi")
    # The schema-only path: the plain check accepts nothing, so every line goes to marshmallow.
    monkeypatch.setattr(journal_checks._PlainLineCheck, "__call__", lambda self, line: None)
    slow = validate_journal(journal, "fi")
    assert fast == slow
    assert [p.code for p in fast.problems if p.blocking] == [
        "procountor.journal.amount_decimals",
        "procountor.journal.account_missing",
        "procountor.journal.amount_too_large",
        "procountor.journal.period_after_run",
    ]
    assert [item.index for item in fast.lines] == [4]


def resolve(kind: str, code: str) -> DimensionTarget | None:
    return DimensionTarget(501 if kind == "cost_center" else 502, 7000 + len(code))


valid_lines = st.builds(
    JournalLine,
    st.sampled_from(["7000", "2939", 'quote"d\\', "tilde~ä"]),
    st.integers(min_value=-(10**12), max_value=10**12).filter(bool).map(lambda c: Decimal(c) / 100),
    st.text(max_size=40) | texts,
    st.sampled_from([RUN, Period(2026, 1)]),
    st.sampled_from([None, "100", "200"]),
    st.sampled_from([None, "P-10"]),
)


def expected_payload(journal: Journal, draft: ReceiptDraft, mapping: AdministrationMapping) -> dict[str, Any]:
    """The receipt built the obvious way, one dict per row, as planning built it before issue 13."""
    rows = []
    for index in draft.line_indexes:
        line = journal.lines[index]
        value = line.amount.quantize(Decimal("0.01"))
        row: dict[str, Any] = {
            "transactionType": "ENTRY",
            "account": line.ledger_account.strip(),
            "accountingValue": value,
            "vatPercent": Decimal(0),
            "vatType": SETTINGS.vat_type,
            "vatStatus": SETTINGS.vat_status,
        }
        text = procountor_text(line.description, DESCRIPTION_LIMIT).text
        if text:
            row["description"] = text
        values = []
        kinds: tuple[tuple[DimensionKind, str | None], ...] = (
            ("cost_center", line.cost_center),
            ("cost_unit", line.cost_unit),
        )
        for kind, code in kinds:
            target = resolve(kind, code) if code is not None and mapping.dimension(kind) else None
            if target is not None:
                values.append({"dimensionId": target.dimension_id, "itemId": target.item_id, "value": value})
        if values:
            row["dimensionItemValues"] = values
        rows.append(row)
    return {
        "type": "JOURNAL",
        "name": journal.reference,
        "receiptDate": draft.receipt_date.isoformat(),
        "vatType": SETTINGS.vat_type,
        "vatStatus": SETTINGS.vat_status,
        "transactionDescription": f"{journal.reference} {draft.period}",
        "invoiceNotes": draft.fingerprint.text(),
        "transactions": rows,
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(valid_lines, min_size=1, max_size=25), st.booleans(), st.booleans())
def test_the_body_written_while_planning_is_the_receipt_as_exact_json(
    lines: list[JournalLine], centers: bool, units: bool
) -> None:
    journal = Journal("c", "r", RUN, "Payroll ” June", date(2026, 6, 25), tuple(lines))
    mapping = AdministrationMapping(
        "a", "c", "1", (DimensionMapping("cost_center", centers, "KP"), DimensionMapping("cost_unit", units, "P"))
    )
    check = validate_journal(journal, "en")
    for draft in build_receipts(journal, check.lines, mapping, SETTINGS, resolve):
        expected = expected_payload(journal, draft, mapping)
        assert draft.json_body() == exact_json.dumps(expected)
        assert draft.payload == expected
        # the rows in host terms, worked out when read, are the journal's lines as sent
        expected_rows = tuple(host_row_as_sent(journal.lines[i], centers, units) for i in draft.line_indexes)
        assert len(draft.rows) == len(expected_rows)
        assert draft.rows == expected_rows
        assert [str(row.amount) for row in draft.rows] == [str(row.amount) for row in expected_rows]
        # the digest written row by row is the one rows_digest computes from the rows
        assert draft.fingerprint.digest == rows_digest(draft.rows)
        # the intent's payload digest written while planning is the one read from the body
        assert draft.payload_digest == payload_digest(draft.payload)


def test_the_collector_is_off_during_planning_and_back_on_after_it_even_on_failure() -> None:
    seen: list[bool] = []

    def spy(kind: str, code: str) -> DimensionTarget | None:
        seen.append(gc.isenabled())
        return None  # unresolved: build_receipts raises

    journal = Journal("c", "r", RUN, "Payroll", date(2026, 6, 25), (JournalLine("7000", Decimal(1), "x", RUN, "100"),))
    assert gc.isenabled()
    with pytest.raises(LookupError):
        build_receipts(journal, validate_journal(journal, "en").lines, BOTH, SETTINGS, spy)
    assert seen == [False]
    assert gc.isenabled()


def test_a_host_that_runs_without_the_collector_keeps_it_off() -> None:
    gc.disable()
    try:
        with collector_paused(), collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def resolve_cost_units_first(kind: str, code: str) -> DimensionTarget | None:
    """Cost units on a dimension with a lower id than cost centers': rows list them in the other order."""
    return DimensionTarget(601 if kind == "cost_center" else 503, 9000 - len(code))


@settings(max_examples=60, deadline=None)
@given(st.lists(valid_lines, min_size=1, max_size=25))
def test_the_intents_payload_digest_is_the_bodys_whatever_the_dimensions_order(lines: list[JournalLine]) -> None:
    journal = Journal("c", "r", RUN, "Payroll June", date(2026, 6, 25), tuple(lines))
    mapping = AdministrationMapping(
        "a", "c", "1", (DimensionMapping("cost_center", True, "KP"), DimensionMapping("cost_unit", True, "P"))
    )
    check = validate_journal(journal, "en")
    for draft in build_receipts(journal, check.lines, mapping, SETTINGS, resolve_cost_units_first):
        assert draft.payload_digest == payload_digest(draft.payload)


def test_the_intents_payload_digest_escapes_quotes_backslashes_and_control_characters_as_json_does() -> None:
    # The digest escapes all rows in one pass over their join; these are the characters it must get right.
    lines = (
        JournalLine('70"0\\', Decimal("1.00"), 'Bonus "Q2" C:\\temp\\ \x00 \t ä \u2028 😀', RUN, "100"),
        JournalLine("2939", Decimal("-1.00"), "", RUN),
    )
    journal = Journal("c", "r", RUN, 'Payroll "June" \\ 6', date(2026, 6, 25), lines)
    check = validate_journal(journal, "en")
    (draft,) = build_receipts(journal, check.lines, BOTH, SETTINGS, resolve)
    assert draft.payload_digest == payload_digest(draft.payload)
    assert planning._PayloadDigestWriter.canonical("n", RUN.last_day, []) == json.dumps(["n", "2026-06-30", []])
