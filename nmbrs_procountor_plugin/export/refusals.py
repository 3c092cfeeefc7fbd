"""Procountor's refusals translated into problems that point back at the journal line.

Procountor answers ``{"field": "transactions[3].account", "message": "..."}``; the admin knows
journal lines, not transaction indexes, so the field is rewritten through the receipt's
``line_indexes`` and the well-known messages get their own codes and advice.
"""

from __future__ import annotations

import re
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

_TRANSACTION: Final = re.compile(r"^transactions\[(\d+)\](?:\.(.+))?$")
CLOSED_PERIOD: Final = "CLOSED_FISCAL_PERIOD"
DIMENSION_MISMATCH: Final = "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE"
_FIELD_NAMES: Final = {
    "account": "ledger_account",
    "accountingValue": "amount",
    "description": "description",
    "dimensionItemValues": "dimensions",
}


def journal_field(draft: ReceiptDraft, procountor_field: str | None) -> tuple[str, str]:
    """(field for the problem, line text for the message) of a Procountor field path."""
    match = _TRANSACTION.match(procountor_field or "")
    if match and int(match.group(1)) < len(draft.line_indexes):
        index = draft.line_indexes[int(match.group(1))]
        leaf = (match.group(2) or "").split(".")[0].split("[")[0]
        return f"lines[{index}].{_FIELD_NAMES.get(leaf, leaf or 'line')}", f"line {index + 1}"
    return f"receipts[{draft.period}].{procountor_field or 'receipt'}", f"the receipt for {draft.period}"


def _field_problem(draft: ReceiptDraft, error: FieldError, locale: str | None) -> Problem:
    field, where = journal_field(draft, error.field)
    message = " ".join(error.message.split())
    if CLOSED_PERIOD in message:
        day = draft.receipt_date.isoformat()
        return problem("procountor.period.closed", locale, date=day, start=day, end=day, field=field)
    if DIMENSION_MISMATCH.replace("_", "") in message.replace("_", "").replace(" ", ""):
        return problem("procountor.dimension.item_rejected", locale, where=where, period=str(draft.period), field=field)
    if field.endswith(".ledger_account"):
        return problem(
            "procountor.account.rejected", locale, where=where, period=str(draft.period), detail=message, field=field
        )
    return problem(
        "procountor.export.rejected", locale, where=where, period=str(draft.period), detail=message, field=field
    )


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
        return [problem("procountor.unavailable", locale, detail=error.detail)]
    if isinstance(error, ProcountorApiError):
        if draft is not None and error.errors:
            return [_field_problem(draft, e, locale) for e in error.errors]
        if isinstance(error, ProcountorForbidden):
            return [problem("procountor.rights.journal_receipts", locale, level="HTTP 403", field="procountor.user")]
        return [problem("procountor.unexpected_response", locale, detail=str(error))]
    return [problem("procountor.unexpected_response", locale, detail=type(error).__name__)]
