"""What the host lends a plugin through the ``host`` hook argument.

The plugin owns no storage: tokens, OAuth states and locks live in the host, which already
runs many worker processes against one database. These protocols are the whole of what a plugin
may rely on; the reference host (:mod:`nmbrs_hookspecs.host`) implements them on SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from nmbrs_hookspecs.types import (
    AccountNotice,
    AdministrationMapping,
    AuthorizationState,
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
class RequestLimiter(Protocol):
    """One request limit per API client, kept by every worker on every machine together.

    An addition to the contract: a provider counts requests per API client, and exceeding its
    limit can get the client suspended for every customer of the host. A limit kept per worker
    process multiplies with the number of workers; only the host sees them all, so the host lends
    one limiter and the plugin passes *every* call to the provider through it (token and logout
    calls included, retries included).

    Example::

        rate = RequestRate("acme:https://api.example:client-1", requests=20, per_seconds=1.0)
        host.request_limiter.acquire(rate)        # before each request
        response = send()
        if response.status == 429:                # the provider says the client is over its limit
            host.request_limiter.pause(rate, retry_after_seconds)
    """

    def acquire(self, rate: RequestRate) -> float:
        """Block until one more request under ``rate.key`` may go out; returns the seconds waited.

        No window of ``rate.per_seconds`` ever holds more than ``rate.requests`` admitted
        requests of that key, across all workers (no burst beyond the window), and nothing is
        admitted while a :meth:`pause` of the key is in force. Raises
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
    def notices(self) -> AccountNotices: ...

    @property
    def request_limiter(self) -> RequestLimiter:
        """The one limiter every call to a provider passes (see :class:`RequestLimiter`)."""
        ...

    def provider_config(self, provider: str) -> ProviderConfig:
        """The API client configuration the host holds for ``provider``."""
        ...
