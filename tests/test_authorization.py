"""The authorization hooks against the sandbox: login flow, CSRF, rights, API key, removal, secrets.

The "browser" here is ``requests`` posting the sandbox's login form exactly as a browser would
(GET the page, post credentials, post the company, read the 302 without following it); the
real-browser variant lives in ``test_browser_login.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, AuthorizationState, IntegrationAccount
from nmbrs_procountor_plugin.api.credentials import STATE_EXPIRED, TokenRecord
from nmbrs_procountor_plugin.authorization import flow as authorization
from nmbrs_procountor_plugin.messages import LANGUAGES, catalogue
from tests.conftest import COMPANY_1, COMPANY_2, DEMO_PASSWORD, DEMO_USER, provider_config_for, store_tokens

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

TOKEN_PATH = "/api/oauth/token"


# --------------------------------------------------------------------------- a form-posting "browser"


class _Inputs(HTMLParser):
    """The named inputs of the first form on a page (hidden fields included)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") and found.get("type") == "hidden":
            self.fields[str(found["name"])] = found.get("value") or ""


def hidden_fields(page: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page)
    return parser.fields


def browser_login(
    url: str,
    *,
    username: str = DEMO_USER,
    password: str = DEMO_PASSWORD,
    company: int | None = COMPANY_1,
    cancel: bool = False,
) -> dict[str, str]:
    """Drive the login page like a browser; answer the query of the redirect back (not followed)."""
    base = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    with requests.Session() as browser:
        page = browser.get(url, timeout=5)
        assert page.status_code == 200, page.text
        form = hidden_fields(page.text)
        if cancel:
            answer = browser.post(f"{base}/login", data={**form, "action": "cancel"}, allow_redirects=False, timeout=5)
        else:
            form.update(username=username, password=password, action="login")
            answer = browser.post(f"{base}/login", data=form, allow_redirects=False, timeout=5)
            assert answer.status_code == 200, answer.text  # step two: choose the company
            form = hidden_fields(answer.text)
            form.update(company=str(company), action="login")
            answer = browser.post(f"{base}/login", data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return dict(parse_qsl(urlsplit(answer.headers["Location"]).query))


def token_requests(sb: Sandbox) -> int:
    return sum(1 for r in sb.request_log if r.path == TOKEN_PATH)


def stored(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord | None:
    found = host.credentials.get(account.id)
    return None if found is None else TokenRecord.from_data(found.data)


# --------------------------------------------------------------------------- nmbrs_authorization_url


def test_hook_nmbrs_authorization_url_points_at_the_login_page_with_a_bound_state(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    url = host.authorization_url(admin, account.id)
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{sandbox.base_url}/login"
    assert query["response_type"] == "code"
    assert query["client_id"] == sandbox.client_id
    assert query["redirect_uri"] == sandbox.redirect_uri
    assert len(query["state"]) >= 32
    assert host.authorization_url(admin, account.id) != url  # a fresh state every click
    pending = host.authorization_states.consume(query["state"])
    assert pending is not None
    assert pending.account_id == account.id
    assert 590 <= pending.expires_at - time.time() <= 600
    assert sandbox.request_log == []  # building a URL calls nobody


def test_hook_nmbrs_authorization_url_refuses_a_read_only_actor_before_the_plugin(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    with pytest.raises(ProblemError) as refused:
        host.authorization_url(reader, account.id)
    assert refused.value.codes == ("nmbrs.rights.refused",)  # the host's refusal: plugin never called
    with pytest.raises(ProblemError) as direct:
        authorization.authorization_url(account, reader, host)
    assert direct.value.codes == ("procountor.rights.write_required",)
    assert sandbox.request_log == []


# --------------------------------------------------------------------------- nmbrs_authorization_callback


def test_hook_nmbrs_authorization_callback_full_flow_authorizes_the_chosen_company(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    params = browser_login(host.authorization_url(admin, account.id), company=COMPANY_2)
    assert set(params) == {"code", "state"}

    status = host.authorization_callback(admin, account.id, params)

    assert status.state == "authorized"
    assert status.administration is not None
    assert status.administration.id == str(COMPANY_2)
    assert status.administration.name == "Kuusi Consulting Oy"
    assert status.administration.business_id
    assert "Kuusi Consulting Oy" in status.message
    record = stored(host, account)
    assert record is not None
    assert record.method == "login"
    assert record.company_id == str(COMPANY_2)
    assert record.refresh_token
    assert record.expires_at > time.time() + 3000
    assert token_requests(sandbox) == 1
    assert host.account_status(admin, account.id) == status


def test_hook_nmbrs_authorization_callback_messages_follow_the_actor_locale(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    finnish = Actor(user_id=admin.user_id, rights=admin.rights, locale="fi-FI")
    params = browser_login(host.authorization_url(finnish, account.id))
    status = host.authorization_callback(finnish, account.id, params)
    assert "valtuutettu" in status.message
    with pytest.raises(ProblemError) as replay:
        host.authorization_callback(finnish, account.id, params)
    assert "ei ole kelvollinen" in replay.value.problems[0].message


def test_hook_nmbrs_authorization_callback_cancel_is_denied_and_stores_nothing(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    params = browser_login(host.authorization_url(admin, account.id), cancel=True)
    assert params["error"] == "access_denied"
    with pytest.raises(ProblemError) as denied:
        host.authorization_callback(admin, account.id, params)
    assert denied.value.codes == ("procountor.auth.denied",)
    assert stored(host, account) is None
    assert host.account_status(admin, account.id).state == "unauthorized"


def _fresh_state(host: ReferenceHost, admin: Actor, account: IntegrationAccount) -> str:
    return dict(parse_qsl(urlsplit(host.authorization_url(admin, account.id)).query))["state"]


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"error": "server_error"}, "procountor.auth.provider_error"),
        ({"error": "invalid_request<script>"}, "procountor.auth.provider_error"),
        ({}, "procountor.auth.code_missing"),
        ({"code": ""}, "procountor.auth.code_missing"),
        ({"code": "forged-code"}, "procountor.auth.exchange_failed"),
    ],
)
def test_hook_nmbrs_authorization_callback_refuses_bad_answers_and_stores_nothing(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount, extra: dict[str, str], code: str
) -> None:
    params = {"state": _fresh_state(host, admin, account), **extra}
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, params)
    assert refused.value.codes == (code,)
    assert "<script>" not in str(refused.value)
    assert stored(host, account) is None


def test_callback_refuses_a_code_used_twice_even_with_a_new_state(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    params = browser_login(host.authorization_url(admin, account.id))
    host.authorization_callback(admin, account.id, params)
    before = host.credentials.get(account.id)
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(
            admin, account.id, {"code": params["code"], "state": _fresh_state(host, admin, account)}
        )
    assert refused.value.codes == ("procountor.auth.exchange_failed",)
    assert host.credentials.get(account.id) == before  # the working authorization is untouched


# --------------------------------------------------------------------------- CSRF


def test_csrf_forged_state_is_refused_and_nothing_is_stored(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    real = browser_login(host.authorization_url(admin, account.id))
    for forged in (
        {"code": real["code"], "state": "forged-state"},
        {"code": real["code"]},
        {"code": real["code"], "state": ""},
    ):
        with pytest.raises(ProblemError) as refused:
            host.authorization_callback(admin, account.id, forged)
        assert refused.value.codes == ("procountor.auth.state_invalid",)
    assert stored(host, account) is None
    assert token_requests(sandbox) == 0  # the code was never even sent


def test_csrf_replayed_state_is_refused(host: ReferenceHost, admin: Actor, account: IntegrationAccount) -> None:
    params = browser_login(host.authorization_url(admin, account.id))
    assert host.authorization_callback(admin, account.id, params).state == "authorized"
    host.credentials.delete(account.id)
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, params)
    assert refused.value.codes == ("procountor.auth.state_invalid",)
    assert stored(host, account) is None


def test_csrf_expired_state_is_refused_with_a_host_clock(sandbox: Sandbox, admin: Actor) -> None:
    offset = [0.0]
    host = ReferenceHost(
        ":memory:",
        provider_configs={"procountor": provider_config_for(sandbox)},
        load_entrypoints=False,
        plugins=[(__import__("nmbrs_procountor_plugin.plugin", fromlist=["x"]), "procountor")],
        clock=lambda: time.time() + offset[0],
    )
    try:
        account = host.create_account(admin, "procountor", "clocked")
        params = browser_login(host.authorization_url(admin, account.id))
        offset[0] = 601.0  # the admin came back after more than 10 minutes
        with pytest.raises(ProblemError) as refused:
            host.authorization_callback(admin, account.id, params)
        assert refused.value.codes == ("procountor.auth.state_invalid",)
        assert host.credentials.get(account.id) is None
    finally:
        host.close()


def test_csrf_already_expired_stored_state_is_refused(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    host.authorization_states.put(
        AuthorizationState(
            "old-state-value", account.id, time.time() - 1, {"method": "login", "user_id": admin.user_id}
        )
    )
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, {"code": "x", "state": "old-state-value"})
    assert refused.value.codes == ("procountor.auth.state_invalid",)
    assert stored(host, account) is None


def test_csrf_state_of_another_account_or_user_is_refused(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    other = host.create_account(admin, "procountor", "another-bureau")
    params = browser_login(host.authorization_url(admin, other.id))
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, params)
    assert refused.value.codes == ("procountor.auth.state_invalid",)

    colleague = Actor(user_id="admin-2", rights={"procountor": "write"})
    params = browser_login(host.authorization_url(admin, account.id))
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(colleague, account.id, params)
    assert refused.value.codes == ("procountor.auth.state_invalid",)
    assert stored(host, account) is None
    assert stored(host, other) is None


def test_callback_refuses_read_only_actor_before_the_plugin(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, reader: Actor, account: IntegrationAccount
) -> None:
    state = _fresh_state(host, admin, account)
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(reader, account.id, {"code": "c", "state": state})
    assert refused.value.codes == ("nmbrs.rights.refused",)
    with pytest.raises(ProblemError) as direct:
        authorization.authorization_callback(account, reader, {"code": "c", "state": state}, host)
    assert direct.value.codes == ("procountor.rights.write_required",)
    assert host.authorization_states.consume(state) is not None  # the plugin never consumed it
    assert sandbox.request_log == []


# --------------------------------------------------------------------------- nmbrs_account_status


def test_hook_nmbrs_account_status_unauthorized_calls_nobody(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    status = host.account_status(reader, account.id)
    assert status.state == "unauthorized"
    assert status.administration is None
    assert "Click the Procountor icon" in status.message
    assert sandbox.request_log == []


def test_hook_nmbrs_account_status_authorized_expired_from_the_store(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, account: IntegrationAccount
) -> None:
    record = store_tokens(host, sandbox, account, company_id=COMPANY_1)
    sandbox.clear_request_log()
    status = host.account_status(reader, account.id)
    assert status.state == "authorized"
    assert status.administration is not None
    assert (status.administration.id, status.administration.name) == (str(COMPANY_1), "Järvi Leipomo Oy")

    current = host.credentials.get(account.id)
    assert current is not None
    host.credentials.put(account.id, record.with_state(STATE_EXPIRED).to_data(), current.version)
    status = host.account_status(reader, account.id)
    assert status.state == "expired"
    assert "log in again" in status.message
    assert sandbox.request_log == []


# --------------------------------------------------------------------------- API key method


def test_api_key_method_authorizes_by_validating_the_key(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    key = sandbox.issue_api_key(DEMO_USER, COMPANY_2)
    account = host.create_account(admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": key})
    url = host.authorization_url(admin, account.id)
    assert url.startswith(sandbox.redirect_uri + "?")  # no Procountor login page for an API key
    params = dict(parse_qsl(urlsplit(url).query))
    assert set(params) == {"state"}

    status = host.authorization_callback(admin, account.id, params)

    assert status.state == "authorized"
    assert status.administration is not None
    assert status.administration.id == str(COMPANY_2)
    record = stored(host, account)
    assert record is not None
    assert (record.method, record.refresh_token) == ("api_key", None)
    assert key not in str(host.credentials.get(account.id))  # the key stays in the settings only


def test_api_key_method_without_a_key_or_with_a_wrong_key_is_refused(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    empty = host.create_account(admin, "procountor", "m2m-empty", {"authorization_method": "api_key"})
    with pytest.raises(ProblemError) as missing:
        host.authorization_url(admin, empty.id)
    assert missing.value.codes == ("procountor.auth.api_key_missing",)

    wrong = host.create_account(
        admin, "procountor", "m2m-wrong", {"authorization_method": "api_key", "api_key": "not-a-key"}
    )
    params = dict(parse_qsl(urlsplit(host.authorization_url(admin, wrong.id)).query))
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, wrong.id, params)
    assert refused.value.codes == ("procountor.auth.api_key_refused",)
    assert stored(host, wrong) is None


# --------------------------------------------------------------------------- nmbrs_account_removed


def test_hook_nmbrs_account_removed_logs_out_and_forgets(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    record = store_tokens(host, sandbox, account)
    host.remove_account(admin, account.id)
    assert host.credentials.get(account.id) is None
    assert [r.status for r in sandbox.request_log if r.path == "/logout"] == [200]
    dead = requests.get(
        f"{sandbox.base_url}/api/company", headers={"Authorization": f"Bearer {record.access_token}"}, timeout=5
    )
    assert dead.status_code == 401
    refreshed = requests.post(
        f"{sandbox.base_url}{TOKEN_PATH}",
        data={
            "grant_type": "refresh_token",
            "refresh_token": record.refresh_token,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=5,
    )
    assert refreshed.json()["error"] == "invalid_grant"  # the whole grant ended


def test_hook_nmbrs_account_removed_forgets_even_when_procountor_is_down(
    sandbox_factory: object, admin: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import make_host

    sb = sandbox_factory()  # type: ignore[operator]
    host = make_host(sb)
    try:
        account = host.create_account(admin, "procountor", "down")
        store_tokens(host, sb, account)
        sb.stop()
        caplog.set_level(logging.WARNING)
        started = time.monotonic()
        warnings = host.remove_account(admin, account.id)
        assert time.monotonic() - started < 10
        assert [w.code for w in warnings] == ["procountor.auth.logout_failed"]  # the admin is told
        assert "End the session in Procountor" in (warnings[0].hint or "")
        assert host.credentials.get(account.id) is None
        assert host.accounts.get(account.id) is None
        assert "procountor.auth.logout_failed" in caplog.text
    finally:
        host.close()


def test_account_removed_refuses_a_read_only_actor(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.clear_request_log()
    with pytest.raises(ProblemError) as refused:
        host.remove_account(reader, authorized_account.id)
    assert refused.value.codes == ("nmbrs.rights.refused",)
    with pytest.raises(ProblemError) as direct:
        authorization.account_removed(authorized_account, reader, host)
    assert direct.value.codes == ("procountor.rights.write_required",)
    assert host.credentials.get(authorized_account.id) is not None
    assert sandbox.request_log == []


# --------------------------------------------------------------------------- secrets


@contextmanager
def _not_ours() -> Iterator[None]:
    """Silence logging while the test's stand-in browser runs: its URLs are not the plugin's logs."""
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def test_no_secret_in_logs_or_exceptions_of_a_full_flow(
    host: ReferenceHost,
    sandbox: Sandbox,
    admin: Actor,
    account: IntegrationAccount,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "authlib", "nmbrs_procountor_plugin", "hookspecs"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    secrets_seen: set[str] = {sandbox.client_secret}
    raised: list[str] = []

    url = host.authorization_url(admin, account.id)
    with _not_ours():
        params = browser_login(url, company=COMPANY_2)
    secrets_seen.update(params.values())
    host.authorization_callback(admin, account.id, params)
    with pytest.raises(ProblemError) as replay:
        host.authorization_callback(admin, account.id, params)
    raised.append(str(replay.value))
    raised.append(repr(replay.value))

    first = stored(host, account)
    assert first is not None
    secrets_seen.update({first.access_token, str(first.refresh_token)})
    raised.append(repr(first))

    # expiry -> refresh (rotation) -> a refused refresh -> expired
    current = host.credentials.get(account.id)
    assert current is not None
    host.credentials.put(account.id, {**current.data, "expires_at": int(time.time())}, current.version)
    from nmbrs_procountor_plugin.api.connection import open_client, token_source

    client = open_client(account, host, "en")
    client.company()
    second = stored(host, account)
    assert second is not None
    secrets_seen.update({second.access_token, str(second.refresh_token)})
    raised.append(repr(client))
    raised.append(repr(token_source(account, host, "en")))
    sandbox.revoke_refresh_tokens()
    sandbox.expire_access_tokens()
    with pytest.raises(ProblemError) as expired:
        open_client(account, host, "en").company()
    raised.append(str(expired.value))

    key = sandbox.issue_api_key(DEMO_USER, COMPANY_1)
    secrets_seen.add(key)
    m2m = host.create_account(admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": key})
    m2m_params = dict(parse_qsl(urlsplit(host.authorization_url(admin, m2m.id)).query))
    secrets_seen.update(m2m_params.values())
    host.authorization_callback(admin, m2m.id, m2m_params)
    m2m_record = stored(host, m2m)
    assert m2m_record is not None
    secrets_seen.add(m2m_record.access_token)
    host.remove_account(admin, m2m.id)
    host.remove_account(admin, account.id)

    assert len(caplog.records) > 5  # the loggers were really listening
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in secrets_seen:
        assert len(secret) >= 16
        assert secret not in logged
        for text in raised:
            assert secret not in text


# --------------------------------------------------------------------------- catalogue


def test_auth_problems_exist_in_every_language() -> None:
    codes = [c for c in catalogue() if c.startswith("procountor.auth.")]
    assert len(codes) >= 12
    for code in codes:
        entry = catalogue()[code]
        assert set(entry.texts) == set(LANGUAGES)
        english = entry.texts["en"]
        for language in LANGUAGES:
            assert entry.texts[language].message.strip()
            assert entry.texts[language].hint.strip()
            if language != "en":
                assert entry.texts[language].message != english.message


def test_hook_nmbrs_authorization_callback_refuses_switching_a_mapped_account_to_another_company(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    first = host.authorization_callback(admin, account.id, browser_login(host.authorization_url(admin, account.id)))
    assert first.administration is not None
    host.mappings.save(AdministrationMapping(account.id, "nmbrs-4711", first.administration.id))
    before = stored(host, account)

    params = browser_login(host.authorization_url(admin, account.id), company=COMPANY_2)
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, params)

    assert refused.value.codes == ("procountor.auth.company_changed",)
    assert "Kuusi Consulting Oy" in refused.value.problems[0].message
    assert "another Procountor account" in (refused.value.problems[0].hint or "")
    assert stored(host, account) == before  # the working authorization stays
    assert [r.path for r in sandbox.request_log][-1] == "/logout"  # the unwanted grant was ended
    assert host.account_status(admin, account.id).administration == first.administration


def test_hook_nmbrs_authorization_callback_ends_the_grant_it_replaces(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    host.authorization_callback(admin, account.id, browser_login(host.authorization_url(admin, account.id)))
    old = stored(host, account)
    assert old is not None
    host.authorization_callback(admin, account.id, browser_login(host.authorization_url(admin, account.id)))
    new = stored(host, account)
    assert new is not None
    assert new.access_token != old.access_token
    gone = requests.get(
        f"{sandbox.api_url}/company", headers={"Authorization": f"Bearer {old.access_token}"}, timeout=5
    )
    assert gone.status_code == 401
    alive = requests.get(
        f"{sandbox.api_url}/company", headers={"Authorization": f"Bearer {new.access_token}"}, timeout=5
    )
    assert alive.status_code == 200
