"""Receipts from a journal: one per period (the help article's corrections), exact amounts, dimensions, fingerprints."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import AdministrationMapping, DimensionMapping, Journal, JournalLine, Period, PlannedReceipt
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.fingerprint import (
    Fingerprint,
    HostRow,
    ordered_rows_digest,
    parse_fingerprint,
    rows_digest,
)
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import (
    DimensionTarget,
    PeriodDigests,
    ReceiptDraft,
    UnresolvedDimension,
    build_receipts,
    check_balance,
    periods_of,
    receipt_date,
)
from nmbrs_procountor_plugin.export.text import DESCRIPTION_LIMIT, procountor_text
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine
from nmbrs_procountor_plugin.provider import AccountSettings

JUNE = Period(2026, 6)
REFERENCE = "Payroll June 2026 run 6"
BOOKING_DATE = date(2026, 6, 25)
TARGETS = {
    ("cost_center", "100"): DimensionTarget(501, 7001),
    ("cost_center", "200"): DimensionTarget(501, 7002),
    ("cost_unit", "P-10"): DimensionTarget(502, 7101),
}
SETTINGS = AccountSettings(
    authorization_method="login",
    api_key=None,
    approve_receipts=False,
    vat_type="PURCHASE",
    vat_status=12,
    create_missing_dimension_items=False,
)


def resolve(kind: str, code: str) -> DimensionTarget | None:
    return TARGETS.get((kind, code))


def mapping(cost_center: bool = True, cost_unit: bool = True) -> AdministrationMapping:
    return AdministrationMapping(
        "account-1",
        "company-1",
        "10001",
        (
            DimensionMapping("cost_center", cost_center, "Kustannuspaikka"),
            DimensionMapping("cost_unit", cost_unit, "Projekti"),
        ),
    )


def line(
    account: str,
    amount: str,
    description: str = "",
    period: Period = JUNE,
    cost_center: str | None = None,
    cost_unit: str | None = None,
) -> JournalLine:
    return JournalLine(account, Decimal(amount), description, period, cost_center, cost_unit)


def journal(*lines: JournalLine, reference: str = REFERENCE, run_id: str = "run-6") -> Journal:
    return Journal("company-1", run_id, JUNE, reference, BOOKING_DATE, tuple(lines))


def seed_journal() -> Journal:
    """The help article's example (docs/product.md §4): a normal June run with corrections over January to May."""
    corrections = []
    for month in range(1, 6):
        period = Period(2026, month)
        corrections += [
            line("7000", f"{month}0.25", f"Correction gross wages {month}", period, cost_center="100"),
            line("2939", f"-{month}0.25", f"Correction net wages {month}", period),
        ]
    return journal(
        line("7000", "3000.00", "Gross wages", cost_center="100", cost_unit="P-10"),
        *corrections[:4],
        line("7000", "2000.00", "Gross wages", cost_center="200"),
        line("2935", "-1000.00", "Withholding tax payable"),
        *corrections[4:],
        line("2939", "-4000.00", "Net wages payable"),
    )


def plan(j: Journal, m: AdministrationMapping | None = None) -> tuple[ReceiptDraft, ...]:
    check = validate_journal(j, "en")
    assert not check.blocking, check.problems
    assert check_balance(j, check.lines, "en") == ()
    return build_receipts(j, check.lines, m or mapping(), SETTINGS, resolve)


def test_seed_june_run_with_corrections_makes_six_receipts_january_to_june() -> None:
    receipts = plan(seed_journal())
    assert [str(r.period) for r in receipts] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert [r.receipt_date for r in receipts] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        BOOKING_DATE,
    ]
    assert {r.name for r in receipts} == {REFERENCE}
    for receipt in receipts:
        rows = receipt.payload["transactions"]
        assert sum(r["accountingValue"] for r in rows) == Decimal("0.00")
        assert receipt.payload["name"] == REFERENCE
        assert receipt.payload["receiptDate"] == receipt.receipt_date.isoformat()
        for row in rows:
            if row["account"] == "7000":
                assert row["dimensionItemValues"]
    june = receipts[-1]
    assert june.total == Decimal("5000.00")
    assert june.line_indexes == (0, 5, 6, 13)
    assert receipts[0].line_indexes == (1, 2)


