"""What of a journal is already booked in Procountor, recognised by the fingerprint each receipt carries.

Procountor has no idempotency key and cannot search by text, so each receipt carries a
fingerprint (company, run, period, digest of its rows) in ``invoiceNotes``, a field Procountor
keeps but does not print. Before posting, the export searches the JOURNAL receipts in its date
range (one search, paged), narrows them to its own name, and reads those in batches to compare
fingerprints. The same lookup answers "did that POST land?" after a lost answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from nmbrs_hookspecs.types import Period, SentReceipt
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.payloads import LedgerReceipt
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, parse_fingerprint
from nmbrs_procountor_plugin.export.planning import ReceiptDraft

INVALIDATED: Final = "INVALIDATED"


@dataclass(frozen=True)
class Booked:
    """A receipt of ours found in Procountor."""

    receipt: LedgerReceipt
    fingerprint: Fingerprint

    def sent(self, period: Period) -> SentReceipt:
        return sent_receipt(period, self.receipt)


def receipt_total(receipt: Mapping[str, Any]) -> Decimal:
    """The debit side of a receipt as Procountor holds it (what the admin sees as the amount)."""
    values = (Decimal(str(t.get("accountingValue", 0))) for t in receipt.get("transactions") or [])
    return sum((v for v in values if v > 0), Decimal("0.00"))


def sent_receipt(period: Period, receipt: Mapping[str, Any]) -> SentReceipt:
    return SentReceipt(
        period=period,
        external_id=str(receipt["id"]),
        receipt_date=date.fromisoformat(str(receipt["receiptDate"])),
        name=str(receipt.get("name") or ""),
        total=receipt_total(receipt),
        status=str(receipt.get("status") or "UNFINISHED"),
    )


def find_booked(client: ProcountorClient, drafts: Sequence[ReceiptDraft]) -> dict[Period, Booked]:
    """Our live receipts for these drafts' company and run, by period (invalidated ones ignored)."""
    if not drafts:
        return {}
    start = min(d.receipt_date for d in drafts)
    end = max(d.receipt_date for d in drafts)
    names = {d.name for d in drafts}
    candidates = [
        r["id"]
        for r in client.search_journal_receipts(start, end)
        if r.get("name") in names and r.get("status") != INVALIDATED
    ]
    if not candidates:
        return {}
    wanted = {(d.fingerprint.company_id, d.fingerprint.run_id) for d in drafts}
    booked: dict[Period, Booked] = {}
    for receipt in client.ledger_receipts(candidates):
        if receipt.get("status") == INVALIDATED:
            continue
        fingerprint = parse_fingerprint(receipt.get("invoiceNotes"))
        if fingerprint is None or (fingerprint.company_id, fingerprint.run_id) not in wanted:
            continue
        # Two live receipts for one period would be a duplicate made outside this plugin; the
        # oldest (lowest id) is the one the plugin recognises.
        current = booked.get(fingerprint.period)
        if current is None or int(receipt["id"]) < int(current.receipt["id"]):
            booked[fingerprint.period] = Booked(receipt, fingerprint)
    return booked
