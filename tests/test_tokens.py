"""Token lifecycle against the sandbox: refresh ahead of expiry, 401 recovery, rotation under
concurrency (threads and processes), refused refreshes, and the API-key re-fetch.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount, ProviderConfig
from nmbrs_procountor_plugin.api.connection import open_client, token_source
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.tokens import write_state
from tests.conftest import COMPANY_1, COMPANY_2, DEMO_USER, make_host, store_tokens

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

TOKEN_PATH = "/api/oauth/token"
WORKERS = 8


def token_requests(sb: Sandbox) -> list[int]:
    return [r.status for r in sb.request_log if r.path == TOKEN_PATH]


def record_of(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord:
    found = host.credentials.get(account.id)
    assert found is not None
    return TokenRecord.from_data(found.data)


def version_of(host: ReferenceHost, account: IntegrationAccount) -> int:
    found = host.credentials.get(account.id)
    assert found is not None
    return found.version


# --------------------------------------------------------------------------- one worker


def test_expiry_triggers_exactly_one_refresh(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    before = store_tokens(host, sandbox, account, expires_in=30)  # inside the 60 s leeway
    client = open_client(account, host, "en")
    assert client.company()["id"] == COMPANY_1
    client.company()
    open_client(account, host, "en").session_info()

    assert token_requests(sandbox) == [200]
    after = record_of(host, account)
    assert after.access_token != before.access_token
    assert after.refresh_token != before.refresh_token  # rotated, and the new one was kept
    assert after.expires_at > time.time() + 3000
    assert (after.company_id, after.company_name) == (before.company_id, before.company_name)
    assert version_of(host, account) == 2
    assert host.account_status(reader, account.id).state == "authorized"


def test_fresh_token_is_used_without_any_token_request(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount
) -> None:
    client = open_client(authorized_account, host, "en")
    for _ in range(3):
        client.company()
    assert token_requests(sandbox) == []


def test_401_refreshes_once_and_retries(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.expire_access_tokens()  # Procountor ended the token early; our clock still trusts it
    assert open_client(authorized_account, host, "en").company()["id"] == COMPANY_1
    assert token_requests(sandbox) == [200]
    assert [r.status for r in sandbox.request_log if r.path == "/api/company"] == [401, 200]
    assert host.account_status(reader, authorized_account.id).state == "authorized"


def test_revoked_refresh_token_ends_expired_with_the_reauthorize_message(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    sandbox.revoke_refresh_tokens()
    with pytest.raises(ProblemError) as refused:
        open_client(account, host, "en").company()
    assert refused.value.codes == ("procountor.auth.expired",)
    assert "log in again" in (refused.value.problems[0].hint or "")

    status = host.account_status(reader, account.id)
    assert status.state == "expired"
    assert "log in again" in status.message
    assert status.administration is not None  # the company is still shown
    with pytest.raises(ProblemError) as again:
        open_client(account, host, "nl").company()
    assert again.value.codes == ("procountor.auth.expired",)
    assert "opnieuw in" in (again.value.problems[0].hint or "")
    assert token_requests(sandbox) == [400]  # no second attempt on a dead refresh token


def test_401_right_after_a_successful_refresh_is_retried_after_a_pause_and_demands_no_login(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    # The gateway refuses the old token, then the renewed one once (not yet valid everywhere).
    sandbox.inject_fault("GET", "/api/company", "http_401", count=2)
    client = open_client(authorized_account, host, "en")
    client.settle_seconds = 0.05
    assert client.company()["id"] == COMPANY_1
    assert [r.status for r in sandbox.request_log if r.path == "/api/company"] == [401, 401, 200]
    assert token_requests(sandbox) == [200]
    assert host.account_status(reader, authorized_account.id).state == "authorized"
    assert host.notices.for_account(authorized_account.id) == []


def test_a_401_that_outlasts_the_pause_is_reported_but_the_account_stays_authorized(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.inject_fault("GET", "/api/company", "http_401", count=3)
    with pytest.raises(ProblemError) as refused:
        host.administrations(admin, authorized_account.id)
    assert refused.value.codes == ("procountor.auth.token_not_accepted",)
    assert token_requests(sandbox) == [200]  # the token endpoint renewed: the grant lives
    assert host.account_status(admin, authorized_account.id).state == "authorized"
    assert host.notices.for_account(authorized_account.id) == []
    assert host.administrations(admin, authorized_account.id)[0].id == str(COMPANY_1)  # no new login needed


def test_write_state_never_clobbers_a_newer_authorization_and_reports_one_transition(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    old = record_of(host, authorized_account)
    newer = store_tokens(host, sandbox, authorized_account, company_id=COMPANY_2)  # the admin logged in again
    assert not write_state(host, authorized_account.id, "expired", access_token=old.access_token)
    assert host.account_status(reader, authorized_account.id).state == "authorized"
    assert write_state(host, authorized_account.id, "expired", access_token=newer.access_token)
    assert not write_state(host, authorized_account.id, "expired", access_token=newer.access_token)  # once
    assert host.account_status(reader, authorized_account.id).state == "expired"


def test_refused_refresh_adopts_a_newer_authorization_stored_meanwhile(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    sandbox.inject_fault("POST", TOKEN_PATH, "delay", delay=0.5)
    source = token_source(account, host, "en")
    got: list[str] = []
    worker = threading.Thread(target=lambda: got.append(source.access_token()))
    worker.start()
    time.sleep(0.2)  # the worker's refresh is in flight
    newer = store_tokens(host, sandbox, account, company_id=COMPANY_1)
    sandbox.revoke_refresh_tokens()  # so the in-flight refresh is refused with invalid_grant
    worker.join(10)
    assert got == [newer.access_token]
    assert token_requests(sandbox) == [400]
    assert record_of(host, account).state == "authorized"


def test_waiting_worker_adopts_the_token_the_lease_holder_stored(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    source = token_source(account, host, "en")
    assert host.leases.acquire(source.lease_key, "another-worker", 30)
    got: list[str] = []
    worker = threading.Thread(target=lambda: got.append(source.access_token()))
    worker.start()
    time.sleep(0.3)
    assert got == []  # waiting for the lease, not refreshing behind the holder's back
    newer = store_tokens(host, sandbox, account)
    host.leases.release(source.lease_key, "another-worker")
    worker.join(10)
    assert got == [newer.access_token]
    assert token_requests(sandbox) == []


# --------------------------------------------------------------------------- concurrency: threads


def _run_threads(work: Callable[[int], Any], count: int = WORKERS) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # collected and asserted on below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.parametrize("trigger", ["expiry", "401"])
def test_eight_threads_with_rotation_refresh_once_and_stay_authorized(
    sandbox_factory: Callable[..., Sandbox], admin: Actor, tmp_path: Path, trigger: str
) -> None:
    sb = sandbox_factory(rotate_refresh_tokens=True, rate_limit_per_second=None)
    db = str(tmp_path / "host.sqlite")
    host = make_host(sb, db=db)
    account = host.create_account(admin, "procountor", "busy")
    store_tokens(host, sb, account, expires_in=0 if trigger == "expiry" else None)
    if trigger == "401":
        sb.expire_access_tokens()
    hosts = [make_host(sb, db=db) for _ in range(WORKERS)]  # each worker its own host and client
    try:
        results = _run_threads(lambda i: open_client(account, hosts[i], "en").company()["id"])
        assert results == [COMPANY_1] * WORKERS
        assert token_requests(sb) == [200]
        assert host.account_status(admin, account.id).state == "authorized"
        assert open_client(account, host, "en").company()["id"] == COMPANY_1
    finally:
        for h in [*hosts, host]:
            h.close()


def test_eight_threads_sharing_one_host_refresh_once(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    results = _run_threads(lambda i: open_client(account, host, "en").company()["id"])
    assert results == [COMPANY_1] * WORKERS
    assert token_requests(sandbox) == [200]
    assert host.account_status(admin, account.id).state == "authorized"


# --------------------------------------------------------------------------- concurrency: processes


def _process_worker(db: str, config: dict[str, Any], account_id: str, start: Any, rounds: int) -> None:
    """One host worker process: its own ReferenceHost on the shared SQLite file."""
    from nmbrs_procountor_plugin import plugin

    host = ReferenceHost(
        db,
        provider_configs={"procountor": ProviderConfig(**config)},
        load_entrypoints=False,
        plugins=[(plugin, "procountor")],
    )
    try:
        account = host.accounts.get(account_id)
        assert account is not None
        start.wait(30)
        for _ in range(rounds):
            if open_client(account, host, "en").company()["id"] != COMPANY_1:
                raise SystemExit(3)
    finally:
        host.close()


@pytest.mark.slow
def test_separate_processes_refreshing_at_once_end_authorized(
    sandbox_factory: Callable[..., Sandbox], admin: Actor, tmp_path: Path
) -> None:
    sb = sandbox_factory(rotate_refresh_tokens=True, rate_limit_per_second=None)
    db = str(tmp_path / "shared.sqlite")
    host = make_host(sb, db=db)
    try:
        account = host.create_account(admin, "procountor", "multi-process")
        store_tokens(host, sb, account, expires_in=0)
        config = {
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
            "redirect_uri": sb.redirect_uri,
            "environment": "custom",
            "base_url": sb.base_url,
            "timeout_seconds": 5,
        }
        ctx = multiprocessing.get_context("spawn")
        start = ctx.Event()
        workers = [ctx.Process(target=_process_worker, args=(db, config, account.id, start, 3)) for _ in range(4)]
        for worker in workers:
            worker.start()
        time.sleep(0.5)
        start.set()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0, 0, 0, 0]
        assert token_requests(sb) == [200]
        assert host.account_status(admin, account.id).state == "authorized"
        assert open_client(account, host, "en").company()["id"] == COMPANY_1
    finally:
        host.close()


# --------------------------------------------------------------------------- API key method


def _api_key_account(host: ReferenceHost, sb: Sandbox, admin: Actor) -> tuple[IntegrationAccount, str]:
    key = sb.issue_api_key(DEMO_USER, COMPANY_1)
    account = host.create_account(admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": key})
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(host.authorization_url(admin, account.id)).query))
    assert host.authorization_callback(admin, account.id, params).state == "authorized"
    return account, key


def test_api_key_token_is_fetched_again_after_expiry(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account, _ = _api_key_account(host, sandbox, admin)
    first = record_of(host, account)
    found = host.credentials.get(account.id)
    assert found is not None
    host.credentials.put(account.id, {**found.data, "expires_at": int(time.time()) - 5}, found.version)

    assert open_client(account, host, "en").company()["id"] == COMPANY_1
    assert token_requests(sandbox) == [200, 200]  # validation, then the re-fetch
    renewed = record_of(host, account)
    assert renewed.access_token != first.access_token
    assert (renewed.method, renewed.refresh_token) == ("api_key", None)


def test_api_key_token_is_fetched_again_after_a_401(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account, _ = _api_key_account(host, sandbox, admin)
    sandbox.expire_access_tokens()
    assert open_client(account, host, "en").company()["id"] == COMPANY_1
    assert token_requests(sandbox) == [200, 200]


def test_revoked_api_key_ends_revoked(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account, key = _api_key_account(host, sandbox, admin)
    sandbox.revoke_api_key(key)  # as a company admin does in Procountor's UI
    sandbox.expire_access_tokens()
    with pytest.raises(ProblemError) as refused:
        open_client(account, host, "en").company()
    assert refused.value.codes == ("procountor.auth.api_key_refused",)
    assert host.account_status(admin, account.id).state == "revoked"


def test_token_endpoint_outage_is_unavailable_not_expired(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    sandbox.inject_fault("POST", TOKEN_PATH, "http_503", count=5, retry_after=0)
    with pytest.raises(ProblemError) as failed:
        open_client(account, host, "en").company()
    assert failed.value.codes == ("procountor.unavailable",)
    assert host.account_status(reader, account.id).state == "authorized"  # nothing was lost
    sandbox.clear_faults()
    assert open_client(account, host, "en").company()["id"] == COMPANY_1


def test_a_401_on_the_first_call_with_a_just_issued_token_is_tried_again_not_a_failed_login(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    from tests.test_authorization import browser_login

    params = browser_login(host.authorization_url(admin, account.id))
    sandbox.inject_fault("GET", "/api/company", "http_401", count=2)  # the new token is not known everywhere yet
    status = host.authorization_callback(admin, account.id, params)
    assert status.state == "authorized"
    assert [r.status for r in sandbox.request_log if r.path == "/api/company"] == [401, 401, 200]
