"""The journal document on each booked receipt, attached exactly once.

Procountor takes attachments with ``POST /attachments``; "for JOURNAL type ledger receipts, use
type INVOICE" with the receipt's ``invoiceId`` (docs/procountor-api.md §3c). Each booked period of
the run gets its document (:mod:`~nmbrs_procountor_plugin.export.documents`) once:

* the ledger is the first answer: a period whose record already lists an attachment is done, and
  costs no request;
* otherwise the receipt as last read from Procountor (its ``attachments``) tells whether an earlier
  attempt's POST landed although its answer was lost: then the ledger learns it, nothing is sent;
* otherwise the document is posted, and the ledger records it at once.

A failed attachment never fails or repeats the booking: the receipt stays booked, the export's
answer carries a warning (``procountor.attachment.missing``), and the next send attaches what is
missing. After a lost answer (reset, 5xx, timeout) the receipt is read back once to see whether the
document landed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any, Final

from nmbrs_hookspecs.booking import AttachmentRecord, BookingRecord, RunKey
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import BookingLedger
from nmbrs_hookspecs.types import Period, Problem
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.errors import ProcountorError, ProcountorUnavailable
from nmbrs_procountor_plugin.export.documents import MAX_ATTACHMENT_BYTES, MEDIA_TYPE, JournalDocument
from nmbrs_procountor_plugin.export.refusals import support_code
from nmbrs_procountor_plugin.messages import problem

log = logging.getLogger(__name__)

REFERENCE_TYPE: Final = "INVOICE"  # "for JOURNAL type ledger receipts, use type INVOICE"

# Support codes of ``procountor.attachment.missing`` when Procountor's answer itself lacked an id.
NO_INVOICE_ID: Final = "RECEIPT_WITHOUT_INVOICE_ID"
NO_ATTACHMENT_ID: Final = "ATTACHMENT_WITHOUT_ID"


def attachment_meta(document: JournalDocument, invoice_id: str) -> dict[str, Any]:
    """The ``Attachment`` part: name with its extension, the receipt's invoice, not sent with it."""
    return {
        "name": document.name,
        "referenceType": REFERENCE_TYPE,
        "referenceId": int(invoice_id),
        "sendWithInvoice": False,
    }


def _listed(receipt: Mapping[str, Any] | None, name: str) -> str | None:
    """The id of an attachment called ``name`` on the receipt as Procountor returned it, if any."""
    for item in (receipt or {}).get("attachments") or []:
        if isinstance(item, Mapping) and item.get("name") == name and item.get("id") is not None:
            return str(item["id"])
    return None


def oversized(documents: Iterable[JournalDocument], locale: str | None) -> list[Problem]:
    """A blocking problem per document over Procountor's size limit (checked before anything is sent)."""
    return [
        problem(
            "procountor.attachment.too_large",
            locale,
            period=d.period,
            size=d.size,
            limit=MAX_ATTACHMENT_BYTES,
            field=f"receipts[{d.period}].attachments",
        )
        for d in documents
        if d.too_large
    ]


class Attacher:
    """Attaches the run's missing documents; collects the warnings for the export's answer."""

    def __init__(self, client: ProcountorClient, ledger: BookingLedger, run: RunKey, locale: str | None) -> None:
        self.client = client
        self.ledger = ledger
        self.run = run
        self.locale = locale

    def attach_missing(
        self, documents: Mapping[Period, JournalDocument], seen: Mapping[Period, Mapping[str, Any]]
    ) -> list[Problem]:
        """Attach each booked period's document unless the ledger (or Procountor) already has it.

        ``seen`` holds the receipts as this attempt read them from Procountor, by period.
        """
        problems: list[Problem] = []
        for record in self.ledger.records(self.run):
            document = documents.get(record.period)
            if not record.booked or record.attachments or document is None:
                continue
            trouble = self._attach(record, document, seen.get(record.period))
            if trouble is not None:
                problems.append(trouble)
        return problems

    def _record(self, record: BookingRecord, document: JournalDocument, attachment_id: str) -> None:
        attachment = AttachmentRecord(attachment_id, document.name, document.digest, time.time())
        self.ledger.add_attachment(self.run, record.period, attachment)

    def _missing(self, record: BookingRecord, detail: str) -> Problem:
        """The warning for a booked receipt without its document; ``detail`` is a support code."""
        assert record.receipt is not None
        return problem(
            "procountor.attachment.missing",
            self.locale,
            period=record.period,
            id=record.receipt.external_id,
            detail=detail,
            field=f"receipts[{record.period}].attachments",
        )

    def _look(self, external_id: str, name: str) -> str | None:
        """After a lost answer: read the receipt back; the attachment's id if it landed."""
        try:
            found = self.client.ledger_receipts([external_id])
        except ProcountorError:
            return None
        return _listed(found[0] if found else None, name)

    def _attach(
        self, record: BookingRecord, document: JournalDocument, receipt: Mapping[str, Any] | None
    ) -> Problem | None:
        booked = record.receipt
        assert booked is not None
        already = _listed(receipt, document.name)
        if already is not None:
            self._record(record, document, already)
            return None
        invoice_id = booked.invoice_id  # recorded from Procountor's answer when the receipt was booked
        if invoice_id is None or not invoice_id.isdigit():
            return self._missing(record, NO_INVOICE_ID)
        try:
            answer = self.client.post_attachment(
                attachment_meta(document, invoice_id), document.name, document.content, MEDIA_TYPE
            )
        except ProcountorUnavailable as lost:
            landed = self._look(booked.external_id, document.name) if lost.uncertain else None
            if landed is None:
                return self._missing(record, support_code(lost))
            self._record(record, document, landed)
            return None
        except ProcountorError as refused:
            return self._missing(record, support_code(refused))
        except ProblemError as failed:  # the authorization ended halfway (a ProblemError has a problem)
            return self._missing(record, ", ".join(p.code for p in failed.problems))
        if answer.get("id") is None:
            return self._missing(record, NO_ATTACHMENT_ID)
        self._record(record, document, str(answer["id"]))
        log.info("attached %s to receipt %s", document.name, booked.external_id)
        return None
