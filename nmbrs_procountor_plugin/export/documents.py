"""The voucher document attached to each receipt: that period's journal lines as a CSV file.

In Finnish bookkeeping every entry rests on a voucher; an accountant opening a payroll receipt in
Procountor sees the journal lines it was booked from. The file is written for a Finnish
spreadsheet (docs/after-sending.md):

* ``;`` separates fields: with a Finnish locale Excel and LibreOffice read ``,`` as the decimal
  sign, so a comma-separated file would not split into columns;
* amounts use the decimal comma and no thousands separator (``1234,50``), so they open as numbers;
* UTF-8 with a byte-order mark: Excel opens a CSV without BOM in the ANSI code page and would
  garble ``ä``/``ö``; with the BOM both Excel and LibreOffice read UTF-8;
* CRLF line ends and RFC 4180 quoting (a field with ``;``, ``"`` or a line break is quoted);
* a text field that starts with ``= + - @`` (or a tab/CR) gets a leading ``'`` so a spreadsheet
  shows it as text and never runs it as a formula.

The file is named after the run's reference (the receipt name) and the period:
``<reference> <YYYY-MM>.csv``, with characters that are not allowed in file names replaced.
Procountor takes at most 10,000,000 bytes per attachment (docs/procountor-api.md §3c); a larger
document is refused before anything is sent.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.export.hot_loop import collector_paused
from nmbrs_procountor_plugin.export.journal_checks import IndexedLine
from nmbrs_procountor_plugin.export.text import cp1252_safe

MAX_ATTACHMENT_BYTES: Final = 10_000_000
"""Procountor's limit for one attachment (``POST /attachments``, docs/procountor-api.md §3c)."""

ENCODING: Final = "utf-8-sig"
"""UTF-8 with a byte-order mark: how Excel and LibreOffice recognise a UTF-8 CSV."""

SEPARATOR: Final = ";"
NEWLINE: Final = "\r\n"
MEDIA_TYPE: Final = "text/csv"
HEADER: Final = ("Rivi", "Kausi", "Tili", "Selite", "Kustannuspaikka", "Kustannusyksikkö", "Debet", "Kredit")
TOTAL_LABEL: Final = "Yhteensä"

_CENTS: Final = Decimal("0.01")
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_FILE_NAMES: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_INDEX: Final = operator.attrgetter("index")
_NEEDS_QUOTES: Final = re.compile('[;"\r\n]')  # SEPARATOR, the quote and line breaks (RFC 4180)


@dataclass(frozen=True)
class JournalDocument:
    """One period's journal lines as the file attached to that period's receipt."""

    period: Period
    name: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def too_large(self) -> bool:
        return self.size > MAX_ATTACHMENT_BYTES

    @property
    def digest(self) -> str:
        """SHA-256 (hex) of the file, as the ledger records it."""
        return hashlib.sha256(self.content).hexdigest()


def document_name(receipt_name: str, period: Period) -> str:
    """``<reference> <YYYY-MM>.csv``; characters no file system accepts become ``_``."""
    base = _NOT_IN_FILE_NAMES.sub("_", f"{receipt_name.strip()} {period}").strip(" .")
    return f"{base or period}.csv"


def _amount(value: Decimal) -> str:
    """``1234,50``: two decimals, the decimal comma, no thousands separator (opens as a number)."""
    return format(value.quantize(_CENTS), "f").replace(".", ",")


def _text(value: str) -> str:
    """A text cell: never read as a formula, quoted per RFC 4180 when it needs to be."""
    if value.startswith(_FORMULA_START):
        value = "'" + value
    if _NEEDS_QUOTES.search(value):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _row(cells: Sequence[str]) -> str:
    return SEPARATOR.join(cells) + NEWLINE


def render_csv(period: Period, lines: Sequence[tuple[int, JournalLine]]) -> bytes:
    """The CSV bytes for ``lines`` (journal line number, line), in journal order, with a total row."""
    # Each distinct text's cell is written once (a journal repeats a few accounts and cost objects
    # over thousands of lines), in a cache of this call's own: the descriptions name employees,
    # and nothing of them should outlive the document in a long-running worker.
    cell = functools.lru_cache(maxsize=None)(_text)
    kausi = str(period)
    out = [_row(HEADER)]
    debits: list[Decimal] = []
    credits: list[Decimal] = []
    with collector_paused():
        for number, line in lines:
            amount = line.amount
            if amount > 0:
                debits.append(amount)
                sides = f"{_amount(amount)}{SEPARATOR}"
            else:
                credits.append(amount)
                sides = f"{SEPARATOR}{_amount(-amount)}" if amount < 0 else SEPARATOR
            out.append(
                f"{number}{SEPARATOR}{kausi}{SEPARATOR}{cell(line.ledger_account.strip())}{SEPARATOR}"
                f"{cell(line.description)}{SEPARATOR}{cell(line.cost_center or '')}{SEPARATOR}"
                f"{cell(line.cost_unit or '')}{SEPARATOR}{sides}{NEWLINE}"
            )
    debit = sum(debits, Decimal("0.00"))
    credit = -sum(credits, Decimal("0.00"))
    out.append(_row(("", "", "", _text(TOTAL_LABEL), "", "", _amount(debit), _amount(credit))))
    return "".join(out).encode(ENCODING)


def journal_documents(journal: Journal, lines: Sequence[IndexedLine]) -> dict[Period, JournalDocument]:
    """One document per period of ``lines`` (the validated lines to book), lines in journal order.

    Named like the receipt: the run's reference as Procountor stores it (Windows-1252 safe).
    """
    name, _ = cp1252_safe(journal.reference)
    # Keyed by (year, month) while grouping: a tuple of ints hashes in C, a Period in Python.
    by_period: dict[tuple[int, int], list[tuple[int, JournalLine]]] = {}
    periods: dict[tuple[int, int], Period] = {}
    with collector_paused():
        for item in sorted(lines, key=_INDEX):
            period = item.line.period
            key = (period.year, period.month)
            rows = by_period.get(key)
            if rows is None:
                rows = by_period[key] = []
                periods[key] = period
            rows.append((item.index + 1, item.line))
    return {
        periods[key]: JournalDocument(periods[key], document_name(name, periods[key]), render_csv(periods[key], rows))
        for key, rows in sorted(by_period.items())
    }
