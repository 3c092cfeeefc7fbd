"""The journal document's CSV: what a Finnish spreadsheet needs to open it right (docs/after-sending.md)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.export.documents import (
    MAX_ATTACHMENT_BYTES,
    JournalDocument,
    document_name,
    journal_documents,
    render_csv,
)
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine

JUNE = Period(2026, 6)


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def line(amount: str, description: str = "Wages", account: str = "5000", cc: str | None = None) -> IndexedLine:
    return IndexedLine(0, JournalLine(account, Decimal(amount), description, JUNE, cc))


def test_bom_semicolons_decimal_comma_and_crlf() -> None:
    content = render_csv(JUNE, [line("1234.5"), line("-1234.50", "Nettopalkat", "2939")])
    assert content.startswith(b"\xef\xbb\xbfRivi;Kausi;Tili;Selite;")
    assert content.endswith(b"\r\n")
    body = rows(content)
    assert body[1][6:] == ["1234,50", ""]
    assert body[2][6:] == ["", "1234,50"]
    assert body[-1][3:] == ["Yhteensä", "", "", "1234,50", "1234,50"]


def test_a_cent_each_way_and_a_zero_line_land_in_the_right_columns() -> None:
    body = rows(render_csv(JUNE, [line("0.01"), line("-0.01"), line("0.00")]))
    assert [r[6:] for r in body[1:4]] == [["0,01", ""], ["", "0,01"], ["", ""]]
    assert body[-1][6:] == ["0,01", "0,01"]


def test_large_amounts_have_no_thousands_separator() -> None:
    assert rows(render_csv(JUNE, [line("1234567.89")]))[1][6] == "1234567,89"


def test_text_with_separators_quotes_and_line_breaks_is_quoted() -> None:
    text = 'Bonus; "Q2"\nHelsinki'
    assert rows(render_csv(JUNE, [line("1.00", text)]))[1][3] == text


def test_finnish_and_other_letters_survive() -> None:
    text = "Lomaraha Jyväskylä – Åbo ß €"
    assert rows(render_csv(JUNE, [line("1.00", text)]))[1][3] == text


def test_a_text_that_looks_like_a_formula_is_shown_as_text() -> None:
    cells = rows(render_csv(JUNE, [line("1.00", '=HYPERLINK("x")', cc="+1"), line("1.00", "@SUM(A1)")]))
    assert cells[1][3] == '\'=HYPERLINK("x")'
    assert cells[1][4] == "'+1"
    assert cells[2][3] == "'@SUM(A1)"


def test_name_is_reference_and_period_with_unsafe_characters_replaced() -> None:
    assert document_name("Payroll June 2026 run 1", JUNE) == "Payroll June 2026 run 1 2026-06.csv"
    assert document_name('Run 6/2026: "bonus"?', JUNE) == "Run 6_2026_ _bonus__ 2026-06.csv"


def test_the_limit_is_procountors_ten_million_bytes() -> None:
    assert not JournalDocument(JUNE, "a.csv", b"x" * MAX_ATTACHMENT_BYTES).too_large
    assert JournalDocument(JUNE, "a.csv", b"x" * (MAX_ATTACHMENT_BYTES + 1)).too_large
    assert MAX_ATTACHMENT_BYTES == 10_000_000


def test_cents_are_debits_and_credits_too_and_plain_text_stays_unquoted() -> None:
    content = render_csv(
        JUNE,
        [
            IndexedLine(0, JournalLine("5000", Decimal("0.50"), "Tip", JUNE)),
            IndexedLine(1, JournalLine("2939", Decimal("-0.50"), "Net", JUNE)),
        ],
    )
    text = content.decode("utf-8-sig")
    assert "1;2026-06;5000;Tip;;;0,50;\r\n" in text
    assert "2;2026-06;2939;Net;;;;0,50\r\n" in text
    assert text.endswith(";;;Yhteensä;;;0,50;0,50\r\n")


def test_each_periods_document_numbers_its_rows_by_journal_line_in_journal_order() -> None:
    may = Period(2026, 5)
    lines = (
        JournalLine("5000", Decimal("10.00"), "Wages", JUNE),
        JournalLine("5000", Decimal("2.00"), "Correction", may),
        JournalLine("5000", Decimal("0.00"), "Nothing", JUNE),  # skipped: nothing is booked
        JournalLine("2939", Decimal("-10.00"), "Net", JUNE, "100"),
        JournalLine("2939", Decimal("-2.00"), "Net correction", may),
    )
    journal = Journal("c", "r", JUNE, "Payroll June", date(2026, 6, 25), lines)
    documents = journal_documents(journal, validate_journal(journal, "en").lines)
    assert list(documents) == [may, JUNE]  # earliest first, like the receipts
    assert [row[:4] for row in rows(documents[may].content)[1:-1]] == [
        ["2", "2026-05", "5000", "Correction"],
        ["5", "2026-05", "2939", "Net correction"],
    ]
    assert [row[:5] for row in rows(documents[JUNE].content)[1:-1]] == [
        ["1", "2026-06", "5000", "Wages", ""],
        ["4", "2026-06", "2939", "Net", "100"],
    ]
    assert documents[JUNE].name == "Payroll June 2026-06.csv"
