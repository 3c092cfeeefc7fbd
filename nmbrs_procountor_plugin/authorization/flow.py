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
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

import requests

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import AccountStatus, Actor, Administration, AuthorizationState, IntegrationAccount
from nmbrs_procountor_plugin.api.client import CONNECT_TIMEOUT, ProcountorClient
from nmbrs_procountor_plugin.api.credentials import STATE_AUTHORIZED, STATE_EXPIRED, STATE_REVOKED, TokenRecord
from nmbrs_procountor_plugin.api.environment import Endpoints, endpoints
from nmbrs_procountor_plugin.api.errors import ProcountorApiError, ProcountorError, ProcountorUnavailable
from nmbrs_procountor_plugin.api.tokens import CAS_ATTEMPTS, IssuedToken, TokenEndpoint, TokenRefused, read_record
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import METHOD_API_KEY, METHOD_LOGIN, PROVIDER_KEY, AccountSettings
from nmbrs_procountor_plugin.rights import require_write

log = logging.getLogger(__name__)

STATE_TTL_SECONDS: Final = 600
LOGOUT_READ_TIMEOUT: Final = 10.0
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
    endpoint = TokenEndpoint(config, urls)
    method = str(pending.data.get("method") or METHOD_LOGIN)
    issued = _issue(account, actor, params, endpoint, method)
    company = _read_company(urls, issued, actor.locale, config.timeout_seconds)
    record = TokenRecord(
        method=method,
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_at=issued.expires_at,
        company_id=str(company["id"]),
        company_name=str(company["name"]),
        business_id=_business_id(company),
    )
    _refuse_company_switch(account, record, host, actor.locale, urls.logout, config.timeout_seconds)
    previous, _ = read_record(host, account.id)
    _store(host, account, record, actor.locale)
    if previous is not None and previous.access_token != record.access_token:
        # The replaced grant would otherwise stay usable at Procountor until it expires.
        _end_grant(account, previous.access_token, urls.logout, config.timeout_seconds)
    log.info("procountor account %s authorized for company %s", account.id, record.company_id)
    return _status(account, record, actor.locale)


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
            [problem("procountor.unavailable", actor.locale, reason=exc.reason, request=exc.request)]
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
        raise ProblemError([problem("procountor.auth.exchange_failed", self._locale, detail="GET /company HTTP 401")])

    def mark_expired(self) -> None:
        return None


def _read_company(urls: Endpoints, issued: IssuedToken, locale: str, timeout: float) -> dict[str, Any]:
    """The company the admin chose on the login page (one authorization is one company)."""
    client = ProcountorClient(urls.api, _JustIssued(issued.access_token, locale), timeout=timeout)
    try:
        company = client.company()
    except ProcountorUnavailable as exc:
        raise ProblemError(
            [problem("procountor.unavailable", locale, reason=exc.reason, request=exc.request)]
        ) from None
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
    account: IntegrationAccount, record: TokenRecord, host: PluginHost, locale: str, logout_url: str, timeout: float
) -> None:
    """Keep an account on the company its mappings point to.

    One account is one Procountor company (the seed article: another administration needs
    another account). Choosing another company at a re-login would leave every mapping of the
    account pointing at the old one; the new grant is ended at Procountor and the old
    authorization stays as it was.
    """
    mapped = {m.administration_id for m in host.mappings.for_account(account.id)}
    if not mapped or record.company_id in mapped:
        return
    _end_grant(account, record.access_token, logout_url, timeout)
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


def _post_logout(logout_url: str, access_token: str, timeout: float) -> requests.Response:
    """``POST /logout`` (at the host root) with a short read timeout: removal must not hang."""
    return requests.post(
        logout_url,
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        timeout=(CONNECT_TIMEOUT, min(timeout, LOGOUT_READ_TIMEOUT)),
    )


def _end_grant(account: IntegrationAccount, access_token: str, logout_url: str, timeout: float) -> None:
    """Log a grant out at Procountor, best effort: a failure is logged, never raised."""
    try:
        _post_logout(logout_url, access_token, timeout)
    except requests.exceptions.RequestException as exc:
        _warn_logout_failed(account, type(exc).__name__)


def _store(host: PluginHost, account: IntegrationAccount, record: TokenRecord, locale: str) -> None:
    """Compare-and-swap the fresh authorization in; a new login replaces whatever was there."""
    for _ in range(CAS_ATTEMPTS):
        current = host.credentials.get(account.id)
        if host.credentials.put(account.id, record.to_data(), current.version if current else 0):
            return
    raise ProblemError([problem("procountor.auth.refresh_busy", locale, username=account.username)])


# --------------------------------------------------------------------------- nmbrs_account_status


def account_status(account: IntegrationAccount, host: PluginHost) -> AccountStatus:
    """What the icon shows, from the stored record only (no Procountor call; English: no actor)."""
    record, _ = read_record(host, account.id)
    if record is None:
        return AccountStatus("unauthorized", _text("procountor.auth.not_authorized", username=account.username))
    return _status(account, record, None)


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


def account_removed(account: IntegrationAccount, actor: Actor, host: PluginHost) -> None:
    """Log out at Procountor (best effort, bounded), then always forget the credentials."""
    require_write(actor, ACTION_REMOVE)
    try:
        _logout(account, host)
    finally:
        host.credentials.delete(account.id)
        log.info("procountor credentials of account %s forgotten", account.id)


def _logout(account: IntegrationAccount, host: PluginHost) -> None:
    record, _ = read_record(host, account.id)
    if record is None or record.state != STATE_AUTHORIZED:
        return
    try:
        config = host.provider_config(PROVIDER_KEY)
        from nmbrs_procountor_plugin.api.connection import token_source

        # A valid token is needed to end the whole grant (refresh token included) at Procountor.
        token = token_source(account, host, None, record).access_token()
        response = _post_logout(endpoints(config).logout, token, config.timeout_seconds)
    except (ProblemError, ProcountorError, requests.exceptions.RequestException) as exc:
        _warn_logout_failed(account, _failure(exc))
        return
    if response.status_code == 401:
        log.info("procountor logout of account %s: the token was already invalid", account.id)
    elif not 200 <= response.status_code < 300:
        _warn_logout_failed(account, f"HTTP {response.status_code}")


def _failure(exc: Exception) -> str:
    """A secret-free description of why the logout did not happen."""
    if isinstance(exc, ProblemError):
        return ", ".join(exc.codes)
    return type(exc).__name__


def _warn_logout_failed(account: IntegrationAccount, detail: str) -> None:
    found = problem("procountor.auth.logout_failed", None, detail=detail)
    log.warning("%s (account %s): %s", found.code, account.id, found.message)