def test_run_period_receipt_uses_booking_date_and_earlier_ones_the_last_day() -> None:
    j = seed_journal()
    assert receipt_date(j, JUNE) == BOOKING_DATE
    assert receipt_date(j, Period(2024, 2)) == date(2024, 2, 29)
    with pytest.raises(ValueError, match="after"):
        receipt_date(j, Period(2026, 7))


def test_periods_of_sorts_distinct_periods() -> None:
    lines = seed_journal().lines
    assert periods_of(lines) == [Period(2026, m) for m in range(1, 7)]
    assert periods_of(IndexedLine(i, x) for i, x in enumerate(lines)) == periods_of(lines)


def test_payload_is_the_exact_procountor_body() -> None:
    june = plan(seed_journal())[-1]
    payload = june.payload
    assert payload["type"] == "JOURNAL"
    assert payload["vatType"] == "PURCHASE"
    assert payload["vatStatus"] == 12
    assert payload["transactionDescription"] == f"{REFERENCE} 2026-06"
    assert parse_fingerprint(payload["invoiceNotes"]) == june.fingerprint
    first = payload["transactions"][0]
    assert first == {
        "transactionType": "ENTRY",
        "account": "7000",
        "accountingValue": Decimal("3000.00"),
        "vatPercent": Decimal(0),
        "vatType": "PURCHASE",
        "vatStatus": 12,
        "description": "Gross wages",
        "dimensionItemValues": [
            {"dimensionId": 501, "itemId": 7001, "value": Decimal("3000.00")},
            {"dimensionId": 502, "itemId": 7101, "value": Decimal("3000.00")},
        ],
    }
    assert "dimensionItemValues" not in payload["transactions"][2]  # withholding tax: no cost center
    body = exact_json.dumps(payload)
    assert '"accountingValue":3000.00' in body
    assert '"accountingValue":-1000.00' in body
    assert '"vatPercent":0,' in body


def test_amounts_are_sent_with_exactly_two_decimals() -> None:
    receipts = plan(journal(line("7000", "10.5"), line("7000", "10.500"), line("2939", "-21")))
    values = [row["accountingValue"] for row in receipts[0].payload["transactions"]]
    assert [str(v) for v in values] == ["10.50", "10.50", "-21.00"]


def test_credit_rows_carry_negative_dimension_values() -> None:
    receipts = plan(journal(line("7000", "50.00", cost_center="200"), line("2939", "-50.00", cost_center="100")))
    credit = receipts[0].payload["transactions"][1]
    assert credit["accountingValue"] == Decimal("-50.00")
    assert credit["dimensionItemValues"] == [{"dimensionId": 501, "itemId": 7001, "value": Decimal("-50.00")}]


def test_disabled_dimension_kinds_are_not_sent() -> None:
    receipts = plan(seed_journal(), mapping(cost_center=False, cost_unit=True))
    first = receipts[-1].payload["transactions"][0]
    assert first["dimensionItemValues"] == [{"dimensionId": 502, "itemId": 7101, "value": Decimal("3000.00")}]
    assert receipts[-1].rows[0].cost_center is None
    assert receipts[-1].rows[0].cost_unit == "P-10"
    none = plan(seed_journal(), mapping(False, False))
    assert all("dimensionItemValues" not in row for r in none for row in r.payload["transactions"])


def test_unresolved_cost_object_raises_rather_than_booking_without_it() -> None:
    j = journal(line("7000", "1.00", cost_center="999"), line("2939", "-1.00"))
    check = validate_journal(j, "en")
    with pytest.raises(UnresolvedDimension) as raised:
        build_receipts(j, check.lines, mapping(), SETTINGS, resolve)
    assert (raised.value.kind, raised.value.code, raised.value.line_index) == ("cost_center", "999", 0)
    assert "(journal line 1)" in str(raised.value)  # counted from one, as the admin numbers lines


def test_two_kinds_on_one_dimension_are_refused() -> None:
    j = journal(line("7000", "1.00", cost_center="100", cost_unit="P-10"), line("2939", "-1.00"))
    check = validate_journal(j, "en")
    with pytest.raises(ValueError, match=r"same|both") as raised:
        build_receipts(j, check.lines, mapping(), SETTINGS, lambda kind, code: DimensionTarget(501, 1))
    assert str(raised.value).startswith("journal line 1:")


