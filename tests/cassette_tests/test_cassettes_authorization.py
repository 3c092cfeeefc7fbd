"""Recorded token exchanges: code exchange, API-key token, refresh, 401 → refresh → retry, logout.

Each test asserts what the plugin sent (the recorded, scrubbed requests), what it made of the
answers, and that the whole conversation was played.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount
from nmbrs_procountor_devtools.conformance.scrub import REDACTED
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from tests.cassette_tests.conftest import Target
from tests.cassette_tests.support import all_played, calls, exchanges

pytestmark = pytest.mark.vcr

TOKEN = "/api/oauth/token"


def record_of(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord:
    stored = host.credentials.get(account.id)
    assert stored is not None
    return TokenRecord.from_data(stored.data)


def test_code_exchange_then_company_read(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    params = target.login(host.authorization_url(admin, account.id))

    status = host.authorization_callback(admin, account.id, params)

    assert calls(vcr) == [f"POST {TOKEN} -> 200", "GET /api/company -> 200"]
    token, company = exchanges(vcr)
    assert token.form == {
        "grant_type": "authorization_code",
        "code": REDACTED,
        "redirect_uri": target.origin.redirect_uri,
        "client_id": target.origin.client_id,
        "client_secret": REDACTED,
    }
    assert token.query == {}  # credentials in the body only
    assert token.answer["access_token"] == REDACTED
    assert token.answer["refresh_token"] == REDACTED
    assert company.answer["id"] == int(target.origin.company_id)

    assert status.state == "authorized"
    assert status.administration is not None
    assert (status.administration.id, status.administration.name) == (
        target.origin.company_id,
        target.origin.company_name,
    )
    record = record_of(host, account)
    assert record.method == "login"
    assert record.refresh_token
    assert record.expires_at > time.time() + 600  # from the replayed expires_in, not a recorded clock
    assert all_played(vcr)


def test_api_key_token_then_company_read(vcr: Any, target: Target, host: ReferenceHost, admin: Actor) -> None:
    account = host.create_account(
        admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": target.api_key()}
    )
    url = host.authorization_url(admin, account.id)
    assert url.startswith(target.origin.redirect_uri + "?state=")  # no login page for an API key
    state = url.split("state=", 1)[1]

    status = host.authorization_callback(admin, account.id, {"state": state})

    assert calls(vcr) == [f"POST {TOKEN} -> 200", "GET /api/company -> 200"]
    token = exchanges(vcr)[0]
    assert token.form == {
        "grant_type": "client_credentials",
        "api_key": REDACTED,
        "redirect_uri": target.origin.redirect_uri,
        "client_id": target.origin.client_id,
        "client_secret": REDACTED,
    }
    assert "refresh_token" not in token.answer
    assert status.state == "authorized"
    record = record_of(host, account)
    assert (record.method, record.refresh_token, record.company_id) == ("api_key", None, target.origin.company_id)
    assert all_played(vcr)


def test_refresh_ahead_of_expiry(vcr: Any, target: Target, host: ReferenceHost, account: IntegrationAccount) -> None:
    before = target.authorize(host, account, expires_in=30)  # inside the 60 s leeway

    company = open_client(account, host, "en").company()

    assert calls(vcr) == [f"POST {TOKEN} -> 200", "GET /api/company -> 200"]
    assert exchanges(vcr)[0].form == {
        "grant_type": "refresh_token",
        "refresh_token": REDACTED,
        "client_id": target.origin.client_id,
        "client_secret": REDACTED,
    }
    assert company["id"] == int(target.origin.company_id)
    after = record_of(host, account)
    assert after.access_token != before.access_token
    assert after.refresh_token  # rotated (or kept) and stored
    assert after.expires_at > time.time() + 600
    assert host.credentials.get(account.id).version == 2  # type: ignore[union-attr]
    assert all_played(vcr)


def test_401_then_refresh_then_retry(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    target.invalidate_access_token(host, authorized_account)  # Procountor ended it; our clock trusts it

    company = open_client(authorized_account, host, "en").company()

    assert calls(vcr) == ["GET /api/company -> 401", f"POST {TOKEN} -> 200", "GET /api/company -> 200"]
    assert exchanges(vcr)[1].form["grant_type"] == "refresh_token"
    assert company["id"] == int(target.origin.company_id)
    assert host.account_status(admin, authorized_account.id).state == "authorized"
    assert all_played(vcr)


def test_logout_on_removal(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    host.remove_account(admin, authorized_account.id)

    assert calls(vcr) == ["POST /logout -> 200"]
    [logout] = vcr.requests
    assert logout.headers["Authorization"] == f"Bearer {REDACTED}"
    assert not logout.body
    assert host.credentials.get(authorized_account.id) is None
    assert host.accounts.get(authorized_account.id) is None
    assert all_played(vcr)
