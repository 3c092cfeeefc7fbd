"""Token lifecycle: talking to Procountor's token endpoint, and keeping an account's token valid.

Why it is shaped this way:

* Token requests go through authlib's ``OAuth2Session`` with ``client_secret_post`` and a
  ``Content-Type`` *without* ``charset``: Procountor wants credentials only in the form body and
  refuses the charset parameter authlib sends by default (docs/procountor-api.md §2, release 24.08).
* Refreshing is explicit (``OAuth2Session.refresh_token``), not authlib's auto-refresh: the host
  owns the token, several workers (threads and processes) share it, and Procountor may rotate
  refresh tokens, so a refresh must be serialised per account (a host lease), preceded by a
  re-read of the store (another worker may have refreshed already) and written back by
  compare-and-swap. The API-key method re-fetches with ``client_credentials`` itself because
  authlib drops the extra ``api_key`` parameter on its automatic re-fetch.
* The token endpoint's refusals are read in either shape before authlib parses the answer
  (``token_answers.py``): a 4xx without an access token is a refusal, never an outage.
* A refused refresh is final only when the store holds nothing newer: then the record is marked
  ``expired`` (or ``revoked`` for an API key) so the icon can say so without calling Procountor,
  and the worker whose write made that transition tells the host (``notices.py``), once.
  Nothing else marks an account: a 401 from the API is not proof (see ``client.py``).
* A renewal whose account was removed, or replaced by a new login, while it was in flight logs
  out the grant it obtained: nobody else knows of it, and no grant may outlive its account.
* Nothing here logs or raises a token, code, key or secret; ``repr`` hides them too, and
  failures are raised outside the ``except`` that caught the library's exception, so no
  ``__context__`` keeps a request body (docs/credentials.md).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from requests.adapters import HTTPAdapter

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.secret import Secret
from nmbrs_hookspecs.types import IntegrationAccount, NoticeState, ProviderConfig
from nmbrs_procountor_plugin.api.client import CONNECT_TIMEOUT, retry_after, retry_policy
from nmbrs_procountor_plugin.api.credentials import STATE_AUTHORIZED, STATE_EXPIRED, STATE_REVOKED, TokenRecord
from nmbrs_procountor_plugin.api.environment import Endpoints
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.api.notices import tell_host
from nmbrs_procountor_plugin.api.pacing import Pacer
from nmbrs_procountor_plugin.api.token_answers import TokenRefused, check_answer, short
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import METHOD_API_KEY, METHOD_LOGIN

log = logging.getLogger(__name__)

Clock = Callable[[], float]

# Refresh this long before Procountor's expiry, so a token never dies in the middle of a call.
LEEWAY_SECONDS: Final = 60
# Procountor's token endpoint refuses "application/x-www-form-urlencoded;charset=UTF-8".
FORM_HEADERS: Final = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
POLL_SECONDS: Final = 0.05
OAUTH_CALL: Final = "POST /oauth/token"
"""The token call as support sees it in a message (``procountor.unavailable``)."""
CAS_ATTEMPTS: Final = 5
# Ending a grant must not hang a removal: the logout waits at most this long for an answer.
LOGOUT_READ_TIMEOUT: Final = 10.0


def lease_key(account_id: str) -> str:
    """The host lease that serialises renewing (and ending) one account's grant across workers."""
    return f"procountor:token:{account_id}"


# --------------------------------------------------------------------------- the token endpoint


