"""The journal export: host types -> plan -> ledger -> receipts -> Procountor -> result.

One pipeline serves the preview and the export, so a preview shows exactly the payloads and
problems the export would meet. Sending is exactly once per period, however often it is repeated:

1. local checks (gates, settings, the journal itself): a problem blocks before any request;
2. the host's booking ledger, confirmed with one batch read of its receipt ids: a fully booked
   run answers ``already_sent`` here (periods closed since are not checked again), a period
   booked with other rows is refused, an invalidated receipt frees its period;
3. pre-flight for the missing periods only (rights, accounts, dimensions, open periods);
4. the fingerprint search, the fallback for what the ledger cannot answer (a lost answer, a lost
   or restored ledger);
5. per missing period: intent in the ledger, POST, receipt in the ledger.

A lease per run keeps two workers from deciding at once; each attempt goes to the host's
attempt history. The ledger, not the attempt's answer, is what the host shows as sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Final

from nmbrs_hookspecs.booking import AttemptKind, BookingIntent, RunKey
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
from nmbrs_procountor_plugin.export.attach import Attacher, oversized
from nmbrs_procountor_plugin.export.attempts import AttemptRecorder
from nmbrs_procountor_plugin.export.documents import JournalDocument, journal_documents
from nmbrs_procountor_plugin.export.gates import check_gates
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.lease import LEASE_TTL_SECONDS, hold_lease, lease_key
from nmbrs_procountor_plugin.export.ledger import (
    Confirmed,
    adopted_receipt,
    booked_receipt,
    confirm,
    intent_for,
    run_key,
)
from nmbrs_procountor_plugin.export.outcome import blocking, result
from nmbrs_procountor_plugin.export.planning import (
    PeriodDigests,
    ReceiptDraft,
    UnresolvedDimension,
    build_receipts,
    check_balance,
    periods_of,
    receipt_date,
)
from nmbrs_procountor_plugin.export.preflight import explain_refusal, run_preflight
from nmbrs_procountor_plugin.export.refusals import problems_for, support_code
from nmbrs_procountor_plugin.export.resend import Booked, search_booked, sent_receipt
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, ValidatedLines
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings

log = logging.getLogger(__name__)

POST_ATTEMPTS: Final = 3
RETRY_PAUSE_SECONDS: Final = 0.5
LOOK_AGAIN_SECONDS: Final = 3.0


class OutcomeUnknown(Exception):
    """A timed-out POST is neither visible in Procountor nor safely repeatable yet."""


@dataclass(frozen=True)
class Local:
    """The journal after the checks that need no request: its valid lines and the problems found."""

    lines: ValidatedLines
    problems: tuple[Problem, ...]
    settings: AccountSettings | None  # None when a gate or the account's settings stopped it
    documents: Mapping[Period, JournalDocument] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.settings is not None and bool(self.lines) and not blocking(self.problems)


def check_locally(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    *,
    sending: bool,
) -> Local:
    """Gates, settings and the journal's own checks (lines, balance per period)."""
    locale = actor.locale
    gate_problems = check_gates(account, mapping, company, journal, actor, host, sending=sending)
    if gate_problems:
        return Local(ValidatedLines(), tuple(gate_problems), None)
    try:
        settings = AccountSettings.of(account, locale)
    except ProblemError as bad:
        return Local(ValidatedLines(), tuple(bad.problems), None)
    check = validate_journal(journal, locale)
    problems: list[Problem] = list(check.problems)
    if check.lines and not blocking(problems):
        # With invalid lines left out, a period would look unbalanced only because they are missing.
        problems.extend(check_balance(journal, check.lines, locale))
    documents = journal_documents(journal, check.lines) if settings.attach_journal_lines else {}
    problems.extend(oversized(documents.values(), locale))  # refused before anything is sent
    return Local(check.lines, tuple(problems), settings, documents=documents)


@dataclass(frozen=True)
class Prepared:
    """The plan for some periods: what would be sent and the problems pre-flight found."""

    drafts: tuple[ReceiptDraft, ...]
    problems: tuple[Problem, ...]


def prepare(
    client: ProcountorClient,
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    lines: Sequence[IndexedLine],
    settings: AccountSettings,
    *,
    dry_run: bool,
    locale: str | None,
) -> Prepared:
    """Pre-flight for ``lines`` (Procountor's master data, read once each) and their payloads.

    Raises ProcountorError / ProblemError when Procountor cannot be read.
    """
    dates = [receipt_date(journal, period) for period in periods_of(lines)]
    found = run_preflight(
        client,
        mapping,
        company,
        lines,
        dates,
        create_missing=settings.create_missing_dimension_items,
        dry_run=dry_run,
        locale=locale,
    )
    drafts: tuple[ReceiptDraft, ...] = ()
    # When pre-flight reported a missing item there is no exact payload to show; other problems
    # (a closed period, say) still leave the payloads for the preview to show.
    with suppress(UnresolvedDimension):
        drafts = tuple(build_receipts(journal, lines, mapping, settings, found.resolve))
    return Prepared(drafts, tuple(found.problems))