def test_resolver_is_asked_once_per_cost_object() -> None:
    asked: list[tuple[str, str]] = []

    def counting(kind: str, code: str) -> DimensionTarget | None:
        asked.append((kind, code))
        return resolve(kind, code)

    j = seed_journal()
    build_receipts(j, validate_journal(j, "en").lines, mapping(), SETTINGS, counting)
    assert sorted(asked) == sorted(set(asked))


def test_unbalanced_period_is_named_with_its_difference() -> None:
    j = journal(
        line("7000", "100.00"),
        line("2939", "-100.00"),
        line("7000", "40.00", period=Period(2026, 3)),
        line("2939", "-39.99", period=Period(2026, 3)),
        line("7000", "5.00", period=Period(2026, 1)),
        line("2939", "-6.00", period=Period(2026, 1)),
    )
    check = validate_journal(j, "en")
    problems = check_balance(j, check.lines, "en")
    assert [p.code for p in problems] == ["procountor.journal.unbalanced"] * 2
    january, march = problems
    assert january.message == (
        "The lines booked in period January 2026 do not balance: debit 5.00 and credit 6.00 differ by -1.00."
    )
    assert march.message == (
        "The lines booked in period March 2026 do not balance: debit 40.00 and credit 39.99 differ by 0.01."
    )
    assert all(p.blocking for p in problems)


def test_an_unbalanced_period_of_cents_counts_each_side_whole() -> None:
    j = journal(line("7000", "0.50"), line("7000", "0.25"), line("2939", "-0.70"), line("2939", "-0.04"))
    [off] = check_balance(j, validate_journal(j, "en").lines, "en")
    assert off.message == (
        "The lines booked in period June 2026 do not balance: debit 0.75 and credit 0.74 differ by 0.01."
    )


def test_procountor_s_first_transaction_points_back_to_its_journal_line() -> None:
    j = journal(line("2939", "-10.00"), line("7000", "4.00"), line("7000", "6.00"))
    [receipt] = plan(j)
    assert [receipt.journal_line_for(i) for i in (0, 1, 2)] == [0, 1, 2]
    assert receipt.journal_line_for(3) is None
    assert receipt.journal_line_for(-1) is None


def test_a_journal_balanced_overall_but_not_per_period_is_unbalanced() -> None:
    j = journal(line("7000", "10.00"), line("2939", "-10.00", period=Period(2026, 5)))
    assert len(check_balance(j, validate_journal(j, "en").lines, "en")) == 2


def test_descriptions_are_windows_1252_safe_and_cut() -> None:
    j = journal(
        line("7000", "1.00", "Bonus € “quoted” – ok"),
        line("7000", "1.00", "Ŕ bonus 😀"),
        line("7000", "1.00", "x" * 300),
        line("2939", "-3.00", ""),
    )
    rows = plan(j)[0].payload["transactions"]
    assert rows[0]["description"] == "Bonus € “quoted” – ok"
    assert rows[1]["description"] == "R bonus ?"
    assert rows[2]["description"] == "x" * 255
    assert "description" not in rows[3]
    for row in rows:
        row.get("description", "").encode("cp1252")


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("plain", "plain"),
        ("tab\there\nnewline", "tab here newline"),
        ("e\u0301", "é"),
        ("\u2212 5 \u2010 6", "- 5 - 6"),
        ("zero\u200bwidth", "zerowidth"),
        ("ೠ", "?"),
        ("Łódź", "Lódz"),
        ("ﬁle", "file"),
        ("Šiškin Žižek", "Šiškin Žižek"),
    ],
)
def test_text_rules(text: str, sent: str) -> None:
    assert procountor_text(text, 255).text == sent


def test_name_is_made_safe_and_transaction_description_fits() -> None:
    receipts = plan(journal(line("7000", "1.00"), line("2939", "-1.00"), reference="Palkat 😀 " + "R" * 60))
    assert receipts[0].name == "Palkat ? " + "R" * 60
    assert receipts[0].payload["transactionDescription"].endswith(" 2026-06")


