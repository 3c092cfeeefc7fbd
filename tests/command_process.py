"""Run the ``nmbrs-procountor`` command in a process group of its own, and always end that group.

A test that stops a server with SIGINT must not leave it running when SIGINT does nothing: a
process started from a background job inherits SIGINT as ignored. Whatever the test did, the
group gets SIGINT, then after a timeout SIGTERM, then SIGKILL, and the helper checks it is gone.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import IO, Literal

SIGINT_GRACE = 10.0
TERM_GRACE = 5.0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a member we cannot signal is still alive
        return True
    return True


def end_group(proc: subprocess.Popen[str], grace: float = SIGINT_GRACE) -> None:
    """SIGINT, then SIGTERM, then SIGKILL to the whole group until every member is gone."""
    pgid = proc.pid  # start_new_session=True: the child leads its own group
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, TERM_GRACE)):
        if proc.poll() is not None and not _group_alive(pgid):
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait)
        deadline = time.monotonic() + 1.0
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
    proc.wait(timeout=TERM_GRACE)
    assert not _group_alive(pgid), f"processes of group {pgid} are still running"


_LAUNCH = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[1] == 'ignored' else signal.default_int_handler)\n"
    "from nmbrs_procountor_devtools.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


@contextlib.contextmanager
def command(
    *args: str, sigint: Literal["default", "ignored"] = "default", grace: float = SIGINT_GRACE
) -> Iterator[subprocess.Popen[str]]:
    """The ``nmbrs-procountor`` command with ``args``, in a new process group that is ended on exit."""
    # The SIGINT disposition is set in the child itself: a test run from a background job would
    # otherwise hand it an ignored SIGINT (and preexec_fn is unsafe in a threaded test process).
    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, sigint, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        end_group(proc, grace)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


class Lines:
    """The lines a stream prints, read by a thread so a silent process cannot hang the test."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self._queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        with contextlib.suppress(ValueError, OSError):  # the stream is closed when the test ends
            for line in stream:
                self._queue.put(line)
        self._queue.put("")

    def until(self, pattern: str, timeout: float = 20.0) -> list[str]:
        """Lines up to and including the first that contains ``pattern``."""
        deadline = time.monotonic() + timeout
        start = len(self.seen)
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{pattern!r} not printed within {timeout}s; got {self.seen!r}") from None
            if not line:
                raise AssertionError(f"{pattern!r} not printed before the stream ended; got {self.seen!r}")
            self.seen.append(line)
            if pattern in line:
                return self.seen[start:]

    def rest(self, timeout: float = 10.0) -> str:
        """Everything printed until the stream ends."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if not line:
                break
            self.seen.append(line)
        return "".join(self.seen)
