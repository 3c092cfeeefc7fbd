"""Every call the plugin makes to Procountor passes the one limiter the host lends."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from nmbrs_hookspecs.errors import LimiterUnavailable
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.protocols import Admission, RequestLimiter
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    Environment,
    IntegrationAccount,
    ProviderConfig,
    RequestRate,
)
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.pacing import DOCUMENTED_LIMITS, request_rate
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, DEMO_USER, store_tokens

DIMENSIONS = (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))


class CountedAdmission:
    """An admission that remembers how often its answer was reported."""

    def __init__(self, inner: Admission) -> None:
        self.inner = inner
        self.answers = 0

    @property
    def waited(self) -> float:
        return self.inner.waited

    def answered(self) -> None:
        self.answers += 1
        self.inner.answered()


class CountingLimiter:
    """The host's limiter, with a count of what it admitted and the pauses it was asked for."""

    def __init__(self, inner: RequestLimiter) -> None:
        self.inner = inner
        self.admissions: list[CountedAdmission] = []
        self.pauses: list[float] = []
        self._lock = threading.Lock()

    def acquire(self, rate: RequestRate) -> Admission:
        admission = CountedAdmission(self.inner.acquire(rate))
        with self._lock:
            self.admissions.append(admission)
        return admission

    @property
    def admitted(self) -> int:
        return len(self.admissions)

    def answers(self) -> list[int]:
        """How often each admission's answer was reported, in the order of admission."""
        return [a.answers for a in self.admissions]

    def pause(self, rate: RequestRate, seconds: float) -> None:
        self.pauses.append(seconds)
        self.inner.pause(rate, seconds)


def config(environment: Environment, requests_per_second: float | None = None, client_id: str = "c1") -> ProviderConfig:
    return ProviderConfig(
        client_id=client_id,
        client_secret="s",
        redirect_uri="https://payroll.example/cb",
        environment=environment,
        base_url="https://procountor.example" if environment == "custom" else None,
        requests_per_second=requests_per_second,
    )


def rate_of(c: ProviderConfig) -> RequestRate:
    return request_rate(c, endpoints(c))


def test_the_documented_limit_applies_per_environment_unless_the_host_sets_one() -> None:
    assert rate_of(config("production")) == RequestRate(
        "procountor:https://api.procountor.com:c1", int(DOCUMENTED_LIMITS["production"]), 1.0
    )
    assert rate_of(config("test")).requests == 20
    assert rate_of(config("production", 60)).requests == 60  # the other copy of the docs, if Procountor confirms
    assert rate_of(config("test", 0.5)) == RequestRate("procountor:https://pts-api.procountor.com:c1", 1, 2.0)


def test_one_window_per_api_client_and_environment() -> None:
    assert rate_of(config("test")).key != rate_of(config("production")).key
    assert rate_of(config("test")).key != rate_of(config("test", client_id="c2")).key


@pytest.mark.parametrize("value", [0, -1, 1001, True, "20"])
def test_a_limit_the_host_cannot_mean_is_refused_naming_the_field(value: object) -> None:
    with pytest.raises((ValueError, TypeError), match="requests_per_second"):
        config("test", value)  # type: ignore[arg-type]


def _limited_host(host: ReferenceHost) -> CountingLimiter:
    counting = CountingLimiter(host.request_limiter)
    host._limiter = counting  # the reference host lends whatever limiter it was given
    return counting


def test_every_request_procountor_sees_was_admitted_by_the_hosts_limiter(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    """API-key authorization, an export with a retried 500 and 429, and the logout at removal."""
    counting = _limited_host(host)
    key = sandbox.issue_api_key(DEMO_USER, COMPANY_1)
    account = host.create_account(admin, "procountor", "paced", {"authorization_method": "api_key", "api_key": key})
    state = dict(parse_qsl(urlsplit(host.authorization_url(admin, account.id)).query))["state"]
    assert host.authorization_callback(admin, account.id, {"state": state}).state == "authorized"
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), DIMENSIONS), COMPANY)
    sandbox.inject_fault("GET", "/api/coa", "http_500_html", count=1)
    sandbox.inject_fault("GET", "/api/fiscalyears", "http_429", count=1, retry_after=1)
    assert host.export_journal(admin, account.id, COMPANY, june_run(date.today().year)).status == "sent"
    host.remove_account(admin, account.id)

    seen = sandbox.request_log
    paths = {r.path for r in seen}
    assert {"/api/oauth/token", "/api/company", "/api/ledgerreceipts", "/logout"} <= paths
    assert [r.status for r in seen if r.path == "/api/coa"][:2] == [500, 200]  # the retry was a request too
    assert counting.admitted == len(seen)
    # ...and each one's answer reached the limiter once, so a late one counts from its answer
    assert counting.answers() == [1] * len(seen)
    assert counting.pauses == [1.0]  # the 429's Retry-After became the client's shared pause


