"""Turning a validated POST body into a stored receipt, and the views Procountor returns of it.

Stored receipts are plain JSON-shaped dicts (with Decimal amounts) so that ``Sandbox.receipts``
can hand out deep copies that look exactly like ``GET /ledgerreceipts/{id}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Company
from .rules import SPECIAL_ROWS, imbalance
from .state import TWO_PLACES, SandboxState, timestamp

BASIC_FIELDS = (
    "id",
    "type",
    "status",
    "name",
    "receiptDate",
    "receiptNumber",
    "invoiceNumber",
    "created",
    "version",
)
_OPTIONAL_RECEIPT_FIELDS = (
    "vatProcessing",
    "receiptValidity",
    "periodStartDate",
    "periodEndDate",
    "partnerCode",
    "partnerId",
    "vatDate",
    "depreciation",
)
_OPTIONAL_ROW_FIELDS = ("vatDeductionPercent", "startDate", "endDate", "balanceCode")


def money(value: Any) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES)


def _first(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


def _row(state: SandboxState, row: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    special = row["transactionType"] in SPECIAL_ROWS
    out: dict[str, Any] = {
        "id": next(state.transaction_ids),
        "transactionType": row["transactionType"],
        "account": row["account"],
        "accountingValue": money(row["accountingValue"]),
        "vatPercent": Decimal(row.get("vatPercent") or 0),
        "vatType": row.get("vatType") or body["vatType"],
        "vatStatus": None if special else _first(row.get("vatStatus"), body["vatStatus"]),
        "description": row.get("description"),
        "dimensionItemValues": [
            {"dimensionId": d["dimensionId"], "itemId": d["itemId"], "value": money(d["value"])}
            for d in row.get("dimensionItemValues") or []
        ],
        "allocations": [],
    }
    for key in _OPTIONAL_ROW_FIELDS:
        if row.get(key) is not None:
            out[key] = row[key]
    return out


def store_receipt(
    state: SandboxState, company: Company, body: dict[str, Any], create_reconciliation: bool
) -> dict[str, Any]:
    """Caller holds the state lock and has validated ``body``."""
    rows = [_row(state, r, body) for r in body["transactions"]]
    total = imbalance(body)
    if create_reconciliation and total != 0:
        # Assumption: the balancing row goes to the first row's account (Procountor's choice
        # of account is undocumented).
        rows.append(
            {
                "id": next(state.transaction_ids),
                "transactionType": "RECONCILIATION_ENTRY",
                "account": rows[0]["account"],
                "accountingValue": money(-total),
                "vatPercent": Decimal(0),
                "vatType": body["vatType"],
                "vatStatus": None,
                "description": "Reconciliation",
                "dimensionItemValues": [],
                "allocations": [],
            }
        )
    now = timestamp()
    number = company.next_receipt_number
    company.next_receipt_number += 1
    receipt: dict[str, Any] = {
        "id": next(state.receipt_ids),
        "type": "JOURNAL",
        "status": "UNFINISHED",
        "name": body["name"],
        "receiptDate": body["receiptDate"],
        "vatType": body["vatType"],
        "vatStatus": body["vatStatus"],
        "transactionDescription": body.get("transactionDescription"),
        "accountantsNotes": body.get("accountantsNotes"),
        "invoiceNotes": body.get("invoiceNotes"),
        "invoiceId": next(state.invoice_ids),
        "receiptNumber": number,
        "invoiceNumber": number,
        "created": now,
        "version": now,
        "attachments": [],
        "transactions": rows,
    }
    for key in _OPTIONAL_RECEIPT_FIELDS:
        if body.get(key) is not None:
            receipt[key] = body[key]
    company.receipts[receipt["id"]] = receipt
    return receipt


def basic_info(receipt: dict[str, Any]) -> dict[str, Any]:
    """LedgerReceiptBasicInfo: what search returns (no invoiceNotes, no transactions)."""
    return {k: receipt[k] for k in BASIC_FIELDS}
