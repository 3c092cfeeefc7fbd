"""Ending a grant at Procountor: when an account is removed and when a new login replaces it.

A grant that is only forgotten stays alive at Procountor: its refresh token keeps working for
anyone who copied it. So ending never gives up on the first refusal:

1. log out with the stored access token (unless our own clock says it expired);
2. if Procountor refuses that token (401), renew it with the refresh token and log out with
   the new one: a logout ends the whole grant, refresh token included (docs/sandbox.md);
   a 401 right after the renewal is retried once after a short pause (a new token is not
   valid everywhere behind Procountor's gateway at once);
3. a refresh token the token endpoint refuses is a grant that is already dead: ended too.

Anything else (Procountor unreachable, the client refused) is a failure the admin must hear
of, without a secret in it: the caller logs it and returns it as a warning telling them to end
the session in Procountor. An API key cannot be ended from here (only revoked in Procountor's
UI); its access token is logged out and its key is the admin's to revoke.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.api.token_answers import TokenRefused
from nmbrs_procountor_plugin.api.tokens import OAUTH_CALL, TokenEndpoint
from nmbrs_procountor_plugin.provider import METHOD_API_KEY

log = logging.getLogger(__name__)

# How long a token the token endpoint has just issued may take to be accepted everywhere.
SETTLE_SECONDS: Final = 1.0
LOGOUT_CALL: Final = "POST /logout"
"""The logout call as support sees it in ``procountor.auth.logout_failed``."""
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class GrantEnding:
    """Whether the grant is dead at Procountor now, and (when not) a secret-free reason."""

    ended: bool
    detail: str = ""
    how: str = ""
    code: str = "-"
    """For the admin's message: the call and answer as a code (``POST /logout HTTP 502``), not English."""


def end_grant(
    record: TokenRecord,
    endpoint: TokenEndpoint,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Sleep = time.sleep,
    settle_seconds: float = SETTLE_SECONDS,
) -> GrantEnding:
    """End the grant ``record`` holds, renewing its access token to log out when it is refused."""
    if record.expires_at > clock():
        try:
            status = endpoint.logout(record.access_token)
        except ProcountorUnavailable as exc:
            return GrantEnding(False, exc.detail, code=exc.call)
        if 200 <= status < 300:
            return GrantEnding(True, how="logged out")
        if status != 401:
            return GrantEnding(False, f"logout answered HTTP {status}", code=f"{LOGOUT_CALL} HTTP {status}")
    if record.method == METHOD_API_KEY:
        # The token is dead already; the key itself can only be revoked in Procountor's UI.
        return GrantEnding(True, how="access token already invalid")
    if not record.refresh_token:
        return GrantEnding(
            False, "the access token is no longer valid and no refresh token is stored", code=f"{LOGOUT_CALL} HTTP 401"
        )
    return _renew_and_log_out(record.refresh_token, endpoint, sleep, settle_seconds)


def _renew_and_log_out(refresh_token: str, endpoint: TokenEndpoint, sleep: Sleep, settle_seconds: float) -> GrantEnding:
    try:
        issued = endpoint.refresh(refresh_token)
    except TokenRefused as refused:
        if refused.grant_refused:
            return GrantEnding(True, how=f"refresh token already refused ({refused.error})")
        return GrantEnding(False, f"the token endpoint answered {refused.error}", code=f"{OAUTH_CALL} {refused.error}")
    except ProcountorUnavailable as exc:
        return GrantEnding(False, exc.detail, code=exc.call)
    try:
        status = endpoint.logout(issued.access_token)
        if status == 401:
            sleep(settle_seconds)
            status = endpoint.logout(issued.access_token)
    except ProcountorUnavailable as exc:
        return GrantEnding(False, exc.detail, code=exc.call)
    if 200 <= status < 300:
        return GrantEnding(True, how="renewed, then logged out")
    return GrantEnding(False, f"logout answered HTTP {status} to a renewed token", code=f"{LOGOUT_CALL} HTTP {status}")
