"""Procountor is reached over HTTPS at the configured environment; plain http only on loopback."""

from __future__ import annotations

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.types import Environment, ProviderConfig
from nmbrs_procountor_plugin.api.environment import PRODUCTION_URL, TEST_URL, endpoints


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
