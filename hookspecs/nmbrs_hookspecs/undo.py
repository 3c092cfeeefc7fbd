"""Taking a sent run back: the types of the undo preview and the undo.

An undo acts on what the booking ledger says is booked for the run: each of its live receipts is
invalidated in the accounting system, all or nothing where the accounting system allows it, and
afterwards the run can be sent again as new. The preview is the confirmation the admin reads
first: every receipt, its period, and whether the accounting system will let it go.

All types are frozen and check themselves, like :mod:`nmbrs_hookspecs.types`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from nmbrs_hookspecs.types import Period, Problem

UNDO_STATUSES: Final = ("undone", "partially_undone", "nothing_to_undo", "failed", "blocked")
"""``undone``: every receipt of the run is invalidated now. ``partially_undone``: some are, the undo
stopped (an outage) and undoing again finishes it. ``nothing_to_undo``: nothing of the run is booked.
``failed``: nothing was invalidated because the accounting system was unavailable (try again later).
``blocked``: nothing was invalidated because something must be fixed first (a closed period, rights)."""


class UndoState(StrEnum):
    """Where one receipt of the run stands, before (preview) or after (undo) taking the run back."""

    WILL_INVALIDATE = "will_invalidate"
    """Preview: booked, in an open period; the undo will invalidate it."""
    INVALIDATED = "invalidated"
    """Undo: invalidated by this undo."""
    ALREADY_INVALIDATED = "already_invalidated"
    """Invalidated before (by hand in the accounting system, or by an earlier undo): counts as undone."""
    PERIOD_CLOSED = "period_closed"
    """Its period is not open, so the accounting system will not let it go; nothing is invalidated."""
    MISSING = "missing"
    """The ledger names it, but the accounting system does not have it; nothing is invalidated."""
    STILL_BOOKED = "still_booked"
    """Undo: left booked, because the undo stopped before reaching it (see the problems)."""


@dataclass(frozen=True)
class UndoReceipt:
    """One receipt of the run: period, the accounting system's id, date, name, total, and its state."""

    period: Period
    external_id: str
    receipt_date: date
    name: str
    total: Decimal
    state: UndoState

    def __post_init__(self) -> None:
        if not isinstance(self.period, Period):
            raise TypeError(f"UndoReceipt.period={self.period!r}: expected Period")
        if not isinstance(self.external_id, str) or not self.external_id.strip():
            raise ValueError(f"UndoReceipt.external_id={self.external_id!r}: must be non-empty text")
        if not isinstance(self.receipt_date, date):
            raise TypeError(f"UndoReceipt.receipt_date={self.receipt_date!r}: expected date")
        if not isinstance(self.name, str):
            raise TypeError(f"UndoReceipt.name={self.name!r}: expected str")
        if isinstance(self.total, float) or not isinstance(self.total, Decimal) or not self.total.is_finite():
            raise TypeError(f"UndoReceipt.total={self.total!r}: expected a finite Decimal")
        object.__setattr__(self, "state", UndoState(self.state))


def _checked(type_name: str, receipts: object, problems: object) -> None:
    if not isinstance(receipts, tuple) or not all(isinstance(r, UndoReceipt) for r in receipts):
        raise TypeError(f"{type_name}.receipts={receipts!r}: expected a tuple of UndoReceipt")
    if not isinstance(problems, tuple) or not all(isinstance(p, Problem) for p in problems):
        raise TypeError(f"{type_name}.problems={problems!r}: expected a tuple of Problem")


@dataclass(frozen=True)
class UndoPlan:
    """What undoing the run would do, without doing it: every receipt with its state, and the problems.

    A blocking problem (a closed period, a receipt the accounting system does not have, missing
    rights) means the undo would invalidate nothing.
    """

    receipts: tuple[UndoReceipt, ...]
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        _checked("UndoPlan", self.receipts, self.problems)

    @property
    def possible(self) -> bool:
        """True when the undo would invalidate something and nothing stops it."""
        return any(r.state is UndoState.WILL_INVALIDATE for r in self.receipts) and not any(
            p.blocking for p in self.problems
        )


@dataclass(frozen=True)
class UndoResult:
    """The outcome of an undo: its status (:data:`UNDO_STATUSES`), each receipt's state, the problems."""

    status: str
    receipts: tuple[UndoReceipt, ...] = ()
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in UNDO_STATUSES:
            raise ValueError(f"UndoResult.status={self.status!r}: must be one of {', '.join(UNDO_STATUSES)}")
        _checked("UndoResult", self.receipts, self.problems)
        blocking = any(p.blocking for p in self.problems)
        if self.status in ("undone", "nothing_to_undo") and blocking:
            raise ValueError(f"UndoResult.status={self.status!r}: cannot carry blocking problems")
        if self.status in ("partially_undone", "failed", "blocked") and not blocking:
            raise ValueError(f"UndoResult.problems=(): status {self.status} needs a problem saying why")
        if self.status == "undone" and any(
            r.state not in (UndoState.INVALIDATED, UndoState.ALREADY_INVALIDATED) for r in self.receipts
        ):
            raise ValueError("UndoResult.status='undone': every receipt must be invalidated")
