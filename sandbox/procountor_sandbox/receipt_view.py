"""The full LedgerReceipt Procountor answers with, derived from a stored receipt.

Its own module so the state (``Sandbox.receipts``) and the API views hand out the same shape
without the state importing the receipt-building code.
"""

from __future__ import annotations

import copy
from typing import Any

# Kept for search (LedgerReceiptBasicInfo has it) but not a field of the full LedgerReceipt.
_NOT_IN_FULL_RECEIPT = frozenset({"created"})


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def full_view(receipt: dict[str, Any]) -> dict[str, Any]:
    """The LedgerReceipt Procountor returns: only the definition's fields, an absent value omitted.

    The published definition has no ``created`` on a full receipt and types every field (a JSON
    ``null`` is no string), so unset optional fields are left out rather than sent as null.
    """
    view = {k: v for k, v in receipt.items() if k not in _NOT_IN_FULL_RECEIPT}
    result = _without_nulls(copy.deepcopy(view))
    assert isinstance(result, dict)
    return result
