"""The journal export: host types -> plan -> receipts -> Procountor -> result.

One pipeline serves the preview and the export, so a preview shows exactly the payloads and
problems the export would meet. The export is safe to repeat: it holds a lease per journal so
two workers cannot both post, recognises what is already booked by fingerprint, looks before it
resends after a lost answer, and books the missing periods of a partial export on the next try.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    ExportPlan,
    ExportResult,
    HostCompany,
    IntegrationAccount,
    Journal,
    Period,
    Problem,
    SentReceipt,
)
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.api.errors import ProcountorError, ProcountorUnavailable
from nmbrs_procountor_plugin.export.gates import check_gates
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import (
    ReceiptDraft,
    UnresolvedDimension,
    build_receipts,
    check_balance,
    periods_of,
    receipt_date,
)
from nmbrs_procountor_plugin.export.preflight import explain_refusal, run_preflight
from nmbrs_procountor_plugin.export.refusals import problems_for, support_code
from nmbrs_procountor_plugin.export.resend import Booked, find_booked, sent_receipt
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings

log = logging.getLogger(__name__)

LEASE_TTL_SECONDS: Final = 120.0
LEASE_WAIT_SECONDS: Final = 20.0
POST_ATTEMPTS: Final = 3
RETRY_PAUSE_SECONDS: Final = 0.5
LOOK_AGAIN_SECONDS: Final = 3.0


class OutcomeUnknown(Exception):
    """A timed-out POST is neither visible in Procountor nor safely repeatable yet."""


def _blocking(problems: Sequence[Problem]) -> bool:
    return any(p.blocking for p in problems)


@dataclass(frozen=True)
class Prepared:
    """The plan: what would be sent, the problems found, and the client that found them."""

    drafts: tuple[ReceiptDraft, ...]
    problems: tuple[Problem, ...]
    client: ProcountorClient | None
    gated: bool


def prepare(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    *,
    sending: bool,
) -> Prepared:
    """Everything up to the first write: gates, journal checks, Procountor reads, payloads."""
    locale = actor.locale
    gate_problems = check_gates(account, mapping, company, journal, actor, host, sending=sending)
    if gate_problems:
        return Prepared((), tuple(gate_problems), None, gated=True)
    try:
        settings = AccountSettings.of(account, locale)
    except ProblemError as bad:
        return Prepared((), bad.problems, None, gated=True)
    check = validate_journal(journal, locale)
    problems: list[Problem] = list(check.problems)
    if not check.lines:
        return Prepared((), tuple(problems), None, gated=False)
    if not _blocking(problems):
        # With invalid lines left out, a period would look unbalanced only because they are missing.
        problems.extend(check_balance(journal, check.lines, locale))
    journal_ok = not _blocking(problems)
    try:
        client = open_client(account, host, locale)
        dates = [receipt_date(journal, period) for period in periods_of(check.lines)]
        found = run_preflight(
            client,
            mapping,
            company,
            check.lines,
            dates,
            create_missing=settings.create_missing_dimension_items,
            dry_run=not sending or not journal_ok,
            locale=locale,
        )
    except ProblemError as failed:
        return Prepared((), (*problems, *failed.problems), None, gated=False)
    except ProcountorError as error:
        return Prepared((), (*problems, *problems_for(error, None, locale, account.username)), None, gated=False)
    problems.extend(found.problems)
    drafts: tuple[ReceiptDraft, ...] = ()
    if journal_ok:
        # When pre-flight reported a missing item there is no exact payload to show.
        with suppress(UnresolvedDimension):
            drafts = tuple(build_receipts(journal, check.lines, mapping, settings, found.resolve))
    return Prepared(drafts, tuple(problems), client, gated=False)


def preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportPlan:
    prepared = prepare(account, mapping, company, journal, actor, host, sending=False)
    problems = list(prepared.problems)
    if prepared.client is not None and prepared.drafts and not _blocking(problems):
        # The resend check is a read too: the preview says what a send would skip or refuse.
        try:
            booked = find_booked(prepared.client, prepared.drafts)
            problems.extend(_booked_problems(booked, prepared.drafts, actor.locale))
        except ProcountorError as error:
            problems.extend(problems_for(error, None, actor.locale, account.username))
    return ExportPlan(tuple(d.planned() for d in prepared.drafts), tuple(problems))


def _booked_problems(
    booked: Mapping[Period, Booked], drafts: Sequence[ReceiptDraft], locale: str | None
) -> list[Problem]:
    """Per draft already in Procountor: booked as is (info) or booked with other rows (blocking)."""
    found: list[Problem] = []
    for draft in drafts:
        there = booked.get(draft.period)
        if there is None:
            continue
        code = (
            "procountor.export.already_booked"
            if there.fingerprint.digest == draft.fingerprint.digest
            else "procountor.export.changed_after_send"
        )
        found.append(
            problem(
                code,
                locale,
                field=f"receipts[{draft.period}]",
                period=draft.period,
                id=str(there.receipt["id"]),
                number=str(there.receipt.get("receiptNumber")),
            )
        )
    return found


@contextmanager
def _journal_lease(host: PluginHost, key: str) -> Iterator[str | None]:
    """Hold the journal's lease (waiting a little for another worker to finish), or yield None."""
    owner = f"{os.getpid()}-{uuid.uuid4().hex}"
    deadline = time.monotonic() + LEASE_WAIT_SECONDS
    while not host.leases.acquire(key, owner, LEASE_TTL_SECONDS):
        if time.monotonic() >= deadline:
            yield None
            return
        time.sleep(0.2)
    try:
        yield owner
    finally:
        host.leases.release(key, owner)


