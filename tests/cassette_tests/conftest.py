"""Cassette tests: replay by default, re-record with ``PROCOUNTOR_RECORD=sandbox|pts`` (docs/cassettes.md).

Fixtures:

* ``vcr_config`` / ``vcr_cassette_dir``: the shared vcrpy configuration (support.vcr_config)
  and ``cassettes/<test module>/``.
* ``allowed_hosts``: in replay *no* host is allowed, loopback included, so a cassette test can
  never lean on a server that happens to be running; in replay ``Sandbox.start`` fails too.
* ``target``: where the plugin talks to. Replay: nothing, with the plugin configured from the
  cassette's side-car origin. ``sandbox``: a fresh sandbox per test on a fixed port with a
  pinned ``today``. ``pts``: Procountor's test environment from environment variables.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import IntegrationAccount, ProviderConfig
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api import parallel
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from tests.cassette_tests import support
from tests.cassette_tests.support import SESSION, Origin, unrecorded

DEMO_USER = "demo.admin"
DEMO_PASSWORD = "demo-password"
SANDBOX_COMPANY = ("10001", "Järvi Leipomo Oy", "1234567-8")
FAR_FUTURE = 10 * 365 * 24 * 3600
PTS_URL = "https://pts-api.procountor.com"

try:
    RECORDING = support.record_target()
except ValueError as exc:  # a typo in the switch must not silently replay
    raise pytest.UsageError(str(exc)) from None


def _env(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        pytest.skip(f"PROCOUNTOR_RECORD=pts: set {name} ({why}); the existing cassette is kept")
    return value


class Target:
    """Where the plugin's requests go, and how a test sets up what it needs there."""

    def __init__(self, mode: str, origin: Origin, sandbox: Any = None) -> None:
        self.mode = mode  # "replay" | "sandbox" | "pts"
        self.origin = origin
        self.sandbox = sandbox
        self._pts_refresh_token = os.environ.get("PROCOUNTOR_REFRESH_TOKEN", "").strip() or None

    @property
    def recording(self) -> bool:
        return self.mode != "replay"

    def provider_config(self) -> ProviderConfig:
        if self.mode == "sandbox":
            secret = self.sandbox.client_secret
        elif self.mode == "pts":
            secret = _env("PROCOUNTOR_CLIENT_SECRET", "the client secret of the PTS client")
        else:
            secret = "replay-client-secret"
        return ProviderConfig(
            client_id=self.origin.client_id,
            client_secret=secret,
            redirect_uri=self.origin.redirect_uri,
            environment="custom",
            base_url=self.origin.base_url,
            timeout_seconds=10,
        )

    def make_host(self) -> ReferenceHost:
        return ReferenceHost(
            ":memory:",
            provider_configs={"procountor": self.provider_config()},
            load_entrypoints=False,
            plugins=[(procountor_plugin, "procountor")],
        )

    def require_sandbox(self, why: str) -> None:
        """Skip a PTS recording whose setup needs the sandbox's test controls."""
        if self.mode == "pts":
            pytest.skip(f"PROCOUNTOR_RECORD=pts cannot {why}; the sandbox-recorded cassette is kept")

    # ------------------------------------------------------------------ authorization set-ups

    def authorize(
        self, host: ReferenceHost, account: IntegrationAccount, *, expires_in: int | None = None
    ) -> TokenRecord:
        """Store an authorization for ``account`` without the login page (not part of the cassette).

        Replay stores placeholders with a far-future expiry (or ``expires_in`` from now);
        recording stores real tokens, issued in-process by the sandbox or fetched unrecorded
        from PTS with a refresh token.
        """
        origin = self.origin
        if self.mode == "sandbox":
            issued = self.sandbox.issue_tokens(DEMO_USER, int(origin.company_id))
            access, refresh, lifetime = issued["access_token"], issued["refresh_token"], int(issued["expires_in"])
        elif self.mode == "pts":
            access, refresh, lifetime = self._pts_tokens()
        else:
            access, refresh, lifetime = "replay-access-token", "replay-refresh-token", FAR_FUTURE
        for value in (access, refresh):
            SESSION.remember_secret(value)
        record = TokenRecord(
            method="login",
            access_token=access,
            refresh_token=refresh,
            expires_at=int(time.time()) + (expires_in if expires_in is not None else lifetime),
            company_id=origin.company_id,
            company_name=origin.company_name,
            business_id=SANDBOX_COMPANY[2] if origin.target == "sandbox" else "",
        )
        current = host.credentials.get(account.id)
        assert host.credentials.put(account.id, record.to_data(), current.version if current else 0)
        return record

    def _pts_tokens(self) -> tuple[str, str, int]:
        from nmbrs_procountor_plugin.api.environment import endpoints
        from nmbrs_procountor_plugin.api.pacing import pacer_for
        from nmbrs_procountor_plugin.api.tokens import TokenEndpoint

        if self._pts_refresh_token is None:
            _env("PROCOUNTOR_REFRESH_TOKEN", "a refresh token of a login to the PTS test company")
        config = self.provider_config()
        urls = endpoints(config)
        set_up = ReferenceHost(provider_configs={"procountor": config}, load_entrypoints=False)
        try:
            with unrecorded():
                endpoint = TokenEndpoint(config, urls, pacer=pacer_for(set_up, config, urls))
                issued = endpoint.refresh(str(self._pts_refresh_token))
        finally:
            set_up.close()
        # Procountor may rotate: the next set-up uses the newest refresh token.
        self._pts_refresh_token = issued.refresh_token
        assert issued.refresh_token is not None
        return issued.access_token, issued.refresh_token, int(issued.expires_at - time.time())

    def invalidate_access_token(self, host: ReferenceHost, account: IntegrationAccount) -> None:
        """Make Procountor refuse the stored (still unexpired) access token with 401."""
        if self.mode == "sandbox":
            self.sandbox.expire_access_tokens()
        elif self.mode == "pts":
            stored = host.credentials.get(account.id)
            assert stored is not None
            data = {**stored.data, "access_token": "replay-invalidated-token"}
            assert host.credentials.put(account.id, data, stored.version)

    def login(self, authorization_url: str) -> dict[str, str]:
        """The callback's query after the admin logged in (the browser part is never recorded)."""
        state = dict(parse_qsl(urlsplit(authorization_url).query))["state"]
        if self.mode == "sandbox":
            from nmbrs_procountor_devtools.form_browser import log_in

            with unrecorded():
                params = log_in(authorization_url, DEMO_USER, DEMO_PASSWORD, self.origin.company_name)
            SESSION.remember_secret(params.get("code"))
            return params
        if self.mode == "pts":
            code = _env("PROCOUNTOR_AUTH_CODE", "a fresh authorization code, see docs/cassettes.md")
            return {"code": code, "state": state}
        return {"code": "replay-code", "state": state}

    def api_key(self) -> str:
        if self.mode == "sandbox":
            key = self.sandbox.issue_api_key(DEMO_USER, int(self.origin.company_id))
            SESSION.remember_secret(key)
            return str(key)
        if self.mode == "pts":
            return _env("PROCOUNTOR_API_KEY", "an API key of the PTS test company")
        return "replay-api-key"