def test_a_429_at_the_token_endpoint_pauses_the_whole_client(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    counting = _limited_host(host)
    account = host.create_account(admin, "procountor", "refresh-429")
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), DIMENSIONS), COMPANY)
    store_tokens(host, sandbox, account, expires_in=5)  # inside the refresh margin: the next call refreshes
    sandbox.clear_request_log()
    counting.admissions.clear()
    sandbox.inject_fault("POST", "/api/oauth/token", "http_429", count=1, retry_after=2)
    started = time.monotonic()
    plan = host.preview_export(admin, account.id, COMPANY, june_run(date.today().year))
    assert plan.receipts
    assert counting.pauses == [2.0]
    assert time.monotonic() - started >= 1.9
    assert [r.status for r in sandbox.request_log if r.path == "/api/oauth/token"] == [429, 200]
    assert counting.admitted == len(sandbox.request_log)
    assert counting.answers() == [1] * len(sandbox.request_log)  # the token calls' answers too


def test_an_export_burst_stays_under_procountors_limit(host: ReferenceHost, sandbox: Sandbox) -> None:
    """Four exports from four threads of one process: never more than 20 requests in any second, no 429."""
    admin = Actor("a", {"procountor": "write"})
    account = host.create_account(admin, "procountor", "burst")
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, "10001", DIMENSIONS), COMPANY)
    statuses: list[str] = []

    def export(run: int) -> None:
        journal = replace(june_run(date.today().year), run_id=f"burst-{run}", reference=f"Burst {run}")
        statuses.append(host.export_journal(admin, account.id, COMPANY, journal).status)

    threads = [threading.Thread(target=export, args=(run,)) for run in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == ["sent"] * 4
    seen = sandbox.request_log
    assert [r for r in seen if r.status == 429] == []
    times = sorted(r.at for r in seen)
    assert len(times) >= 40
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 20


class GoesAway(CountingLimiter):
    """The host's limiter whose shared store vanishes after ``admit`` requests."""

    def __init__(self, inner: RequestLimiter, admit: int) -> None:
        super().__init__(inner)
        self.admit = admit

    def acquire(self, rate: RequestRate) -> Admission:
        if self.admitted >= self.admit:
            raise LimiterUnavailable("the request limiter's Redis at redis://127.0.0.1:6390/0 cannot be reached")
        return super().acquire(rate)


def test_a_limiter_gone_mid_export_reports_what_was_booked_and_a_rerun_finishes_it(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount, admin: Actor
) -> None:
    host.save_mapping(
        admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), DIMENSIONS), COMPANY
    )
    working = host.request_limiter
    sandbox.clear_request_log()
    # the pre-flight reads (the rights are not read when sending: docs/performance.md), the
    # search, then two of six receipts, each followed by its journal document
    host._limiter = GoesAway(working, admit=8)
    journal = june_run(date.today().year)
    first = host.export_journal(admin, authorized_account.id, COMPANY, journal)
    assert first.status == "partially_sent"
    assert len(first.receipts) == 2
    assert "procountor.unavailable" in {p.code for p in first.problems}
    assert len(sandbox.request_log) == 8  # nothing went out uncounted

    host._limiter = working  # the limiter is back: the rerun books the rest, nothing twice
    again = host.export_journal(admin, authorized_account.id, COMPANY, journal)
    assert again.status == "sent"
    assert len(sandbox.receipts(COMPANY_1)) == 6
