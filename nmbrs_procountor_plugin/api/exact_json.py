"""JSON with Decimal amounts written as exact numbers.

``json.dumps`` cannot encode Decimal, and ``requests`` silently switches to simplejson when that
happens to be installed; going through float would turn 12345678901234.57 into something else.
Each Decimal is written as its own literal (``5000.00``), never rounded, never quoted.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    """Serialise ``value``; Decimals become JSON numbers with exactly their digits."""
    nonce = secrets.token_hex(8)
    literals: list[str] = []

    def swap(item: Any) -> Any:
        if isinstance(item, Decimal):
            if not item.is_finite():
                raise ValueError(f"cannot send a non-finite amount: {item}")
            marker = f"@{nonce}:{len(literals)}@"
            literals.append(format(item, "f"))
            return marker
        if isinstance(item, float):
            raise TypeError(f"refusing to send the float {item!r}: amounts must be Decimal")
        if isinstance(item, Mapping):
            return {key: swap(val) for key, val in item.items()}
        if isinstance(item, list | tuple):
            return [swap(val) for val in item]
        return item

    text = json.dumps(swap(value), ensure_ascii=False, separators=(",", ":"))
    # One pass over the text: replacing marker by marker would be quadratic in the receipt size.
    return re.sub(f'"@{nonce}:(\\d+)@"', lambda m: literals[int(m.group(1))], text)


def loads(text: str | bytes) -> Any:
    """Parse a response with decimals kept exact."""
    return json.loads(text, parse_float=Decimal)
