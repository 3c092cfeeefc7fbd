"""The authorization hooks: the icon's URL, the redirect back, the icon's state, and removal.

Why it is shaped this way:

* ``state`` is ours, not authlib's: authlib skips its state check when the session holds no
  saved state, so the CSRF protection is the host's single-use, expiring state store. A state is
  random (``secrets``), bound to one account and to the user who clicked, and valid 10 minutes.
* Every refusal in the callback (bad state, provider error, missing code, refused exchange)
  raises before anything is written, so a failed attempt never replaces a working authorization.
* The API-key method has no Procountor login page. Clicking the icon still goes through the
  same two steps so a host needs no special case: the URL points straight at the host's own
  redirect URI with a fresh ``state`` (no code), and the callback validates the key by fetching a
  ``client_credentials`` token and reading the company the key belongs to. The key itself stays
  in the account settings (a ``secret`` field the host masks); only tokens are stored.
* ``account_status`` never calls Procountor: it reads the record the token lifecycle keeps up to
  date (``expired``/``revoked`` are written there when a renewal is refused).
* A grant is never just forgotten: removal and a new login end the old grant at Procountor
  (``ending.py``), and say so in the answer when even that fails.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import (
    AccountStatus,
    Actor,
    Administration,
    AuthorizationState,
    IntegrationAccount,
    Problem,
)
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.credentials import STATE_AUTHORIZED, STATE_EXPIRED, STATE_REVOKED, TokenRecord
from nmbrs_procountor_plugin.api.environment import Endpoints, endpoints
from nmbrs_procountor_plugin.api.errors import ProcountorApiError, ProcountorUnavailable
from nmbrs_procountor_plugin.api.pacing import Pacer, pacer_for
from nmbrs_procountor_plugin.api.payloads import Company
from nmbrs_procountor_plugin.api.token_answers import TokenRefused
from nmbrs_procountor_plugin.api.tokens import CAS_ATTEMPTS, IssuedToken, TokenEndpoint, lease_key, read_record
from nmbrs_procountor_plugin.authorization.ending import end_grant
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import METHOD_API_KEY, METHOD_LOGIN, PROVIDER_KEY, AccountSettings
from nmbrs_procountor_plugin.rights import require_write

log = logging.getLogger(__name__)

STATE_TTL_SECONDS: Final = 600
# A removal waits this long for a renewal in flight to finish before it ends the grant.
LEASE_WAIT_SECONDS: Final = 15.0
LEASE_POLL_SECONDS: Final = 0.05
ACTION_AUTHORIZE: Final = "authorize"
ACTION_REMOVE: Final = "remove"
_SAFE_ERROR = re.compile(r"[^A-Za-z0-9_.-]")


# --------------------------------------------------------------------------- nmbrs_authorization_url


def authorization_url(account: IntegrationAccount, actor: Actor, host: PluginHost) -> str:
    """Where the admin's browser goes: Procountor's login page (or, for an API key, straight back)."""
    require_write(actor, ACTION_AUTHORIZE)
    config = host.provider_config(PROVIDER_KEY)
    urls = endpoints(config, actor.locale)
    settings = AccountSettings.of(account, actor.locale)
    if settings.authorization_method == METHOD_API_KEY and settings.api_key is None:
        raise ProblemError([problem("procountor.auth.api_key_missing", actor.locale, username=account.username)])
    state = _new_state(account, actor, settings.authorization_method, host)
    if settings.authorization_method == METHOD_API_KEY:
        return f"{config.redirect_uri}?{urlencode({'state': state})}"
    query = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": config.redirect_uri,
        "state": state,
    }
    return f"{urls.login}?{urlencode(query)}"


def _new_state(account: IntegrationAccount, actor: Actor, method: str, host: PluginHost) -> str:
    """A random, single-use state bound to the account and the clicking user, kept by the host."""
    value = secrets.token_urlsafe(32)
    host.authorization_states.put(
        AuthorizationState(
            state=value,
            account_id=account.id,
            expires_at=time.time() + STATE_TTL_SECONDS,
            data={"method": method, "user_id": actor.user_id},
        )
    )
    return value


# --------------------------------------------------------------------------- nmbrs_authorization_callback


def authorization_callback(
    account: IntegrationAccount, actor: Actor, params: Mapping[str, str], host: PluginHost
) -> AccountStatus:
    """Check the redirect, exchange the code (or validate the API key), store, report the company."""
    require_write(actor, ACTION_AUTHORIZE)
    pending = _consume_state(account, actor, params, host)
    _refuse_provider_error(params, actor.locale)
    config = host.provider_config(PROVIDER_KEY)
    urls = endpoints(config, actor.locale)
    pacer = pacer_for(host, config, urls)
    endpoint = TokenEndpoint(config, urls, pacer=pacer)
    method = str(pending.data.get("method") or METHOD_LOGIN)
    issued = _issue(account, actor, params, endpoint, method)
    company = _read_company(urls, issued, actor.locale, config.timeout_seconds, pacer)
    record = TokenRecord(
        method=method,
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_at=issued.expires_at,
        company_id=str(company["id"]),
        company_name=str(company["name"]),
        business_id=_business_id(company),
    )
    _refuse_company_switch(account, record, host, actor.locale, endpoint)
    previous = _store(host, account, record, actor.locale)
    warnings: list[Problem] = []
    if previous is not None and previous.access_token != record.access_token:
        # The replaced grant would otherwise stay usable at Procountor (its refresh token forever).
        warnings = _end(account, previous, endpoint, actor.locale)
    log.info("procountor account %s authorized for company %s", account.id, record.company_id)
    status = _status(account, record, actor.locale)
    return AccountStatus(status.state, status.message, status.administration, tuple(warnings))


def _consume_state(
    account: IntegrationAccount, actor: Actor, params: Mapping[str, str], host: PluginHost
) -> AuthorizationState:
    """The pending state, consumed; refused when missing, unknown, used, expired or not ours."""
    value = params.get("state")
    pending = host.authorization_states.consume(value) if isinstance(value, str) and value else None
    if (
        pending is None
        or pending.account_id != account.id
        or pending.data.get("user_id") != actor.user_id
        or pending.expires_at <= time.time()
    ):
        log.info("procountor callback for account %s refused: state invalid", account.id)
        raise ProblemError([problem("procountor.auth.state_invalid", actor.locale, field="state")])
    return pending


def _refuse_provider_error(params: Mapping[str, str], locale: str) -> None:
    error = params.get("error")
    if error is None:
        return
    if error == "access_denied":
        raise ProblemError([problem("procountor.auth.denied", locale)])
    shown = _SAFE_ERROR.sub("", str(error))[:40] or "unknown"
    raise ProblemError([problem("procountor.auth.provider_error", locale, error=shown)])


def _issue(
    account: IntegrationAccount, actor: Actor, params: Mapping[str, str], endpoint: TokenEndpoint, method: str
) -> IssuedToken:
    """Tokens for the account: exchange the code, or validate the API key with client_credentials."""
    try:
        if method == METHOD_API_KEY:
            api_key = AccountSettings.of(account, actor.locale).api_key
            if api_key is None:
                raise ProblemError(
                    [problem("procountor.auth.api_key_missing", actor.locale, username=account.username)]
                )
            return endpoint.client_credentials(api_key)
        code = params.get("code")
        if not code:
            raise ProblemError([problem("procountor.auth.code_missing", actor.locale, field="code")])
        return endpoint.exchange_code(code)
    except TokenRefused as exc:
        log.info("procountor refused the token request of account %s: %s", account.id, exc.error)
        if method == METHOD_API_KEY and exc.grant_refused:
            raise ProblemError(
                [problem("procountor.auth.api_key_refused", actor.locale, username=account.username)]
            ) from None
        raise ProblemError([problem("procountor.auth.exchange_failed", actor.locale, detail=exc.error)]) from None
    except ProcountorUnavailable as exc:
        raise ProblemError(
            [problem("procountor.unavailable", actor.locale, reason=exc.reason, call=exc.call)]
        ) from None


class _JustIssued:
    """The token source of the one call made right after issuing: no refresh is possible or needed."""

    def __init__(self, token: str, locale: str) -> None:
        self._token = token
        self._locale = locale

    def __repr__(self) -> str:
        return "_JustIssued()"

    def access_token(self) -> str:
        return self._token

    def refresh_after_rejection(self, rejected: str) -> str:
        # Nothing to renew: the token is minutes old. The client tries it again after a pause
        # (not yet valid everywhere behind the gateway); a lasting 401 becomes exchange_failed.
        return self._token


def _read_company(urls: Endpoints, issued: IssuedToken, locale: str, timeout: float, pacer: Pacer) -> Company:
    """The company the admin chose on the login page (one authorization is one company)."""
    client = ProcountorClient(urls.api, _JustIssued(issued.access_token, locale), timeout=timeout, pacer=pacer)
    try:
        company = client.company()
    except ProcountorUnavailable as exc:
        raise ProblemError([problem("procountor.unavailable", locale, reason=exc.reason, call=exc.call)]) from None
    except ProcountorApiError as exc:
        raise ProblemError(
            [
                problem(
                    "procountor.auth.exchange_failed",
                    locale,
                    detail=f"GET /company HTTP {exc.status}",
                )
            ]
        ) from None
    if company.get("id") is None or not str(company.get("name") or "").strip():
        raise ProblemError([problem("procountor.auth.exchange_failed", locale, detail="GET /company: id, name")])
    return company


def _business_id(company: Mapping[str, Any]) -> str:
    """``businessIdentifier`` is an object ``{brnType, code}`` in the API; tolerate a plain string."""
    value = company.get("businessIdentifier") or company.get("businessId") or ""
    if isinstance(value, Mapping):
        value = value.get("code") or ""
    return str(value)


def _refuse_company_switch(
    account: IntegrationAccount, record: TokenRecord, host: PluginHost, locale: str, endpoint: TokenEndpoint
) -> None:
    """Keep an account on the company its mappings point to.

    One account is one Procountor company (the help article, docs/product.md §3: another administration needs
    another account). Choosing another company at a re-login would leave every mapping of the
    account pointing at the old one; the new grant is ended at Procountor and the old
    authorization stays as it was.
    """
    mapped = {m.administration_id for m in host.mappings.for_account(account.id)}
    if not mapped or record.company_id in mapped:
        return
    _end(account, record, endpoint, locale)
    raise ProblemError(
        [
            problem(
                "procountor.auth.company_changed",
                locale,
                username=account.username,
                chosen_name=record.company_name,
                chosen_id=record.company_id,
                mapped=tuple(sorted(mapped)),
                field="company",
            )
        ]
    )


def _end(
    account: IntegrationAccount, record: TokenRecord, endpoint: TokenEndpoint, locale: str | None
) -> list[Problem]:
    """End ``record``'s grant; the warning for the admin when it stays alive at Procountor."""
    ending = end_grant(record, endpoint)
    if ending.ended:
        log.info("procountor grant of account %s ended: %s", account.id, ending.how)
        return []
    found = problem("procountor.auth.logout_failed", locale, username=account.username, detail=ending.code)
    log.warning("%s (account %s): %s", found.code, account.id, ending.detail)
    return [found]


