"""Procountor's refusals translated into problems that point back at the journal line.

Procountor answers ``{"errors": [{"field": "transactions[3].account", "message": "..."}]}``
(``docs/procountor-api.md`` §6; each known answer and its source: ``docs/procountor-answers.md``);
the admin knows journal lines, not transaction indexes, so the field is rewritten through the
receipt's ``line_indexes``. Procountor's ``message`` is an error code or an English sentence;
neither is shown as the sentence: the known codes get their own catalogue entry with the fix, the
known sentence shapes ("Value of the 'x' cannot be blank.") a translated reason, and anything else
a generic sentence that still names the line and the field. Procountor's code (or the HTTP status
when it sent a sentence) is shown for support.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

from nmbrs_hookspecs.types import Problem
from nmbrs_procountor_plugin.api.errors import (
    FieldError,
    ProcountorApiError,
    ProcountorError,
    ProcountorForbidden,
    ProcountorRateLimited,
    ProcountorUnauthorized,
    ProcountorUnavailable,
)
from nmbrs_procountor_plugin.export.planning import ReceiptDraft
from nmbrs_procountor_plugin.messages import problem

log = logging.getLogger(__name__)

_TRANSACTION: Final = re.compile(r"^transactions\[(\d+)\](?:\.(.+))?$")
_CODE_LIKE: Final = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")

ACCOUNT_VAT: Final = "ERROR_LEDGERACCOUNT_VATPERCENTAGE_COMBINATION"
"""An account missing from the chart, or one that refuses the VAT percentage (observed by integrators)."""
CLOSED_PERIOD: Final = "CLOSED_FISCAL_PERIOD"
"""A receipt date in a closed financial year or tracking period."""
DIMENSION_MISMATCH: Final = "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE"
"""A dimension item that was closed or deleted in Procountor (seen with stray spaces in it)."""
VAT_STATUS: Final = "ERROR_VATSTATUS_VATPERC"
"""A VAT status that does not go with the row's VAT percentage."""
INSUFFICIENT_RIGHTS: Final = "Insufficient user rights"
"""The start of Procountor's 403 texts ("... or invalid receipt status", "No access right to ...")."""

# Procountor's transaction fields -> the journal-line field the admin knows (terms table "field").
_LINE_FIELDS: Final = {
    "account": "ledger_account",
    "accountingValue": "amount",
    "description": "description",
    "dimensionItemValues": "dimensions",
    "vatPercent": "vat_percent",
    "vatStatus": "vat_status",
    "vatType": "vat_type",
}
# Procountor's receipt fields -> the receipt field (terms table "field").
_RECEIPT_FIELDS: Final = {
    "receiptDate": "receipt_date",
    "name": "name",
    "vatStatus": "vat_status",
    "vatType": "vat_type",
    "transactionDescription": "transaction_description",
    "invoiceNotes": "notes",
    "accountantsNotes": "notes",
    "transactions": "line",
}
# Procountor's English sentence shapes (docs/procountor-answers.md) -> a reason (terms table "refusal").
_REASONS: Final = (
    (re.compile(r"cannot be blank|must not be (?:null|empty)|is required", re.IGNORECASE), "blank"),
    (re.compile(r"too long|max(?:imum)? \d+ characters", re.IGNORECASE), "too_long"),
    (re.compile(r"more than 2 decimals|scale", re.IGNORECASE), "decimals"),
    (re.compile(r"is invalid|not valid|invalid value", re.IGNORECASE), "invalid"),
)


@dataclass(frozen=True)
class Place:
    """Where a Procountor field path points in the journal."""

    field: str
    """The problem's field: ``lines[3].ledger_account`` or ``receipts[2026-06].receiptDate``."""
    index: int | None
    """The journal line's index (``journal.lines[index]``), None for a receipt-level field."""
    field_name: str
    """A key of the ``field`` terms, or Procountor's own field name when the table lacks it."""


def journal_field(draft: ReceiptDraft, procountor_field: str | None) -> Place:
    """Where Procountor's ``procountor_field`` (``transactions[3].account``) is in the journal."""
    match = _TRANSACTION.match(procountor_field or "")
    if match and int(match.group(1)) < len(draft.line_indexes):
        index = draft.line_indexes[int(match.group(1))]
        leaf = (match.group(2) or "").split(".")[0].split("[")[0]
        name = _LINE_FIELDS.get(leaf, leaf or "line")
        return Place(f"lines[{index}].{name}", index, name)
    path = procountor_field or "receipt"
    leaf = path.split(".")[0].split("[")[0]
    return Place(f"receipts[{draft.period}].{path}", None, _RECEIPT_FIELDS.get(leaf, leaf))


