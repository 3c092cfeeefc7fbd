"""Validation of the inbound journal before anything is planned or sent.

The host's :class:`~nmbrs_hookspecs.types.Journal` is already shape-checked (Decimal amounts, never
float; Period objects). What is left are the business rules, which must be reported as problems
naming the line, all at once, so an admin fixes the payroll in one go:

* the reference is present and fits Procountor's 80-character ``name`` (counted as sent, i.e.
  after the Windows-1252 replacements of :mod:`nmbrs_procountor_plugin.export.text`);
* every line has a ledger account;
* every amount has at most two decimals. **Decimals rule**: the amount's *exact value* must be a
  whole number of cents; trailing zeros do not count. ``10.50`` and ``10.500`` (both 10.5) are
  accepted and sent as ``10.50``; ``10.005`` is refused. Nothing is ever rounded: marshmallow's
  ``places=`` would round 10.005 with HALF_EVEN to 10.00 and quietly unbalance the journal. The
  check reads the digits (``as_tuple``) instead of ``normalize()``, which would round values with
  more than 28 significant digits under the default context;
* amounts stay below 10^13 (ten thousand billion): nothing in a payroll is that large, and the
  bound keeps every sum and quantize exact and every value exact even for a JSON reader that
  parses numbers as doubles;
* no line is booked in a period after the run's own period (corrections go backwards only).

Zero-amount lines are left out before the checks: nothing of them reaches Procountor, so a
missing account on a 0.00 line is not worth stopping an export for. One info problem lists them.
Texts that will be adjusted for Procountor (characters replaced, descriptions cut) are reported as
one info problem per journal, computed with the same function that planning uses.

The rules are written twice on purpose, with one verdict. A plain-code check accepts a line only
when every rule clearly holds (a few hundred nanoseconds a line: a 100,000-line journal is planned
in a fraction of its sending time); the lines it does not accept, and only those, go through the
marshmallow schemas in one ``load(many=True)``. The schemas word the problems (validators raise
the problem *code* as their message and :func:`validate_journal` turns the error dict into
localised problems with the line number and value) and have the last word: a line the schema
accepts is booked, so a plain check stricter than the schema costs time, never a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from marshmallow import Schema, ValidationError, fields, validates

from nmbrs_hookspecs.types import Journal, JournalLine, Period, Problem
from nmbrs_procountor_plugin.export.amounts import cents_text, exact_cents_text, whole_cents
from nmbrs_procountor_plugin.export.hot_loop import collector_paused
from nmbrs_procountor_plugin.export.text import DESCRIPTION_LIMIT, NAME_LIMIT, cp1252_safe, safe_description
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, ValidatedLines
from nmbrs_procountor_plugin.messages import problem

AMOUNT_LIMIT: Final = Decimal(10) ** 13
"""Amounts must be strictly smaller than this in absolute value."""

_NEGATIVE_LIMIT: Final = -AMOUNT_LIMIT
_ZERO: Final = Decimal(0)


REFERENCE_MISSING: Final = "procountor.journal.reference_missing"
REFERENCE_TOO_LONG: Final = "procountor.journal.reference_too_long"
BOOKING_DATE_OUTSIDE_PERIOD: Final = "procountor.journal.booking_date_outside_period"
REFERENCE_ADJUSTED: Final = "procountor.journal.reference_adjusted"
ACCOUNT_MISSING: Final = "procountor.journal.account_missing"
AMOUNT_DECIMALS: Final = "procountor.journal.amount_decimals"
AMOUNT_TOO_LARGE: Final = "procountor.journal.amount_too_large"
PERIOD_AFTER_RUN: Final = "procountor.journal.period_after_run"
LINE_INVALID: Final = "procountor.journal.line_invalid"
EMPTY: Final = "procountor.journal.empty"
ZERO_LINES_SKIPPED: Final = "procountor.journal.zero_lines_skipped"
TEXT_ADJUSTED: Final = "procountor.journal.text_adjusted"

_LINE_CODES: Final = frozenset({ACCOUNT_MISSING, AMOUNT_DECIMALS, AMOUNT_TOO_LARGE, PERIOD_AFTER_RUN})


@dataclass(frozen=True)
class JournalCheck:
    """The outcome of :func:`validate_journal`.

    ``lines`` are the lines to book (non-zero and valid), in journal order; ``problems`` are the
    blocking errors and the info notes, reference first, then by line.
    """

    lines: ValidatedLines
    problems: tuple[Problem, ...]

    @property
    def blocking(self) -> bool:
        """True when an error stops the export (info notes do not)."""
        return any(p.blocking for p in self.problems)


# --------------------------------------------------------------------------- schemas


class ExactAmount(fields.Decimal):
    """A Decimal field that never rounds: no ``places``; >2 decimals and absurd sizes are errors."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Decimal:
        if isinstance(value, float):  # str(float) would make up digits the host never had
            raise ValidationError("a float is not an exact amount")
        number = super()._deserialize(value, attr, data, **kwargs)
        assert isinstance(number, Decimal)
        if not whole_cents(number):
            raise ValidationError(AMOUNT_DECIMALS)
        if abs(number) >= AMOUNT_LIMIT:
            raise ValidationError(AMOUNT_TOO_LARGE)
        return number