def _booked_problem(period: Period, receipt: Mapping[str, Any], code: str, locale: str | None) -> Problem:
    return problem(
        code,
        locale,
        period=period,
        id=str(receipt["id"]),
        number=str(receipt.get("receiptNumber")),
        field=f"receipts[{period}]",
    )


def _ledger_problems(confirmed: Confirmed, locale: str | None) -> list[Problem]:
    """Booked as is (info, skipped) and booked with other rows (blocking), earliest period first."""
    found = [
        (period, _booked_problem(period, receipt, "procountor.export.already_booked", locale))
        for period, receipt in confirmed.booked.items()
    ]
    found += [
        (period, _booked_problem(period, receipt, "procountor.export.changed_after_send", locale))
        for period, receipt in confirmed.changed.items()
    ]
    return [p for _, p in sorted(found, key=lambda item: item[0])]


@dataclass
class SendContext:
    """What one preview or export learned and did, in the order it happened."""

    run: RunKey
    recorder: AttemptRecorder
    locale: str | None
    username: str
    client: ProcountorClient | None = None

    def open(self, account: IntegrationAccount, host: PluginHost) -> ProcountorClient:
        if self.client is None:
            self.client = open_client(account, host, self.locale)
            self.recorder.client = self.client
        return self.client


def _missing_lines(lines: ValidatedLines, booked: Mapping[Period, Any]) -> ValidatedLines:
    """The lines of the periods not yet booked, still grouped: the steps after this one regroup nothing."""
    if not booked:  # a first export: every line
        return lines
    return lines.without_periods(booked)


def _search(
    client: ProcountorClient,
    journal: Journal,
    drafts: Sequence[ReceiptDraft],
    intents: Mapping[Period, BookingIntent],
    known_ids: set[str],
) -> dict[Period, Booked]:
    return search_booked(client, journal.company_id, journal.run_id, drafts, intents, known_ids)


def _search_problems(
    found: Mapping[Period, Booked], drafts: Sequence[ReceiptDraft], locale: str | None
) -> list[Problem]:
    problems: list[Problem] = []
    for draft in drafts:
        there = found.get(draft.period)
        if there is None:
            continue
        code = "procountor.export.already_booked" if there.same_rows(draft) else "procountor.export.changed_after_send"
        problems.append(_booked_problem(draft.period, there.receipt, code, locale))
    return problems


def _fix_first(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    host: PluginHost,
    local: Local,
    attempt: SendContext,
) -> list[Problem]:
    """The journal must be fixed first: its problems, and every problem Procountor would add.

    A dry run of pre-flight over the valid lines, so the admin learns everything in one answer
    (an unknown account beside an unbalanced period) and nothing is written, not even an item.
    """
    assert local.settings is not None
    problems = list(local.problems)
    try:
        client = attempt.open(account, host)
        prepared = prepare(
            client, account, mapping, company, journal, local.lines, local.settings, dry_run=True, locale=attempt.locale
        )
        problems.extend(prepared.problems)
    except ProblemError as failed:
        problems.extend(failed.problems)
    except ProcountorError as error:
        problems.extend(problems_for(error, None, attempt.locale, account.username))
    return problems


def preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportPlan:
    """The export's pipeline without writes: what a send would book, skip or refuse."""
    run = run_key(account, journal)
    recorder = AttemptRecorder(host, run, AttemptKind.PREVIEW, actor)
    plan = _preview(account, mapping, company, journal, actor, host, recorder)
    recorder.finish("previewed", plan.problems)
    return plan


def _preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    recorder: AttemptRecorder,
) -> ExportPlan:
    locale = actor.locale
    local = check_locally(account, mapping, company, journal, actor, host, sending=False)
    problems = list(local.problems)
    if local.settings is None or not local.lines:
        return ExportPlan((), tuple(problems))
    attempt = SendContext(recorder.run, recorder, locale, account.username)
    if not local.ok:
        return ExportPlan((), tuple(_fix_first(account, mapping, company, journal, host, local, attempt)))
    drafts: tuple[ReceiptDraft, ...] = ()
    try:
        client = attempt.open(account, host)
        digests = PeriodDigests(local.lines, mapping)
        confirmed = confirm(client, host.ledger, recorder.run, digests, writing=False)
        problems.extend(_ledger_problems(confirmed, locale))
        missing = _missing_lines(local.lines, {**confirmed.booked, **confirmed.changed})
        if missing:
            prepared = prepare(
                client, account, mapping, company, journal, missing, local.settings, dry_run=True, locale=locale
            )
            problems.extend(prepared.problems)
            drafts = prepared.drafts
            if drafts and not blocking(problems):
                found = _search(client, journal, drafts, confirmed.intents, confirmed.known_ids)
                problems.extend(_search_problems(found, drafts, locale))
    except ProblemError as failed:
        problems.extend(failed.problems)
    except ProcountorError as error:
        problems.extend(problems_for(error, None, locale, account.username))
    return ExportPlan(tuple(d.planned() for d in drafts), tuple(problems))


