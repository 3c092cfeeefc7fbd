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
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.pacing import pacer_for
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
    assert admitted[2] - admitted[0] < 0.1  # 30 % of the requests (3 of 8) go at once...
    assert admitted[3] - admitted[0] >= 0.25 - 0.005  # ...the next waits for the quarter window
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
        assert first.acquire(rate).waited == 0.0
    assert second.acquire(rate).waited > 0.5  # the other "machine" already used the window
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
    assert limiter.acquire(rate).waited > 0.5  # the window is full: wait for those two to leave it
    limiter.close()


def _store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SqliteLimiterStore | RedisLimiterStore:
    """The limiter's shared store of ``kind``: a SQLite file, or the module's private Redis."""
    if kind == "redis":
        return RedisLimiterStore(request.getfixturevalue("redis_server").url)
    return SqliteLimiterStore(tmp_path / "l.sqlite3")


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_request_answered_late_counts_from_its_answer(
    tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    """Procountor counted it somewhere before its answer: the next one waits a window from then."""
    shared = _store(store, tmp_path, request)
    limiter = BucketRequestLimiter(shared, margin_seconds=0.05)
    rate = RequestRate(f"late-{store}", 1, 1.0)
    first = limiter.acquire(rate)
    time.sleep(0.4)  # the answer comes 0.4 s after admission: it may have arrived only just now
    first.answered()
    # counted from 0.35 s (the answer less the margin), the window of 1.05 s ends at 1.4 s; from
    # its admission it would end at 1.05 s, 0.65 s from now
    assert limiter.acquire(rate).waited > 0.9
    limiter.close()


def test_only_a_request_answered_later_than_the_margin_costs_a_trip_to_the_store(tmp_path: Path) -> None:
    class CountingStore(SqliteLimiterStore):
        recounts = 0

        def recount(self, bucket: object, stamp_ms: int, to_ms: int) -> None:
            CountingStore.recounts += 1
            super().recount(bucket, stamp_ms, to_ms)  # type: ignore[arg-type]

    limiter = BucketRequestLimiter(CountingStore(tmp_path / "l.sqlite3"), margin_seconds=0.2)
    rate = RequestRate("in-time", 1, 1.0)
    limiter.acquire(rate).answered()  # answered at once, well within the margin
    assert CountingStore.recounts == 0
    late = limiter.acquire(rate)
    time.sleep(0.3)
    late.answered()
    assert CountingStore.recounts == 1  # ...and one answered later than the margin is recounted
    limiter.close()


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_recount_of_a_request_that_left_the_log_records_it_again(
    tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    """A request out for longer than the window was dropped from the log; its late answer counts."""
    shared = _store(store, tmp_path, request)
    limiter = BucketRequestLimiter(shared, margin_seconds=0.0)
    rate = RequestRate(f"gone-{store}", 1, 1.0)
    rates = limiter.rates(rate)
    bucket = shared.bucket(rates, bucket_name(rate.key, rates))
    now = bucket.now()  # type: ignore[no-untyped-call]
    with shared.guard(bucket):
        shared.recount(bucket, now - 5000, now)  # nothing is stamped 5 s ago any more
    assert limiter.acquire(rate).waited > 0.8  # the recounted request fills the window
    limiter.close()


def test_requests_that_reach_procountor_late_never_put_one_too_many_in_its_window(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Batches of requests held up on the way (a busy machine, a slow gateway) get no 429."""
    token = sandbox.issue_tokens(DEMO_USER, COMPANY_1)["access_token"]
    config = provider_config_for(sandbox)
    host = ReferenceHost(
        tmp_path / "host.sqlite3",
        provider_configs={"procountor": config},
        load_entrypoints=False,
        credential_keys=[CredentialCipher.generate_key()],
    )
    urls = endpoints(config)
    pacer = pacer_for(host, config, urls)

    def reads() -> None:
        client = ProcountorClient(urls.api, limiter_workers.FixedToken(token), timeout=10, pacer=pacer)
        for _ in range(10):
            client.company()

    def hold_up_batches() -> None:
        for start in (15, 45, 75):
            while len(sandbox.request_log) < start:
                time.sleep(0.005)
            sandbox.inject_fault("GET", "/api/company", "delay", count=8, delay=0.4)

    threads = [threading.Thread(target=reads) for _ in range(12)]
    injector = threading.Thread(target=hold_up_batches)
    injector.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    injector.join()
    host.close()
    seen = sandbox.request_log
    assert [r.status for r in seen if r.status != 200] == []  # each 429 would have been retried
    assert len(seen) == 120
