"""The Celery worker of a month-end run: started as its own process group, always stopped and reaped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from nmbrs_procountor_devtools.month_end import queue

WORKER_STOP_SECONDS: Final = 10.0


@contextlib.contextmanager
def celery_worker(settings_file: Path, workers: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker (one main process, ``workers`` pool processes), stopped and reaped at the end."""
    env = {**os.environ, queue.SETTINGS_ENV: str(settings_file), "C_FORCE_ROOT": "1"}
    # The sandbox stands in for a remote Procountor but shares this machine's cores with the
    # workers; they run niced so its clock (the one its 20/s window counts with) stays prompt.
    command = ["nice", "-n", "10", sys.executable, "-m", "celery", "-A", queue.__name__, "worker"]
    command += ["--pool", "prefork"]
    command += ["--concurrency", str(workers), "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "--hostname", f"month-end-{os.getpid()}@%h"]
    with log.open("ab") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments, no shell
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (running exports finish), then the whole process group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=WORKER_STOP_SECONDS)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the pool processes this worker started, if any are left
    process.wait()