def _landed(client: ProcountorClient, draft: ReceiptDraft) -> Mapping[str, Any] | None:
    found = find_booked(client, [draft]).get(draft.period)
    if found is not None and found.fingerprint.digest == draft.fingerprint.digest:
        log.info("receipt for %s landed despite the lost answer: id %s", draft.period, found.receipt["id"])
        return found.receipt
    return None


def _post(client: ProcountorClient, draft: ReceiptDraft) -> Mapping[str, Any]:
    """Create the receipt; after a lost answer, look whether it landed before sending it again.

    A reset or a 5xx means Procountor has finished with the request, so one look decides. A
    timeout does not: the request may still be running. It is looked for twice, a few seconds
    apart, and if it is still not there the export stops rather than risk a second copy; the next
    export finds it by its fingerprint or books it then.
    """
    last: ProcountorUnavailable | None = None
    for attempt in range(POST_ATTEMPTS):
        if attempt:
            time.sleep(RETRY_PAUSE_SECONDS * attempt)
        try:
            return client.create_ledger_receipt(draft.json_body())
        except ProcountorUnavailable as lost:
            last = lost
            if not lost.uncertain:
                continue
            landed = _landed(client, draft)
            if landed is None and lost.still_running:
                time.sleep(LOOK_AGAIN_SECONDS)
                landed = _landed(client, draft)
                if landed is None:
                    raise OutcomeUnknown(lost.detail) from lost
            if landed is not None:
                return landed
    assert last is not None
    raise last


def _approve(client: ProcountorClient, sent: SentReceipt, locale: str | None) -> tuple[SentReceipt, list[Problem]]:
    if sent.status != "UNFINISHED":
        return sent, []
    try:
        client.approve_ledger_receipt(sent.external_id)
    except ProcountorError as refused:
        return sent, [
            problem(
                "procountor.export.approve_failed",
                locale,
                period=sent.period,
                id=sent.external_id,
                detail=support_code(refused),
                field=f"receipts[{sent.period}]",
            )
        ]
    return SentReceipt(sent.period, sent.external_id, sent.receipt_date, sent.name, sent.total, "APPROVED"), []


def _result(sent: list[SentReceipt], problems: list[Problem], new: int) -> ExportResult:
    if _blocking(problems):
        return ExportResult("partially_sent" if sent else "failed", tuple(sent), tuple(problems))
    return ExportResult("sent" if new else "already_sent", tuple(sent), tuple(problems))


def _send(
    client: ProcountorClient,
    drafts: Sequence[ReceiptDraft],
    settings: AccountSettings,
    actor: Actor,
    username: str,
    problems: list[Problem],
    renew: Any,
) -> ExportResult:
    locale = actor.locale
    booked = find_booked(client, drafts)
    same = {
        d.period for d in drafts if d.period in booked and booked[d.period].fingerprint.digest == d.fingerprint.digest
    }
    sent = [booked[d.period].sent(d.period) for d in drafts if d.period in same]
    changed = [p for p in _booked_problems(booked, drafts, locale) if p.blocking]
    if changed:
        problems.extend(changed)
        return _result(sent, problems, new=0)
    new = 0
    for draft in drafts:
        if draft.period in booked:
            continue
        renew()
        try:
            receipt = _post(client, draft)
        except ProcountorError as error:
            problems.extend(explain_refusal(client, error, draft, locale, username))
            return _result(sorted(sent, key=lambda s: s.period), problems, new)
        except ProblemError as failed:  # the authorization ended halfway
            problems.extend(failed.problems)
            return _result(sorted(sent, key=lambda s: s.period), problems, new)
        except OutcomeUnknown:
            problems.append(
                problem(
                    "procountor.export.outcome_unknown",
                    locale,
                    period=draft.period,
                    field=f"receipts[{draft.period}]",
                )
            )
            return _result(sorted(sent, key=lambda s: s.period), problems, new)
        sent.append(sent_receipt(draft.period, receipt))
        new += 1
    sent.sort(key=lambda s: s.period)
    if settings.approve_receipts:
        approved: list[SentReceipt] = []
        for booked_receipt in sent:
            done, trouble = _approve(client, booked_receipt, locale)
            approved.append(done)
            problems.extend(trouble)
        sent = approved
    return _result(sent, problems, new)


def export(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportResult:
    prepared = prepare(account, mapping, company, journal, actor, host, sending=True)
    problems = list(prepared.problems)
    if prepared.gated:
        return ExportResult("blocked", (), tuple(problems))
    if prepared.client is None or not prepared.drafts or _blocking(problems):
        if not _blocking(problems):
            problems.append(problem("procountor.journal.empty", actor.locale, field="lines"))
        return ExportResult("failed", (), tuple(problems))
    key = f"procountor:export:{account.id}:{company.id}:{journal.run_id}"
    with _journal_lease(host, key) as owner:
        if owner is None:
            problems.append(problem("procountor.export.in_progress", actor.locale, field="journal"))
            return ExportResult("failed", (), tuple(problems))

        def renew() -> None:
            host.leases.acquire(key, owner, LEASE_TTL_SECONDS)

        try:
            return _send(
                prepared.client, prepared.drafts, AccountSettings.of(account), actor, account.username, problems, renew
            )
        except ProblemError as failed:
            return ExportResult("failed", (), (*problems, *failed.problems))
        except ProcountorError as error:
            refusal = explain_refusal(prepared.client, error, None, actor.locale, account.username)
            return ExportResult("failed", (), (*problems, *refusal))