def _landed(
    client: ProcountorClient, journal: Journal, draft: ReceiptDraft, intent: BookingIntent
) -> Mapping[str, Any] | None:
    found = _search(client, journal, [draft], {draft.period: intent}, set()).get(draft.period)
    if found is not None and found.same_rows(draft):
        log.info("receipt for %s landed despite the lost answer: id %s", draft.period, found.receipt["id"])
        return found.receipt
    return None


def _post(client: ProcountorClient, journal: Journal, draft: ReceiptDraft, intent: BookingIntent) -> Mapping[str, Any]:
    """Create the receipt; after a lost answer, look whether it landed before sending it again.

    A reset or a 5xx means Procountor has finished with the request, so one look decides. A
    timeout does not: the request may still be running. It is looked for twice, a few seconds
    apart, and if it is still not there the export stops rather than risk a second copy; the
    ledger keeps the intent, and the next export finds the receipt (by fingerprint, or by the
    intent where the notes were dropped) or books it then.
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
            landed = _landed(client, journal, draft, intent)
            if landed is None and lost.still_running:
                time.sleep(LOOK_AGAIN_SECONDS)
                landed = _landed(client, journal, draft, intent)
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


def _approve_all(
    client: ProcountorClient, receipts: Sequence[SentReceipt], locale: str | None
) -> tuple[list[SentReceipt], list[Problem]]:
    approved: list[SentReceipt] = []
    problems: list[Problem] = []
    for receipt in receipts:
        done, trouble = _approve(client, receipt, locale)
        approved.append(done)
        problems.extend(trouble)
    return approved, problems


class _Stop(Exception):
    """Sending stopped at a period: the problems say why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("sending stopped")
        self.problems = list(problems)


def _send_one(
    host: PluginHost, client: ProcountorClient, journal: Journal, draft: ReceiptDraft, attempt: SendContext, renew: Any
) -> SentReceipt | None:
    """Intent, POST, receipt: one period. None when another worker booked it meanwhile."""
    run, locale = attempt.run, attempt.locale
    intent = intent_for(draft, attempt.recorder.attempt_id)
    if not host.ledger.record_intent(run, draft.period, intent):
        return None
    renew()
    try:
        receipt = _post(client, journal, draft, intent)
    except OutcomeUnknown:
        unknown = problem(
            "procountor.export.outcome_unknown", locale, period=draft.period, field=f"receipts[{draft.period}]"
        )
        raise _Stop([unknown]) from None  # the intent stays: the next export looks for the receipt
    except ProcountorUnavailable as error:
        if not error.uncertain:  # certainly not sent: the period is free again
            host.ledger.clear_intent(run, draft.period, intent.attempt_id)
        raise _Stop(problems_for(error, draft, locale, attempt.username)) from None
    except ProcountorError as error:  # refused: nothing was booked
        host.ledger.clear_intent(run, draft.period, intent.attempt_id)
        # Rights are not read before sending (the first POST is the first write): a 403 here is
        # worded from the rights read now, so the admin still learns which right is missing.
        raise _Stop(explain_refusal(client, error, draft, locale, attempt.username)) from None
    except ProblemError as failed:  # the authorization ended halfway: the POST was not accepted
        host.ledger.clear_intent(run, draft.period, intent.attempt_id)
        raise _Stop(failed.problems) from None
    host.ledger.record_receipt(run, draft.period, booked_receipt(draft, receipt))
    return sent_receipt(draft.period, receipt)