@dataclass(frozen=True)
class IssuedToken:
    """What the token endpoint handed out; tokens never show in ``repr``."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int


class TokenEndpoint:
    """Procountor's ``/api/oauth/token`` through authlib, with Procountor's transport rules."""

    def __init__(
        self,
        config: ProviderConfig,
        urls: Endpoints,
        *,
        pacer: Pacer,
        clock: Clock = time.time,
        http: requests.Session | None = None,
    ) -> None:
        """``http``: the API client's session, whose kept-alive connections token calls then use too."""
        self._config = config
        self._urls = urls
        self._pacer = pacer
        self._clock = clock
        self._http = http

    def __repr__(self) -> str:
        return f"TokenEndpoint(url={self._urls.token!r}, client_id={self._config.client_id!r})"

    @property
    def timeout(self) -> tuple[float, float]:
        return (CONNECT_TIMEOUT, self._config.timeout_seconds)

    def _session(self) -> OAuth2Session:
        session = OAuth2Session(
            client_id=self._config.client_id,
            client_secret=self._config.client_secret,
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 - a method name
            redirect_uri=self._config.redirect_uri,
            token_endpoint=self._urls.token,
        )
        # A 429 left after the retries still pauses every worker of the client (noted first: the
        # next hook raises for refusals).
        for hook in ("access_token_response", "refresh_token_response"):
            session.register_compliance_hook(hook, self._note_refusal)
        # Both refusal shapes are read before authlib parses the answer (see token_answers.py).
        session.register_compliance_hook("access_token_response", check_answer)
        session.register_compliance_hook("refresh_token_response", check_answer)
        if self._http is not None:
            # The API session's adapters hold its connection pools: a refresh in the middle of an
            # export goes over a connection that is already open, instead of a new TCP (and TLS)
            # handshake, and the session's retry policy (same rules for POST, waiting on the same
            # pacer) applies.
            for prefix, shared in self._http.adapters.items():
                session.mount(prefix, shared)
            return session
        # POSTs are retried only on 429 or when the connection never opened (see client.py);
        # the token endpoint counts against the client's limit, so retries wait on the pacer too.
        adapter = HTTPAdapter(max_retries=retry_policy(2, self._pacer))
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def _note_refusal(self, response: requests.Response) -> requests.Response:
        """A 429 left after the retries still pauses every worker of the client."""
        if response.status_code == 429:
            self._pacer.refused(retry_after(response))
        return response

    def exchange_code(self, code: str) -> IssuedToken:
        """The authorization-code grant; the session's redirect_uri is sent again, as required."""
        return self._call(
            lambda s: s.fetch_token(self._urls.token, code=code, headers=dict(FORM_HEADERS), timeout=self.timeout)
        )

    def refresh(self, refresh_token: str) -> IssuedToken:
        """The refresh grant; keeps the old refresh token when Procountor does not rotate it."""
        issued = self._call(
            lambda s: s.refresh_token(
                self._urls.token, refresh_token=refresh_token, headers=dict(FORM_HEADERS), timeout=self.timeout
            )
        )
        if issued.refresh_token is None:
            return IssuedToken(issued.access_token, refresh_token, issued.expires_at)
        return issued

    def client_credentials(self, api_key: Secret) -> IssuedToken:
        """The M2M grant: ``api_key`` and ``redirect_uri`` go in the body next to the client credentials."""
        return self._call(
            lambda s: s.fetch_token(
                self._urls.token,
                grant_type="client_credentials",
                api_key=api_key.reveal(),
                redirect_uri=self._config.redirect_uri,
                headers=dict(FORM_HEADERS),
                timeout=self.timeout,
            )
        )

    def logout(self, access_token: str) -> int:
        """``POST /logout`` (at the host root) with ``access_token``; the HTTP status of the answer.

        Logging out ends the whole grant, refresh token included (docs/sandbox.md: an assumption
        about Procountor, which does not document it). The read timeout is short: a removal must
        not hang on it.
        """
        failure: ProcountorUnavailable | None = None
        self._pacer.wait()  # a logout counts against the client's limit like any other call
        try:
            response = requests.post(
                self._urls.logout,
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                timeout=(CONNECT_TIMEOUT, min(self._config.timeout_seconds, LOGOUT_READ_TIMEOUT)),
            )
        except requests.exceptions.RequestException as exc:
            failure = ProcountorUnavailable(
                f"logout: {type(exc).__name__}", uncertain=True, reason="connection", call="POST /logout"
            )
        finally:
            self._pacer.answered()
        # Raised outside the except block, so no __context__ keeps the request (bearer token).
        if failure is not None:
            raise failure
        response.close()
        return response.status_code

    def _call(self, action: Callable[[OAuth2Session], Mapping[str, Any]]) -> IssuedToken:
        """Run one token request; failures leave as exceptions that hold no request or answer.

        The exception is built in the ``except`` block but raised after it: raised inside, it
        would keep the requests/authlib exception as ``__context__`` (``from None`` only hides
        it from tracebacks), and that one holds the request body with the client secret and the
        refresh token or code.
        """
        session = self._session()
        self._pacer.wait()
        failure: TokenRefused | ProcountorUnavailable | None = None
        token: Mapping[str, Any] = {}
        try:
            token = action(session)
        except TokenRefused as refused:
            failure = TokenRefused(refused.error, refused.description, refused.status)
        except OAuthError as exc:
            failure = TokenRefused(str(exc.error or "oauth_error"), short(exc.description))
        except requests.exceptions.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            failure = ProcountorUnavailable(
                f"token endpoint: HTTP {status}", uncertain=True, reason="server", call=f"{OAUTH_CALL} HTTP {status}"
            )
        except requests.exceptions.RequestException as exc:
            failure = ProcountorUnavailable(
                f"token endpoint: {type(exc).__name__}", uncertain=True, reason="connection", call=OAUTH_CALL
            )
        except ValueError:
            failure = ProcountorUnavailable(
                "token endpoint: answer is not JSON", uncertain=True, reason="bad_answer", call=OAUTH_CALL
            )
        finally:
            self._pacer.answered()
            if self._http is None:  # closing would close the API session's pools too
                session.close()
        if failure is not None:
            raise failure
        return self._issued(token)

    def _issued(self, token: Mapping[str, Any]) -> IssuedToken:
        access = token.get("access_token")
        if not isinstance(access, str) or not access:
            # e.g. a 429 page {"errors": [...]} that authlib hands back as if it were a token.
            raise ProcountorUnavailable(
                "token endpoint: answer without an access token",
                uncertain=True,
                reason="bad_answer",
                call=OAUTH_CALL,
            )
        refresh = token.get("refresh_token")
        expires_at = token.get("expires_at")
        if expires_at is None:
            expires_at = self._clock() + float(token.get("expires_in") or 0)
        return IssuedToken(access, refresh if isinstance(refresh, str) and refresh else None, int(expires_at))