def test_build_refuses_a_journal_that_was_not_validated() -> None:
    j = journal(line("7000", "1.00"), line("2939", "-1.00"), reference="")
    lines = [IndexedLine(i, x) for i, x in enumerate(j.lines)]
    with pytest.raises(ValueError, match="reference"):
        build_receipts(j, lines, mapping(), SETTINGS, resolve)
    # An amount that would round cannot even become a line to plan: nothing can book it rounded.
    with pytest.raises(ArithmeticError):
        IndexedLine(0, journal(line("7000", "1.005"), line("2939", "-1.005")).lines[0])


def test_planned_receipt_for_the_preview() -> None:
    june = plan(seed_journal())[-1]
    planned = june.planned()
    assert isinstance(planned, PlannedReceipt)
    assert (planned.period, planned.receipt_date, planned.name) == (JUNE, BOOKING_DATE, REFERENCE)
    assert planned.total == Decimal("5000.00")
    assert planned.row_count == 4
    assert planned.payload["transactions"] == june.payload["transactions"]


def test_line_indexes_point_procountor_errors_back_to_journal_lines() -> None:
    march = plan(seed_journal())[2]
    assert march.journal_line_for(1) == 8
    assert march.journal_line_for(5) is None


# --------------------------------------------------------------------------- fingerprints


def test_fingerprint_round_trips_with_awkward_ids() -> None:
    fp = Fingerprint(run_id="run 6/ä=x", company_id="Ståhl & Co %", period=JUNE, digest="ab" * 32)
    text = fp.text()
    assert text.isascii()
    assert " company=" in text
    assert text.startswith("nmbrs-procountor/2 company=St%C3%A5hl%20%26%20Co%20%25 run=run%206%2F%C3%A4%3Dx ")
    assert parse_fingerprint(text) == fp
    assert parse_fingerprint(f"Checked by accountant.\n{text}\nmore notes") == fp


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "hand-made journal",
        "nmbrs-procountor/3 company=a run=b period=2026-06 digest=" + "a" * 64,
        "nmbrs-procountor/1 company=a run=b period=2026-13 digest=" + "a" * 64,
        "nmbrs-procountor/1 company=a run=b period=2026-06 digest=abc",
    ],
)
def test_foreign_or_broken_notes_are_not_ours(text: str | None) -> None:
    assert parse_fingerprint(text) is None


def test_digest_changes_with_an_amount_not_with_procountor_ids() -> None:
    j = seed_journal()
    first = plan(j)
    other_ids = build_receipts(
        j,
        validate_journal(j, "en").lines,
        mapping(),
        SETTINGS,
        lambda kind, code: DimensionTarget(900 if kind == "cost_center" else 901, 1),
    )
    assert [r.fingerprint for r in first] == [r.fingerprint for r in other_ids]
    assert first[-1].payload != other_ids[-1].payload

    lines = list(j.lines)
    lines[0] = replace(lines[0], amount=Decimal("3000.01"))
    lines[13] = replace(lines[13], amount=Decimal("-4000.01"))
    changed = journal(*lines)
    again = plan(changed)
    assert [r.fingerprint.digest for r in again[:-1]] == [r.fingerprint.digest for r in first[:-1]]
    assert again[-1].fingerprint.digest != first[-1].fingerprint.digest
    assert again[-1].fingerprint.same_origin(first[-1].fingerprint)


def test_digest_is_over_exact_cents_and_sensitive_to_every_host_field() -> None:
    row = HostRow("7000", Decimal("10.5"), "Gross", "100", None)
    assert rows_digest([row]) == rows_digest([HostRow("7000", Decimal("10.50"), "Gross", "100", None)])
    for other in (
        HostRow("7001", Decimal("10.5"), "Gross", "100", None),
        HostRow("7000", Decimal("10.51"), "Gross", "100", None),
        HostRow("7000", Decimal("10.5"), "Gross!", "100", None),
        HostRow("7000", Decimal("10.5"), "Gross", "200", None),
        HostRow("7000", Decimal("10.5"), "Gross", "100", "P-10"),
    ):
        assert rows_digest([other]) != rows_digest([row])
    assert rows_digest([row, row]) != rows_digest([row])