class PeriodField(fields.Field[Period]):
    """A booking period: a :class:`Period`, or its ``YYYY-MM`` text."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Period:
        if isinstance(value, Period):
            return value
        if isinstance(value, str):
            try:
                return Period.parse(value)
            except ValueError as error:
                raise ValidationError("expected a period YYYY-MM") from error
        raise ValidationError("expected a period YYYY-MM")


class JournalHeaderSchema(Schema):
    """The journal's own fields that Procountor sees: the reference becomes every receipt's name."""

    reference = fields.String(required=True)

    @validates("reference")
    def _reference(self, value: str, **kwargs: Any) -> None:
        if not value.strip():
            raise ValidationError(REFERENCE_MISSING)
        sent, _ = cp1252_safe(value)
        if max(len(value), len(sent)) > NAME_LIMIT:
            raise ValidationError(REFERENCE_TOO_LONG)


class JournalLineSchema(Schema):
    """One journal line; built per journal because the period rule needs the run's period.

    (marshmallow 4 removed ``context``; a constructor argument is the plain replacement.)
    """

    ledger_account = fields.String(required=True)
    amount = ExactAmount(required=True)
    description = fields.String(required=True)
    period = PeriodField(required=True)
    cost_center = fields.String(allow_none=True, load_default=None)
    cost_unit = fields.String(allow_none=True, load_default=None)

    def __init__(self, run_period: Period, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run_period = run_period

    @validates("ledger_account")
    def _account(self, value: str, **kwargs: Any) -> None:
        if not value.strip():
            raise ValidationError(ACCOUNT_MISSING)

    @validates("period")
    def _period(self, value: Period, **kwargs: Any) -> None:
        if value > self.run_period:
            raise ValidationError(PERIOD_AFTER_RUN)


RULED_FIELDS: Final = ("ledger_account", "amount", "period")
"""The line fields that carry a business rule. :func:`validate_journal` loads only these: the
others (description, cost codes) are already shape-checked by the host's JournalLine, and loading
them too costs ~40% more time at 10,000 lines (see ``benchmarks/bench_planning.py``)."""


def _as_data(line: JournalLine) -> dict[str, Any]:
    return {"ledger_account": line.ledger_account, "amount": line.amount, "period": line.period}


# --------------------------------------------------------------------------- problems


def line_numbers(indexes: Iterable[int]) -> tuple[int, ...]:
    """Human line numbers (the first line is 1); the message lists them in the admin's language."""
    return tuple(i + 1 for i in indexes)


