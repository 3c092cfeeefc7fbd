"""What a message parameter may be, and how each kind is written in the admin's language.

A parameter is never an English fragment: it is either locale-neutral (a number, an amount, a
date, a period, a line number, an account code, a name the admin typed) or a key into a table of
translated words (:class:`Term`). Numbers, amounts, dates, periods and lists are formatted with
Babel's CLDR data, so a Finnish admin reads ``34 713,46`` and ``30.6.2026``, a Dutch one
``34.713,46`` and ``30 jun 2026``.

:data:`SAMPLES` holds one sample value per kind; the catalogue test and ``docs/errors.md`` render
every message with them, so a new kind needs a sample here.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import parse_pattern

from nmbrs_procountor_plugin.messages.terms import LISTED_LINES, MORE_LINES, TERMS


class Kind(StrEnum):
    """The kinds of a message parameter (see the ``messages`` package docstring)."""

    COUNT = "count"
    """How many of something (int); drives ``{name, plural, ...}``. Written ``1 234``/``1,234``."""
    NUMBER = "number"
    """A quantity that is not counted things (a limit, a length): an int, grouped per locale."""
    AMOUNT = "amount"
    """Money as ``Decimal``: locale separators, at least two decimals, never rounded."""
    DATE = "date"
    """A ``datetime.date``, in the locale's medium form (``30.6.2026``, ``30 jun 2026``)."""
    PERIOD = "period"
    """A booking month (anything with int ``year`` and ``month``): ``June 2026``, ``juni 2026``, ``6/2026``."""
    LINE = "line"
    """One human journal line number (the first line is 1)."""
    LINES = "lines"
    """Human line numbers (a non-empty sequence of int): ``3, 4 ja 7``; long lists are cut."""
    TEXT = "text"
    """The admin's own data, shown as typed: a company, a reference, a user or dimension name."""
    CODE = "code"
    """An identifier shown as is: an account code, an id, a receipt number, a URL."""
    NAMES = "names"
    """Several of the admin's names (a non-empty sequence of str), joined per language."""
    TECHNICAL = "technical"
    """For support, never a sentence: an HTTP status, Procountor's or OAuth's error code, a path."""


@dataclass(frozen=True)
class Term:
    """A parameter whose value is a key of the translated word table ``table`` (``terms.TERMS``).

    ``verbatim_unknown`` lets a key outside the table through unchanged: for Procountor's field
    paths, where a field the table does not know is still best named by its own identifier.
    """

    table: str
    verbatim_unknown: bool = False


ParamKind = Kind | Term


_NUMERIC_PERIODS: Final = frozenset({"fi"})
"""Languages that write a booking month as ``6/2026``: a Finnish month name would need a case
ending in most sentences ("kesäkuun 2026 tosite"), the numeric form reads right in all of them."""


_AMOUNT_PATTERN: Final = parse_pattern("#,##0.00")
"""Grouped, at least two decimals (parsed once: a problem per journal line must stay cheap)."""


@functools.lru_cache(maxsize=64)
def babel_locale(locale: str) -> Locale:
    """The Babel locale of a name such as ``fi_FI`` (parsed once per name)."""
    return Locale.parse(locale)


def written_number(number: int, locale: str) -> str:
    """``number`` grouped as the locale groups it: ``34 713`` (fi), ``34.713`` (nl), ``34,713`` (en)."""
    parsed = babel_locale(locale)
    return str(parsed.decimal_formats[None].apply(number, parsed))


def _int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"message parameter {name!r}={value!r}: expected an int")
    return value


def _text(name: str, value: object, *, allow_empty: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"message parameter {name!r}={value!r}: expected a str")
    text = str(value)
    if not allow_empty and not text.strip():
        raise ValueError(f"message parameter {name!r} is empty")
    return text


def _sequence(name: str, value: object) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value:
        raise TypeError(f"message parameter {name!r}={value!r}: expected a non-empty sequence")
    return value


def plural_quantity(kind: ParamKind, name: str, value: object) -> int:
    """The number a ``{name, plural, ...}`` block chooses its form by."""
    if kind in (Kind.COUNT, Kind.NUMBER, Kind.LINE):
        return _int(name, value)
    if kind in (Kind.LINES, Kind.NAMES):
        return len(_sequence(name, value))
    raise TypeError(f"message parameter {name!r} of kind {kind} cannot choose a plural form")


def _amount(name: str, value: object, locale: str) -> str:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"message parameter {name!r}={value!r}: expected a Decimal amount")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"message parameter {name!r}={value!r}: not a finite amount")
    # At least two decimals, and every further one the value has: 10.005 stays 10,005.
    return str(_AMOUNT_PATTERN.apply(amount, babel_locale(locale), decimal_quantization=False))


