"""No grant outlives its account: removal and re-authorization end the old grant at the sandbox,
whether its access token expired on our clock or Procountor already refuses it, with refresh-token
rotation on and off; and when even that fails the admin is told, without a secret.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
import requests

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.pacing import pacer_for
from nmbrs_procountor_plugin.api.tokens import TokenEndpoint
from nmbrs_procountor_plugin.authorization.ending import end_grant
from tests.conftest import make_host
from tests.test_authorization import browser_login

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

TOKEN_PATH = "/api/oauth/token"


@pytest.fixture(params=[True, False], ids=["rotation", "no-rotation"])
def rotating_sandbox(request: pytest.FixtureRequest, sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory(rotate_refresh_tokens=request.param)


@pytest.fixture
def rhost(rotating_sandbox: Sandbox) -> Iterator[ReferenceHost]:
    h = make_host(rotating_sandbox)
    yield h
    h.close()


@pytest.fixture
def raccount(rhost: ReferenceHost, admin: Actor) -> IntegrationAccount:
    return rhost.create_account(admin, "procountor", "bureau-procountor")


def record_of(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord:
    found = host.credentials.get(account.id)
    assert found is not None
    return TokenRecord.from_data(found.data)


def log_in(host: ReferenceHost, admin: Actor, account: IntegrationAccount) -> TokenRecord:
    status = host.authorization_callback(admin, account.id, browser_login(host.authorization_url(admin, account.id)))
    assert status.state == "authorized"
    assert status.problems == ()
    return record_of(host, account)


def make_access_token_unusable(host: ReferenceHost, sb: Sandbox, account: IntegrationAccount, how: str) -> None:
    """``expired``: our clock says so too; ``refused``: Procountor refuses it while our clock trusts it."""
    sb.expire_access_tokens()
    if how == "expired":
        found = host.credentials.get(account.id)
        assert found is not None
        assert host.credentials.put(account.id, {**found.data, "expires_at": int(time.time()) - 5}, found.version)


def refresh_answer(sb: Sandbox, refresh_token: str | None) -> requests.Response:
    return requests.post(
        f"{sb.base_url}{TOKEN_PATH}",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token or "",
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
        },
        timeout=5,
    )


def assert_grant_dead(sb: Sandbox, record: TokenRecord) -> None:
    """Neither the refresh token nor the access token of ``record`` works at the sandbox any more."""
    refreshed = refresh_answer(sb, record.refresh_token)
    assert refreshed.status_code == 400, refreshed.text
    assert "access_token" not in refreshed.json()
    call = requests.get(f"{sb.api_url}/company", headers={"Authorization": f"Bearer {record.access_token}"}, timeout=5)
    assert call.status_code == 401


def alive_grants(sb: Sandbox) -> int:
    return sb.live_grants()


@pytest.mark.parametrize("how", ["expired", "refused"])
def test_removal_ends_the_grant_whose_access_token_is_no_longer_accepted(
    rhost: ReferenceHost, rotating_sandbox: Sandbox, admin: Actor, raccount: IntegrationAccount, how: str
) -> None:
    sb = rotating_sandbox
    old = log_in(rhost, admin, raccount)
    make_access_token_unusable(rhost, sb, raccount, how)

    warnings = rhost.remove_account(admin, raccount.id)

    assert warnings == []
    assert rhost.credentials.get(raccount.id) is None
    assert_grant_dead(sb, old)
    assert alive_grants(sb) == 0
    logouts = [r.status for r in sb.request_log if r.path == "/logout"]
    assert logouts == ([200] if how == "expired" else [401, 200])  # renewed, then logged out


@pytest.mark.parametrize("how", ["expired", "refused"])
def test_a_new_login_ends_the_grant_it_replaces(
    rhost: ReferenceHost, rotating_sandbox: Sandbox, admin: Actor, raccount: IntegrationAccount, how: str
) -> None:
    sb = rotating_sandbox
    old = log_in(rhost, admin, raccount)
    make_access_token_unusable(rhost, sb, raccount, how)  # an hour after the last call

    new = log_in(rhost, admin, raccount)

    assert new.access_token != old.access_token
    assert_grant_dead(sb, old)
    assert alive_grants(sb) == 1
    works = requests.get(f"{sb.api_url}/company", headers={"Authorization": f"Bearer {new.access_token}"}, timeout=5)
    assert works.status_code == 200


def test_removal_of_an_account_marked_expired_still_ends_a_grant_that_lives(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    old = log_in(host, admin, account)
    found = host.credentials.get(account.id)
    assert found is not None
    host.credentials.put(account.id, {**found.data, "state": "expired"}, found.version)  # e.g. by an older release
    assert host.remove_account(admin, account.id) == []
    assert_grant_dead(sandbox, old)


def test_removal_of_a_grant_already_dead_at_procountor_is_no_warning(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    log_in(host, admin, account)
    sandbox.revoke_refresh_tokens()
    sandbox.expire_access_tokens()
    assert host.remove_account(admin, account.id) == []
    assert [r.status for r in sandbox.request_log if r.path == TOKEN_PATH][-1] == 400


def test_when_even_renewing_fails_the_admin_is_told_in_their_language_without_a_secret(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount, caplog: pytest.LogCaptureFixture
) -> None:
    dutch = Actor(user_id="admin-1", rights={"procountor": "write"}, locale="nl")
    old = log_in(host, dutch, account)
    sandbox.expire_access_tokens()
    sandbox.inject_fault("POST", TOKEN_PATH, "http_503", count=5, retry_after=0)
    caplog.set_level(logging.INFO)

    warnings = host.remove_account(dutch, account.id)

    assert [w.code for w in warnings] == ["procountor.auth.logout_failed"]
    assert warnings[0].severity == "warning"
    assert "Beëindig de sessie in Procountor" in (warnings[0].hint or "")
    assert "bureau" not in warnings[0].message or account.username in warnings[0].message
    assert host.credentials.get(account.id) is None  # forgotten anyway
    assert "procountor.auth.logout_failed" in caplog.text
    for secret in (old.access_token, str(old.refresh_token), sandbox.client_secret):
        assert secret not in caplog.text
        assert secret not in repr(warnings)


def test_a_new_login_says_so_when_the_replaced_grant_could_not_be_ended(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    log_in(host, admin, account)
    sandbox.expire_access_tokens()
    params = browser_login(host.authorization_url(admin, account.id))
    sandbox.inject_fault("POST", "/logout", "http_503", count=5, retry_after=0)
    status = host.authorization_callback(admin, account.id, params)
    assert status.state == "authorized"  # the new authorization works
    assert [p.code for p in status.problems] == ["procountor.auth.logout_failed"]
    assert "End the session in Procountor" in (status.problems[0].hint or "")


def test_a_401_on_the_logout_right_after_renewing_is_tried_again_after_a_pause(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    old = log_in(host, admin, account)
    sandbox.expire_access_tokens()
    sandbox.inject_fault("POST", "/logout", "http_401", count=2)  # the old token, then the new one once
    config = host.provider_config("procountor")
    paused: list[float] = []
    urls = endpoints(config)
    ending = end_grant(old, TokenEndpoint(config, urls, pacer=pacer_for(host, config, urls)), sleep=paused.append)
    assert ending.ended
    assert paused == [1.0]
    assert [r.status for r in sandbox.request_log if r.path == "/logout"] == [401, 401, 200]
    assert_grant_dead(sandbox, old)


def test_a_renewal_that_lands_after_the_removal_ends_the_grant_it_got(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    from nmbrs_procountor_plugin.api.connection import token_source

    log_in(host, admin, account)
    source = token_source(account, host, "en", record_of(host, account))
    source._lease_ttl = 0.2
    sandbox.expire_access_tokens()
    sandbox.inject_fault("POST", TOKEN_PATH, "delay", delay=0.6)
    import threading

    failures: list[BaseException] = []

    def renew() -> None:
        try:
            source.refresh_after_rejection(record_of(host, account).access_token)
        except Exception as exc:  # the removal won: "not authorized"
            failures.append(exc)

    worker = threading.Thread(target=renew)
    worker.start()
    time.sleep(0.2)  # the renewal is in flight, its lease expired
    host.credentials.delete(account.id)  # the removal forgot the account meanwhile
    worker.join(10)
    assert len(failures) == 1
    assert alive_grants(sandbox) == 0  # the renewed grant was logged out, not left alive


def test_removal_waits_for_a_renewal_in_flight_before_ending_the_grant(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    import threading

    from nmbrs_procountor_plugin.api.tokens import lease_key

    old = log_in(host, admin, account)
    assert host.leases.acquire(lease_key(account.id), "renewing-worker", 30)
    done: list[object] = []
    remover = threading.Thread(target=lambda: done.append(host.remove_account(admin, account.id)))
    remover.start()
    time.sleep(0.3)
    assert done == []  # not ending the grant behind the renewing worker's back
    assert [r.path for r in sandbox.request_log if r.path == "/logout"] == []
    host.leases.release(lease_key(account.id), "renewing-worker")
    remover.join(10)
    assert done == [[]]
    assert_grant_dead(sandbox, old)
    assert host.leases.acquire(lease_key(account.id), "next", 1)  # the removal gave the lease back
