"""Open a Procountor client for an account: the one door every area goes through.

(Minimal first version: uses the stored access token as is. The token lifecycle — refresh ahead
of expiry, compare-and-swap, expiry status — replaces ``StoredTokenSource`` with its issue.)
"""

from __future__ import annotations

from hookspecs.errors import ProblemError
from hookspecs.protocols import PluginHost
from hookspecs.types import IntegrationAccount
from nmbrs_procountor_plugin.client import ProcountorClient
from nmbrs_procountor_plugin.credentials import STATE_AUTHORIZED, TokenRecord
from nmbrs_procountor_plugin.environment import endpoints
from nmbrs_procountor_plugin.messages import problem


class StoredTokenSource:
    def __init__(self, record: TokenRecord) -> None:
        self._record = record

    def access_token(self) -> str:
        return self._record.access_token

    def refresh_after_rejection(self, rejected: str) -> str:
        return self._record.access_token

    def mark_expired(self) -> None:
        return None


def stored_record(account: IntegrationAccount, host: PluginHost, locale: str | None) -> TokenRecord:
    """The account's authorization, or the problem that says there is none."""
    stored = host.credentials.get(account.id)
    if stored is None:
        raise ProblemError([problem("procountor.auth.not_authorized", locale, username=account.username)])
    record = TokenRecord.from_data(stored.data)
    if record.state != STATE_AUTHORIZED:
        raise ProblemError([problem("procountor.auth.expired", locale, username=account.username)])
    return record


def open_client(account: IntegrationAccount, host: PluginHost, locale: str | None) -> ProcountorClient:
    """A client for the company the account is authorized for; ProblemError when it is not."""
    config = host.provider_config(account.provider)
    urls = endpoints(config, locale)
    record = stored_record(account, host, locale)
    return ProcountorClient(urls.api, StoredTokenSource(record), timeout=config.timeout_seconds)
