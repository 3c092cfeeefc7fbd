"""The plugin's side of the host's booking ledger: what of a run is booked, confirmed with one read.

The ledger (``host.ledger``, see ``nmbrs_hookspecs.protocols.BookingLedger``) is the first answer
to "what of this run is booked": a renamed reference, a moved booking date or reordered lines
change nothing in it, because the run is identified by account + company + run id and each
period's rows by a line-order independent digest.

Before any pre-flight read the export confirms the ledger's booked receipts with one batch GET
(docs/procountor-api.md §3b, at most 200 ids per call): a receipt still there and not
INVALIDATED is booked; one that was invalidated (or is gone) frees its period to be booked again.
Periods booked with other rows than the journal now has are reported, never booked twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nmbrs_hookspecs.booking import BookedReceipt, BookingIntent, BookingRecord, BookingState, RunKey
from nmbrs_hookspecs.protocols import BookingLedger
from nmbrs_hookspecs.types import IntegrationAccount, Journal, Period
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.errors import ProcountorApiError
from nmbrs_procountor_plugin.api.payloads import LedgerReceipt
from nmbrs_procountor_plugin.export.planning import ReceiptDraft
from nmbrs_procountor_plugin.export.resend import INVALIDATED, Booked, receipt_total

NOT_FOUND = 404


def run_key(account: IntegrationAccount, journal: Journal) -> RunKey:
    """The run's identity in the ledger: account + host company + run id (never its name or dates)."""
    return RunKey(account.id, journal.company_id, journal.run_id)


@dataclass
class Confirmed:
    """The ledger's booked periods after one read of Procountor.

    ``booked``: period -> the receipt as Procountor holds it now (live, same rows as the journal).
    ``changed``: period -> the live receipt whose rows differ from the journal's rows now.
    ``freed``: periods whose booked receipt was invalidated or is gone (may be booked again).
    ``intents``: the unresolved intents (a POST whose answer was lost), for the fallback search.
    """

    booked: dict[Period, LedgerReceipt] = field(default_factory=dict)
    changed: dict[Period, LedgerReceipt] = field(default_factory=dict)
    freed: list[Period] = field(default_factory=list)
    intents: dict[Period, BookingIntent] = field(default_factory=dict)
    known_ids: set[str] = field(default_factory=set)


def _read(client: ProcountorClient, ids: list[str]) -> dict[str, LedgerReceipt]:
    try:
        return {str(r["id"]): r for r in client.ledger_receipts(ids)}
    except ProcountorApiError as error:
        if error.status == NOT_FOUND:  # none of the ids exists in this company any more
            return {}
        raise


def confirm(
    client: ProcountorClient | None,
    ledger: BookingLedger,
    run: RunKey,
    digests: Mapping[Period, str],
    *,
    writing: bool,
) -> Confirmed:
    """Check the ledger's booked receipts of ``run`` against Procountor (one GET per 200) and the journal.

    ``digests`` are the journal's period digests now. With ``writing`` the ledger learns what the
    read found (an invalidated receipt frees its period); a preview changes nothing.
    ``client`` may be None only when the ledger holds no booked receipt (nothing to read).
    """
    records = ledger.records(run)
    found = Confirmed()
    booked: list[BookingRecord] = []
    for record in records:
        if record.state is BookingState.INTENDED:
            assert record.intent is not None  # BookingRecord guarantees it
            found.intents[record.period] = record.intent
        elif record.booked:
            booked.append(record)
    if not booked:
        return found
    if client is None:
        raise ValueError("confirm: the ledger holds booked receipts, a client is needed to read them")
    live = _read(client, [r.receipt.external_id for r in booked if r.receipt is not None])
    for record in booked:
        assert record.receipt is not None
        receipt = live.get(record.receipt.external_id)
        if receipt is None or receipt.get("status") == INVALIDATED:
            found.freed.append(record.period)
            if writing:
                ledger.mark_invalidated(run, record.period, record.receipt.external_id)
            continue
        found.known_ids.add(record.receipt.external_id)
        wanted = digests.get(record.period)
        if wanted is not None and wanted != record.receipt.row_digest:
            found.changed[record.period] = receipt
        else:
            found.booked[record.period] = receipt
    return found


def intent_for(draft: ReceiptDraft, attempt_id: str) -> BookingIntent:
    """What is about to be sent for ``draft``, recorded before the POST."""
    return BookingIntent(
        attempt_id=attempt_id,
        row_digest=draft.fingerprint.digest,
        payload_digest=draft.payload_digest,
        receipt_date=draft.receipt_date,
        name=draft.name,
    )


def booked_receipt(draft: ReceiptDraft, receipt: Mapping[str, Any]) -> BookedReceipt:
    """The ledger's record of ``receipt``, which Procountor holds for ``draft``'s period."""
    invoice_id = receipt.get("invoiceId")
    return BookedReceipt(
        external_id=str(receipt["id"]),
        receipt_date=date.fromisoformat(str(receipt["receiptDate"]))
        if receipt.get("receiptDate")
        else draft.receipt_date,
        name=str(receipt.get("name") or draft.name),
        row_digest=draft.fingerprint.digest,
        total=receipt_total(receipt) if receipt.get("transactions") else draft.total,
        invoice_id=None if invoice_id in (None, "") else str(invoice_id),
    )


def adopted_receipt(draft: ReceiptDraft, found: Booked) -> BookedReceipt:
    """A receipt the fallback search found for ``draft``'s period, as the ledger keeps it."""
    return booked_receipt(draft, found.receipt)
