"""Procountor is reached over HTTPS at the configured environment; plain http only on loopback."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, Environment, ProviderConfig
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api.environment import PRODUCTION_URL, TEST_URL, endpoints
from procountor_sandbox import Sandbox
from tests.conftest import provider_config_for, store_tokens


def config(
    environment: Environment = "production",
    base_url: str | None = None,
    redirect_uri: str = "https://payroll.example/procountor/callback",
) -> ProviderConfig:
    return ProviderConfig("client", "secret", redirect_uri, environment=environment, base_url=base_url)


def test_production_and_test_hosts() -> None:
    prod = endpoints(config())
    assert prod.base_url == PRODUCTION_URL == "https://api.procountor.com"
    assert prod.token == "https://api.procountor.com/api/oauth/token"
    assert prod.login == "https://api.procountor.com/login"
    assert prod.logout == "https://api.procountor.com/logout"  # at the host root, not under /api
    assert endpoints(config("test")).api == f"{TEST_URL}/api"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8700", "http://localhost:8700/", "http://[::1]:8700"])
def test_plain_http_is_allowed_on_loopback_only(url: str) -> None:
    assert endpoints(config("custom", url)).base_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://procountor.internal", "http://10.0.0.5", "ftp://api.procountor.com"])
def test_plain_http_elsewhere_is_refused_naming_the_address(url: str) -> None:
    with pytest.raises(ProblemError) as refused:
        endpoints(config("custom", url), "en")
    assert refused.value.codes == ("procountor.config.insecure_url",)
    assert url in refused.value.problems[0].message


def test_redirect_uri_must_be_secure_and_without_query() -> None:
    with pytest.raises(ProblemError) as insecure:
        endpoints(config(redirect_uri="http://payroll.example/cb"))
    assert insecure.value.codes == ("procountor.config.insecure_url",)
    with pytest.raises(ProblemError) as query:
        endpoints(config(redirect_uri="https://payroll.example/cb?account=1"), "nl")
    assert query.value.codes == ("procountor.config.invalid",)
    assert "query" in query.value.problems[0].message


# --------------------------------------------------------------------------- the API base path


def test_the_api_path_is_part_of_the_environment_and_defaults_to_api() -> None:
    assert endpoints(config()).api == f"{PRODUCTION_URL}/api"
    versioned = ProviderConfig("client", "secret", "https://payroll.example/cb", environment="test", api_path="/v2604")
    chosen = endpoints(versioned)
    assert chosen.api == f"{TEST_URL}/v2604"
    # The token endpoint is not part of the versioned API: it stays under /api.
    assert chosen.token == f"{TEST_URL}/api/oauth/token"


@pytest.mark.parametrize("path", ["api", "/api/", "/api?x=1", "/api#f", "", "/ap i", "//api"])
def test_a_malformed_api_path_is_refused_naming_it(path: str) -> None:
    with pytest.raises(ValueError, match=r"ProviderConfig\.api_path=") as refused:
        ProviderConfig("client", "secret", "https://payroll.example/cb", api_path=path)
    assert repr(path) in str(refused.value)


def test_the_plugin_calls_procountor_under_the_configured_api_path(
    sandbox_factory: Callable[..., Sandbox], admin: Actor
) -> None:
    sb = sandbox_factory(rate_limit_per_second=None)
    base = provider_config_for(sb)
    host = ReferenceHost(
        ":memory:",
        provider_configs={"procountor": dataclasses.replace(base, api_path="/latest")},
        load_entrypoints=False,
        plugins=[(procountor_plugin, "procountor")],
    )
    try:
        account = host.create_account(admin, "procountor", "bureau-procountor")
        store_tokens(host, sb, account)
        assert [a.id for a in host.administrations(admin, account.id)] == ["10001"]
    finally:
        host.close()
    assert [r.path for r in sb.request_log] == ["/latest/company"]
