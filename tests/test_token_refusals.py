"""The token endpoint's refusals, in both shapes Procountor may use, mean what they say.

A dead refresh token or a revoked API key is ``expired`` / ``revoked`` (and the host is told
once), never "Procountor unavailable"; an outage stays an outage; a refused client is a
configuration problem that leaves the account alone. Every sandbox-backed test runs with the
sandbox's ``token_error_shape`` set to each shape.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount, ProviderConfig
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.api.token_answers import REFUSED, TokenRefused, check_answer, refusal_in
from tests.conftest import COMPANY_1, DEMO_USER, make_host, store_tokens
from tests.test_authorization import browser_login

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

TOKEN_PATH = "/api/oauth/token"
SHAPES = ["rfc", "errors"]


@pytest.fixture(params=SHAPES)
def shaped(request: pytest.FixtureRequest, sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory(token_error_shape=request.param, rate_limit_per_second=None)


@pytest.fixture
def shost(shaped: Sandbox) -> Iterator[ReferenceHost]:
    h = make_host(shaped)
    yield h
    h.close()


# --------------------------------------------------------------------------- the sandbox switch


@pytest.mark.parametrize("shape", SHAPES)
def test_the_sandbox_answers_a_refusal_in_the_configured_shape(
    sandbox_factory: Callable[..., Sandbox], shape: str
) -> None:
    sb = sandbox_factory(token_error_shape=shape)
    answer = requests.post(
        f"{sb.base_url}{TOKEN_PATH}",
        data={"grant_type": "refresh_token", "refresh_token": "dead", "client_id": sb.client_id,
              "client_secret": sb.client_secret},
        timeout=5,
    )  # fmt: skip
    assert answer.status_code == 400
    body = answer.json()
    if shape == "rfc":
        assert body == {"error": "invalid_grant", "error_description": "Refresh token is invalid or revoked."}
    else:
        assert body == {"errors": [{"status": 400, "message": "Refresh token is invalid or revoked."}]}
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_sandbox_refuses_an_unknown_shape() -> None:
    from procountor_sandbox import SandboxConfig

    with pytest.raises(ValueError, match="token_error_shape"):
        SandboxConfig(token_error_shape="xml")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reading an answer


class _Answer(requests.Response):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__()
        self.status_code = status
        self._content = body.encode() if isinstance(body, str) else json.dumps(body).encode()


@pytest.mark.parametrize(
    ("status", "body", "error", "grant"),
    [
        (400, {"error": "invalid_grant", "error_description": "Refresh token is invalid"}, "invalid_grant", True),
        (401, {"error": "invalid_client", "error_description": "Bad secret"}, "invalid_client", False),
        (400, {"errors": [{"status": 400, "message": "Refresh token is invalid or revoked."}]}, REFUSED, True),
        (400, {"errors": [{"message": "invalid_client: unknown client"}]}, "invalid_client", False),
        (400, {"errors": [{"message": "INVALID_GRANT"}]}, "invalid_grant", True),
        (403, "<html><body>403 Forbidden</body></html>", REFUSED, True),
        (404, {"message": "Not found"}, REFUSED, True),
    ],
)
def test_any_4xx_without_an_access_token_is_a_refusal(status: int, body: Any, error: str, grant: bool) -> None:
    with pytest.raises(TokenRefused) as refused:
        check_answer(_Answer(status, body))
    assert refused.value.error == error
    assert refused.value.grant_refused is grant
    assert refused.value.status == status
    assert refused.value.__context__ is None


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"access_token": "t", "expires_in": 3600}),
        (429, {"errors": [{"message": "Too Many Requests"}]}),
        (408, "timeout"),
        (503, "<html>503</html>"),
        (400, {"access_token": "t"}),
    ],
)
def test_answers_that_are_not_refusals_pass_through(status: int, body: Any) -> None:
    answer = _Answer(status, body)
    assert check_answer(answer) is answer


def test_a_refusal_keeps_only_a_short_single_line_excerpt() -> None:
    refused = refusal_in({"errors": [{"message": "line one\nline two " + "x" * 500}]}, 400)
    assert "\n" not in refused.description
    assert len(refused.description) <= 160


# --------------------------------------------------------------------------- against the sandbox, both shapes


def test_a_dead_refresh_token_is_expired_not_unavailable(
    shost: ReferenceHost, shaped: Sandbox, admin: Actor, account_in: Callable[[ReferenceHost], IntegrationAccount]
) -> None:
    account = account_in(shost)
    store_tokens(shost, shaped, account, expires_in=0)
    shaped.revoke_refresh_tokens()
    with pytest.raises(ProblemError) as refused:
        shost.administrations(admin, account.id)
    assert refused.value.codes == ("procountor.auth.expired",)
    assert shost.account_status(admin, account.id).state == "expired"
    [notice] = shost.notices.for_account(account.id)
    assert (notice.state, notice.code) == ("expired", "procountor.auth.expired")


def test_a_revoked_api_key_is_revoked_not_unavailable(shost: ReferenceHost, shaped: Sandbox, admin: Actor) -> None:
    key = shaped.issue_api_key(DEMO_USER, COMPANY_1)
    account = shost.create_account(admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": key})
    params = dict(parse_qsl(urlsplit(shost.authorization_url(admin, account.id)).query))
    assert shost.authorization_callback(admin, account.id, params).state == "authorized"
    shaped.revoke_api_key(key)
    with pytest.raises(ProblemError) as refused:
        open_client(account, shost, "en").company()
    assert refused.value.codes == ("procountor.auth.api_key_refused",)
    assert shost.account_status(admin, account.id).state == "revoked"
    [notice] = shost.notices.for_account(account.id)
    assert (notice.state, notice.code) == ("revoked", "procountor.auth.api_key_refused")


def test_a_wrong_api_key_at_authorization_is_refused_not_unavailable(
    shost: ReferenceHost, shaped: Sandbox, admin: Actor
) -> None:
    account = shost.create_account(
        admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": "not-a-key-0123456789"}
    )
    params = dict(parse_qsl(urlsplit(shost.authorization_url(admin, account.id)).query))
    with pytest.raises(ProblemError) as refused:
        shost.authorization_callback(admin, account.id, params)
    assert refused.value.codes == ("procountor.auth.api_key_refused",)


def test_a_used_code_is_refused_not_unavailable(
    shost: ReferenceHost, shaped: Sandbox, admin: Actor, account_in: Callable[[ReferenceHost], IntegrationAccount]
) -> None:
    account = account_in(shost)
    params = browser_login(shost.authorization_url(admin, account.id))
    shost.authorization_callback(admin, account.id, params)
    state = dict(parse_qsl(urlsplit(shost.authorization_url(admin, account.id)).query))["state"]
    with pytest.raises(ProblemError) as refused:
        shost.authorization_callback(admin, account.id, {"code": params["code"], "state": state})
    assert refused.value.codes == ("procountor.auth.exchange_failed",)
    assert "unavailable" not in refused.value.problems[0].message


def test_an_outage_of_the_token_endpoint_stays_an_outage(
    shost: ReferenceHost, shaped: Sandbox, admin: Actor, account_in: Callable[[ReferenceHost], IntegrationAccount]
) -> None:
    account = account_in(shost)
    store_tokens(shost, shaped, account, expires_in=0)
    shaped.inject_fault("POST", TOKEN_PATH, "http_503", count=5, retry_after=0)
    with pytest.raises(ProblemError) as failed:
        shost.administrations(admin, account.id)
    assert failed.value.codes == ("procountor.unavailable",)
    assert shost.account_status(admin, account.id).state == "authorized"
    assert shost.notices.for_account(account.id) == []


def test_a_refused_client_is_a_configuration_problem_and_leaves_the_account_alone(
    sandbox: Sandbox, admin: Actor
) -> None:
    host = ReferenceHost(
        provider_configs={
            "procountor": ProviderConfig(
                client_id=sandbox.client_id,
                client_secret="the-wrong-client-secret",
                redirect_uri=sandbox.redirect_uri,
                environment="custom",
                base_url=sandbox.base_url,
                timeout_seconds=5,
            )
        },
        load_entrypoints=False,
        plugins=[(procountor_plugin, "procountor")],
    )
    try:
        account = host.create_account(admin, "procountor", "misconfigured")
        store_tokens(host, sandbox, account, expires_in=0)
        with pytest.raises(ProblemError) as refused:
            host.administrations(admin, account.id)
        assert refused.value.codes == ("procountor.config.invalid",)
        assert host.account_status(admin, account.id).state == "authorized"
        assert host.notices.for_account(account.id) == []
    finally:
        host.close()


def test_eight_workers_meeting_one_refused_grant_tell_the_host_once(
    shost: ReferenceHost, shaped: Sandbox, admin: Actor, account_in: Callable[[ReferenceHost], IntegrationAccount]
) -> None:
    account = account_in(shost)
    store_tokens(shost, shaped, account, expires_in=0)
    shaped.revoke_refresh_tokens()
    barrier = threading.Barrier(8)
    codes: list[tuple[str, ...]] = []

    def worker() -> None:
        barrier.wait()
        try:
            open_client(account, shost, "en").company()
        except ProblemError as refused:
            codes.append(refused.codes)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert codes == [("procountor.auth.expired",)] * 8
    assert len(shost.notices.for_account(account.id)) == 1
    assert [r.status for r in shaped.request_log if r.path == TOKEN_PATH] == [400]  # one try, then the record


@pytest.fixture
def account_in(admin: Actor) -> Callable[[ReferenceHost], IntegrationAccount]:
    def make(host: ReferenceHost) -> IntegrationAccount:
        return host.create_account(admin, "procountor", "bureau-procountor")

    return make
