"""The client paces itself under Procountor's per-client request limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.api.throttle import TokenBucket, bucket_for
from procountor_sandbox import Sandbox
from tests.conftest import store_tokens


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_passes_then_requests_are_paced_to_the_rate() -> None:
    t = FakeTime()
    bucket = TokenBucket(10, clock=t.clock, sleep=t.sleep)
    waits = [bucket.take() for _ in range(30)]
    assert waits[:10] == [0.0] * 10
    assert all(w > 0 for w in waits[10:])
    assert t.now == pytest.approx(2.0)  # 30 requests at 10/s with a burst of 10: two seconds
    assert 30 / max(t.now, 1.0) <= 20  # never above Procountor's 20 per second


def test_an_idle_bucket_refills_but_not_beyond_one_burst() -> None:
    t = FakeTime()
    bucket = TokenBucket(5, clock=t.clock, sleep=t.sleep)
    for _ in range(5):
        bucket.take()
    t.now += 60
    assert [bucket.take() for _ in range(6)][:5] == [0.0] * 5
    assert t.slept[-1] == pytest.approx(0.2)


def test_one_bucket_per_client_and_environment() -> None:
    assert bucket_for("https://a", "c1") is bucket_for("https://a", "c1")
    assert bucket_for("https://a", "c1") is not bucket_for("https://a", "c2")
    assert bucket_for("https://a", "c1") is not bucket_for("https://b", "c1")
    with pytest.raises(ValueError, match="rate=0"):
        TokenBucket(0)


def test_an_export_burst_stays_under_procountors_limit(host: ReferenceHost, sandbox: Sandbox) -> None:
    """Four exports in a row from one process never exceed 20 requests in any second."""
    admin = Actor("a", {"procountor": "write"})
    dims = (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))
    account = host.create_account(admin, "procountor", "burst")
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, "10001", dims), COMPANY)
    for run in range(4):
        journal = replace(june_run(date.today().year), run_id=f"burst-{run}", reference=f"Burst {run}")
        assert host.export_journal(admin, account.id, COMPANY, journal).status == "sent"
    times = sorted(r.at for r in sandbox.request_log if r.path.startswith("/api/") and "oauth" not in r.path)
    assert len(times) >= 40
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 20