def test_digest_does_not_depend_on_line_order_but_on_every_row() -> None:
    a = HostRow("7000", Decimal("10.00"), "Gross", "100", None)
    b = HostRow("1900", Decimal("-10.00"), "Net", None, None)
    assert rows_digest([a, b]) == rows_digest([b, a])
    assert rows_digest([a, b]) != rows_digest([a, b, b])
    assert ordered_rows_digest([a, b]) != ordered_rows_digest([b, a])


def test_reordered_journal_lines_keep_every_fingerprint() -> None:
    j = seed_journal()
    reordered = journal(*reversed(j.lines))
    assert [r.fingerprint for r in plan(reordered)] == [r.fingerprint for r in plan(j)]


def test_a_version_1_fingerprint_is_still_recognised_by_its_ordered_digest() -> None:
    a = HostRow("7000", Decimal("10.00"), "Gross", "100", None)
    b = HostRow("1900", Decimal("-10.00"), "Net", None, None)
    text = f"nmbrs-procountor/1 company=c1 run=r1 period=2026-06 digest={ordered_rows_digest([a, b])}"
    old = parse_fingerprint(text)
    assert old is not None
    assert old.version == 1
    assert old.matches_rows([a, b])
    assert not old.matches_rows([b, a])
    new = Fingerprint("r1", "c1", JUNE, rows_digest([a, b]))
    assert new.matches_rows([b, a])
    assert not new.matches_rows([a])


def test_a_receipts_rows_compare_by_content_whether_worked_out_or_given() -> None:
    j = seed_journal()
    first, again = plan(j), plan(j)
    assert [r.rows for r in first] == [r.rows for r in again]
    assert first[0].rows == tuple(again[0].rows)
    assert first[0].rows != first[1].rows
    assert first[0].rows != tuple(first[1].rows)


def test_period_digests_match_the_receipts_without_procountor_ids() -> None:
    j = seed_journal()
    digests = dict(PeriodDigests(validate_journal(j, "en").lines, mapping()))
    assert digests == {r.period: r.fingerprint.digest for r in plan(j)}
    only_cost_centers = mapping(cost_unit=False)
    assert dict(PeriodDigests(validate_journal(j, "en").lines, only_cost_centers)) != digests


def host_row_as_sent(line: JournalLine, cost_center: bool, cost_unit: bool) -> HostRow:
    """A line's row in host terms worked out the obvious way: what the fingerprint's digest covers."""
    return HostRow(
        line.ledger_account.strip(),
        line.amount.quantize(Decimal("0.01")),
        procountor_text(line.description, DESCRIPTION_LIMIT).text,
        line.cost_center if cost_center else None,
        line.cost_unit if cost_unit else None,
    )


@pytest.mark.parametrize(("cost_center", "cost_unit"), [(True, True), (True, False), (False, True), (False, False)])
def test_period_digests_are_rows_digest_over_the_rows_in_host_terms(cost_center: bool, cost_unit: bool) -> None:
    """The fast digest equals the obvious reading: each line as a HostRow, hashed by rows_digest."""
    may, june = Period(2026, 5), JUNE
    lines = (
        JournalLine(" 5000 ", Decimal("1234.5"), '=HYPERLINK("x"); "quoted"', june, "+1", "P;1"),
        JournalLine("5000", Decimal("-0.5"), "line\nbreak Ŕ €", may, None, "@x"),
        JournalLine("2939", Decimal("-1234.50"), "", june, "100", None),
        JournalLine("2939", Decimal("0.50"), "\tTab", may, "-3", None),
        JournalLine("7000", Decimal("10.00"), "x" * 300, june),
        JournalLine("7000", Decimal("-10"), "Äijälä", june, "100", "P-10"),
        JournalLine("7000", Decimal("10.00"), "x" * 300, june),  # a row twice counts twice
        JournalLine("7000", Decimal("-10.00"), "x" * 300, june),
    )
    j = Journal("c-1", "r-1", june, "Payroll", date(2026, 6, 25), lines)
    checked = validate_journal(j, "en").lines
    expected: dict[Period, list[HostRow]] = {}
    for item in checked:
        expected.setdefault(item.line.period, []).append(host_row_as_sent(item.line, cost_center, cost_unit))
    digests = dict(PeriodDigests(checked, mapping(cost_center, cost_unit)))
    assert list(digests) == [may, june]  # earliest period first
    assert digests == {period: rows_digest(rows) for period, rows in expected.items()}
