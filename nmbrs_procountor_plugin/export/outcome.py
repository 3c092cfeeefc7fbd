"""The status of one export attempt: sent, already sent, partially sent, blocked or failed.

``blocked``: nothing booked because something must be fixed first (rights, company, data,
mapping, periods), found before sending or in Procountor's refusal of the first POST: sending
again changes nothing until it is. ``failed``: nothing was booked by this attempt because of
something a later try gets past (Procountor unavailable or answering unexpectedly, the rate
limit, an answer lost, a renewal still running elsewhere): try again later. ``partially_sent``:
this attempt booked some periods and then stopped. What the run as a whole has booked is the
host's sent status, derived from the ledger, not this answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from nmbrs_hookspecs.types import ExportResult, ExportStatus, Problem, SentReceipt

# Problems that say "try again later", not "fix something first".
TRY_LATER: Final = frozenset(
    {
        "procountor.unavailable",
        "procountor.rate_limited",
        "procountor.unexpected_response",
        "procountor.export.in_progress",
        "procountor.export.outcome_unknown",
        # The authorization itself still works: another worker's renewal ran long, or Procountor
        # refused a token it had just issued. Both messages say to try again in a minute.
        "procountor.auth.refresh_busy",
        "procountor.auth.token_not_accepted",
    }
)


def blocking(problems: Sequence[Problem]) -> bool:
    return any(p.blocking for p in problems)


def status_of(problems: Sequence[Problem], *, new: int) -> ExportStatus:
    """The attempt's status from its problems and the number of receipts it booked.

    Whether a POST was tried does not decide it: a POST Procountor refused (a missing right, a
    field it will not take, an authorization that ended) booked nothing and needs a fix, so it is
    ``blocked`` like a problem found before sending; only a stop that a later try can get past
    (an outage, the rate limit, an answer that may still land) is ``failed``.
    """
    stoppers = [p for p in problems if p.blocking]
    if not stoppers:
        return "sent" if new else "already_sent"
    if new:
        return "partially_sent"
    if all(p.code in TRY_LATER for p in stoppers):
        return "failed"
    return "blocked"


def result(receipts: Sequence[SentReceipt], problems: Sequence[Problem], *, new: int) -> ExportResult:
    """The attempt's answer; ``receipts`` are every booked receipt of the run it knows, earliest first."""
    ordered = tuple(sorted(receipts, key=lambda r: r.period))
    return ExportResult(status_of(problems, new=new), ordered, tuple(problems))
