"""What the host lends a plugin through the ``host`` hook argument.

The plugin owns no storage: tokens, OAuth states and locks live in the host, which already
runs many worker processes against one database. These protocols are the whole of what a plugin
may rely on; the reference host (:mod:`nmbrs_hookspecs.host`) implements them on SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from nmbrs_hookspecs.booking import (
    AttachmentRecord,
    Attempt,
    BookedReceipt,
    BookingIntent,
    BookingRecord,
    RunKey,
)
from nmbrs_hookspecs.types import (
    AccountNotice,
    AdministrationMapping,
    AuthorizationState,
    Period,
    ProviderConfig,
    RequestRate,
    StoredCredentials,
)


@runtime_checkable
class CredentialStore(Protocol):
    """Per-account token storage with compare-and-swap.

    What a host must do with what it stores here (and with settings declared ``secret``): keep
    it encrypted at rest with a key that does not live in the same database (the host's
    configuration or environment), allow that key to be rotated without losing what is stored,
    create the files that hold it readable by the host's own user only, and never log it. The
    data holds live tokens: whoever reads it can act as the authorized user at the provider.

    Two workers that refresh one account at the same moment must not overwrite each other's
    rotated refresh token; ``put`` therefore succeeds only when the stored version still equals
    ``expected_version`` (``0`` meaning "nothing stored yet").
    """

    def get(self, account_id: str) -> StoredCredentials | None:
        """The stored data and its version, or ``None`` when nothing is stored."""
        ...

    def put(self, account_id: str, data: Mapping[str, Any], expected_version: int) -> bool:
        """Store ``data`` if the current version is ``expected_version``; False when another wrote first."""
        ...

    def delete(self, account_id: str) -> None:
        """Forget the account's credentials (idempotent)."""
        ...


@runtime_checkable
class AuthorizationStateStore(Protocol):
    """Single-use, expiring storage for OAuth ``state`` values bound to an account."""

    def put(self, state: AuthorizationState) -> None:
        """Keep ``state`` until it is consumed or expires."""
        ...

    def consume(self, state: str) -> AuthorizationState | None:
        """Remove and return the state; ``None`` when unknown, already used or expired."""
        ...


@runtime_checkable
class LeaseStore(Protocol):
    """Short, expiring mutual exclusion across worker processes.

    An addition to the contract: two workers that send the same journal at the same moment must
    not both search, find nothing and both post. A lease held by a worker that died expires after
    ``ttl_seconds``, and the resend check then finishes what it left.
    """

    def acquire(self, key: str, owner: str, ttl_seconds: float) -> bool:
        """Take the lease on ``key`` for ``owner`` unless another owner holds an unexpired one."""
        ...

    def release(self, key: str, owner: str) -> None:
        """Give the lease back if ``owner`` still holds it."""
        ...


@runtime_checkable
class Admission(Protocol):
    """One request a :class:`RequestLimiter` let through, until its answer arrives.

    A provider counts a request when it *arrives*, which can be later than the limiter admitted
    it: a busy machine deschedules the worker between admission and sending, a connection is slow
    to open, the provider's gateway queues it. Nothing in between can tell how late; the answer
    is the one moment the caller knows the provider has counted the request. :meth:`answered`
    reports that moment, so a limiter can count a late request from then on instead of from its
    admission (see :class:`~nmbrs_hookspecs.limiter.BucketRequestLimiter`).
    """

    @property
    def waited(self) -> float:
        """Seconds :meth:`RequestLimiter.acquire` blocked before admitting the request."""
        ...

    def answered(self) -> None:
        """The provider's answer (or the request's failure) arrived just now; call once, at once.

        Never raises for a limiter it cannot reach: the request is already out, and the next
        :meth:`RequestLimiter.acquire` reports the limiter gone.
        """
        ...


@runtime_checkable
class RequestLimiter(Protocol):
    """One request limit per API client, kept by every worker on every machine together.

    An addition to the contract: a provider counts requests per API client, and exceeding its
    limit can get the client suspended for every customer of the host. A limit kept per worker
    process multiplies with the number of workers; only the host sees them all, so the host lends
    one limiter and the plugin passes *every* call to the provider through it (token and logout
    calls included, retries included).

    Example::

        rate = RequestRate("acme:https://api.example:client-1", requests=20, per_seconds=1.0)
        admission = host.request_limiter.acquire(rate)   # before each request
        try:
            response = send()
        finally:
            admission.answered()                         # the moment the provider had counted it
        if response.status == 429:                       # the provider says the client is over its limit
            host.request_limiter.pause(rate, retry_after_seconds)
    """

    def acquire(self, rate: RequestRate) -> Admission:
        """Block until one more request under ``rate.key`` may go out; the request's admission.

        No window of ``rate.per_seconds`` ever holds more than ``rate.requests`` requests of that
        key as the provider counts them, across all workers (no burst beyond the window), and
        nothing is admitted while a :meth:`pause` of the key is in force. A request counts from
        its admission and, when :meth:`Admission.answered` comes late, from its answer: that is
        how a delay between the two (which the provider sees and the limiter does not) still never
        puts one request too many in the provider's window. Raises
        :class:`~nmbrs_hookspecs.errors.LimiterUnavailable` when the limiter's shared store
        cannot be reached: then the request must not be sent.
        """
        ...

    def pause(self, rate: RequestRate, seconds: float) -> None:
        """Hold every worker's requests under ``rate.key`` for ``seconds`` from now.

        For a provider's "too many requests" answer with ``Retry-After``: the whole client is
        over its limit, so every worker waits, not only the one that was refused. A shorter
        pause never cuts a longer one short.
        """
        ...


