"""Properties of planning for any valid, balanced journal (hypothesis).

Nothing is lost or duplicated on the way from journal lines to receipt rows, each receipt
balances, dimension values add up to their row, receipts come in period order, and every text is
something Procountor can store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nmbrs_hookspecs.types import AdministrationMapping, DimensionMapping, Journal, JournalLine, Period
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.amounts import whole_cents
from nmbrs_procountor_plugin.export.fingerprint import parse_fingerprint
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import DimensionTarget, build_receipts, check_balance
from nmbrs_procountor_plugin.export.text import DESCRIPTION_LIMIT, NAME_LIMIT, procountor_text
from nmbrs_procountor_plugin.provider import AccountSettings

RUN = Period(2026, 6)
PERIODS = [Period(2025, 6), *(Period(2025, m) for m in range(7, 13)), *(Period(2026, m) for m in range(1, 7))]
TARGETS = {
    ("cost_center", "100"): DimensionTarget(501, 7001),
    ("cost_center", "200"): DimensionTarget(501, 7002),
    ("cost_unit", "P-10"): DimensionTarget(502, 7101),
}
SETTINGS = AccountSettings(
    authorization_method="login",
    api_key=None,
    approve_receipts=False,
    vat_type="SALES",
    vat_status=12,
    create_missing_dimension_items=False,
)
CENTS = Decimal("0.01")


def resolve(kind: str, code: str) -> DimensionTarget | None:
    return TARGETS.get((kind, code))


accounts = st.sampled_from(["7000", "7100", "2935", "2939", "1910"])
cents = st.integers(min_value=-(10**9), max_value=10**9)
descriptions = st.text(max_size=300)
cost_centers = st.sampled_from([None, "100", "200"])
cost_units = st.sampled_from([None, "P-10"])
# trailing zeros the host may write: 10.5, 10.50, 10.500 are the same amount
scales = st.sampled_from([Decimal("0.01"), Decimal("0.001"), Decimal("0.0001")])


@st.composite
def amounts(draw: st.DrawFn, value: int | None = None) -> Decimal:
    number = draw(cents) if value is None else value
    exact = Decimal(number) * CENTS
    return exact.quantize(draw(scales)) if draw(st.booleans()) else exact


@st.composite
def balanced_journals(draw: st.DrawFn) -> Journal:
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=5, unique=True))
    lines: list[JournalLine] = []
    for period in periods:
        raw = draw(st.lists(st.tuples(accounts, cents, descriptions, cost_centers, cost_units), min_size=1, max_size=8))
        total = sum(c for _, c, _, _, _ in raw)
        # a balancing pair, one of which is never zero, so every period has something to book
        raw += [("2939", -total - 1, "balance", None, None), ("1910", 1, "rounding", "100", None)]
        for account, value, text, center, unit in raw:
            lines.append(JournalLine(account, draw(amounts(value)), text, period, center, unit))
    order = draw(st.permutations(range(len(lines))))
    reference = draw(st.text(min_size=1, max_size=NAME_LIMIT).filter(lambda t: bool(t.strip())))
    reference = reference if len(procountor_text(reference, 10_000).text) <= NAME_LIMIT else "Payroll"
    return Journal(
        draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        RUN,
        reference,
        date(2026, 6, 25),
        tuple(lines[i] for i in order),
    )


mappings = st.builds(
    lambda center, unit: AdministrationMapping(
        "a", "c", "1", (DimensionMapping("cost_center", center, "KP"), DimensionMapping("cost_unit", unit, "Projekti"))
    ),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(balanced_journals(), mappings)
def test_any_valid_balanced_journal_is_planned_faithfully(journal: Journal, mapping: AdministrationMapping) -> None:
    check = validate_journal(journal, "en")
    assert not check.blocking, check.problems
    assert check_balance(journal, check.lines, "en") == ()
    receipts = build_receipts(journal, check.lines, mapping, SETTINGS, resolve)

    # nothing lost, nothing duplicated
    wanted = Counter((x.ledger_account, x.amount.quantize(CENTS)) for x in journal.lines if x.amount != 0)
    sent = Counter((row["account"], row["accountingValue"]) for r in receipts for row in r.payload["transactions"])
    assert sent == wanted
    indexes = [i for r in receipts for i in r.line_indexes]
    assert sorted(indexes) == [i for i, x in enumerate(journal.lines) if x.amount != 0]

    # one receipt per period, in period order, rows in journal order
    assert [r.period for r in receipts] == sorted({x.period for x in journal.lines if x.amount != 0})
    for receipt in receipts:
        assert list(receipt.line_indexes) == sorted(receipt.line_indexes)
        assert all(journal.lines[i].period == receipt.period for i in receipt.line_indexes)
        rows: list[dict[str, Any]] = receipt.payload["transactions"]
        assert sum(row["accountingValue"] for row in rows) == 0
        assert receipt.total == sum(row["accountingValue"] for row in rows if row["accountingValue"] > 0)
        assert receipt.receipt_date == (journal.booking_date if receipt.period == RUN else receipt.period.last_day)
        for row in rows:
            assert row["accountingValue"].as_tuple().exponent == -2
            by_dimension: dict[int, Decimal] = {}
            for value in row.get("dimensionItemValues", []):
                by_dimension[value["dimensionId"]] = by_dimension.get(value["dimensionId"], Decimal(0)) + value["value"]
            assert all(total == row["accountingValue"] for total in by_dimension.values())
            text = row.get("description", "")
            assert len(text) <= DESCRIPTION_LIMIT
            text.encode("cp1252")
        # what Procountor will see: exact numbers, texts it can store, our fingerprint
        body = exact_json.dumps(receipt.payload)
        assert exact_json.loads(body)["transactions"] == rows
        for key in ("name", "transactionDescription", "invoiceNotes"):
            receipt.payload[key].encode("cp1252")
        assert len(receipt.payload["name"]) <= NAME_LIMIT
        assert parse_fingerprint(receipt.payload["invoiceNotes"]) == receipt.fingerprint
        assert receipt.fingerprint.company_id == journal.company_id
        assert receipt.fingerprint.run_id == journal.run_id


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_procountor_text_is_storable_bounded_and_stable(text: str, limit: int) -> None:
    safe = procountor_text(text, limit)
    safe.text.encode("cp1252")
    assert len(safe.text) <= limit
    again = procountor_text(safe.text, limit)
    assert again.text == safe.text
    assert not again.changed
    if not safe.changed:
        import unicodedata

        assert safe.text == unicodedata.normalize("NFC", text)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=8))
def test_whole_cents_agrees_with_exact_arithmetic(units: int, places: int) -> None:
    value = Decimal(units).scaleb(-places)
    assert whole_cents(value) == (value == value.quantize(CENTS))
