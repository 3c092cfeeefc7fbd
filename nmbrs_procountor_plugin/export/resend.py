"""The fallback answer to "is this period already in Procountor?": a search, for when the ledger cannot say.

The host's booking ledger (:mod:`.ledger`) is the first answer. It cannot answer for a period
whose intent has no receipt id (the POST's answer was lost) or when the host's ledger was lost or
restored from an older backup. Then the receipts themselves are read: each carries a fingerprint
(company, run, period, digest of its rows) in ``invoiceNotes``, a field Procountor keeps but does
not print (docs/procountor-api.md §3b).

Procountor cannot search by text, and the run's reference or booking date may have changed since
it was sent, so the search covers the *whole months* of the periods asked about, pages until a
short or empty page, and reads every live candidate (in batches of 200) to compare fingerprints:
a receipt counts as this run's only when its fingerprint names this company, this run and the
period. A receipt whose notes were dropped (Procountor's definition does not promise to keep
them) can still be recognised by the intent the ledger holds for it: same name, same date and
the same rows in Procountor's terms. A receipt with foreign notes, or with neither a matching
fingerprint nor a matching intent, is never taken for this run's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from nmbrs_hookspecs.booking import BookingIntent
from nmbrs_hookspecs.types import Period, SentReceipt
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.payloads import LedgerReceipt
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, parse_fingerprint
from nmbrs_procountor_plugin.export.planning import ReceiptDraft

INVALIDATED: Final = "INVALIDATED"
_CENTS: Final = Decimal("0.01")


@dataclass(frozen=True)
class Booked:
    """A receipt of ours found in Procountor: by its fingerprint, or (notes dropped) by the ledger's intent."""

    receipt: LedgerReceipt
    fingerprint: Fingerprint | None

    @property
    def id(self) -> str:
        return str(self.receipt["id"])

    def sent(self, period: Period) -> SentReceipt:
        return sent_receipt(period, self.receipt)

    def same_rows(self, draft: ReceiptDraft) -> bool:
        """True when the receipt holds exactly the draft's rows (a match by intent was already exact).

        A fingerprint of the draft's own version is compared digest to digest: the draft's was
        written while planning, over the same rows. An older version's is compared the way it
        was made, over the rows themselves.
        """
        if self.fingerprint is None:
            return True
        if self.fingerprint.version == draft.fingerprint.version:
            return self.fingerprint.digest == draft.fingerprint.digest
        return self.fingerprint.matches_rows(draft.rows)


def receipt_total(receipt: Mapping[str, Any]) -> Decimal:
    """The debit side of a receipt as Procountor holds it (what the admin sees as the amount)."""
    values = (_decimal(t.get("accountingValue", 0)) for t in receipt.get("transactions") or [])
    return sum((v for v in values if v > 0), Decimal("0.00"))


def _decimal(value: Any) -> Decimal:
    """Procountor's answers are read with exact decimals already; anything else goes through its text."""
    return value if type(value) is Decimal else Decimal(str(value))


def sent_receipt(period: Period, receipt: Mapping[str, Any]) -> SentReceipt:
    return SentReceipt(
        period=period,
        external_id=str(receipt["id"]),
        receipt_date=date.fromisoformat(str(receipt["receiptDate"])),
        name=str(receipt.get("name") or ""),
        total=receipt_total(receipt),
        status=str(receipt.get("status") or "UNFINISHED"),
    )


def payload_digest(receipt: Mapping[str, Any]) -> str:
    """A digest of a receipt in Procountor's terms: name, date and its ENTRY rows, in any order.

    The same for the POST body and for the receipt Procountor stores from it, so a receipt whose
    answer was lost can be recognised by the intent recorded before the POST even where
    ``invoiceNotes`` did not survive.
    """
    rows = sorted(
        json.dumps(
            [
                str(row["account"]),
                format(Decimal(str(row["accountingValue"])).quantize(_CENTS), "f"),
                str(row.get("description") or ""),
                sorted(
                    (
                        int(d["dimensionId"]),
                        int(d["itemId"]),
                        format(Decimal(str(d["value"])).quantize(_CENTS), "f"),
                    )
                    for d in row.get("dimensionItemValues") or []
                ),
            ]
        )
        for row in receipt.get("transactions") or []
        if row.get("transactionType", "ENTRY") == "ENTRY"
    )
    canonical = json.dumps([str(receipt.get("name") or ""), str(receipt.get("receiptDate") or ""), rows])
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _months(days: Iterable[date]) -> set[Period]:
    return {Period(day.year, day.month) for day in days}


def search_booked(
    client: ProcountorClient,
    company_id: str,
    run_id: str,
    drafts: Sequence[ReceiptDraft],
    intents: Mapping[Period, BookingIntent],
    known_ids: Collection[str] = (),
) -> dict[Period, Booked]:
    """This run's live receipts for the drafts' periods, found by fingerprint or by the ledger's intent.

    ``known_ids`` are receipts the ledger already holds for other periods: never taken again.
    """
    if not drafts:
        return {}
    wanted = {d.period for d in drafts}
    months = {d.period for d in drafts} | _months(d.receipt_date for d in drafts)
    months |= _months(i.receipt_date for p, i in intents.items() if p in wanted)
    start, end = min(months).first_day, max(months).last_day
    candidates = [
        str(r["id"])
        for r in client.search_journal_receipts(start, end)
        if r.get("status") != INVALIDATED
        and str(r["id"]) not in known_ids
        and _months([date.fromisoformat(str(r["receiptDate"]))]) <= months
    ]
    if not candidates:
        return {}
    by_intent = {i.payload_digest: p for p, i in intents.items() if p in wanted}
    booked: dict[Period, Booked] = {}
    for receipt in client.ledger_receipts(candidates):
        if receipt.get("status") == INVALIDATED:
            continue
        found = _recognise(receipt, company_id, run_id, wanted, by_intent)
        if found is None:
            continue
        period, fingerprint = found
        # Two live receipts for one period would be a duplicate made outside this plugin; the
        # oldest (lowest id) is the one the plugin recognises.
        current = booked.get(period)
        if current is None or int(receipt["id"]) < int(current.receipt["id"]):
            booked[period] = Booked(receipt, fingerprint)
    return booked


def _recognise(
    receipt: Mapping[str, Any],
    company_id: str,
    run_id: str,
    wanted: Collection[Period],
    by_intent: Mapping[str, Period],
) -> tuple[Period, Fingerprint | None] | None:
    notes = receipt.get("invoiceNotes")
    fingerprint = parse_fingerprint(notes)
    if fingerprint is not None:
        ours = (fingerprint.company_id, fingerprint.run_id) == (company_id, run_id)
        return (fingerprint.period, fingerprint) if ours and fingerprint.period in wanted else None
    if notes:
        return None  # someone else's notes: not a receipt this plugin made
    period = by_intent.get(payload_digest(receipt))
    return None if period is None else (period, None)
