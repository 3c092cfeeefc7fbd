"""From a validated journal to Procountor ledger-receipt payloads: one JOURNAL receipt per period.

The seed: "When a journal is sent that contains a correction, it will be booked in the period over
which the correction will go ... The reference of the journal is equal to the normal run, but is
booked in the period over which the correction takes place." So a June run with corrections for
January to May becomes six receipts, January first, all named with the run's reference; the run's
own receipt is dated on the journal's booking date, each correction on its period's last day.

Everything here is pure (no HTTP): the export orchestration resolves dimension items during its
pre-flight and hands in a :data:`Resolver`.

Rows: one ``ENTRY`` per journal line, in journal order, debit positive and credit negative,
amounts with exactly two decimals (exact after validation: :func:`_cents` traps any rounding),
``vatPercent`` 0 and the account's VAT type/status on receipt and row (payroll carries no VAT;
the settings default to status 12, "No VAT handling"). A line's cost center and cost unit become
``dimensionItemValues`` for each dimension kind the mapping enables, with the whole row amount
(same sign) on the one item, since Procountor requires the values on a dimension to sum to the
row's ``accountingValue``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from nmbrs_hookspecs.types import (
    DIMENSION_KINDS,
    AdministrationMapping,
    Journal,
    JournalLine,
    Period,
    PlannedReceipt,
    Problem,
)
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, HostRow, rows_digest
from nmbrs_procountor_plugin.export.journal_checks import IndexedLine
from nmbrs_procountor_plugin.export.text import DESCRIPTION_LIMIT, NAME_LIMIT, cp1252_safe, procountor_text
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings

UNBALANCED: Final = "procountor.journal.unbalanced"

CENTS: Final = Decimal("0.01")
VAT_PERCENT: Final = Decimal(0)

# Wide enough for any sum of validated amounts (|amount| < 10^13, so 10^6 lines stay below 30
# digits), and trapping Inexact so a rounding that should be impossible raises instead of booking.
_EXACT: Final = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])


@dataclass(frozen=True)
class DimensionTarget:
    """Where a host cost object goes in Procountor: a dimension and one of its items."""

    dimension_id: int
    item_id: int


Resolver = Callable[[str, str], DimensionTarget | None]
"""``(kind, host code) -> target``; kind is ``cost_center`` or ``cost_unit``; None = unresolved."""


class UnresolvedDimension(LookupError):
    """The resolver had no Procountor item for a cost object that must be sent.

    :func:`build_receipts` raises this rather than sending a row without its dimension: a row
    booked without its cost center is wrong in the books and silently so. The export's pre-flight
    is expected to have reported every unresolved code as a problem (``procountor.dimension.*``)
    and not to call :func:`build_receipts` then; reaching this is a bug in that order of work.
    """

    def __init__(self, kind: str, code: str, line_index: int) -> None:
        super().__init__(f"no Procountor dimension item for {kind} {code!r} (journal line {line_index + 1})")
        self.kind = kind
        self.code = code
        self.line_index = line_index


@dataclass(frozen=True)
class ReceiptDraft:
    """One receipt ready to send: the exact POST body and what the preview and resend checks need.

    ``payload`` is the body of ``POST /ledgerreceipts`` (Decimals for amounts, to be written by
    ``exact_json.dumps``); treat it as read-only. ``line_indexes[i]`` is the journal line behind
    ``payload["transactions"][i]``, so Procountor's ``transactions[3].account`` error can be
    reported on the right journal line. ``rows`` are the same rows in host terms (what the
    fingerprint's digest covers).
    """

    period: Period
    receipt_date: date
    name: str
    total: Decimal
    payload: dict[str, Any]
    fingerprint: Fingerprint
    line_indexes: tuple[int, ...]
    rows: tuple[HostRow, ...] = ()

    def planned(self) -> PlannedReceipt:
        """The preview summary the host shows (total = sum of the debits)."""
        return PlannedReceipt(
            period=self.period,
            receipt_date=self.receipt_date,
            name=self.name,
            total=self.total,
            row_count=len(self.line_indexes),
            payload=self.payload,
        )

    def journal_line_for(self, transaction_index: int) -> int | None:
        """The journal line index behind ``transactions[transaction_index]``, if there is one."""
        if 0 <= transaction_index < len(self.line_indexes):
            return self.line_indexes[transaction_index]
        return None


def _line(item: IndexedLine | JournalLine) -> JournalLine:
    return item.line if isinstance(item, IndexedLine) else item


def _cents(amount: Decimal) -> Decimal:
    """``amount`` with exactly two decimals; raises if that would round (validation prevents it)."""
    return amount.quantize(CENTS, context=_EXACT)


def _exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    total = Decimal(0)
    for amount in amounts:
        total = _EXACT.add(total, amount)
    return total


def periods_of(lines: Iterable[IndexedLine | JournalLine]) -> list[Period]:
    """The distinct booking periods of ``lines``, earliest first (= the order receipts are sent)."""
    return sorted({_line(item).period for item in lines})


def receipt_date(journal: Journal, period: Period) -> date:
    """The run's own period books on the journal's booking date; an earlier one on its last day.

    A later period is refused (ValueError): validation reports it as
    ``procountor.journal.period_after_run`` and such a line must never be planned.
    """
    if period == journal.period:
        return journal.booking_date
    if period < journal.period:
        return period.last_day
    raise ValueError(f"period {period} is after the run's period {journal.period}")


def _group(lines: Iterable[IndexedLine]) -> dict[Period, list[IndexedLine]]:
    groups: dict[Period, list[IndexedLine]] = {}
    for item in lines:
        groups.setdefault(item.line.period, []).append(item)
    return {period: groups[period] for period in sorted(groups)}


def check_balance(journal: Journal, lines: Iterable[IndexedLine], locale: str | None) -> tuple[Problem, ...]:
    """One ``procountor.journal.unbalanced`` problem per period whose lines do not sum to exactly 0.00.

    Checked per period because each period becomes its own receipt, and each receipt must balance;
    a journal that balances overall can still have a correction month that does not. Pass the
    lines from :func:`validate_journal`; if it dropped invalid lines, an imbalance reported here
    may just be their absence (fix the line problems first). ``journal`` is unused today; it is in
    the signature so period wording could use the run's context later without changing callers.
    """
    del journal
    problems: list[Problem] = []
    for period, items in _group(lines).items():
        amounts = [item.line.amount for item in items]
        difference = _exact_sum(amounts)
        if difference != 0:
            debit = _exact_sum(a for a in amounts if a > 0)
            credit = _exact_sum(-a for a in amounts if a < 0)
            problems.append(
                problem(
                    UNBALANCED,
                    locale,
                    field="lines",
                    period=period,
                    debit=_cents(debit),
                    credit=_cents(credit),
                    difference=_cents(difference),
                )
            )
    return tuple(problems)


def _enabled_kinds(mapping: AdministrationMapping) -> tuple[str, ...]:
    return tuple(kind for kind in DIMENSION_KINDS if mapping.dimension(kind) is not None)


def _cost_object(line: JournalLine, kind: str) -> str | None:
    return line.cost_center if kind == "cost_center" else line.cost_unit


def build_receipts(
    journal: Journal,
    lines: Sequence[IndexedLine],
    mapping: AdministrationMapping,
    settings: AccountSettings,
    resolve: Resolver,
) -> tuple[ReceiptDraft, ...]:
    """The receipts for ``lines`` (from :func:`validate_journal`), one per period, in period order.

    Preconditions (raise ValueError when broken, since they mean validation was skipped): the
    reference is present and fits 80 characters; no line after the run's period; every amount in
    whole cents. An unbalanced period is *not* refused here, so a preview can still show the
    receipts next to :func:`check_balance`'s problems; the export must not send then.
    Raises :class:`UnresolvedDimension` when ``resolve`` returns None for a cost object of an
    enabled dimension kind, and ValueError when two kinds resolve to the same dimension on one
    row (Procountor would then see twice the row amount on that dimension).
    """
    if not journal.reference.strip():
        raise ValueError("journal.reference is empty; validate_journal reports it")
    name, _ = cp1252_safe(journal.reference)
    if len(name) > NAME_LIMIT:
        raise ValueError(f"journal.reference is longer than {NAME_LIMIT} characters; validate_journal reports it")
    kinds = _enabled_kinds(mapping)
    cache: dict[tuple[str, str], DimensionTarget] = {}

    def target(kind: str, code: str, index: int) -> DimensionTarget:
        key = (kind, code)
        found = cache.get(key)
        if found is None:
            found = resolve(kind, code)
            if found is None:
                raise UnresolvedDimension(kind, code, index)
            cache[key] = found
        return found

    receipts: list[ReceiptDraft] = []
    for period, items in _group(lines).items():
        transactions: list[dict[str, Any]] = []
        rows: list[HostRow] = []
        for item in items:
            line = item.line
            value = _cents(line.amount)
            account = line.ledger_account.strip()
            description = procountor_text(line.description, DESCRIPTION_LIMIT).text
            row: dict[str, Any] = {
                "transactionType": "ENTRY",
                "account": account,
                "accountingValue": value,
                "vatPercent": VAT_PERCENT,
                "vatType": settings.vat_type,
                "vatStatus": settings.vat_status,
            }
            if description:
                row["description"] = description
            codes: dict[str, str | None] = {"cost_center": None, "cost_unit": None}
            dimension_values: list[dict[str, Any]] = []
            for kind in kinds:
                code = _cost_object(line, kind)
                if code is None:
                    continue
                found = target(kind, code, item.index)
                if any(v["dimensionId"] == found.dimension_id for v in dimension_values):
                    raise ValueError(
                        f"journal line {item.index + 1}: cost center and cost unit both go to Procountor "
                        f"dimension {found.dimension_id}; map them to different dimensions"
                    )
                codes[kind] = code
                dimension_values.append({"dimensionId": found.dimension_id, "itemId": found.item_id, "value": value})
            if dimension_values:
                row["dimensionItemValues"] = dimension_values
            transactions.append(row)
            rows.append(HostRow(account, value, description, codes["cost_center"], codes["cost_unit"]))

        fingerprint = Fingerprint(
            run_id=journal.run_id, company_id=journal.company_id, period=period, digest=rows_digest(rows)
        )
        day = receipt_date(journal, period)
        payload: dict[str, Any] = {
            "type": "JOURNAL",
            "name": name,
            "receiptDate": day.isoformat(),
            "vatType": settings.vat_type,
            "vatStatus": settings.vat_status,
            "transactionDescription": procountor_text(f"{name} {period}", DESCRIPTION_LIMIT).text,
            "invoiceNotes": fingerprint.text(),
            "transactions": transactions,
        }
        receipts.append(
            ReceiptDraft(
                period=period,
                receipt_date=day,
                name=name,
                total=_exact_sum(r.amount for r in rows if r.amount > 0),
                payload=payload,
                fingerprint=fingerprint,
                line_indexes=tuple(item.index for item in items),
                rows=tuple(rows),
            )
        )
    return tuple(receipts)