# --------------------------------------------------------------------------- store helpers


def read_record(host: PluginHost, account_id: str) -> tuple[TokenRecord | None, int]:
    """The stored record and its version (``0`` when nothing is stored)."""
    stored = host.credentials.get(account_id)
    if stored is None:
        return None, 0
    return TokenRecord.from_data(stored.data), stored.version


def write_state(host: PluginHost, account_id: str, state: str, *, access_token: str) -> bool:
    """Record ``state`` (expired/revoked) unless someone re-authorized meanwhile; True for the one writer.

    Only the authorization that failed is marked: a record whose access token differs from
    ``access_token`` is newer (a refresh or a fresh login) and is left alone. Compare-and-swap,
    retried on a concurrent unrelated write. True only for the call whose write made the
    transition, so of eight workers meeting the same refusal exactly one tells the host.
    """
    for _ in range(CAS_ATTEMPTS):
        record, version = read_record(host, account_id)
        if record is None or record.access_token != access_token:
            return False
        if record.state == state:
            return False
        if host.credentials.put(account_id, record.with_state(state).to_data(), version):
            log.info("procountor authorization of account %s marked %s", account_id, state)
            return True
    return False


# --------------------------------------------------------------------------- the token source


class HostTokenSource:
    """The ``client.TokenSource`` of one account: host-stored, refreshed ahead of expiry, shared safely."""

    def __init__(
        self,
        account: IntegrationAccount,
        host: PluginHost,
        endpoint: TokenEndpoint,
        locale: str | None,
        *,
        record: TokenRecord | None = None,
        clock: Clock = time.time,
        lease_ttl: float | None = None,
    ) -> None:
        self._account = account
        self._host = host
        self._endpoint = endpoint
        self._locale = locale
        self._clock = clock
        self._record = record
        self._lock = threading.Lock()
        connect, read = endpoint.timeout
        # Longer than one token request can take, so a live holder never loses the lease.
        self._lease_ttl = lease_ttl if lease_ttl is not None else connect + read + 10.0

    def __repr__(self) -> str:
        return f"HostTokenSource(account={self._account.id!r})"

    @property
    def lease_key(self) -> str:
        return lease_key(self._account.id)

    # ------------------------------------------------------------------ TokenSource protocol

    def access_token(self) -> str:
        """The cached token while it is comfortably valid; otherwise a renewed one."""
        with self._lock:
            record = self._record
            if record is None or record.state != STATE_AUTHORIZED:
                record = self._load()
            if self._fresh(record):
                return record.access_token
            return self._renew(stale=record.access_token)

    def refresh_after_rejection(self, rejected: str) -> str:
        """Procountor refused ``rejected`` (401): renew, unless another worker already did."""
        with self._lock:
            return self._renew(stale=rejected)

    # ------------------------------------------------------------------ reading the store

    def _load(self) -> TokenRecord:
        record, _ = read_record(self._host, self._account.id)
        if record is None:
            raise ProblemError(
                [problem("procountor.auth.not_authorized", self._locale, username=self._account.username)]
            )
        if record.state != STATE_AUTHORIZED:
            raise self._dead_problem(record)
        self._record = record
        return record

    def _fresh(self, record: TokenRecord) -> bool:
        return record.expires_at - LEEWAY_SECONDS > self._clock()

    def _check_store(self, stale: str) -> tuple[TokenRecord, int, bool]:
        """The stored record, its version, and whether it is a valid token other than ``stale``.

        True means another worker renewed meanwhile and its token can be used as is.
        """
        record, version = read_record(self._host, self._account.id)
        if record is None:
            raise ProblemError(
                [problem("procountor.auth.not_authorized", self._locale, username=self._account.username)]
            )
        if record.state != STATE_AUTHORIZED:
            self._record = None
            raise self._dead_problem(record)
        usable = record.access_token != stale and self._fresh(record)
        if usable:
            self._record = record
        return record, version, usable

    # ------------------------------------------------------------------ renewing

    def _renew(self, *, stale: str) -> str:
        owner = f"{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex}"
        newer = self._wait_for_lease(owner, stale)
        if newer is not None:
            return newer.access_token
        try:
            return self._renew_holding_lease(stale)
        finally:
            self._host.leases.release(self.lease_key, owner)

    def _wait_for_lease(self, owner: str, stale: str) -> TokenRecord | None:
        """Take the account's refresh lease; while waiting, adopt a token another worker stored."""
        deadline = time.monotonic() + self._lease_ttl + 1.0
        while not self._host.leases.acquire(self.lease_key, owner, self._lease_ttl):
            record, _, usable = self._check_store(stale)
            if usable:
                return record
            if time.monotonic() > deadline:
                raise ProblemError(
                    [problem("procountor.auth.refresh_busy", self._locale, username=self._account.username)]
                )
            time.sleep(POLL_SECONDS * (1 + random.random()))  # noqa: S311 - jitter, not security
        return None

    def _renew_holding_lease(self, stale: str) -> str:
        record, version, usable = self._check_store(stale)
        if usable:
            return record.access_token
        try:
            issued = self._obtain(record)
        except TokenRefused as exc:
            return self._after_refusal(record, version, exc)
        except ProcountorUnavailable as exc:
            raise ProblemError(
                [problem("procountor.unavailable", self._locale, reason=exc.reason, call=exc.call)]
            ) from None
        renewed = TokenRecord(
            method=record.method,
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_at=issued.expires_at,
            company_id=record.company_id,
            company_name=record.company_name,
            business_id=record.business_id,
        )
        return self._store_renewed(renewed, record, version).access_token

    def _obtain(self, record: TokenRecord) -> IssuedToken:
        if record.method == METHOD_API_KEY:
            api_key = _api_key(self._account)
            if api_key is None:
                raise TokenRefused("invalid_grant", "no API key in the account settings")
            return self._endpoint.client_credentials(api_key)
        if record.method == METHOD_LOGIN and record.refresh_token:
            return self._endpoint.refresh(record.refresh_token)
        raise TokenRefused("invalid_grant", "no refresh token stored")

    def _after_refusal(self, record: TokenRecord, version: int, exc: TokenRefused) -> str:
        """A refused renewal is final only if nobody stored a newer authorization meanwhile."""
        current, current_version = read_record(self._host, self._account.id)
        if (
            current is not None
            and current_version != version
            and current.state == STATE_AUTHORIZED
            and current.access_token != record.access_token
        ):
            self._record = current
            return current.access_token
        if not exc.grant_refused:
            # invalid_client & co: our configuration is wrong, the authorization may be fine.
            log.warning("procountor token endpoint refused the client: %s", exc.error)
            raise ProblemError([problem("procountor.config.invalid", self._locale, reason="client_refused")]) from None
        log.info("procountor refused to renew the token of account %s: %s", self._account.id, exc.error)
        state = self._dead_state(record)
        if write_state(self._host, self._account.id, state, access_token=record.access_token):
            tell_host(self._host, self._account, state, self._locale)
        self._record = None
        raise self._dead_problem(record) from None

    def _store_renewed(self, renewed: TokenRecord, base: TokenRecord, version: int) -> TokenRecord:
        """Compare-and-swap the renewed token in; defer to a newer authorization if one appeared."""
        for _ in range(CAS_ATTEMPTS):
            if self._host.credentials.put(self._account.id, renewed.to_data(), version):
                self._record = renewed
                return renewed
            current, version = read_record(self._host, self._account.id)
            if current is None:
                # The account was removed meanwhile: do not resurrect it, and end the grant this
                # renewal obtained, which nobody else knows of (no grant outlives its account).
                self._orphaned(renewed)
                raise ProblemError(
                    [problem("procountor.auth.not_authorized", self._locale, username=self._account.username)]
                )
            replaced = current.refresh_token != base.refresh_token or current.access_token != base.access_token
            if replaced and current.state == STATE_AUTHORIZED:
                if base.method != METHOD_API_KEY and current.refresh_token not in (
                    base.refresh_token,
                    renewed.refresh_token,
                ):
                    # A new login replaced the grant this renewal came from: ours is orphaned.
                    self._orphaned(renewed)
                self._record = current
                return current
            # Same authorization, only another field (e.g. state) changed: our token is the newest.
        raise ProblemError([problem("procountor.auth.refresh_busy", self._locale, username=self._account.username)])

    def _orphaned(self, renewed: TokenRecord) -> None:
        """End a grant this worker renewed after its account was removed or authorized anew."""
        try:
            status = self._endpoint.logout(renewed.access_token)
        except ProcountorUnavailable as exc:
            status = 0
            log.warning("procountor.auth.logout_failed (account %s): %s", self._account.id, exc.detail)
        log.info(
            "procountor grant renewed for account %s after it was replaced: logout HTTP %s", self._account.id, status
        )

    # ------------------------------------------------------------------ dead authorizations

    @staticmethod
    def _dead_state(record: TokenRecord | None) -> NoticeState:
        return STATE_REVOKED if record is not None and record.method == METHOD_API_KEY else STATE_EXPIRED

    def _dead_problem(self, record: TokenRecord | None) -> ProblemError:
        """``revoked`` for a refused API key, ``expired`` for a login; a stored state wins."""
        state = self._dead_state(record) if record is None or record.state == STATE_AUTHORIZED else record.state
        code = "procountor.auth.api_key_refused" if state == STATE_REVOKED else "procountor.auth.expired"
        return ProblemError([problem(code, self._locale, username=self._account.username)])


def _api_key(account: IntegrationAccount) -> Secret | None:
    """The account's API key setting, trimmed; None when empty."""
    from nmbrs_procountor_plugin.provider import AccountSettings

    return AccountSettings.of(account).api_key