# --------------------------------------------------------------------------- vcr configuration


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    # "rewrite" (pytest-recording): the cassette file is deleted and recorded from scratch; the
    # session puts back the previous one when the test does not pass (see _recording_session).
    return support.vcr_config("rewrite" if RECORDING else "none")


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(support.CASSETTES / Path(str(request.node.fspath)).stem)


@pytest.fixture
def allowed_hosts() -> list[str] | None:
    """Replay: a pattern no host matches, so even loopback is refused (no server may be needed)."""
    return None if RECORDING else [r"(?!)"]


@pytest.fixture(autouse=True)
def _reads_one_after_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """vcrpy is not thread-safe (kevin1024/vcrpy#849): pre-flight reads go out one by one on tape."""
    monkeypatch.setattr(parallel, "max_parallel", 1)


@pytest.fixture(autouse=True)
def _no_sandbox_in_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    if RECORDING:
        return
    from procountor_sandbox import Sandbox

    def refuse(self: Any) -> Any:
        raise AssertionError("a cassette test started a sandbox while replaying")

    monkeypatch.setattr(Sandbox, "start", refuse)


@pytest.fixture(autouse=True, scope="session")
def _recording_session(pytestconfig: pytest.Config) -> Iterator[None]:
    """Refuse ``--record-mode``; after a recording run, keep only good cassettes and scan them."""
    cli_mode = pytestconfig.getoption("--record-mode", default=None)
    if cli_mode not in (None, "none") and not RECORDING:
        pytest.exit("cassette tests re-record with PROCOUNTOR_RECORD=sandbox|pts, not --record-mode", returncode=4)
    if RECORDING:
        SESSION.take_snapshot(support.CASSETTES)
    yield
    if not RECORDING:
        return
    for path in SESSION.keep_only_passed():
        print(f"\n{path.relative_to(support.ROOT)}: test did not pass, previous cassette kept")
    for folder, updates in SESSION.origins.items():
        support.write_origins(folder, updates, set())
    leaks = support.scan_cassettes(extra_secrets=SESSION.secrets | support.env_secrets())
    if leaks:
        raise AssertionError(f"recorded cassettes leak secrets, do not commit them: {sorted(leaks)}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """While recording, a cassette (and its origin) is kept only when its test passed."""
    report = yield
    cassette: Path | None = getattr(item, "_cassette_path", None)
    if RECORDING and cassette is not None:
        if report.failed or report.skipped:
            SESSION.passed.discard(cassette)
            SESSION.origins.get(cassette.parent, {}).pop(cassette.stem, None)
        elif report.when == "call" and report.passed:
            SESSION.passed.add(cassette)
            origin: Origin = item._cassette_origin  # type: ignore[attr-defined]
            SESSION.origins.setdefault(cassette.parent, {})[cassette.stem] = origin.to_data()
    return report


# --------------------------------------------------------------------------- the target


def _recording_origin(mode: str, sandbox: Any) -> Origin:
    today = date.today().isoformat()
    if mode == "sandbox":
        return Origin(
            target="sandbox",
            base_url=sandbox.base_url,
            client_id=sandbox.client_id,
            redirect_uri=sandbox.redirect_uri,
            company_id=SANDBOX_COMPANY[0],
            company_name=SANDBOX_COMPANY[1],
            recorded_on=today,
            sandbox_today=support.SANDBOX_TODAY.isoformat(),
        )
    return Origin(
        target="pts",
        base_url=os.environ.get("PROCOUNTOR_BASE_URL", PTS_URL).rstrip("/"),
        client_id=_env("PROCOUNTOR_CLIENT_ID", "the client id of the PTS client"),
        redirect_uri=_env("PROCOUNTOR_REDIRECT_URI", "the redirect URI registered for it"),
        company_id=_env("PROCOUNTOR_COMPANY_ID", "the id of the PTS test company"),
        company_name=_env("PROCOUNTOR_COMPANY_NAME", "its name exactly as Procountor shows it"),
        recorded_on=today,
    )


@pytest.fixture
def target(request: pytest.FixtureRequest, vcr: Any, vcr_cassette_dir: str) -> Iterator[Target]:
    """The target of one cassette test (``vcr`` first, so the cassette is saved after we stop)."""
    if vcr is None:
        pytest.fail("cassette tests need @pytest.mark.vcr (and recording not disabled)")
    folder = Path(vcr_cassette_dir)
    name = request.getfixturevalue("default_cassette_name")
    cassette = folder / f"{name}.yaml"
    request.node._cassette_path = cassette
    if RECORDING:
        SESSION.touched.add(cassette)
    if not RECORDING:
        origin = support.origin_of(folder, name)
        if origin is None or not cassette.exists():
            pytest.fail(
                f"no cassette {cassette.relative_to(support.ROOT)} (or no entry in {support.ORIGINS_FILE}): "
                "record it with PROCOUNTOR_RECORD=sandbox, see docs/cassettes.md"
            )
        yield Target("replay", origin)
        return
    if RECORDING == "sandbox":
        from procountor_sandbox import Sandbox, SandboxConfig

        with Sandbox(SandboxConfig(port=support.SANDBOX_PORT, today=support.SANDBOX_TODAY)) as sandbox:
            origin = _recording_origin("sandbox", sandbox)
            request.node._cassette_origin = origin
            SESSION.remember_secret(sandbox.client_secret)
            yield Target("sandbox", origin, sandbox)
        return
    origin = _recording_origin("pts", None)
    request.node._cassette_origin = origin
    SESSION.remember_secret(os.environ.get("PROCOUNTOR_CLIENT_SECRET"))
    yield Target("pts", origin)


@pytest.fixture
def host(target: Target) -> Iterator[ReferenceHost]:
    h = target.make_host()
    yield h
    h.close()


@pytest.fixture
def authorized_account(host: ReferenceHost, target: Target, account: IntegrationAccount) -> IntegrationAccount:
    target.authorize(host, account)
    return account