def _store(host: PluginHost, account: IntegrationAccount, record: TokenRecord, locale: str) -> TokenRecord | None:
    """Compare-and-swap the fresh authorization in; the record it replaced (to be ended), if any."""
    for _ in range(CAS_ATTEMPTS):
        current, version = read_record(host, account.id)
        if host.credentials.put(account.id, record.to_data(), version):
            return current
    raise ProblemError([problem("procountor.auth.refresh_busy", locale, username=account.username)])


# --------------------------------------------------------------------------- nmbrs_account_status


def account_status(account: IntegrationAccount, actor: Actor, host: PluginHost) -> AccountStatus:
    """What the icon shows, in the actor's language, from the stored record only (no Procountor call)."""
    record, _ = read_record(host, account.id)
    if record is None:
        return AccountStatus(
            "unauthorized", _text("procountor.auth.not_authorized", actor.locale, username=account.username)
        )
    return _status(account, record, actor.locale)


def _status(account: IntegrationAccount, record: TokenRecord, locale: str | None) -> AccountStatus:
    administration = Administration(id=record.company_id, name=record.company_name, business_id=record.business_id)
    if record.state == STATE_AUTHORIZED:
        text = _text(
            "procountor.auth.authorized",
            locale,
            username=account.username,
            company_name=record.company_name,
            company_id=record.company_id,
        )
        return AccountStatus("authorized", text, administration)
    if record.state == STATE_REVOKED:
        return AccountStatus(
            "revoked", _text("procountor.auth.api_key_refused", locale, username=account.username), administration
        )
    return AccountStatus(
        STATE_EXPIRED, _text("procountor.auth.expired", locale, username=account.username), administration
    )