def _date(name: str, value: object, locale: str) -> str:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"message parameter {name!r}={value!r}: expected a datetime.date")
    return _written_date(value, locale)


@functools.lru_cache(maxsize=1024)
def _written_date(value: datetime.date, locale: str) -> str:
    return format_date(value, format="medium", locale=babel_locale(locale))


def _period(name: str, value: object, language: str, locale: str) -> str:
    year, month = getattr(value, "year", None), getattr(value, "month", None)
    if not isinstance(year, int) or not isinstance(month, int):
        raise TypeError(f"message parameter {name!r}={value!r}: expected a period with year and month")
    return _written_month(year, month, language, locale)


@functools.lru_cache(maxsize=1024)
def _written_month(year: int, month: int, language: str, locale: str) -> str:
    first = datetime.date(year, month, 1)
    if language in _NUMERIC_PERIODS:
        return format_date(first, format="M/yyyy", locale=babel_locale(locale))
    return format_skeleton("yMMMM", first, locale=babel_locale(locale))


def _lines(name: str, value: object, language: str, locale: str) -> str:
    numbers = [str(_int(name, n)) for n in _sequence(name, value)]  # line numbers, never grouped
    if len(numbers) > LISTED_LINES:
        rest = len(numbers) - LISTED_LINES
        numbers = [*numbers[:LISTED_LINES], MORE_LINES[language].format(n=written_number(rest, locale))]
    return format_list(numbers, locale=babel_locale(locale))


def _term(kind: Term, name: str, value: object, language: str) -> str:
    key = _text(name, value)
    table = TERMS[kind.table]
    if key in table:
        return table[key][language]
    if kind.verbatim_unknown:
        return key
    raise ValueError(f"message parameter {name!r}={key!r}: not a key of the {kind.table!r} terms")


def _names(name: str, value: object, locale: str) -> str:
    return str(format_list([_text(name, v) for v in _sequence(name, value)], locale=babel_locale(locale)))


_FORMATTERS: Final[Mapping[Kind, Callable[[str, object, str, str], str]]] = {
    # (parameter name, value, catalogue language, Babel locale) -> the text in the sentence
    Kind.COUNT: lambda name, value, _lang, locale: written_number(_int(name, value), locale),
    Kind.NUMBER: lambda name, value, _lang, locale: written_number(_int(name, value), locale),
    Kind.AMOUNT: lambda name, value, _lang, locale: _amount(name, value, locale),
    Kind.DATE: lambda name, value, _lang, locale: _date(name, value, locale),
    Kind.PERIOD: _period,
    Kind.LINE: lambda name, value, _lang, _locale: str(_int(name, value)),
    Kind.LINES: _lines,
    Kind.TEXT: lambda name, value, _lang, _locale: _text(name, value, allow_empty=True),  # may be blank
    Kind.CODE: lambda name, value, _lang, _locale: _text(name, value),
    Kind.NAMES: lambda name, value, _lang, locale: _names(name, value, locale),
    Kind.TECHNICAL: lambda name, value, _lang, _locale: _text(name, value),
}


def format_value(kind: ParamKind, name: str, value: object, language: str, locale: str) -> str:
    """``value`` written for ``language`` (catalogue language) and ``locale`` (Babel locale)."""
    if isinstance(kind, Term):
        return _term(kind, name, value, language)
    return _FORMATTERS[kind](name, value, language, locale)


@dataclass(frozen=True)
class _SampleMonth:
    year: int
    month: int


SAMPLES: Final[Mapping[Kind, tuple[object, object]]] = {
    # (a sample for one, a sample for several): plural blocks are rendered with both.
    Kind.COUNT: (1, 2),
    Kind.NUMBER: (1, 34713),
    Kind.AMOUNT: (Decimal("0.01"), Decimal("34713.46")),
    Kind.DATE: (datetime.date(2026, 6, 30), datetime.date(2026, 12, 1)),
    Kind.PERIOD: (_SampleMonth(2026, 6), _SampleMonth(2026, 12)),
    Kind.LINE: (1, 4),
    Kind.LINES: ((4,), (4, 7)),
    Kind.TEXT: ("Nordvik Oy", "Kiinteistö Vaara"),
    Kind.CODE: ("4000", "7010"),
    Kind.NAMES: (("Kustannuspaikka",), ("Kustannuspaikka", "Projekti")),
    Kind.TECHNICAL: ("HTTP 503", "ERROR_X_Y"),
}
"""Sample values per kind, for the catalogue test and ``docs/errors.md`` (no English words in them)."""


def sample(kind: ParamKind, several: bool) -> object:
    """A sample value of ``kind``; a term's sample is the first key of its table."""
    if isinstance(kind, Term):
        keys = list(TERMS[kind.table])
        return keys[min(1, len(keys) - 1)] if several else keys[0]
    return SAMPLES[kind][1 if several else 0]
