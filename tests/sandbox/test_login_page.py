"""Browser login (docs/procountor-api.md §2a): two HTML steps, then a 302 to the registered URI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import (
    BAKERY,
    CONSULTING,
    VIEWER,
    browser_login,
    code_from,
    exchange,
    login_params,
    parse_form,
)


def test_login_page_is_a_form_with_the_documented_fields(sandbox: Sandbox) -> None:
    page = requests.get(sandbox.base_url + "/login", params=login_params(sandbox), timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    form = parse_form(page.text)
    assert {"username", "password"} <= set(form.inputs)
    assert form.fields == login_params(sandbox)


def test_full_flow_offers_both_companies_and_redirects_with_code_and_same_state(
    sandbox: Sandbox,
) -> None:
    http = requests.Session()
    page = http.get(sandbox.base_url + "/login", params=login_params(sandbox, "a b&c=d"), timeout=5)
    step1 = {**parse_form(page.text).fields, "username": "demo.admin", "password": "demo-password"}
    chooser = http.post(sandbox.base_url + "/login", data=step1, allow_redirects=False, timeout=5)
    assert chooser.status_code == 200
    form = parse_form(chooser.text)
    assert form.options == [str(BAKERY), str(CONSULTING)]
    assert "company" in form.inputs
    final = http.post(
        sandbox.base_url + "/login",
        data={**form.fields, "company": str(CONSULTING)},
        allow_redirects=False,
        timeout=5,
    )
    assert final.status_code == 302
    location = urlsplit(final.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == sandbox.redirect_uri
    params = dict(parse_qsl(location.query))
    assert params["state"] == "a b&c=d"
    assert params["code"]
    tokens = exchange(sandbox, params["code"]).json()
    info = requests.get(
        sandbox.api_url + "/sessioninfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=5,
    ).json()
    assert info["companyId"] == CONSULTING
    assert info["userName"] == "demo.admin"


def test_single_post_with_company_is_enough(sandbox: Sandbox) -> None:
    data = {
        **login_params(sandbox),
        "username": "demo.admin",
        "password": "demo-password",
        "company": str(BAKERY),
    }
    final = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert final.status_code == 302
    assert code_from(final)["state"] == "st-123"


def test_wrong_password_is_an_error_page_not_a_redirect(sandbox: Sandbox) -> None:
    data = {**login_params(sandbox), "username": "demo.admin", "password": "nope"}
    answer = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 401
    assert "Location" not in answer.headers
    assert "Invalid username or password" in answer.text


def test_unknown_user_is_refused_like_a_wrong_password(sandbox: Sandbox) -> None:
    data = {**login_params(sandbox), "username": "ghost", "password": "demo-password"}
    answer = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 401


def test_registration_problems_are_error_pages(sandbox: Sandbox) -> None:
    cases = {
        "client_id": ("someone-else", "Unknown client"),
        "redirect_uri": ("http://127.0.0.1:8765/procountor/callback?x=1", "redirect uri mismatch"),
        "response_type": ("token", "response_type"),
    }
    for field, (value, text) in cases.items():
        params = {**login_params(sandbox), field: value}
        for method in ("GET", "POST"):
            kwargs: dict[str, Any] = {"params": params} if method == "GET" else {"data": params}
            answer = requests.request(method, sandbox.base_url + "/login", allow_redirects=False, timeout=5, **kwargs)
            assert answer.status_code == 400, (field, method)
            assert "Location" not in answer.headers
            assert text in answer.text
    missing = {k: v for k, v in login_params(sandbox).items() if k != "response_type"}
    answer = requests.get(sandbox.base_url + "/login", params=missing, timeout=5)
    assert answer.status_code == 400


def test_cancel_redirects_with_access_denied(sandbox: Sandbox) -> None:
    data = {**login_params(sandbox, "keep-me"), "action": "cancel"}
    answer = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    assert code_from(answer) == {"error": "access_denied", "state": "keep-me"}


def test_company_the_user_does_not_belong_to_is_refused(sandbox: Sandbox) -> None:
    data = {
        **login_params(sandbox),
        "username": VIEWER,
        "password": "viewer-password",
        "company": str(CONSULTING),
    }
    answer = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 400
    assert "Location" not in answer.headers


def test_forged_login_ticket_is_refused(sandbox: Sandbox) -> None:
    data = {
        **login_params(sandbox),
        "username": "demo.admin",
        "login_ticket": "forged",
        "company": str(BAKERY),
    }
    answer = requests.post(sandbox.base_url + "/login", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 401


def test_code_is_single_use(sandbox: Sandbox) -> None:
    code = code_from(browser_login(sandbox))["code"]
    assert exchange(sandbox, code).status_code == 200
    again = exchange(sandbox, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_code_expires(sandbox_factory: Callable[..., Sandbox]) -> None:
    import time

    sb = sandbox_factory(code_ttl=1)
    code = code_from(browser_login(sb))["code"]
    time.sleep(1.05)
    answer = exchange(sb, code)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_exchange_with_other_redirect_uri_is_invalid_grant(sandbox: Sandbox) -> None:
    from .sandbox_helpers import token_request

    code = code_from(browser_login(sandbox))["code"]
    answer = token_request(
        sandbox,
        grant_type="authorization_code",
        code=code,
        redirect_uri="http://127.0.0.1:8765/other",
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
