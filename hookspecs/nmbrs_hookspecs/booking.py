"""What was booked and what was tried: the types of the booking ledger and the attempt history.

The host keeps, per run (account + host company + run id), one :class:`BookingRecord` per period:
the *intent* written before the plugin sends that period, and the accounting system's receipt
(id, date, name, row digest) written after. This ledger, not a search in the accounting system,
is the first answer to "what of this run is booked", so a renamed reference, a moved booking date
or reordered lines never book a period twice.

Apart from it the host keeps every preview and export as an :class:`Attempt`. The sent status
the admin sees (:class:`SentStatus`) is derived from the ledger alone, so no later failed or
blocked attempt can make a booked run look unsent; the attempts are the audit trail and the
"errors" section next to it.

All types are frozen and check themselves, like :mod:`nmbrs_hookspecs.types`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from nmbrs_hookspecs.types import EXPORT_STATUSES, Period, Problem, SentReceipt

_DIGEST: Final = re.compile(r"^[0-9a-f]{16,128}$")


def _fail(type_name: str, field_name: str, value: object, why: str) -> ValueError:
    return ValueError(f"{type_name}.{field_name}={value!r}: {why}")


def _text(type_name: str, field_name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip():
        raise _fail(type_name, field_name, value, "must be non-empty text")


def _instance(type_name: str, field_name: str, value: object, expected: type, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    # bool is an int subclass and int is accepted where a float (a time) is expected.
    accepted: tuple[type, ...] = (int, float) if expected is float else (expected,)
    if not isinstance(value, accepted) or (isinstance(value, bool) and expected is not bool):
        raise TypeError(f"{type_name}.{field_name}={value!r}: expected {expected.__name__}")


def _member(type_name: str, field_name: str, value: object, choices: type[StrEnum]) -> Any:
    options = ", ".join(c.value for c in choices)
    if not isinstance(value, str) or value not in {c.value for c in choices}:
        raise _fail(type_name, field_name, value, f"must be one of {options}")
    return choices(value)


class BookingState(StrEnum):
    """Where one period of a run stands in the ledger.

    ``intended``: the plugin is about to send (or sent and lost the answer); whether it landed is
    unknown until the plugin looks. ``booked``: the accounting system holds the receipt named in
    the record. ``invalidated``: the receipt was booked and later invalidated (an undo, or found
    invalidated by a later send); the period counts as not booked and may be booked again.
    """

    INTENDED = "intended"
    BOOKED = "booked"
    INVALIDATED = "invalidated"


class AttemptKind(StrEnum):
    """What an attempt was: a preview (reads only), an export, or an undo of a sent run."""

    PREVIEW = "preview"
    EXPORT = "export"
    UNDO = "undo"


ATTEMPT_OUTCOMES: Final = (*EXPORT_STATUSES, "previewed", "undone", "partially_undone", "nothing_to_undo")


@dataclass(frozen=True)
class RunKey:
    """The identity of a run in the ledger: account + host company + run id.

    Not the reference, the booking date or the lines: those may change, the run stays the run.
    """

    account_id: str
    company_id: str
    run_id: str

    def __post_init__(self) -> None:
        _text("RunKey", "account_id", self.account_id)
        _text("RunKey", "company_id", self.company_id)
        _text("RunKey", "run_id", self.run_id)


@dataclass(frozen=True)
class AttachmentRecord:
    """A document attached to a booked receipt (e.g. the period's journal lines as a file).

    ``external_id`` is the accounting system's id of the attachment; ``digest`` (hex) identifies
    the content so a later send can tell whether the same document is already attached.
    """

    external_id: str
    name: str
    digest: str
    recorded_at: float

    def __post_init__(self) -> None:
        _text("AttachmentRecord", "external_id", self.external_id)
        _text("AttachmentRecord", "name", self.name)
        if not isinstance(self.digest, str) or not _DIGEST.match(self.digest):
            raise _fail("AttachmentRecord", "digest", self.digest, "expected 16 to 128 lowercase hex digits")
        _instance("AttachmentRecord", "recorded_at", self.recorded_at, float)


@dataclass(frozen=True)
class BookedReceipt:
    """The accounting system's receipt for one period, as the plugin learned it after sending.

    ``row_digest`` is the digest of the period's rows in the host's terms, independent of line
    order (the plugin computes it; the host only compares it for equality). ``invoice_id`` is the
    id of the receipt's invoice-side record when the accounting system has one (attachments hang
    on it), else ``None``.
    """

    external_id: str
    receipt_date: date
    name: str
    row_digest: str
    total: Decimal
    invoice_id: str | None = None

    def __post_init__(self) -> None:
        _text("BookedReceipt", "external_id", self.external_id)
        _instance("BookedReceipt", "receipt_date", self.receipt_date, date)
        _text("BookedReceipt", "name", self.name)
        if not isinstance(self.row_digest, str) or not _DIGEST.match(self.row_digest):
            raise _fail("BookedReceipt", "row_digest", self.row_digest, "expected 16 to 128 lowercase hex digits")
        if isinstance(self.total, float) or not isinstance(self.total, Decimal) or not self.total.is_finite():
            raise TypeError(f"BookedReceipt.total={self.total!r}: expected a finite Decimal")
        _text("BookedReceipt", "invoice_id", self.invoice_id, optional=True)


@dataclass(frozen=True)
class BookingIntent:
    """What the plugin is about to send for one period, recorded before it sends.

    ``payload_digest`` identifies the exact request body (provider terms), so a receipt that
    landed although the answer was lost can be recognised even where the accounting system drops
    the plugin's own marker; ``attempt_id`` ties the intent to the :class:`Attempt` that made it.
    """

    attempt_id: str
    row_digest: str
    payload_digest: str
    receipt_date: date
    name: str

    def __post_init__(self) -> None:
        _text("BookingIntent", "attempt_id", self.attempt_id)
        for name in ("row_digest", "payload_digest"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _DIGEST.match(value):
                raise _fail("BookingIntent", name, value, "expected 16 to 128 lowercase hex digits")
        _instance("BookingIntent", "receipt_date", self.receipt_date, date)
        _text("BookingIntent", "name", self.name)


@dataclass(frozen=True)
class BookingRecord:
    """One period of one run in the ledger: its state, the last intent, and the receipt if booked.

    ``receipt`` is set for ``booked`` and ``invalidated`` (the receipt that was invalidated) and
    ``None`` for ``intended``. ``intent`` is the last intent recorded (kept after booking, for the
    audit trail). ``attachments`` are the documents recorded on the receipt, oldest first.
    """

    run: RunKey
    period: Period
    state: BookingState
    intent: BookingIntent | None
    receipt: BookedReceipt | None
    updated_at: float
    attachments: tuple[AttachmentRecord, ...] = ()

    def __post_init__(self) -> None:
        _instance("BookingRecord", "run", self.run, RunKey)
        _instance("BookingRecord", "period", self.period, Period)
        object.__setattr__(self, "state", _member("BookingRecord", "state", self.state, BookingState))
        _instance("BookingRecord", "intent", self.intent, BookingIntent, optional=True)
        _instance("BookingRecord", "receipt", self.receipt, BookedReceipt, optional=True)
        if self.state is BookingState.INTENDED and self.intent is None:
            raise _fail("BookingRecord", "intent", None, "an intended period needs its intent")
        if self.state is not BookingState.INTENDED and self.receipt is None:
            raise _fail("BookingRecord", "receipt", None, f"a {self.state} period needs its receipt")
        _instance("BookingRecord", "updated_at", self.updated_at, float)
        if not isinstance(self.attachments, tuple) or not all(
            isinstance(a, AttachmentRecord) for a in self.attachments
        ):
            raise TypeError(f"BookingRecord.attachments={self.attachments!r}: expected a tuple of AttachmentRecord")

    @property
    def booked(self) -> bool:
        return self.state is BookingState.BOOKED


@dataclass(frozen=True)
class Attempt:
    """One preview, export or undo of a run: who, when, what came of it, what it cost.

    ``outcome`` is the status the plugin answered (one of :data:`ATTEMPT_OUTCOMES`), ``requests``
    and ``writes`` the calls it made to the accounting system (writes included in requests).
    """

    attempt_id: str
    run: RunKey
    kind: AttemptKind
    actor_id: str
    started_at: float
    finished_at: float
    outcome: str
    problems: tuple[Problem, ...] = ()
    requests: int = 0
    writes: int = 0

    def __post_init__(self) -> None:
        _text("Attempt", "attempt_id", self.attempt_id)
        _instance("Attempt", "run", self.run, RunKey)
        object.__setattr__(self, "kind", _member("Attempt", "kind", self.kind, AttemptKind))
        _text("Attempt", "actor_id", self.actor_id)
        _instance("Attempt", "started_at", self.started_at, float)
        _instance("Attempt", "finished_at", self.finished_at, float)
        if self.finished_at < self.started_at:
            raise _fail("Attempt", "finished_at", self.finished_at, "must not be before started_at")
        if self.outcome not in ATTEMPT_OUTCOMES:
            raise _fail("Attempt", "outcome", self.outcome, f"must be one of {', '.join(ATTEMPT_OUTCOMES)}")
        if not isinstance(self.problems, tuple) or not all(isinstance(p, Problem) for p in self.problems):
            raise TypeError(f"Attempt.problems={self.problems!r}: expected a tuple of Problem")
        for name in ("requests", "writes"):
            value = getattr(self, name)
            _instance("Attempt", name, value, int)
            if value < 0:
                raise _fail("Attempt", name, value, "must not be negative")
        if self.writes > self.requests:
            raise _fail("Attempt", "writes", self.writes, "cannot exceed requests")


class SentState(StrEnum):
    """What the journal's logo shows, derived from the ledger only."""

    NOT_SENT = "not_sent"
    PARTIALLY_SENT = "partially_sent"
    SENT = "sent"


