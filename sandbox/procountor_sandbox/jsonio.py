"""JSON in and out with exact decimals.

Requests are parsed with ``Decimal`` so that ``10.005`` is seen as having three decimals
instead of being silently rounded by a binary float; responses print amounts as JSON numbers
(never strings), like Procountor does, without passing through float either.
"""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any

# A per-process random marker keeps user text from ever being mistaken for a decimal placeholder.
_MARK = "decimal-" + secrets.token_hex(8) + ":"
_PLACEHOLDER = re.compile('"' + re.escape(_MARK) + r'(-?[0-9.Ee+\-]+)"')


def loads(data: bytes | str) -> Any:
    """Parse JSON; floats become Decimal; NaN/Infinity are refused like a strict Java parser would."""

    def _reject_constant(name: str) -> Any:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _MARK + format(value, "f")
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Serialise, writing each Decimal verbatim as a JSON number."""
    text = json.dumps(_mark(value), ensure_ascii=False)
    return _PLACEHOLDER.sub(lambda m: m.group(1), text)
