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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from nmbrs_hookspecs.types import Journal, Period
from nmbrs_procountor_plugin.export.amounts import exact_cents_text, exact_sum
from nmbrs_procountor_plugin.export.hot_loop import collector_paused
from nmbrs_procountor_plugin.export.text import cp1252_safe
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, columns, lines_by_period

MAX_ATTACHMENT_BYTES: Final = 10_000_000
"""Procountor's limit for one attachment (``POST /attachments``, docs/procountor-api.md §3c)."""

ENCODING: Final = "utf-8-sig"
"""UTF-8 with a byte-order mark: how Excel and LibreOffice recognise a UTF-8 CSV."""

SEPARATOR: Final = ";"
NEWLINE: Final = "\r\n"
MEDIA_TYPE: Final = "text/csv"
HEADER: Final = ("Rivi", "Kausi", "Tili", "Selite", "Kustannuspaikka", "Kustannusyksikkö", "Debet", "Kredit")
TOTAL_LABEL: Final = "Yhteensä"

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_FILE_NAMES: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
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


def _amount(text: str) -> str:
    """``1234,50`` from ``1234.50``: the decimal comma, no thousands separator (opens as a number)."""
    return text.replace(".", ",")


def _text(value: str) -> str:
    """A text cell: never read as a formula, quoted per RFC 4180 when it needs to be."""
    if value.startswith(_FORMULA_START):
        value = "'" + value
    if _NEEDS_QUOTES.search(value):
        value = '"' + value.replace('"', '""') + '"'
    return value


class Cells:
    """Each distinct text's cell, written once for one journal's documents.

    A journal repeats a few accounts and cost objects over thousands of lines, and an employee's
    descriptions recur in every correction period. The cache belongs to one call of
    :func:`journal_documents` (or :func:`render_csv`): the descriptions name employees, and
    nothing of them should outlive the documents in a long-running worker.
    """

    def __init__(self) -> None:
        # Closures over the text cache, not methods: a cache holding a bound method of its own
        # owner would be a reference cycle, freed only when the garbage collector next runs.
        text = self.text = functools.lru_cache(maxsize=None)(_text)

        def account(account: str) -> str:
            """The account as booked: without the host's surrounding spaces."""
            return text(account.strip())

        def cost_objects(cost_center: str | None, cost_unit: str | None) -> str:
            return f"{text(cost_center or '')}{SEPARATOR}{text(cost_unit or '')}"

        self.account = functools.lru_cache(maxsize=None)(account)
        self.cost_objects = functools.lru_cache(maxsize=None)(cost_objects)


def _row(cells: Sequence[str]) -> str:
    return SEPARATOR.join(cells) + NEWLINE


def render_csv(period: Period, lines: Iterable[IndexedLine], cells: Cells | None = None) -> bytes:
    """The CSV bytes for ``lines``, in journal order, each row numbered by its journal line, with a total row.

    Each amount is written from the line's ``amount_text`` (two decimals, from validation).
    """
    cells = cells or Cells()
    text, account, cost_objects = cells.text, cells.account, cells.cost_objects
    sep = SEPARATOR
    after_number = f"{sep}{period}{sep}"
    out = [_row(HEADER)]
    debits: list[Decimal] = []
    credits: list[Decimal] = []
    found = columns(lines)
    with collector_paused():
        for index, line, written in zip(found.indexes, found.lines, found.amount_texts, strict=True):
            amount = line.amount
            if amount > 0:
                debits.append(amount)
                sides = _amount(written) + sep
            elif amount < 0:
                credits.append(amount)
                # the credit column shows the amount without its sign: "-12.50" written, "12,50" shown
                sides = sep + _amount(written)[1:]
            else:
                sides = sep
            out.append(
                f"{index + 1}{after_number}{account(line.ledger_account)}{sep}{text(line.description)}{sep}"
                f"{cost_objects(line.cost_center, line.cost_unit)}{sep}{sides}{NEWLINE}"
            )
    debit = exact_cents_text(exact_sum(debits))
    credit = exact_cents_text(-exact_sum(credits))
    out.append(_row(("", "", "", _text(TOTAL_LABEL), "", "", _amount(debit), _amount(credit))))
    return "".join(out).encode(ENCODING)


def journal_documents(journal: Journal, lines: Sequence[IndexedLine]) -> dict[Period, JournalDocument]:
    """One document per period of ``lines`` (the validated lines to book), lines in journal order.

    Named like the receipt: the run's reference as Procountor stores it (Windows-1252 safe).
    """
    name, _ = cp1252_safe(journal.reference)
    cells = Cells()
    return {
        period: JournalDocument(period, document_name(name, period), render_csv(period, items, cells))
        for period, items in lines_by_period(lines).items()
    }
