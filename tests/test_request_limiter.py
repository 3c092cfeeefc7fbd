"""The reference host's request limiter: one window for every worker process and every machine.

Workers are real processes (spawned), "machines" are hosts with databases of their own that share
only the limiter's Redis; the sandbox counts requests per client with its 20/s limit on and
answers 429 above it.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import redis

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_hookspecs.errors import LimiterUnavailable
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.limiter import BucketRequestLimiter, RedisLimiterStore, SqliteLimiterStore, bucket_name
from nmbrs_hookspecs.types import RequestRate
from nmbrs_procountor_devtools.redis_server import LocalRedis, local_redis
from procountor_sandbox import Sandbox
from tests import limiter_workers
from tests.conftest import COMPANY_1, DEMO_USER, need_redis_server, provider_config_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redis_server() -> Iterator[LocalRedis]:
    need_redis_server()
    with local_redis() as server:
        yield server


def _busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def _burst(sandbox: Sandbox, tmp_path: Path, limiter_url: str, workers: int, each: int) -> list[int]:
    token = sandbox.issue_tokens(DEMO_USER, COMPANY_1)["access_token"]
    config = provider_config_for(sandbox)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                limiter_workers.read_company, str(tmp_path / f"host-{n}.sqlite3"), config, limiter_url, token, each, 60
            )
            for n in range(workers)
        ]
        return [f.result() for f in futures]


def test_four_processes_on_one_sqlite_window_never_get_a_429(sandbox: Sandbox, tmp_path: Path) -> None:
    done = _burst(sandbox, tmp_path, str(tmp_path / "limiter.sqlite3"), workers=4, each=15)
    assert done == [15] * 4
    seen = sandbox.request_log
    assert [r.status for r in seen if r.status != 200] == []
    assert _busiest_second([r.at for r in seen]) <= 20


def test_two_hosts_sharing_a_redis_never_get_a_429(sandbox: Sandbox, tmp_path: Path, redis_server: LocalRedis) -> None:
    done = _burst(sandbox, tmp_path, redis_server.url, workers=2, each=30)
    assert done == [30, 30]
    seen = sandbox.request_log
    assert [r.status for r in seen if r.status != 200] == []
    assert _busiest_second([r.at for r in seen]) <= 20
    # ...and they did use the limit: 60 requests at ~19/s take about three seconds, not six.
    assert max(r.at for r in seen) - min(r.at for r in seen) < 4.5


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_429_with_retry_after_pauses_every_worker(
    sandbox: Sandbox, tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    limiter_url = request.getfixturevalue("redis_server").url if store == "redis" else str(tmp_path / "limiter.sqlite3")
    token = sandbox.issue_tokens(DEMO_USER, COMPANY_1)["access_token"]
    config = provider_config_for(sandbox)

    def inject_once_busy() -> None:
        while len(sandbox.request_log) < 20:
            time.sleep(0.02)
        sandbox.inject_fault("GET", "/api/company", "http_429", count=1, retry_after=2)

    injector = threading.Thread(target=inject_once_busy)
    injector.start()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(3, mp_context=context) as pool:
        futures = [
            pool.submit(
                limiter_workers.read_company, str(tmp_path / f"h{n}.sqlite3"), config, limiter_url, token, 30, 30
            )
            for n in range(3)
        ]
        done = [f.result() for f in futures]
    injector.join()
    seen = sandbox.request_log
    refused = [r.at for r in seen if r.status == 429]
    assert len(refused) == 1
    during_pause = [r for r in seen if refused[0] + 0.3 < r.at < refused[0] + 1.8]
    assert during_pause == []  # not one worker sent anything while the client was paused
    assert sum(done) == 90
    assert len([r for r in seen if r.at > refused[0] + 1.8]) > 0


def test_no_burst_beyond_the_window_and_bursts_spread_over_quarters(tmp_path: Path) -> None:
    limiter = BucketRequestLimiter(SqliteLimiterStore(tmp_path / "l.sqlite3"), margin_seconds=0.0)
    rate = RequestRate("unit", 8, 1.0)
    admitted = []
    for _ in range(12):
        limiter.acquire(rate)
        admitted.append(time.monotonic())
    limiter.close()
    assert admitted[1] - admitted[0] < 0.1  # a quarter of the requests go at once...
    assert admitted[2] - admitted[0] >= 0.25 - 0.005  # ...the next waits for the quarter window
    for i in range(8, 12):
        assert admitted[i] - admitted[i - 8] >= 1.0 - 0.005  # never more than 8 in any second


def test_a_shorter_pause_never_cuts_a_longer_one(tmp_path: Path) -> None:
    store = SqliteLimiterStore(tmp_path / "l.sqlite3")
    limiter = BucketRequestLimiter(store)
    rate = RequestRate("unit", 20)
    limiter.pause(rate, 3.0)
    limiter.pause(rate, 0.5)
    assert store.paused_for("unit") > 2.5
    assert store.paused_for("another client") == 0
    limiter.close()


def test_redis_pause_and_window_are_shared_between_two_connections(redis_server: LocalRedis) -> None:
    first = BucketRequestLimiter(RedisLimiterStore(redis_server.url))
    second = BucketRequestLimiter(RedisLimiterStore(redis_server.url))
    rate = RequestRate("shared-by-two-machines", 3, 1.0)
    for _ in range(3):
        assert first.acquire(rate) == 0.0
    assert second.acquire(rate) > 0.5  # the other "machine" already used the window
    first.pause(rate, 1.0)
    assert second.store.paused_for(rate.key) > 0.5
    first.close()
    second.close()


def test_an_unreachable_redis_is_one_error_naming_the_url_without_its_password() -> None:
    with pytest.raises(LimiterUnavailable, match=r"redis://:\*\*\*@127\.0\.0\.1:9/0") as failed:
        RedisLimiterStore("redis://:hunter2@127.0.0.1:9/0")
    assert "hunter2" not in str(failed.value)


def test_redis_going_away_mid_run_stops_requests_with_the_url(tmp_path: Path) -> None:
    need_redis_server()
    with local_redis() as server:
        limiter = BucketRequestLimiter(RedisLimiterStore(server.url))
        rate = RequestRate("goes-away", 20)
        limiter.acquire(rate)
        server.stop()
        with pytest.raises(LimiterUnavailable, match=server.url):
            limiter.acquire(rate)


def test_a_lease_whose_holder_process_died_is_free_at_once(tmp_path: Path) -> None:
    db = str(tmp_path / "host.sqlite3")
    context = multiprocessing.get_context("spawn")
    holder = context.Process(target=limiter_workers.hold_lease, args=(db, "journal-1"))
    holder.start()
    holder.join()
    assert holder.exitcode == 0
    host = ReferenceHost(db, load_entrypoints=False, credential_keys=[CredentialCipher.generate_key()])
    try:
        assert host.leases.acquire("journal-1", "next-worker", 60)
        # a live holder (this process) still keeps others out until its TTL
        assert not host.leases.acquire("journal-1", "third-worker", 60)
    finally:
        host.close()


def test_redis_counts_a_request_another_worker_stamped_later_but_stored_first(redis_server: LocalRedis) -> None:
    """The library's script counts window_start..now; a later stamp stored first must count too."""
    store = RedisLimiterStore(redis_server.url)
    limiter = BucketRequestLimiter(store)
    rate = RequestRate("race", 2, 1.0)
    rates = limiter.rates(rate)
    bucket = store.bucket(rates, bucket_name(rate.key, rates))
    client = redis.Redis.from_url(redis_server.url)
    seconds, micros = client.time()
    later = seconds * 1000 + micros // 1000 + 40  # two requests other workers stamped 40 ms from now
    client.zadd(bucket.bucket_key, {"other-1": later, "other-2": later})  # type: ignore[attr-defined]
    assert limiter.acquire(rate) > 0.5  # the window is full: wait for those two to leave it
    limiter.close()
