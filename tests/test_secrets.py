"""Secrets stay secret: in reprs, str, logs and pluggy's hook traces, in the exceptions the host
gets, and in the reference host's database file.

Each test collects every secret it created (API key, client secret, tokens, code, state) and
looks for it everywhere a person or a log collector could read.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import pytest

from nmbrs_hookspecs.at_rest import CredentialCipher, CredentialKeyError
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import HostError, ReferenceHost
from nmbrs_hookspecs.secret import MASK, CallbackParams, Secret
from nmbrs_hookspecs.types import Actor, AuthorizationState, IntegrationAccount
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api.connection import open_client, token_source
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.api.pacing import pacer_for
from nmbrs_procountor_plugin.api.tokens import IssuedToken, TokenEndpoint
from nmbrs_procountor_plugin.provider import AccountSettings
from tests.conftest import COMPANY_1, DEMO_USER, make_host, provider_config_for, store_tokens
from tests.test_authorization import browser_login

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

TOKEN_PATH = "/api/oauth/token"


def api_key_account(host: ReferenceHost, sb: Sandbox, admin: Actor) -> tuple[IntegrationAccount, str]:
    key = sb.issue_api_key(DEMO_USER, COMPANY_1)
    account = host.create_account(admin, "procountor", "m2m", {"authorization_method": "api_key", "api_key": key})
    return account, key


def stored_record(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord:
    found = host.credentials.get(account.id)
    assert found is not None
    return TokenRecord.from_data(found.data)


def renderings(value: object) -> list[str]:
    return [repr(value), str(value), f"{value}", f"{value!r:>10}", "%s" % (value,), "%r" % (value,)]  # noqa: UP031


# --------------------------------------------------------------------------- the Secret type


def test_secret_hides_its_value_everywhere_but_reveal() -> None:
    secret = Secret("s3cr3t-api-key-0123456789")
    for text in renderings(secret) + renderings({"api_key": secret}) + renderings([secret]):
        assert "s3cr3t" not in text
    assert MASK in str(secret)
    assert secret.reveal() == "s3cr3t-api-key-0123456789"
    assert secret == Secret("s3cr3t-api-key-0123456789")
    assert secret != Secret("another")
    with pytest.raises(TypeError):
        __import__("json").dumps({"api_key": secret})  # a host cannot store it in the clear by accident
    with pytest.raises(AttributeError):
        secret._value = "changed"


def test_integration_account_wraps_its_declared_secret_settings() -> None:
    account = IntegrationAccount(
        "a1",
        "procountor",
        "m2m",
        {"api_key": "k-0123456789abcdef", "vat_status": 12},
        secret_keys=frozenset({"api_key"}),
    )
    assert isinstance(account.settings["api_key"], Secret)
    assert account.settings["vat_status"] == 12  # the others stay as they are
    for text in renderings(account) + renderings(account.settings):
        assert "k-0123456789abcdef" not in text
        assert "vat_status" in text
    assert AccountSettings.of(account).api_key == Secret("k-0123456789abcdef")
    with pytest.raises(TypeError, match=r"settings\['api_key'\]: a secret setting must be a str") as wrong:
        IntegrationAccount("a1", "procountor", "m2m", {"api_key": 1234567890}, secret_keys=frozenset({"api_key"}))
    assert "1234567890" not in str(wrong.value)


def test_callback_params_mask_code_and_state_but_not_the_error() -> None:
    params = CallbackParams({"code": "the-code-0123456789", "state": "the-state-0123456789", "error": "access_denied"})
    for text in renderings(params):
        assert "the-code" not in text
        assert "the-state" not in text
        assert "access_denied" in text
    assert params["code"] == "the-code-0123456789"  # the plugin still reads it


# --------------------------------------------------------------------------- repr, str, logs and traces


def test_an_api_key_account_shows_no_secret_in_repr_str_logs_or_pluggy_traces(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "authlib", "nmbrs_procountor_plugin", "nmbrs_hookspecs", "pluggy"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    traced: list[str] = []
    host.pm.trace.root.setwriter(traced.append)
    undo = host.pm.enable_tracing()
    try:
        account, key = api_key_account(host, sandbox, admin)
        url = host.authorization_url(admin, account.id)
        params = dict(parse_qsl(urlsplit(url).query))
        status = host.authorization_callback(admin, account.id, params)
        assert status.state == "authorized"
        host.account_status(admin, account.id)
        host.administrations(admin, account.id)
        record = stored_record(host, account)
        config = host.provider_config("procountor")
        urls = endpoints(config)
        holders: list[object] = [
            account,
            account.settings,
            host.accounts.get(account.id),
            host.accounts.all(),
            AccountSettings.of(account),
            host.credentials,
            host.credentials.get(account.id),
            host.accounts,
            record,
            token_source(account, host, "en"),
            open_client(account, host, "en"),
            TokenEndpoint(config, urls, pacer=pacer_for(host, config, urls)),
            host.provider_config("procountor"),
            host,
            IssuedToken(record.access_token, "a-refresh-token-0123456789", record.expires_at),
            AuthorizationState(params["state"], account.id, 0.0, {"method": "api_key"}),
            CallbackParams(params),
            CredentialCipher([os.environ["NMBRS_CREDENTIAL_KEYS"].split(",")[0]]),
        ]
        logging.getLogger("nmbrs_hookspecs").info("account %s settings %r record %s", account, account.settings, record)
        host.remove_account(admin, account.id)
    finally:
        undo()
    secrets = [
        key,
        sandbox.client_secret,
        record.access_token,
        params["state"],
        "a-refresh-token-0123456789",
        os.environ["NMBRS_CREDENTIAL_KEYS"].split(",")[0],
    ]
    trace = "".join(traced)
    assert "nmbrs_authorization_callback" in trace  # tracing was really on
    assert "nmbrs_account_status" in trace
    # The state is in the login URL the first hook answers (it is sent to the browser by design,
    # single use, 10 minutes); the callback's arguments show it masked.
    callback_trace = trace[trace.index("nmbrs_authorization_callback [hook]") :]
    assert params["state"] not in callback_trace
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in secrets:
        assert len(secret) >= 16
        if secret != params["state"]:
            assert secret not in trace
        assert secret not in logged
        for holder in holders:
            for text in renderings(holder):
                assert secret not in text, f"{type(holder).__name__} shows a secret"


def test_a_login_callback_shows_neither_code_nor_state_in_the_trace(
    host: ReferenceHost, admin: Actor, account: IntegrationAccount
) -> None:
    params = browser_login(host.authorization_url(admin, account.id))
    traced: list[str] = []
    host.pm.trace.root.setwriter(traced.append)
    undo = host.pm.enable_tracing()
    try:
        host.authorization_callback(admin, account.id, params)
    finally:
        undo()
    trace = "".join(traced)
    assert "params" in trace
    assert params["code"] not in trace
    assert params["state"] not in trace


# --------------------------------------------------------------------------- exceptions raised to the host


def _texts_in(value: object, depth: int = 0, seen: set[int] | None = None) -> Iterable[str]:
    """Every text reachable from ``value`` through attributes, mappings, sequences and exception links."""
    seen = set() if seen is None else seen
    if depth > 6 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str | bytes):
        yield value if isinstance(value, str) else value.decode("latin-1")
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _texts_in(k, depth + 1, seen)
            yield from _texts_in(v, depth + 1, seen)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _texts_in(item, depth + 1, seen)
        return
    if isinstance(value, BaseException):
        yield str(value)
        yield repr(value)
        for link in (value.__cause__, value.__context__):
            yield from _texts_in(link, depth + 1, seen)
        yield from _texts_in(value.args, depth + 1, seen)
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        yield from _texts_in(attributes, depth + 1, seen)


def _assert_clean(exc: BaseException, secrets: Iterable[str]) -> None:
    texts = "\n".join(_texts_in(exc))
    for secret in secrets:
        assert secret not in texts
    link: BaseException | None = exc
    while link is not None:
        for carrier in ("request", "response"):
            assert getattr(link, carrier, None) is None, f"{type(link).__name__}.{carrier} reaches the host"
        link = link.__cause__ or link.__context__


@pytest.mark.parametrize("fault", ["http_503", "http_500_html", "reset"])
def test_a_failed_refresh_raises_to_the_host_without_the_request_in_its_chain(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount, fault: str
) -> None:
    record = store_tokens(host, sandbox, account, expires_in=0)
    sandbox.inject_fault("POST", TOKEN_PATH, fault, count=5, retry_after=0)
    with pytest.raises(ProblemError) as failed:
        host.administrations(admin, account.id)
    assert failed.value.codes == ("procountor.unavailable",)
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None
    _assert_clean(failed.value, [str(record.refresh_token), sandbox.client_secret, record.access_token])


@pytest.mark.parametrize("shape", ["rfc", "errors"])
def test_a_refused_refresh_raises_to_the_host_without_the_request_in_its_chain(
    sandbox_factory: Callable[..., Sandbox], admin: Actor, shape: str
) -> None:
    sb = sandbox_factory(token_error_shape=shape)
    host = make_host(sb)
    try:
        account = host.create_account(admin, "procountor", "refused")
        record = store_tokens(host, sb, account, expires_in=0)
        sb.revoke_refresh_tokens()
        with pytest.raises(ProblemError) as refused:
            host.administrations(admin, account.id)
        assert refused.value.codes == ("procountor.auth.expired",)
        assert refused.value.__context__ is None
        _assert_clean(refused.value, [str(record.refresh_token), sb.client_secret])
    finally:
        host.close()


def test_the_token_endpoint_raises_nothing_that_holds_its_request(sandbox: Sandbox, host: ReferenceHost) -> None:
    config = host.provider_config("procountor")
    endpoint = TokenEndpoint(config, endpoints(config), pacer=pacer_for(host, config, endpoints(config)))
    sandbox.inject_fault("POST", TOKEN_PATH, "http_503", count=5, retry_after=0)
    with pytest.raises(ProcountorUnavailable) as lost:
        endpoint.refresh("a-refresh-token-that-must-not-leak")
    assert lost.value.__context__ is None
    assert lost.value.__cause__ is None
    _assert_clean(lost.value, ["a-refresh-token-that-must-not-leak", sandbox.client_secret])


def test_a_bad_code_at_the_callback_raises_nothing_that_holds_the_request(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    state = dict(parse_qsl(urlsplit(host.authorization_url(admin, account.id)).query))["state"]
    with pytest.raises(ProblemError) as refused:
        host.authorization_callback(admin, account.id, {"code": "forged-code-0123456789", "state": state})
    assert refused.value.codes == ("procountor.auth.exchange_failed",)
    assert refused.value.__context__ is None
    _assert_clean(refused.value, ["forged-code-0123456789", sandbox.client_secret, state])


def test_an_unreachable_procountor_during_an_export_read_leaves_no_bearer_token_in_the_chain(
    sandbox_factory: Callable[..., Sandbox], admin: Actor
) -> None:
    sb = sandbox_factory()
    host = make_host(sb)
    try:
        account = host.create_account(admin, "procountor", "down")
        record = store_tokens(host, sb, account)
        sb.stop()
        with pytest.raises(ProblemError) as down:
            host.administrations(admin, account.id)
        assert down.value.codes == ("procountor.unavailable",)
        assert down.value.__context__ is None
        assert down.value.__cause__ is None
        _assert_clean(down.value, [record.access_token])
    finally:
        host.close()


# --------------------------------------------------------------------------- credentials at rest


def _raw_bytes(db: Path) -> bytes:
    found = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            found += path.read_bytes()
    return found


def test_the_database_holds_no_token_or_key_in_plain_text_and_is_owner_only(
    sandbox: Sandbox, admin: Actor, tmp_path: Path
) -> None:
    db = tmp_path / "host.sqlite3"
    old_umask = os.umask(0o022)  # what most hosts run with: files readable by everyone
    try:
        host = make_host(sandbox, db=str(db))
    finally:
        os.umask(old_umask)
    try:
        login = host.create_account(admin, "procountor", "bureau")
        host.authorization_callback(admin, login.id, browser_login(host.authorization_url(admin, login.id)))
        m2m, key = api_key_account(host, sandbox, admin)
        host.authorization_callback(
            admin, m2m.id, dict(parse_qsl(urlsplit(host.authorization_url(admin, m2m.id)).query))
        )
        tokens = stored_record(host, login)
        api_token = stored_record(host, m2m)
        raw = _raw_bytes(db)
        assert len(raw) > 4096
        for secret in (key, tokens.access_token, str(tokens.refresh_token), api_token.access_token):
            assert secret.encode() not in raw
        assert host.accounts.get(m2m.id).settings["api_key"] == Secret(key)  # type: ignore[union-attr]
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{db}{suffix}")
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} is not owner-only"
        with sqlite3.connect(db) as conn:  # what a copied database file shows
            rows = conn.execute("SELECT data FROM credentials").fetchall()
        assert rows
        assert all(not row[0].startswith("{") for row in rows)
    finally:
        host.close()


def test_a_database_file_made_readable_by_others_is_tightened(sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "loose.sqlite3"
    db.touch(mode=0o644)
    os.chmod(db, 0o644)
    make_host(sandbox, db=str(db)).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_file_database_needs_a_key_from_configuration_or_environment(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NMBRS_CREDENTIAL_KEYS")
    with pytest.raises(HostError, match="NMBRS_CREDENTIAL_KEYS"):
        ReferenceHost(tmp_path / "host.sqlite3", load_entrypoints=False, plugins=[(procountor_plugin, "procountor")])
    with pytest.raises(CredentialKeyError, match=r"keys\[0\]: not a Fernet key") as bad:
        CredentialCipher(["not-a-key-0123456789"])
    assert "not-a-key" not in str(bad.value)


def test_credential_keys_rotate_without_losing_what_is_stored(sandbox: Sandbox, admin: Actor, tmp_path: Path) -> None:
    db = str(tmp_path / "host.sqlite3")
    old_key, new_key = CredentialCipher.generate_key(), CredentialCipher.generate_key()

    def host_with(*keys: str) -> ReferenceHost:
        return ReferenceHost(
            db,
            provider_configs={"procountor": provider_config_for(sandbox)},
            load_entrypoints=False,
            plugins=[(procountor_plugin, "procountor")],
            credential_keys=list(keys),
        )

    first = host_with(old_key)
    m2m, key = api_key_account(first, sandbox, admin)
    login = first.create_account(admin, "procountor", "bureau")
    record = store_tokens(first, sandbox, login)
    first.close()

    both = host_with(new_key, old_key)  # the new key in front: it encrypts, both decrypt
    assert both.rotate_credential_keys() == 3  # one token record, two accounts' secret settings
    both.close()

    rotated = host_with(new_key)  # the old key dropped
    try:
        assert stored_record(rotated, login).refresh_token == record.refresh_token
        assert rotated.accounts.get(m2m.id).settings["api_key"] == Secret(key)  # type: ignore[union-attr]
    finally:
        rotated.close()
    stale = host_with(old_key)
    try:
        with pytest.raises(CredentialKeyError, match="cannot be decrypted"):
            stale.credentials.get(login.id)
    finally:
        stale.close()


def test_a_bug_leaves_the_boundary_with_its_chain_cut_and_no_request_attached() -> None:
    import requests

    from nmbrs_procountor_plugin.boundary import clean_boundary

    prepared = requests.Request(
        "POST", "https://api.example/token", data={"client_secret": "leaky-secret-0123456789"}
    ).prepare()

    @clean_boundary
    def hook() -> None:
        try:
            raise requests.exceptions.ConnectionError("reset", request=prepared)
        except requests.exceptions.ConnectionError as exc:
            raise RuntimeError("a bug while handling it") from exc

    with pytest.raises(RuntimeError, match="a bug while handling it") as bug:
        hook()
    assert bug.value.__cause__ is None
    assert bug.value.__context__ is None
    _assert_clean(bug.value, ["leaky-secret-0123456789"])


def test_a_problem_leaves_the_boundary_as_a_fresh_problem_error() -> None:
    from nmbrs_hookspecs.types import Problem
    from nmbrs_procountor_plugin.boundary import clean_boundary

    problem = Problem("procountor.unavailable", "Procountor cannot be reached.")

    @clean_boundary
    def hook() -> None:
        try:
            raise ValueError("body=client_secret=leaky-secret-0123456789")
        except ValueError as exc:
            raise ProblemError([problem]) from exc

    with pytest.raises(ProblemError) as refused:
        hook()
    assert refused.value.problems == (problem,)
    assert refused.value.__cause__ is None
    assert refused.value.__context__ is None