def _squeezed(message: str) -> str:
    """Procountor's message without whitespace (integrators saw the dimension code broken by spaces)."""
    return "".join(message.split())


def answer_code(status: int, message: str) -> str:
    """What support sees of Procountor's answer: its error code, or the HTTP status for a sentence."""
    squeezed = _squeezed(message)
    return squeezed if _CODE_LIKE.match(squeezed) else f"HTTP {status}"


def _reason(message: str) -> str:
    return next((reason for pattern, reason in _REASONS if pattern.search(message)), "not_accepted")


def _field_problem(draft: ReceiptDraft, error: FieldError, username: str, locale: str | None) -> Problem:
    place = journal_field(draft, error.field)
    squeezed = _squeezed(error.message)
    line = None if place.index is None else place.index + 1
    if CLOSED_PERIOD in squeezed:
        return problem(
            "procountor.period.refused_closed", locale, period=draft.period, date=draft.receipt_date, field=place.field
        )
    if line is not None and DIMENSION_MISMATCH in squeezed:
        return problem("procountor.dimension.item_rejected", locale, line=line, period=draft.period, field=place.field)
    if place.index is not None and line is not None and ACCOUNT_VAT in squeezed:
        account = _account_of(draft, place.index)
        return problem(
            "procountor.account.rejected", locale, account=account, line=line, period=draft.period, field=place.field
        )
    if line is not None and VAT_STATUS in squeezed:
        vat_status = str(draft.payload.get("vatStatus", "-"))
        return problem(
            "procountor.export.vat_rejected",
            locale,
            line=line,
            period=draft.period,
            vat_status=vat_status,
            field=place.field,
        )
    if error.status == 403 and error.message.strip().startswith(INSUFFICIENT_RIGHTS):
        return problem("procountor.rights.insufficient", locale, username=username, field="procountor.user")
    log.info("procountor refused %s: %s", place.field, " ".join(error.message.split())[:200])
    reason, answer = _reason(error.message), answer_code(error.status, error.message)
    if line is None:
        return problem(
            "procountor.export.receipt_rejected",
            locale,
            field=place.field,
            field_name=place.field_name,
            period=draft.period,
            reason=reason,
            answer=answer,
        )
    return problem(
        "procountor.export.rejected",
        locale,
        field=place.field,
        line=line,
        field_name=place.field_name,
        period=draft.period,
        reason=reason,
        answer=answer,
    )


def _account_of(draft: ReceiptDraft, index: int) -> str:
    """The ledger account the receipt sent for journal line ``index``."""
    for position, line_index in enumerate(draft.line_indexes):
        if line_index == index:
            return str(draft.payload["transactions"][position].get("account") or "-")
    return "-"


def _api_problems(
    error: ProcountorApiError, draft: ReceiptDraft | None, username: str, locale: str | None
) -> list[Problem]:
    if draft is not None and error.errors:
        return [_field_problem(draft, e, username, locale) for e in error.errors]
    if isinstance(error, ProcountorForbidden):
        return [problem("procountor.rights.insufficient", locale, username=username, field="procountor.user")]
    return [problem("procountor.unexpected_response", locale, detail=support_code(error))]


def support_code(error: ProcountorError) -> str:
    """A short, secret-free code of ``error`` for a message: Procountor's error codes, else the status."""
    if isinstance(error, ProcountorApiError):
        codes = sorted({answer_code(error.status, e.message) for e in error.errors})
        return ", ".join(codes) or f"HTTP {error.status}"
    if isinstance(error, ProcountorUnavailable):
        return error.call
    return type(error).__name__


def problems_for(
    error: ProcountorError, draft: ReceiptDraft | None, locale: str | None, username: str
) -> list[Problem]:
    """The problems an admin should see for ``error`` (raised while handling ``draft``, if any)."""
    if isinstance(error, ProcountorUnauthorized):
        # A lasting 401 after a renewal the token endpoint granted: not proof the grant is dead.
        return [problem("procountor.auth.token_not_accepted", locale, username=username)]
    if isinstance(error, ProcountorRateLimited):
        return [problem("procountor.rate_limited", locale)]
    if isinstance(error, ProcountorUnavailable):
        return [problem("procountor.unavailable", locale, reason=error.reason, call=error.call)]
    if isinstance(error, ProcountorApiError):
        return _api_problems(error, draft, username, locale)
    return [problem("procountor.unexpected_response", locale, detail=type(error).__name__)]