def _messages(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    return [str(value)]


def _line_problem(journal: Journal, index: int, name: str, message: str, locale: str | None) -> Problem:
    value = journal.lines[index]
    line, amount, field = index + 1, value.amount, f"lines[{index}].{name}"
    if message == PERIOD_AFTER_RUN:
        return problem(
            message, locale, field=field, line=line, amount=amount, period=value.period, run_period=journal.period
        )
    if message == AMOUNT_TOO_LARGE:
        return problem(message, locale, field=field, line=line, amount=amount, limit=AMOUNT_LIMIT)
    if message in _LINE_CODES:
        return problem(message, locale, field=field, line=line, amount=amount)
    # A rule without a code of its own: the field is named, marshmallow's English text is not shown.
    return problem(LINE_INVALID, locale, field=field, line=line, field_name=name)


def _header_problems(journal: Journal, locale: str | None) -> list[Problem]:
    try:
        JournalHeaderSchema().load({"reference": journal.reference})
    except ValidationError as error:
        found: list[Problem] = []
        for message in _messages(error.messages):
            if message == REFERENCE_TOO_LONG:
                sent, _ = cp1252_safe(journal.reference)
                found.append(
                    problem(
                        message,
                        locale,
                        field="reference",
                        reference=journal.reference,
                        length=max(len(journal.reference), len(sent)),
                        limit=NAME_LIMIT,
                    )
                )
            else:
                found.append(problem(REFERENCE_MISSING, locale, field="reference"))
        return found
    sent, changed = cp1252_safe(journal.reference)
    if changed:
        return [
            problem(
                REFERENCE_ADJUSTED, locale, field="reference", severity="info", reference=journal.reference, sent=sent
            )
        ]
    return []


class _PlainLineCheck:
    """The line rules in plain code: an answer only for a line marshmallow would accept as it is.

    Most lines of a real journal are valid, so they are checked here at a few hundred nanoseconds
    each; only the lines this check does not accept go through :class:`JournalLineSchema`, which
    words their problems exactly as before (it stays the single source of the wording, and of the
    final verdict: a line it accepts is booked even if this check was too strict about it).
    """

    def __init__(self, run_period: Period) -> None:
        self._last_month = (run_period.year, run_period.month)

    def __call__(self, line: JournalLine) -> str | None:
        """The line's amount with exactly two decimals when every rule holds, else None."""
        account = line.ledger_account
        if type(account) is not str or not account.strip():
            return None
        amount = line.amount
        if type(amount) is not Decimal:
            return None
        text = cents_text(amount)
        if text is None and (not amount.is_finite() or not whole_cents(amount)):
            return None  # before any comparison: comparing a NaN raises
        if not _NEGATIVE_LIMIT < amount < AMOUNT_LIMIT:
            return None
        if text is None:
            text = exact_cents_text(amount)  # whole cents below the limit: exact
        period = line.period
        # compared as (year, month): the Period dataclass's comparison is a Python call per line
        if type(period) is Period and (period.year, period.month) <= self._last_month:
            return text
        return None


def _by_index(item: IndexedLine) -> int:
    return item.index


def _worded_problems(
    journal: Journal, suspect: list[int], locale: str | None, problems: list[Problem]
) -> list[IndexedLine]:
    """Run the schema over the ``suspect`` lines: add their problems, return those it accepts."""
    errors: dict[int, dict[str, list[str]]] = {}
    schema = JournalLineSchema(journal.period, many=True, only=RULED_FIELDS)
    try:
        schema.load([_as_data(journal.lines[i]) for i in suspect])
    except ValidationError as error:
        raw = error.messages if isinstance(error.messages, dict) else {}
        for position, by_field in raw.items():
            if isinstance(position, int) and isinstance(by_field, dict):
                errors[suspect[position]] = {name: _messages(found) for name, found in by_field.items()}
    accepted: list[IndexedLine] = []
    for index in suspect:
        if index in errors:
            for name, messages in errors[index].items():
                problems.extend(_line_problem(journal, index, name, message, locale) for message in messages)
        else:
            accepted.append(IndexedLine(index, journal.lines[index]))
    return accepted


def validate_journal(journal: Journal, locale: str | None) -> JournalCheck:
    """Check ``journal`` against every rule at once; see the module docstring for the rules.

    Pure: no I/O. The returned ``lines`` are what :func:`~nmbrs_procountor_plugin.export.planning.build_receipts`
    books; when ``problems`` has a blocking one, the caller must not send.
    """
    problems = _header_problems(journal, locale)
    if not journal.period.contains(journal.booking_date):
        # The run's own receipt is dated on the booking date; outside the run's month it would land
        # in another tracking period than the one the run belongs to.
        problems.append(
            problem(
                BOOKING_DATE_OUTSIDE_PERIOD,
                locale,
                field="booking_date",
                date=journal.booking_date,
                period=journal.period,
            )
        )

    zero: list[int] = []
    suspect: list[int] = []
    # the accepted lines, as the three columns of ValidatedLines (no object per line)
    good_indexes: list[int] = []
    good_lines: list[JournalLine] = []
    good_texts: list[str] = []
    adjusted: list[int] = []  # lines whose description Procountor gets adjusted
    lines = journal.lines
    # Whether Procountor gets each distinct description adjusted, looked up per line without a call.
    adjusts: dict[str, bool] = {}
    with collector_paused():
        plain_ok = _PlainLineCheck(journal.period)
        for index, line in enumerate(lines):
            if line.amount == _ZERO:  # a Decimal: compared without converting an int per line
                zero.append(index)
                continue
            amount_text = plain_ok(line)
            if amount_text is not None:
                good_indexes.append(index)
                good_lines.append(line)
                good_texts.append(amount_text)
                description = line.description
                changed = adjusts.get(description)
                if changed is None:
                    changed = adjusts[description] = safe_description(description).changed
                if changed:
                    adjusted.append(index)
            else:
                suspect.append(index)
        good = ValidatedLines(tuple(good_indexes), tuple(good_lines), tuple(good_texts))
        if suspect:
            accepted = _worded_problems(journal, suspect, locale, problems)
            good = ValidatedLines.of(sorted([*good, *accepted], key=_by_index))
            adjusted.extend(item.index for item in accepted if safe_description(item.line.description).changed)
            adjusted.sort()

    if len(zero) == len(lines):  # nothing but zero lines, or no lines at all
        problems.append(problem(EMPTY, locale, field="lines"))
    if zero:
        problems.append(problem(ZERO_LINES_SKIPPED, locale, field="lines", count=len(zero), lines=line_numbers(zero)))
    if adjusted:
        problems.append(
            problem(TEXT_ADJUSTED, locale, field="lines", lines=line_numbers(adjusted), limit=DESCRIPTION_LIMIT)
        )
    return JournalCheck(lines=good, problems=tuple(problems))
