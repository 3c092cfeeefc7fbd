"""``POST /attachments``: a file attached to a receipt, read the way Procountor's definition states it.

The official definition (docs/procountor-api.md §3c): multipart/form-data with a ``meta`` part
(``Attachment`` as application/json: ``name`` with a file extension, ``referenceType``,
``referenceId``, ``sendWithInvoice``) and a ``file`` part of at most 10,000,000 bytes ("400 File
size too big"). "For JOURNAL type ledger receipts, use type INVOICE" with the receipt's
``invoiceId``; the sandbox therefore refuses ``LEDGERRECEIPT`` for a journal. Only receipts are
modelled as owners here; other reference types are refused as unsupported by the sandbox.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from werkzeug.wrappers import Request

from . import jsonio
from .models import Company, StoredAttachment
from .rules import Violation, check_text

MAX_BYTES = 10_000_000
REFERENCE_TYPES = (
    "BANKSTATEMENTEVENT",
    "COST_RECEIPT",
    "CUSTOMER_BUSINESS_PARTNER_REGISTER",
    "EMPLOYEE_INFO",
    "ENVIRONMENT",
    "FINANCIAL_STATEMENT",
    "INVOICE",
    "INVOICEDRAFT_ITEM",
    "LEDGERRECEIPT",
    "NETS_COLLECTION",
    "PERSON_BUSINESS_PARTNER_REGISTER",
    "PURCHASE_PRODUCT_REGISTER",
    "REFERENCE_PAYMENT",
    "SALES_PRODUCT_REGISTER",
    "SUPPLIER_BUSINESS_PARTNER_REGISTER",
)
# "'sendWithInvoice' can be set only for receipt types: SALES_INVOICE, SALES_ORDER, PURCHASE_ORDER".
SEND_WITH_INVOICE_TYPES = ("SALES_INVOICE", "SALES_ORDER", "PURCHASE_ORDER")
_EXTENSION = re.compile(r".+\.[A-Za-z0-9]{1,10}")


class Refused(Exception):
    """The request cannot be stored; ``violations`` say why (answered as 400)."""

    def __init__(self, *violations: Violation) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


def _meta(request: Request) -> dict[str, Any]:
    part = request.files.get("meta")
    raw: bytes | str | None = part.read() if part is not None else request.form.get("meta")
    if raw is None:
        raise Refused(Violation("meta", "Field 'meta' is required (Attachment as application/json)"))
    try:
        meta = jsonio.loads(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    except ValueError as exc:
        raise Refused(Violation("meta", f"Malformed JSON in 'meta': {exc}")) from exc
    if not isinstance(meta, dict):
        raise Refused(Violation("meta", "'meta' must be a JSON object (Attachment)"))
    return meta


def _owner(company: Company, reference_type: str, reference_id: int) -> dict[str, Any]:
    """The receipt the attachment belongs to."""
    if reference_type == "INVOICE":
        for receipt in company.receipts.values():
            if receipt.get("invoiceId") == reference_id:
                return receipt
        raise Refused(Violation("referenceId", f"Invoice not found: {reference_id}"))
    if reference_type == "LEDGERRECEIPT":
        found = company.receipts.get(reference_id)
        if found is None:
            raise Refused(Violation("referenceId", f"Ledger receipt not found: {reference_id}"))
        if found["type"] == "JOURNAL":
            raise Refused(
                Violation(
                    "referenceType",
                    "For JOURNAL type ledger receipts, use referenceType INVOICE with the receipt's invoiceId",
                )
            )
        return found
    raise Refused(Violation("referenceType", f"The sandbox does not model attachments to {reference_type}"))


def _checked(meta: dict[str, Any]) -> tuple[str, str, int, bool]:
    problems: list[Violation] = []
    name = meta.get("name")
    problems += check_text("name", name, 255, required=True)
    if not problems and not _EXTENSION.fullmatch(str(name)):
        problems.append(Violation("name", f"Attachment name must include a file extension: {name}"))
    reference_type = meta.get("referenceType")
    if reference_type is None:
        problems.append(Violation("referenceType", "Value of the 'referenceType' cannot be blank."))
    elif reference_type not in REFERENCE_TYPES:
        problems.append(Violation("referenceType", f"Value of the 'referenceType' field is invalid: {reference_type}"))
    reference_id = meta.get("referenceId")
    if reference_id is None:
        problems.append(Violation("referenceId", "Value of the 'referenceId' cannot be blank."))
    elif isinstance(reference_id, bool) or not isinstance(reference_id, int):
        problems.append(Violation("referenceId", f"Value of the 'referenceId' field is invalid: {reference_id}"))
    send = meta.get("sendWithInvoice")
    if send is None:
        problems.append(Violation("sendWithInvoice", "Value of the 'sendWithInvoice' cannot be blank."))
    elif not isinstance(send, bool):
        problems.append(Violation("sendWithInvoice", f"Value of the 'sendWithInvoice' field is invalid: {send}"))
    if problems:
        raise Refused(*problems)
    assert isinstance(name, str)
    assert isinstance(reference_type, str)
    assert isinstance(reference_id, int)
    assert isinstance(send, bool)
    return name, reference_type, reference_id, send


def save(company: Company, request: Request, next_id: int) -> dict[str, Any]:
    """Validate and store one attachment; the caller holds the state lock and checked the right."""
    meta = _meta(request)
    name, reference_type, reference_id, send = _checked(meta)
    file = request.files.get("file")
    if file is None:
        raise Refused(Violation("file", "Field 'file' is required"))
    content = file.read()
    if len(content) > MAX_BYTES:
        raise Refused(Violation("file", "File size too big"))
    owner = _owner(company, reference_type, reference_id)
    if send and owner["type"] not in SEND_WITH_INVOICE_TYPES:
        raise Refused(
            Violation("sendWithInvoice", f"'sendWithInvoice' can be set only for {', '.join(SEND_WITH_INVOICE_TYPES)}")
        )
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    stored = {
        "id": next_id,
        "name": name,
        "referenceType": reference_type,
        "referenceId": reference_id,
        "mimeType": mime,
        "sendWithInvoice": send,
    }
    company.attachments[next_id] = StoredAttachment(
        dict(stored), content, file.filename or name, file.mimetype or "application/octet-stream"
    )
    owner.setdefault("attachments", []).append(dict(stored))
    return stored