@dataclass(frozen=True)
class SentStatus:
    """The sent status of a run: booked receipts, periods still missing, and the last attempt.

    ``state`` is ``sent`` when every planned period is booked, ``partially_sent`` when some are,
    ``not_sent`` when none is. ``last_attempt`` is shown beside it (e.g. a failed retry) but never
    changes ``state``.
    """

    state: SentState
    receipts: tuple[SentReceipt, ...]
    missing: tuple[Period, ...]
    last_attempt: Attempt | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _member("SentStatus", "state", self.state, SentState))


def sent_receipt_of(record: BookingRecord) -> SentReceipt:
    """The booked record as the :class:`SentReceipt` the host shows (status from the ledger)."""
    receipt = record.receipt
    if receipt is None or not record.booked:
        raise ValueError(f"BookingRecord for {record.period} is {record.state}, not booked")
    return SentReceipt(
        period=record.period,
        external_id=receipt.external_id,
        receipt_date=receipt.receipt_date,
        name=receipt.name,
        total=receipt.total,
        status="BOOKED",
    )


def derive_sent_status(
    planned: Sequence[Period], records: Iterable[BookingRecord], last_attempt: Attempt | None = None
) -> SentStatus:
    """The sent status from the ledger: booked periods against the periods the run plans.

    A booked period that the latest plan no longer lists (a correction later removed) still
    counts as booked: what is in the books is shown, never less.
    """
    booked = sorted((r for r in records if r.booked), key=lambda r: r.period)
    booked_periods = {r.period for r in booked}
    missing = tuple(sorted(p for p in set(planned) if p not in booked_periods))
    if not booked:
        state = SentState.NOT_SENT
    elif missing:
        state = SentState.PARTIALLY_SENT
    else:
        state = SentState.SENT
    return SentStatus(state, tuple(sent_receipt_of(r) for r in booked), missing, last_attempt)
