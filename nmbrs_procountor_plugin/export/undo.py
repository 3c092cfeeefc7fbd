"""Taking a sent run back: invalidate its receipts in Procountor, all or nothing where Procountor allows.

Procountor lets a JOURNAL receipt be invalidated "only if its fiscal year and accounting period
are open" (``PUT /ledgerreceipts/{id}/invalidate``, docs/procountor-api.md §3). The undo acts on
what the booking ledger says is booked for the run, in this order:

1. gates: the actor's write right, a stored authorization, the saved mapping;
2. three reads: the Procountor user's rights, the run's receipts (one batch GET), the fiscal
   years; each receipt gets a :class:`~nmbrs_hookspecs.undo.UndoState`;
3. if any receipt's period is not open (or Procountor does not have the receipt, or the user may
   not invalidate), nothing is invalidated: the problem names the period and what to do;
4. otherwise each live receipt is invalidated, earliest period first, and each success is recorded
   in the ledger at once (the period then counts as not booked, so the run can be sent again).

It is safe under faults and repeats like the export. A receipt found ``INVALIDATED`` (by hand, or
by an earlier undo whose answer was lost) counts as undone and is not sent again. After a lost or
refused answer the receipt is read back: ``INVALIDATED`` means the PUT did land. An undo that
stops halfway answers ``partially_undone`` and the next one finishes it. The whole action holds
the run's export lease, so an export and an undo of one run never interleave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from nmbrs_hookspecs.booking import AttemptKind, BookingRecord, BookingState, RunKey
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    HostCompany,
    IntegrationAccount,
    Journal,
    Period,
    Problem,
)
from nmbrs_hookspecs.undo import UndoPlan, UndoReceipt, UndoResult, UndoState
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.connection import open_client, stored_record
from nmbrs_procountor_plugin.api.errors import (
    ProcountorApiError,
    ProcountorError,
    ProcountorUnavailable,
)
from nmbrs_procountor_plugin.api.payloads import LedgerReceipt
from nmbrs_procountor_plugin.export.attempts import AttemptRecorder
from nmbrs_procountor_plugin.export.lease import run_lease
from nmbrs_procountor_plugin.export.ledger import run_key
from nmbrs_procountor_plugin.export.preflight import FiscalYear, parse_fiscal_years
from nmbrs_procountor_plugin.export.refusals import problems_for, support_code
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.messages.terms import TERMS
from nmbrs_procountor_plugin.rights import require_write

INVALIDATED: Final = "INVALIDATED"
OPEN: Final = "OPEN"


@dataclass(frozen=True)
class Survey:
    """What Procountor says now about each booked receipt of the run, and what stops the undo."""

    receipts: tuple[tuple[BookingRecord, UndoReceipt], ...]
    problems: tuple[Problem, ...]

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)


def _gates(
    account: IntegrationAccount, mapping: AdministrationMapping, company: HostCompany, actor: Actor, host: PluginHost
) -> list[Problem]:
    """Every reason the undo may not even read Procountor: rights, authorization, mapping."""
    locale = actor.locale
    problems: list[Problem] = []
    try:
        require_write(actor, "undo")
    except ProblemError as refused:
        problems.extend(refused.problems)
    authorized: str | None = None
    try:
        authorized = stored_record(account, host, locale).company_id
    except ProblemError as unauthorized:
        problems.extend(unauthorized.problems)
    saved = [m for m in host.mappings.for_account(account.id) if m.company_id == company.id]
    if (
        not saved
        or mapping.account_id != account.id
        or saved[0].administration_id != mapping.administration_id
        or (authorized is not None and mapping.administration_id != authorized)
    ):
        problems.append(problem("procountor.export.not_mapped", locale, company=company.name, field="mapping"))
    return problems


def period_status(day: date, years: Sequence[FiscalYear]) -> str:
    """``OPEN``, ``PENDING`` or ``CLOSED`` for the receipt date (a closed fiscal year closes all)."""
    year = next((fy for fy in years if fy.start <= day <= fy.end), None)
    if year is None or not year.is_open:
        return "CLOSED"
    period = next((tp for tp in year.periods if tp.start <= day <= tp.end), None)
    return period.status if period is not None else OPEN


def _about(external_id: str, period: Period, code: str, locale: str | None, detail: str | None = None) -> Problem:
    """A problem about one receipt of the run, naming its period and Procountor id (``detail``: a
    support code of Procountor's answer, :func:`~.refusals.support_code`)."""
    field = f"receipts[{period}]"
    if detail is None:
        return problem(code, locale, field=field, period=period, id=external_id)
    return problem(code, locale, field=field, period=period, id=external_id, detail=detail)


def _undo_receipt(record: BookingRecord, state: UndoState) -> UndoReceipt:
    receipt = record.receipt
    assert receipt is not None  # booked and invalidated records carry their receipt
    return UndoReceipt(record.period, receipt.external_id, receipt.receipt_date, receipt.name, receipt.total, state)


def _read_receipts(client: ProcountorClient, ids: Sequence[str]) -> dict[str, LedgerReceipt]:
    """The receipts Procountor has of ``ids`` (a batch read answers 404 when it has none of them)."""
    try:
        found = client.ledger_receipts(ids)
    except ProcountorApiError as error:
        if error.status == 404:
            return {}
        raise
    return {str(r.get("id")): r for r in found}


def survey(client: ProcountorClient, records: Sequence[BookingRecord], locale: str | None) -> Survey:
    """Read rights, receipts and fiscal years, and say per receipt whether Procountor lets it go."""
    booked = [r for r in records if r.state is BookingState.BOOKED]
    earlier = [
        (r, _undo_receipt(r, UndoState.ALREADY_INVALIDATED)) for r in records if r.state is BookingState.INVALIDATED
    ]
    if not booked:
        return Survey(tuple(earlier), ())
    problems: list[Problem] = []
    rights = (client.user_rights().get("rights") or {}).get("accounting") or {}
    level = str(rights.get("journalReceipts") or "NO_ACCESS")
    if level != "ALL_RIGHTS":
        shown = level if level in TERMS["right_level"] else "UNKNOWN"
        problems.append(problem("procountor.undo.rights", locale, level=shown, field="procountor.user"))
    found = _read_receipts(client, [r.receipt.external_id for r in booked if r.receipt is not None])
    years = parse_fiscal_years(client.fiscal_years())
    surveyed: list[tuple[BookingRecord, UndoReceipt]] = []
    for record in booked:
        assert record.receipt is not None
        there = found.get(record.receipt.external_id)
        if there is None:
            state = UndoState.MISSING
            problems.append(
                _about(record.receipt.external_id, record.period, "procountor.undo.receipt_missing", locale)
            )
        elif there.get("status") == INVALIDATED:
            state = UndoState.ALREADY_INVALIDATED
            problems.append(
                _about(record.receipt.external_id, record.period, "procountor.undo.already_invalidated", locale)
            )
        else:
            status = period_status(record.receipt.receipt_date, years)
            if status == OPEN:
                state = UndoState.WILL_INVALIDATE
            else:
                state = UndoState.PERIOD_CLOSED
                code = "procountor.undo.period_pending" if status == "PENDING" else "procountor.undo.period_closed"
                problems.append(_about(record.receipt.external_id, record.period, code, locale))
        surveyed.append((record, _undo_receipt(record, state)))
    everything = sorted([*earlier, *surveyed], key=lambda pair: pair[0].period)
    return Survey(tuple(everything), tuple(problems))


def preview_undo(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> UndoPlan:
    """Every receipt the undo would take back and whether Procountor lets it go; writes nothing."""
    gates = _gates(account, mapping, company, actor, host)
    if gates:
        return UndoPlan((), tuple(gates))
    records = host.ledger.records(run_key(account, journal))
    if not any(r.state is not BookingState.INTENDED for r in records):
        return UndoPlan((), (problem("procountor.undo.nothing_booked", actor.locale, field="journal"),))
    try:
        found = survey(open_client(account, host, actor.locale), records, actor.locale)
    except ProblemError as failed:
        return UndoPlan((), tuple(failed.problems))
    except ProcountorError as error:
        return UndoPlan((), tuple(problems_for(error, None, actor.locale, account.username)))
    return UndoPlan(tuple(r for _, r in found.receipts), found.problems)


class _Undo:
    """One undo attempt: invalidates, records each success in the ledger, and counts its calls."""

    def __init__(self, client: ProcountorClient, host: PluginHost, run: RunKey, locale: str | None) -> None:
        self.client = client
        self.host = host
        self.run = run
        self.locale = locale

    def _landed(self, external_id: str) -> bool:
        """After a lost or refused answer: is the receipt invalidated now?"""
        try:
            return _read_receipts(self.client, [external_id]).get(external_id, {}).get("status") == INVALIDATED
        except ProcountorError:
            return False

    def invalidate(
        self, record: BookingRecord, receipt: UndoReceipt, username: str
    ) -> tuple[UndoReceipt, list[Problem]]:
        """Invalidate one receipt; its new state, or the problems that stopped it."""
        try:
            self.client.invalidate_ledger_receipt(receipt.external_id)
        except ProcountorUnavailable as lost:
            if not self._landed(receipt.external_id):
                return receipt, problems_for(lost, None, self.locale, username)
        except ProcountorApiError as refused:
            if not self._landed(receipt.external_id):
                return receipt, [
                    _about(
                        receipt.external_id,
                        receipt.period,
                        "procountor.undo.refused",
                        self.locale,
                        support_code(refused),
                    )
                ]
        self.record(record)
        return _replace_state(receipt, UndoState.INVALIDATED), []

    def record(self, record: BookingRecord) -> None:
        assert record.receipt is not None
        self.host.ledger.mark_invalidated(self.run, record.period, record.receipt.external_id)


def _replace_state(receipt: UndoReceipt, state: UndoState) -> UndoReceipt:
    return UndoReceipt(receipt.period, receipt.external_id, receipt.receipt_date, receipt.name, receipt.total, state)


def _undo_all(undo: _Undo, found: Survey, username: str) -> UndoResult:
    """Invalidate every live receipt in period order; stop at the first that cannot be."""
    problems = [p for p in found.problems if not p.blocking]
    states: list[UndoReceipt] = []
    for index, (record, receipt) in enumerate(found.receipts):
        if receipt.state is UndoState.ALREADY_INVALIDATED:
            if record.state is BookingState.BOOKED:
                undo.record(record)  # invalidated by hand: the ledger learns it, Procountor is left alone
            states.append(receipt)
            continue
        result, trouble = undo.invalidate(record, receipt, username)
        if trouble:
            problems.extend(trouble)
            rest = [
                _replace_state(r, UndoState.STILL_BOOKED) if r.state is UndoState.WILL_INVALIDATE else r
                for _, r in found.receipts[index:]
            ]
            return _stopped([*states, *rest], problems, undo.locale)
        states.append(result)
    return UndoResult("undone", tuple(states), tuple(problems))


def _stopped(receipts: list[UndoReceipt], problems: list[Problem], locale: str | None) -> UndoResult:
    undone = sum(r.state in (UndoState.INVALIDATED, UndoState.ALREADY_INVALIDATED) for r in receipts)
    if not undone:
        refused = any(p.code == "procountor.undo.refused" for p in problems)
        return UndoResult("blocked" if refused else "failed", tuple(receipts), tuple(problems))
    problems.append(problem("procountor.undo.incomplete", locale, done=undone, total=len(receipts), field="journal"))
    return UndoResult("partially_undone", tuple(receipts), tuple(problems))


def undo(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> UndoResult:
    """Take the run back (see the module docstring); records the attempt in the host's history."""
    recorder = AttemptRecorder(host, run_key(account, journal), AttemptKind.UNDO, actor)
    answer = _undo(account, mapping, company, journal, actor, host, recorder)
    recorder.finish(answer.status, answer.problems)
    return answer


def _undo(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    recorder: AttemptRecorder,
) -> UndoResult:
    locale = actor.locale
    gates = _gates(account, mapping, company, actor, host)
    if gates:
        return UndoResult("blocked", (), tuple(gates))
    with run_lease(host, account, company, journal) as owner:
        if owner is None:
            return UndoResult("failed", (), (problem("procountor.undo.in_progress", locale, field="journal"),))
        records = host.ledger.records(recorder.run)
        if not any(r.state is not BookingState.INTENDED for r in records):
            nothing = problem("procountor.undo.nothing_booked", locale, field="journal")
            return UndoResult("nothing_to_undo", (), (nothing,))
        try:
            client = recorder.client = open_client(account, host, locale)
            found = survey(client, records, locale)
            if found.blocking:
                return UndoResult("blocked", tuple(r for _, r in found.receipts), found.problems)
            return _undo_all(_Undo(client, host, recorder.run, locale), found, account.username)
        except ProblemError as failed:
            return UndoResult("failed", (), tuple(failed.problems))
        except ProcountorError as error:
            return UndoResult("failed", (), tuple(problems_for(error, None, locale, account.username)))
