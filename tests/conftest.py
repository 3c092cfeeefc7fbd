"""Shared fixtures: the embedded Procountor sandbox, a reference host wired to it, actors, accounts.

Tests never reach the internet: they talk to the sandbox on loopback or replay cassettes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

from nmbrs_hookspecs.at_rest import KEYS_VARIABLE, CredentialCipher
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.limiter import BucketRequestLimiter, SqliteLimiterStore
from nmbrs_hookspecs.types import Actor, IntegrationAccount, ProviderConfig, RequestRate
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.pacing import Pacer

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

# The reference host encrypts stored credentials and needs a key for a file database; worker
# processes the tests spawn inherit it from the environment.
os.environ.setdefault(KEYS_VARIABLE, CredentialCipher.generate_key())

# CI replays the same examples every run: a property failure there is a real regression, never luck.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

DEMO_USER = "demo.admin"
DEMO_PASSWORD = "demo-password"
COMPANY_1 = 10001
COMPANY_2 = 10002


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    from procountor_sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig()) as sb:
        yield sb


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    from procountor_sandbox import Sandbox, SandboxConfig

    started: list[Sandbox] = []

    def make(**overrides: Any) -> Sandbox:
        sb = Sandbox(SandboxConfig(**overrides)).start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture
def pacer(tmp_path: Path) -> Iterator[Pacer]:
    """A pacer on the reference host's SQLite limiter, for clients made without a host."""
    limiter = BucketRequestLimiter(SqliteLimiterStore(tmp_path / "limiter.sqlite3"))
    yield Pacer(limiter, RequestRate("tests:procountor-client", 20))
    limiter.close()


def need_redis_server() -> None:
    """Skip (with the reason) where redis-server is not installed; on CI, where .ci/run installs it, fail."""
    from nmbrs_procountor_devtools.redis_server import redis_server_binary

    if redis_server_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing on CI: .ci/run installs Debian's redis-server package")
        pytest.skip("redis-server is not installed here (Debian: apt-get install redis-server; .ci/run installs it)")


def provider_config_for(sb: Sandbox) -> ProviderConfig:
    return ProviderConfig(
        client_id=sb.client_id,
        client_secret=sb.client_secret,
        redirect_uri=sb.redirect_uri,
        environment="custom",
        base_url=sb.base_url,
        timeout_seconds=5,
    )


def make_host(sb: Sandbox, db: str = ":memory:") -> ReferenceHost:
    return ReferenceHost(
        db,
        provider_configs={"procountor": provider_config_for(sb)},
        load_entrypoints=False,
        plugins=[(procountor_plugin, "procountor")],
    )


@pytest.fixture
def host(sandbox: Sandbox) -> Iterator[ReferenceHost]:
    h = make_host(sandbox)
    yield h
    h.close()


@pytest.fixture
def admin() -> Actor:
    return Actor(user_id="admin-1", rights={"procountor": "write"}, locale="en")


@pytest.fixture
def reader() -> Actor:
    return Actor(user_id="reader-1", rights={"procountor": "read"}, locale="en")


@pytest.fixture
def outsider() -> Actor:
    return Actor(user_id="outsider-1", rights={}, locale="en")


@pytest.fixture
def account(host: ReferenceHost, admin: Actor) -> IntegrationAccount:
    return host.create_account(admin, "procountor", "bureau-procountor")


def store_tokens(
    host: ReferenceHost,
    sb: Sandbox,
    account: IntegrationAccount,
    *,
    company_id: int = COMPANY_1,
    user: str = DEMO_USER,
    expires_in: int | None = None,
) -> TokenRecord:
    """Authorize ``account`` without the login page, as if the admin had done it (for other areas' tests)."""
    issued = sb.issue_tokens(user, company_id)
    names = {COMPANY_1: ("Järvi Leipomo Oy", "1234567-8"), COMPANY_2: ("Kuusi Consulting Oy", "7654321-0")}
    name, business_id = names[company_id]
    record = TokenRecord(
        method="login",
        access_token=issued["access_token"],
        refresh_token=issued["refresh_token"],
        expires_at=int(time.time()) + int(expires_in if expires_in is not None else issued["expires_in"]),
        company_id=str(company_id),
        company_name=name,
        business_id=business_id,
    )
    current = host.credentials.get(account.id)
    assert host.credentials.put(account.id, record.to_data(), current.version if current else 0)
    return record


@pytest.fixture
def authorized_account(host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount) -> IntegrationAccount:
    store_tokens(host, sandbox, account)
    return account