@runtime_checkable
class MappingDirectory(Protocol):
    """Read access to the mappings the host has saved.

    An addition to the contract: the rule "one administration per account" can only be checked
    against the mappings that already exist, and those live in the host.
    """

    def for_account(self, account_id: str) -> tuple[AdministrationMapping, ...]:
        """Every saved mapping of ``account_id``."""
        ...


@runtime_checkable
class BookingLedger(Protocol):
    """What of each run is booked in the accounting system: the first answer, before any search.

    Keyed by :class:`~nmbrs_hookspecs.booking.RunKey` (account + host company + run id) and
    period. The plugin records an intent before it sends a period and the receipt after; a record
    is only ever moved forward by the calls below, each one atomic across worker processes, so a
    failed or blocked attempt can never make a booked period look unbooked.

    States (:class:`~nmbrs_hookspecs.booking.BookingState`): no record = never sent;
    ``intended`` = sent or about to be, outcome unknown until the plugin looks; ``booked`` = the
    receipt is known; ``invalidated`` = it was booked and then invalidated, so the period may be
    booked again. Attachments hang on a booked period's receipt.
    """

    def plan(self, run: RunKey, periods: Sequence[Period]) -> None:
        """Remember the periods the run books, as its latest export planned them (replaces the last plan).

        The host derives "sent" (every planned period booked) from it and the records.
        """
        ...

    def planned(self, run: RunKey) -> tuple[Period, ...]:
        """The periods of the latest plan, earliest first; empty when the run was never planned."""
        ...

    def records(self, run: RunKey) -> tuple[BookingRecord, ...]:
        """Every period's record of the run, earliest period first."""
        ...

    def record_intent(self, run: RunKey, period: Period, intent: BookingIntent) -> bool:
        """Before sending ``period``: store the intent, unless the period is booked.

        Replaces an earlier intent or an invalidated record. Returns False, changing nothing, when
        the period is already booked (another worker finished it).
        """
        ...

    def record_receipt(self, run: RunKey, period: Period, receipt: BookedReceipt) -> None:
        """After sending, or on finding the receipt: ``period`` is booked as ``receipt``.

        Idempotent for the same receipt. Raises ValueError, changing nothing, when the period is
        already booked as another receipt: two receipts for one period is the duplicate the
        ledger exists to prevent, and the caller must not hide it.
        """
        ...

    def clear_intent(self, run: RunKey, period: Period, attempt_id: str) -> None:
        """The send of ``attempt_id`` certainly did not land: forget its intent.

        A booked record, or an intent of another attempt, is left alone.
        """
        ...

    def mark_invalidated(self, run: RunKey, period: Period, external_id: str) -> bool:
        """``booked`` -> ``invalidated`` when the period is still booked as ``external_id``; False otherwise."""
        ...

    def add_attachment(self, run: RunKey, period: Period, attachment: AttachmentRecord) -> None:
        """Record a document attached to the period's booked receipt (idempotent on its external id).

        Raises ValueError when the period is not booked.
        """
        ...


@runtime_checkable
class AttemptHistory(Protocol):
    """Every preview, export and undo of a run, kept apart from what is booked.

    What a host shows as the run's error section and audit trail. An attempt never changes the
    sent status; that comes from the :class:`BookingLedger`.
    """

    def record(self, attempt: Attempt) -> None:
        """Keep ``attempt`` (one record per attempt id; recording it again replaces it)."""
        ...

    def for_run(self, run: RunKey, limit: int = 50) -> tuple[Attempt, ...]:
        """The run's attempts, newest first, at most ``limit``."""
        ...


@runtime_checkable
class AccountNotices(Protocol):
    """Where a plugin reports that an account stopped working and needs an admin.

    An addition to the contract: without it nobody hears that a grant died until the next
    month-end export fails. The plugin calls it once per transition (the worker that records
    the new state sends it, so eight workers meeting the same refusal send one notice); the
    host mails it, shows it on the Integration page, or both.
    """

    def account_notice(self, notice: AccountNotice) -> None:
        """Keep or deliver ``notice``; must not raise for a delivery failure (log it instead)."""
        ...


@runtime_checkable
class PluginHost(Protocol):
    """The ``host`` argument of every hook that needs the host's services."""

    @property
    def credentials(self) -> CredentialStore: ...

    @property
    def authorization_states(self) -> AuthorizationStateStore: ...

    @property
    def leases(self) -> LeaseStore: ...

    @property
    def mappings(self) -> MappingDirectory: ...

    @property
    def ledger(self) -> BookingLedger: ...

    @property
    def attempts(self) -> AttemptHistory: ...

    @property
    def notices(self) -> AccountNotices: ...

    @property
    def request_limiter(self) -> RequestLimiter:
        """The one limiter every call to a provider passes (see :class:`RequestLimiter`)."""
        ...

    def provider_config(self, provider: str) -> ProviderConfig:
        """The API client configuration the host holds for ``provider``."""
        ...
