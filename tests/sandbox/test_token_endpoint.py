"""POST /api/oauth/token and POST /logout (docs/procountor-api.md §2)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import (
    ADMIN,
    BAKERY,
    CONSULTING,
    browser_login,
    code_from,
    exchange,
    token_request,
)

Factory = Callable[..., Sandbox]


def _session_company(sb: Sandbox, access_token: str) -> requests.Response:
    return requests.get(
        sb.api_url + "/sessioninfo",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=5,
    )


def _error(answer: requests.Response) -> str:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert set(body) == {"error", "error_description"}
    return str(body["error"])


def test_authorization_code_grant_answers_the_documented_fields(sandbox: Sandbox) -> None:
    code = code_from(browser_login(sandbox, company=CONSULTING))["code"]
    answer = exchange(sandbox, code)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "refresh_token", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert len(body["access_token"]) >= 40
    assert _session_company(sandbox, body["access_token"]).json()["companyId"] == CONSULTING


def test_trailing_slash_path_is_accepted(sandbox: Sandbox) -> None:
    code = code_from(browser_login(sandbox))["code"]
    answer = requests.post(
        sandbox.api_url + "/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": sandbox.redirect_uri,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=5,
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"client_secret": "wrong"}, "invalid_client"),
        ({"client_id": "other-client"}, "invalid_client"),
        ({"client_id": ""}, "invalid_client"),
        ({"grant_type": ""}, "invalid_request"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"code": ""}, "invalid_request"),
        ({"code": "not-a-code"}, "invalid_grant"),
    ],
)
def test_token_failures_use_the_oauth_error_shape(sandbox: Sandbox, fields: dict[str, str], expected: str) -> None:
    body = {"grant_type": "authorization_code", "code": "x", "redirect_uri": sandbox.redirect_uri}
    assert _error(token_request(sandbox, **{**body, **fields})) == expected


def test_json_body_is_refused(sandbox: Sandbox) -> None:
    answer = requests.post(
        sandbox.api_url + "/oauth/token",
        json={
            "grant_type": "refresh_token",
            "refresh_token": sandbox.issue_tokens(ADMIN, BAKERY)["refresh_token"],
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=5,
    )
    assert answer.status_code == 415
    assert answer.json()["error"] == "invalid_request"


def test_charset_parameter_in_content_type_is_refused(sandbox: Sandbox) -> None:
    refresh = sandbox.issue_tokens(ADMIN, BAKERY)["refresh_token"]
    body = (
        f"grant_type=refresh_token&refresh_token={refresh}"
        f"&client_id={sandbox.client_id}&client_secret={sandbox.client_secret}"
    )
    answer = requests.post(
        sandbox.api_url + "/oauth/token",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        timeout=5,
    )
    assert _error(answer) == "invalid_request"
    assert "charset" in answer.json()["error_description"]
    # The same body without the parameter works, so the refusal was about the header.
    plain = requests.post(
        sandbox.api_url + "/oauth/token",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )
    assert plain.status_code == 200


def test_credentials_in_query_string_are_refused(sandbox: Sandbox) -> None:
    refresh = sandbox.issue_tokens(ADMIN, BAKERY)["refresh_token"]
    params = {
        "grant_type": "refresh_token",
        "refresh_token": refresh,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    answer = requests.post(sandbox.api_url + "/oauth/token", params=params, timeout=5)
    assert answer.status_code in (400, 415)
    assert answer.json()["error"] == "invalid_request"
    mixed = requests.post(sandbox.api_url + "/oauth/token", params=params, data=params, timeout=5)
    assert _error(mixed) == "invalid_request"


def test_http_basic_client_authentication_is_refused(sandbox: Sandbox) -> None:
    refresh = sandbox.issue_tokens(ADMIN, BAKERY)["refresh_token"]
    answer = requests.post(
        sandbox.api_url + "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh},
        auth=(sandbox.client_id, sandbox.client_secret),
        timeout=5,
    )
    assert _error(answer) == "invalid_client"


def test_get_on_token_endpoint_is_405(sandbox: Sandbox) -> None:
    assert requests.get(sandbox.api_url + "/oauth/token", timeout=5).status_code == 405


def test_refresh_with_rotation_kills_the_old_refresh_token(sandbox: Sandbox) -> None:
    first = sandbox.issue_tokens(ADMIN, BAKERY)
    answer = token_request(sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert answer.status_code == 200
    second = answer.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert _session_company(sandbox, second["access_token"]).status_code == 200
    old = token_request(sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert _error(old) == "invalid_grant"
    newer = token_request(sandbox, grant_type="refresh_token", refresh_token=second["refresh_token"])
    assert newer.status_code == 200


def test_refresh_without_rotation_keeps_the_same_refresh_token(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(rotate_refresh_tokens=False)
    first = sb.issue_tokens(ADMIN, BAKERY)
    for _ in range(3):
        answer = token_request(sb, grant_type="refresh_token", refresh_token=first["refresh_token"])
        assert answer.status_code == 200
        body = answer.json()
        assert body.get("refresh_token", first["refresh_token"]) == first["refresh_token"]
        assert _session_company(sb, body["access_token"]).status_code == 200


def test_refresh_token_of_another_client_or_unknown_is_invalid_grant(sandbox: Sandbox) -> None:
    answer = token_request(sandbox, grant_type="refresh_token", refresh_token="nope")
    assert _error(answer) == "invalid_grant"
    assert _error(token_request(sandbox, grant_type="refresh_token")) == "invalid_request"


def test_access_token_expires_after_ttl_and_refresh_recovers(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(access_token_ttl=1)
    tokens = sb.issue_tokens(ADMIN, BAKERY)
    assert tokens["expires_in"] == 1
    assert _session_company(sb, tokens["access_token"]).status_code == 200
    time.sleep(1.05)
    assert _session_company(sb, tokens["access_token"]).status_code == 401
    fresh = token_request(sb, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert _session_company(sb, fresh.json()["access_token"]).status_code == 200


def test_expire_and_revoke_helpers(sandbox: Sandbox) -> None:
    tokens = sandbox.issue_tokens(ADMIN, BAKERY)
    sandbox.expire_access_tokens()
    assert _session_company(sandbox, tokens["access_token"]).status_code == 401
    refreshed = token_request(sandbox, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200
    sandbox.revoke_refresh_tokens()
    again = token_request(sandbox, grant_type="refresh_token", refresh_token=refreshed.json()["refresh_token"])
    assert _error(again) == "invalid_grant"
    # Access tokens are untouched by the revocation.
    assert _session_company(sandbox, refreshed.json()["access_token"]).status_code == 200


def test_client_credentials_with_api_key(sandbox: Sandbox) -> None:
    key = sandbox.issue_api_key(ADMIN, CONSULTING)
    answer = token_request(sandbox, grant_type="client_credentials", redirect_uri=sandbox.redirect_uri, api_key=key)
    assert answer.status_code == 200
    body = answer.json()
    assert "refresh_token" not in body
    assert body["token_type"] == "bearer"
    assert _session_company(sandbox, body["access_token"]).json()["companyId"] == CONSULTING


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"api_key": "unknown"}, "invalid_grant"),
        ({"redirect_uri": "http://127.0.0.1:8765/elsewhere"}, "invalid_grant"),
        ({"api_key": ""}, "invalid_request"),
        ({"redirect_uri": ""}, "invalid_request"),
    ],
)
def test_client_credentials_failures(sandbox: Sandbox, fields: dict[str, str], expected: str) -> None:
    key = sandbox.issue_api_key(ADMIN, BAKERY)
    base = {
        "grant_type": "client_credentials",
        "redirect_uri": sandbox.redirect_uri,
        "api_key": key,
    }
    assert _error(token_request(sandbox, **{**base, **fields})) == expected


def test_logout_ends_the_authorization(sandbox: Sandbox) -> None:
    tokens = sandbox.issue_tokens(ADMIN, BAKERY)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    answer = requests.post(sandbox.base_url + "/logout", headers=headers, timeout=5)
    assert answer.status_code == 200
    assert _session_company(sandbox, tokens["access_token"]).status_code == 401
    refresh = token_request(sandbox, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert _error(refresh) == "invalid_grant"
    # A second logout with the dead token, or none at all, is unauthorized.
    assert requests.post(sandbox.base_url + "/logout", headers=headers, timeout=5).status_code == 401
    assert requests.post(sandbox.base_url + "/logout", timeout=5).status_code == 401


def test_logout_leaves_other_authorizations_alone(sandbox: Sandbox) -> None:
    one = sandbox.issue_tokens(ADMIN, BAKERY)
    other = sandbox.issue_tokens(ADMIN, BAKERY)
    requests.post(
        sandbox.base_url + "/logout",
        headers={"Authorization": f"Bearer {one['access_token']}"},
        timeout=5,
    )
    assert _session_company(sandbox, other["access_token"]).status_code == 200
