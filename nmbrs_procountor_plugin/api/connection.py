"""Open a Procountor client for an account: the one door every area goes through.

The client gets a :class:`~nmbrs_procountor_plugin.api.tokens.HostTokenSource`, so every area
(mapping, export) refreshes ahead of expiry, survives rotation across workers, and turns a dead
authorization into ``procountor.auth.expired`` / ``procountor.auth.revoked`` in one place.
"""

from __future__ import annotations

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import IntegrationAccount
from nmbrs_procountor_plugin.api.client import ProcountorClient, new_http_session
from nmbrs_procountor_plugin.api.credentials import STATE_AUTHORIZED, STATE_REVOKED, TokenRecord
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.pacing import pacer_for
from nmbrs_procountor_plugin.api.tokens import HostTokenSource, TokenEndpoint
from nmbrs_procountor_plugin.messages import problem


def stored_record(account: IntegrationAccount, host: PluginHost, locale: str | None) -> TokenRecord:
    """The account's authorization, or the problem that says there is none (or that it died)."""
    stored = host.credentials.get(account.id)
    if stored is None:
        raise ProblemError([problem("procountor.auth.not_authorized", locale, username=account.username)])
    record = TokenRecord.from_data(stored.data)
    if record.state == STATE_REVOKED:
        raise ProblemError([problem("procountor.auth.api_key_refused", locale, username=account.username)])
    if record.state != STATE_AUTHORIZED:
        raise ProblemError([problem("procountor.auth.expired", locale, username=account.username)])
    return record


def token_source(
    account: IntegrationAccount, host: PluginHost, locale: str | None, record: TokenRecord | None = None
) -> HostTokenSource:
    """The account's token source (refreshing, lease-serialised, written through by CAS)."""
    config = host.provider_config(account.provider)
    urls = endpoints(config, locale)
    endpoint = TokenEndpoint(config, urls, pacer=pacer_for(host, config, urls))
    return HostTokenSource(account, host, endpoint, locale, record=record)


def open_client(account: IntegrationAccount, host: PluginHost, locale: str | None) -> ProcountorClient:
    """A client for the company the account is authorized for; ProblemError when it is not."""
    config = host.provider_config(account.provider)
    urls = endpoints(config, locale)
    record = stored_record(account, host, locale)
    pacer = pacer_for(host, config, urls)
    http = new_http_session(pacer)  # one keep-alive pool for the API calls and the token calls
    endpoint = TokenEndpoint(config, urls, pacer=pacer, http=http)
    tokens = HostTokenSource(account, host, endpoint, locale, record=record)
    return ProcountorClient(urls.api, tokens, timeout=config.timeout_seconds, session=http, pacer=pacer)
