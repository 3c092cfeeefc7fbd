"""Amounts after validation: written with exactly two decimals and summed, never rounded.

Procountor keeps a row's ``accountingValue`` at scale 2 (docs/procountor-api.md §3a), so the
receipt's rows, the fingerprint, the ledger's digests and the journal documents all write amounts
with two decimals. Every function here is exact: where an answer would need rounding, it raises.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

_CENTS: Final = Decimal("0.01")

EXACT: Final = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])
"""The context every amount is quantized and summed in after validation: wide enough for any sum
of validated amounts (|amount| < 10^13, so 10^6 lines stay below 30 digits), and trapping
``Inexact`` so a rounding that should be impossible raises instead of booking. A context of its
own, so a thread's changed default context cannot round either."""


def cents_text(amount: Decimal) -> str | None:
    """``str(amount)`` when it writes exactly two decimals (``10.50``, ``-0.07``), else None.

    Most host amounts carry exactly two decimals, and then ``str`` writes them as
    ``format(amount, "f")`` does: an exponent of -2 is never written in scientific notation.
    That makes it the cheap answer, on every journal line, to both "is this whole cents?" and
    "how is it written?", where ``as_tuple``, ``quantize`` and ``format`` each cost several times
    more (benchmarks/bench_planning.py). None only means "ask the exact way".
    """
    text = str(amount)
    return text if len(text) > 3 and text[-3] == "." and "E" not in text else None


def exact_cents_text(amount: Decimal) -> str:
    """``amount`` written with exactly two decimals; raises ``decimal.Inexact`` if that would round.

    :func:`cents_text` answers for most amounts; this is the exact way for the rest (``10.5``,
    ``10.500``), under :data:`EXACT`.
    """
    return cents_text(amount) or format(amount.quantize(_CENTS, context=EXACT), "f")


def exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """The sum under :data:`EXACT` (a rounding raises), added up in C by ``sum``."""
    with decimal.localcontext(EXACT):
        return sum(amounts, Decimal(0))


def whole_cents(value: Decimal) -> bool:
    """True when ``value``'s exact value has at most two decimals (10.500 yes, 10.005 no).

    Works on the digits, without any context arithmetic, so it cannot round.
    """
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN / Infinity
        return False
    if exponent >= -2:
        return True
    extra = -2 - exponent  # digits beyond the cents
    return not any(digits[-extra:])