def _text(
    code: str, locale: str | None = None, *, username: str, company_name: str | None = None, company_id: str = ""
) -> str:
    """A status message: what is the case, then what to do. Only ``procountor.auth.authorized``
    names the company; every entry is given exactly its own parameters."""
    if company_name is None:
        found = problem(code, locale, username=username)
    else:
        found = problem(code, locale, username=username, company_name=company_name, company_id=company_id)
    return f"{found.message} {found.hint}" if found.hint else found.message


# --------------------------------------------------------------------------- nmbrs_account_removed


def account_removed(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Problem]:
    """End the grant at Procountor (bounded), then always forget the credentials; warnings if it lives on."""
    require_write(actor, ACTION_REMOVE)
    owner = f"remove:{secrets.token_hex(8)}"
    holding = _wait_for_lease(host, account.id, owner)
    try:
        return _end_stored(account, host, actor.locale)
    finally:
        host.credentials.delete(account.id)
        if holding:
            host.leases.release(lease_key(account.id), owner)
        log.info("procountor credentials of account %s forgotten", account.id)


def _wait_for_lease(host: PluginHost, account_id: str, owner: str) -> bool:
    """Hold the account's renewal lease, so no worker rotates the refresh token while it is ended.

    Gives up after a while (a worker that died holding it); a renewal that lands after the
    removal then ends the grant it got itself (``HostTokenSource``).
    """
    deadline = time.monotonic() + LEASE_WAIT_SECONDS
    while not host.leases.acquire(lease_key(account_id), owner, LEASE_WAIT_SECONDS * 2):
        if time.monotonic() > deadline:
            return False
        time.sleep(LEASE_POLL_SECONDS)
    return True


def _end_stored(account: IntegrationAccount, host: PluginHost, locale: str) -> list[Problem]:
    """End the stored grant whatever its recorded state: an "expired" record may hold a live one."""
    record, _ = read_record(host, account.id)
    if record is None:
        return []
    try:
        config = host.provider_config(PROVIDER_KEY)
        urls = endpoints(config, locale)
        endpoint = TokenEndpoint(config, urls, pacer=pacer_for(host, config, urls))
    except ProblemError as refused:
        found = problem("procountor.auth.logout_failed", locale, username=account.username, detail=refused.codes[0])
        log.warning("%s (account %s): %s", found.code, account.id, refused.codes[0])
        return [found]
    warnings = _end(account, record, endpoint, locale)
    latest, _ = read_record(host, account.id)
    if latest is not None and latest.access_token != record.access_token:
        # A renewal or login stored meanwhile (the lease was not to be had): end that one too.
        warnings = _end(account, latest, endpoint, locale)
    return warnings
