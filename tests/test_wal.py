"""Worker processes that open one new SQLite file at the same moment all start.

The reference host's database and the limiter's file are switched to WAL by whoever opens them
first; two processes switching at once used to get "database is locked" at once, and that
worker died before its first task (seen on CI: one of four token-refreshing processes).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path
from queue import Queue

import pytest

from nmbrs_hookspecs.limiter import SqliteLimiterStore
from nmbrs_hookspecs.store import Database

pytestmark = pytest.mark.slow

PROCESSES = 8
TRIES = 10


def _open_at_once(folder: str, kind: str, together: Barrier, answers: Queue[str]) -> None:
    together.wait()
    try:
        if kind == "limiter":
            SqliteLimiterStore(Path(folder) / "limiter.sqlite3").close()
        else:
            Database(Path(folder) / "host.sqlite3")
        answers.put("ok")
    except Exception as exc:
        answers.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("kind", ["limiter", "host database"])
def test_eight_processes_opening_a_new_file_at_once_all_start(kind: str, tmp_path: Path) -> None:
    # fork: the processes must reach the barrier together, not after a spawn's imports
    context = multiprocessing.get_context("fork")
    failures = []
    for n in range(TRIES):
        folder = str(tmp_path / f"try-{n}")
        Path(folder).mkdir()
        together, answers = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(target=_open_at_once, args=(folder, kind, together, answers)) for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        failures += [answer for answer in (answers.get(timeout=5) for _ in workers) if answer != "ok"]
    assert failures == []
