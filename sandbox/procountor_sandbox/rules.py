"""Procountor's validation rules for ``POST /ledgerreceipts``, as an independent reading.

Every violation is collected (not just the first) because Procountor answers with a list of
``errors`` and a client must be able to show all of them at once. Each rule cites
docs/procountor-api.md; docs/sandbox.md says which messages are Procountor's own codes and which
are the sandbox's wording.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .models import Company, FiscalYear, TrackingPeriod

RECEIPT_TYPES_GET = (
    "JOURNAL",
    "SALES_INVOICE",
    "PURCHASE_INVOICE",
    "TRAVEL_INVOICE",
    "BILL_OF_CHARGES",
    "SALARY",
    "EMPLOYER_CONTRIBUTION",
    "PERIODIC_TAX_RETURN",
)
RECEIPT_STATUSES = ("UNFINISHED", "APPROVED", "INVALIDATED")
VAT_TYPES = ("SALES", "PURCHASE")
TRANSACTION_TYPES = ("ENTRY", "REVERSING_ENTRY", "RECONCILIATION_ENTRY")
RECEIPT_VALIDITIES = ("EMPTY", "IMMEDIATELY", "OVER_3_YEARS", "SERVICE_PERIOD")
SPECIAL_ROWS = ("REVERSING_ENTRY", "RECONCILIATION_ENTRY")

MSG_ACCOUNT = "ERROR_LEDGERACCOUNT_VATPERCENTAGE_COMBINATION"
MSG_DIMENSION = "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE"
MSG_CLOSED = "CLOSED_FISCAL_PERIOD"

# Receipt-level text fields and their documented maximum lengths (§3a).
RECEIPT_TEXTS = {
    "name": 80,
    "transactionDescription": 255,
    "accountantsNotes": 255,
    "invoiceNotes": 10000,
    "partnerCode": 255,
    "vatProcessing": 255,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Violation:
    field: str | None
    message: str


def blank(path: str) -> Violation:
    return Violation(path, f"Value of the '{path}' cannot be blank.")


def invalid(path: str, value: Any) -> Violation:
    return Violation(path, f"Value of the '{path}' field is invalid: {value}")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def scale(value: int | Decimal) -> int:
    """Decimals actually carried; trailing zeros do not count (a Java @Digits check strips them)."""
    if isinstance(value, int):
        return 0
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite: NaN/Infinity are refused by the JSON parser
    return max(0, -exponent)


def forbidden_char(text: str) -> str | None:
    """Procountor stores text as Windows-1252 and refuses anything else (docs/procountor-api.md §6 [P4])."""
    for ch in text:
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            return ch
    return None


def check_text(path: str, value: Any, limit: int, required: bool = False) -> list[Violation]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [blank(path)] if required else []
    if not isinstance(value, str):
        return [invalid(path, value)]
    out: list[Violation] = []
    if len(value) > limit:
        out.append(Violation(path, f"Value of the '{path}' is too long: max {limit} characters."))
    bad = forbidden_char(value)
    if bad is not None:
        out.append(
            Violation(
                path,
                f"Value of the '{path}' contains a character that is not allowed "
                f"(character set is Windows-1252): {bad!r} U+{ord(bad):04X}",
            )
        )
    return out


def parse_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def check_date(path: str, value: Any, required: bool = False) -> list[Violation]:
    if value is None or value == "":
        return [blank(path)] if required else []
    return [] if parse_date(value) is not None else [invalid(path, value)]


def locate_period(company: Company, day: datetime.date) -> tuple[FiscalYear | None, TrackingPeriod | None]:
    for fy in company.fiscal_years:
        if fy.start <= day <= fy.end:
            period = next((p for p in fy.periods if p.start <= day <= p.end), None)
            return fy, period
    return None, None


def date_is_open(company: Company, day: datetime.date, accept_pending: bool = False) -> bool:
    """Postable iff the fiscal year is open and its tracking period is OPEN (PENDING only when accepted)."""
    fy, period = locate_period(company, day)
    postable = ("OPEN", "PENDING") if accept_pending else ("OPEN",)
    return fy is not None and fy.is_open and period is not None and period.status in postable


def check_receipt_date(company: Company, value: Any, accept_pending: bool = False) -> list[Violation]:
    found = check_date("receiptDate", value, required=True)
    if found:
        return found
    day = parse_date(value)
    assert day is not None
    fy, _ = locate_period(company, day)
    if fy is None:
        # Undocumented in Procountor; the sandbox's wording (docs/sandbox.md).
        return [Violation("receiptDate", f"No fiscal year covers the date {value}")]
    if not date_is_open(company, day, accept_pending):
        return [Violation("receiptDate", MSG_CLOSED)]
    return []


def vat_status_allowed(company: Company, vat_type: str, status: int) -> bool:
    for vs in company.vat_statuses:
        if vs.code == status:
            return vs.sales if vat_type == "SALES" else vs.purchase
    return False


def check_vat_status(company: Company, path: str, vat_type: Any, value: Any, required: bool) -> list[Violation]:
    if value is None:
        return [blank(path)] if required else []
    if not is_int(value):
        return [invalid(path, value)]
    if vat_type in VAT_TYPES and not vat_status_allowed(company, vat_type, value):
        return [Violation(path, f"VAT status {value} is not enabled for {vat_type} in this company")]
    return []


def check_amount(path: str, value: Any, required: bool = True) -> list[Violation]:
    if value is None:
        return [blank(path)] if required else []
    if not is_number(value):
        return [invalid(path, value)]
    if scale(value) > 2:
        return [Violation(path, f"Value of the '{path}' has more than 2 decimals: {value}")]
    return []


def _check_dimensions(company: Company, row_path: str, row: dict[str, Any], amount_ok: bool) -> list[Violation]:
    path = f"{row_path}.dimensionItemValues"
    values = row.get("dimensionItemValues")
    if values is None:
        return []
    if not isinstance(values, list):
        return [invalid(path, values)]
    out: list[Violation] = []
    seen: set[tuple[int, int]] = set()
    sums: dict[int, Decimal] = {}
    sums_valid: dict[int, bool] = {}
    for j, entry in enumerate(values):
        epath = f"{path}[{j}]"
        if not isinstance(entry, dict):
            out.append(invalid(epath, entry))
            continue
        dim_id, item_id, value = entry.get("dimensionId"), entry.get("itemId"), entry.get("value")
        entry_ok = True
        for key, val in (("dimensionId", dim_id), ("itemId", item_id)):
            if val is None:
                out.append(blank(f"{epath}.{key}"))
                entry_ok = False
            elif not is_int(val):
                out.append(invalid(f"{epath}.{key}", val))
                entry_ok = False
        value_errors = check_amount(f"{epath}.value", value)
        out.extend(value_errors)
        if not entry_ok:
            continue
        assert isinstance(dim_id, int)
        assert isinstance(item_id, int)
        dimension = company.dimension(dim_id)
        item = dimension.item(item_id) if dimension is not None else None
        if item is None or not item.active:
            out.append(Violation(path, MSG_DIMENSION))
        if (dim_id, item_id) in seen:
            out.append(
                Violation(
                    path,
                    f"Duplicate dimension item value: dimensionId {dim_id}, itemId {item_id} "
                    "(pairs must be unique per transaction)",
                )
            )
        seen.add((dim_id, item_id))
        if value_errors or not is_number(value):
            sums_valid[dim_id] = False
        else:
            sums.setdefault(dim_id, Decimal(0))
            sums[dim_id] += Decimal(value)  # type: ignore[arg-type]
            sums_valid.setdefault(dim_id, True)
    if amount_ok:
        row_amount = Decimal(row["accountingValue"])
        for dim_id, total in sums.items():
            if sums_valid.get(dim_id) and total != row_amount:
                out.append(
                    Violation(
                        path,
                        f"The sum of dimension item values on dimension {dim_id} ({total}) must "
                        f"equal the accounting value of the parent transaction ({row_amount})",
                    )
                )
    return out


def _check_row(
    company: Company, i: int, row: Any, receipt_vat_type: Any
) -> tuple[list[Violation], Decimal | None, str | None]:
    row_path = f"transactions[{i}]"
    if not isinstance(row, dict):
        return [invalid(row_path, row)], None, None
    out: list[Violation] = []
    tx_type = row.get("transactionType")
    if tx_type is None or tx_type == "":
        out.append(blank(f"{row_path}.transactionType"))
    elif tx_type not in TRANSACTION_TYPES:
        out.append(invalid(f"{row_path}.transactionType", tx_type))

    account = row.get("account")
    if account is None or (isinstance(account, str) and not account.strip()):
        out.append(blank(f"{row_path}.account"))
    elif not isinstance(account, str):
        out.append(invalid(f"{row_path}.account", account))
    else:
        known = company.accounts.get(account)
        if known is None or not known.active:
            out.append(Violation(f"{row_path}.account", MSG_ACCOUNT))

    amount_errors = check_amount(f"{row_path}.accountingValue", row.get("accountingValue"))
    out.extend(amount_errors)
    amount = None if amount_errors else Decimal(row["accountingValue"])

    row_vat_type = row.get("vatType")
    if row_vat_type is not None and row_vat_type not in VAT_TYPES:
        out.append(invalid(f"{row_path}.vatType", row_vat_type))
    effective_vat_type = row_vat_type if row_vat_type is not None else receipt_vat_type

    vat_percent = row.get("vatPercent")
    if vat_percent is None:
        # Required by the published definition (Transaction.vatPercent, docs/procountor-api.md).
        out.append(blank(f"{row_path}.vatPercent"))
    else:
        if not is_number(vat_percent):
            out.append(invalid(f"{row_path}.vatPercent", vat_percent))
        elif Decimal(vat_percent) not in company.vat_percents:
            out.append(
                Violation(
                    f"{row_path}.vatPercent",
                    f"VAT percentage {vat_percent} is not in use for the company",
                )
            )
        elif tx_type in SPECIAL_ROWS and Decimal(vat_percent) != 0:
            out.append(Violation(f"{row_path}.vatPercent", f"vatPercent of a {tx_type} must be 0"))

    if tx_type in SPECIAL_ROWS and row.get("vatStatus") is not None:
        out.append(Violation(f"{row_path}.vatStatus", f"A {tx_type} must not have a vatStatus"))
    else:
        out.extend(check_vat_status(company, f"{row_path}.vatStatus", effective_vat_type, row.get("vatStatus"), False))

    out.extend(check_text(f"{row_path}.description", row.get("description"), 255))
    deduction = row.get("vatDeductionPercent")
    if deduction is not None and (not is_number(deduction) or not 0 <= deduction <= 100):
        out.append(invalid(f"{row_path}.vatDeductionPercent", deduction))
    out.extend(check_date(f"{row_path}.startDate", row.get("startDate")))
    out.extend(check_date(f"{row_path}.endDate", row.get("endDate")))
    out.extend(_check_dimensions(company, row_path, row, amount is not None))
    return out, amount, tx_type if isinstance(tx_type, str) else None


def validate_receipt(
    company: Company, body: Any, create_reconciliation: bool = False, accept_pending: bool = False
) -> list[Violation]:
    """All violations of a POST body; an empty list means Procountor would store it."""
    if not isinstance(body, dict):
        return [Violation(None, "Request body must be a JSON object (LedgerReceipt)")]
    out: list[Violation] = []
    rtype = body.get("type")
    if rtype is None or rtype == "":
        out.append(blank("type"))
    elif rtype != "JOURNAL":
        out.append(
            Violation("type", f"Value of the 'type' field is invalid: {rtype}. Types allowed for POST = JOURNAL")
        )
    for field, limit in RECEIPT_TEXTS.items():
        out.extend(check_text(field, body.get(field), limit, required=field == "name"))
    vat_processing = body.get("vatProcessing")
    if isinstance(vat_processing, str) and vat_processing not in ("", "FINLAND"):
        out.append(Violation("vatProcessing", "Foreign VAT processing is not enabled"))
    out.extend(check_receipt_date(company, body.get("receiptDate"), accept_pending))
    vat_type = body.get("vatType")
    if vat_type is None or vat_type == "":
        out.append(blank("vatType"))
    elif vat_type not in VAT_TYPES:
        out.append(invalid("vatType", vat_type))
    out.extend(check_vat_status(company, "vatStatus", vat_type, body.get("vatStatus"), True))
    validity = body.get("receiptValidity")
    if validity is not None and validity not in RECEIPT_VALIDITIES:
        out.append(invalid("receiptValidity", validity))
    for key in ("periodStartDate", "periodEndDate", "vatDate"):
        out.extend(check_date(key, body.get(key)))
    start, end = parse_date(body.get("periodStartDate")), parse_date(body.get("periodEndDate"))
    if start is not None and end is not None and start > end:
        out.append(Violation("periodStartDate", "periodStartDate must precede periodEndDate"))

    rows = body.get("transactions")
    if rows is None or rows == []:
        out.append(blank("transactions"))
        return out
    if not isinstance(rows, list):
        out.append(invalid("transactions", rows))
        return out
    amounts: list[Decimal | None] = []
    kinds: list[str | None] = []
    for i, row in enumerate(rows):
        row_errors, amount, kind = _check_row(company, i, row, vat_type)
        out.extend(row_errors)
        amounts.append(amount)
        kinds.append(kind)
    for special in SPECIAL_ROWS:
        if kinds.count(special) > 1:
            out.append(Violation("transactions", f"At most one {special} is allowed"))
    if all(a is not None for a in amounts):
        total = sum((a for a in amounts if a is not None), Decimal(0))
        if total != 0:
            if not create_reconciliation:
                out.append(
                    Violation(
                        "transactions",
                        f"Ledger receipt does not balance: transactions sum to {total}, "
                        "expected 0.00 (use createReconciliation=true to add a "
                        "RECONCILIATION_ENTRY)",
                    )
                )
            elif "RECONCILIATION_ENTRY" in kinds:
                out.append(
                    Violation(
                        "transactions",
                        "At most one RECONCILIATION_ENTRY is allowed; the receipt already has one and does not balance",
                    )
                )
    return out


def imbalance(body: dict[str, Any]) -> Decimal:
    """Sum of a validated receipt's rows; what a reconciliation row must cancel."""
    return sum((Decimal(r["accountingValue"]) for r in body["transactions"]), Decimal(0))