def export(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportResult:
    """Book the journal's missing periods, each exactly once, and record the attempt."""
    run = run_key(account, journal)
    recorder = AttemptRecorder(host, run, AttemptKind.EXPORT, actor)
    answer = _export(account, mapping, company, journal, actor, host, recorder)
    recorder.finish(answer.status, answer.problems)
    return answer


def _export(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    recorder: AttemptRecorder,
) -> ExportResult:
    locale = actor.locale
    local = check_locally(account, mapping, company, journal, actor, host, sending=True)
    if local.settings is None or not local.lines:
        return result((), local.problems, new=0)
    attempt = SendContext(recorder.run, recorder, locale, account.username)
    if not local.ok:
        return result((), _fix_first(account, mapping, company, journal, host, local, attempt), new=0)
    key = lease_key(account.id, company.id, journal.run_id)  # the undo holds the same lease
    with hold_lease(host, key) as owner:
        if owner is None:
            busy = problem("procountor.export.in_progress", locale, field="journal")
            return result((), [*local.problems, busy], new=0)

        def renew() -> None:
            host.leases.acquire(key, owner, LEASE_TTL_SECONDS)

        return _send(account, mapping, company, journal, host, local, attempt, renew)


def _send(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    host: PluginHost,
    local: Local,
    attempt: SendContext,
    renew: Any,
) -> ExportResult:
    locale, run = attempt.locale, attempt.run
    assert local.settings is not None
    problems = list(local.problems)
    booked: list[SentReceipt] = []
    digests = PeriodDigests(local.lines, mapping)
    new = 0
    opened: ProcountorClient | None = None
    seen: dict[Period, Mapping[str, Any]] = {}  # receipts as this attempt read them, for their attachments
    try:
        client = opened = attempt.open(account, host)
        confirmed = confirm(client, host.ledger, run, digests, writing=True)
        problems.extend(_ledger_problems(confirmed, locale))
        booked = [sent_receipt(period, receipt) for period, receipt in confirmed.booked.items()]
        seen.update(confirmed.booked)
        if confirmed.changed:
            return result(booked, problems, new=0)
        missing = _missing_lines(local.lines, confirmed.booked)
        if not missing:
            return _finish(client, booked, problems, new=0, local=local, attempt=attempt, seen=seen, host=host)
        host.ledger.plan(run, list(digests))
        prepared = prepare(
            client, account, mapping, company, journal, missing, local.settings, dry_run=False, locale=locale
        )
        problems.extend(prepared.problems)
        if blocking(problems) or not prepared.drafts:
            return result(booked, problems, new=0)
        found = _search(client, journal, prepared.drafts, confirmed.intents, confirmed.known_ids)
        search_problems = _search_problems(found, prepared.drafts, locale)
        problems.extend(search_problems)
        if blocking(search_problems):
            return result(booked, problems, new=0)
        for draft in prepared.drafts:
            there = found.get(draft.period)
            if there is not None:
                host.ledger.record_receipt(run, draft.period, adopted_receipt(draft, there))
                booked.append(there.sent(draft.period))
                seen[draft.period] = there.receipt
                continue
            sent = _send_one(host, client, journal, draft, attempt, renew)
            if sent is not None:
                booked.append(sent)
                new += 1
                # The receipt's voucher goes on right after it, so a send stopped later still leaves
                # each booked receipt with its document.
                problems.extend(_attach(client, host, attempt, local, {draft.period: {}}))
    except _Stop as stop:
        problems.extend(stop.problems)
        return result(booked, problems, new=new)
    # A POST's own failures arrive as _Stop; these come from the reads before any write.
    except ProblemError as failed:
        problems.extend(failed.problems)
        return result(booked, problems, new=new)
    except ProcountorError as error:
        # A read refused with 403 (the search without its right) is worded from the rights.
        if opened is None:
            problems.extend(problems_for(error, None, locale, account.username))
        else:
            problems.extend(explain_refusal(opened, error, None, locale, account.username))
        return result(booked, problems, new=new)
    return _finish(client, booked, problems, new=new, local=local, attempt=attempt, seen=seen, host=host)


def _attach(
    client: ProcountorClient,
    host: PluginHost,
    attempt: SendContext,
    local: Local,
    seen: Mapping[Period, Mapping[str, Any]],
) -> list[Problem]:
    """Attach the journal documents still missing on the booked periods in ``seen`` (warnings only)."""
    documents = {period: local.documents[period] for period in seen if period in local.documents}
    if not documents:
        return []
    return Attacher(client, host.ledger, attempt.run, attempt.locale).attach_missing(documents, seen)


def _finish(
    client: ProcountorClient,
    booked: list[SentReceipt],
    problems: list[Problem],
    *,
    new: int,
    local: Local,
    attempt: SendContext,
    seen: Mapping[Period, Mapping[str, Any]],
    host: PluginHost,
) -> ExportResult:
    """Every period is booked: attach the documents still missing, then approve when asked to."""
    assert local.settings is not None
    locale = attempt.locale
    problems.extend(_attach(client, host, attempt, local, seen))  # booked earlier, or found by the search
    if local.settings.approve_receipts:
        booked, trouble = _approve_all(client, sorted(booked, key=lambda r: r.period), locale)
        problems.extend(trouble)
    return result(booked, problems, new=new)
