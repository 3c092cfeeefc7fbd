"""The month-end runner end to end: Celery workers, a real Redis, a worker killed mid-export.

Small runs (the benchmark runs the bureau-sized one): every journal is booked, no period twice,
no 429 from the sandbox with its 20/s limit on.
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from nmbrs_procountor_devtools.month_end import runner
from nmbrs_procountor_devtools.month_end.runner import MonthEndError, MonthEndOptions
from nmbrs_procountor_devtools.redis_server import LocalRedis, local_redis
from tests.conftest import need_redis_server

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_server() -> Iterator[LocalRedis]:
    need_redis_server()
    with local_redis() as server:
        yield server


def test_a_killed_worker_leaves_a_task_another_worker_finishes_on_redis(redis_server: LocalRedis) -> None:
    options = MonthEndOptions(journals=20, accounts=4, workers=4, redis_url=redis_server.url, kill_a_worker=True)
    summary = runner.run(options)
    assert summary.errors == []
    assert summary.statuses["sent"] + summary.statuses["already_sent"] == 20
    assert summary.duplicates == 0
    assert summary.too_many_requests == 0
    assert summary.killed_worker is not None
    assert 0 < summary.killed_worker["receipts_before_kill"] < summary.killed_worker["receipts_planned"]
    assert summary.killed_worker["finished_as"] in ("sent", "already_sent")
    # the queue, the results and the limiter's window all lived on that Redis
    assert list(redis.Redis.from_url(redis_server.url).scan_iter("nmbrs:limiter:window:*"))
    assert summary.queue == "celery/redis"


def test_the_embedded_default_needs_no_server_and_prints_one_json_summary(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    code = runner.main(MonthEndOptions(journals=6, accounts=2, workers=2), as_json=True, out=out)
    summary = json.loads(out.getvalue())
    assert code == 0
    assert {
        "sent",
        "already_sent",
        "blocked",
        "failed",
        "requests",
        "429s",
        "requests_per_second",
        "duplicates",
    } <= set(summary)
    assert (summary["sent"], summary["failed"], summary["duplicates"], summary["429s"]) == (6, 0, 0, 0)
    assert summary["queue"] == "celery/embedded"
    assert summary["requests"] >= 6 * 5  # at least the pre-flight reads of each export


def test_an_unreachable_redis_is_one_error_naming_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = "redis://127.0.0.1:9/0"
    code = runner.main(MonthEndOptions(journals=4, accounts=2, workers=2, redis_url=url), as_json=False)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert url in err


def _results_saved(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM export_results").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_redis_going_away_stops_the_run_and_a_rerun_finishes_it_once(redis_server: LocalRedis, tmp_path: Path) -> None:
    state = tmp_path / "state"
    options = MonthEndOptions(journals=16, accounts=2, workers=2, redis_url=redis_server.url, state_dir=state)

    def pull_the_plug() -> None:
        deadline = time.monotonic() + 120
        while _results_saved(state / "host.sqlite3") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        redis_server.stop()

    plug = threading.Thread(target=pull_the_plug)
    plug.start()
    with pytest.raises(MonthEndError, match=redis_server.url.replace(".", r"\.")) as stopped:
        runner.run(options)
    plug.join()
    assert f"--state {state}" in str(stopped.value)
    done_before = _results_saved(state / "host.sqlite3")
    assert 3 <= done_before < 16

    redis_server.restart()
    summary = runner.run(options)
    assert summary.statuses["sent"] + summary.statuses["already_sent"] == 16
    assert summary.statuses["already_sent"] >= 3
    assert summary.duplicates == 0
    assert summary.too_many_requests == 0
