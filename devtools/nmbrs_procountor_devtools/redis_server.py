"""A throw-away ``redis-server`` on a loopback port, for tests and benchmarks.

Debian's ``redis-server`` package provides the binary (``.ci/run`` installs it). The server keeps
nothing on disk (no RDB snapshots, no AOF), lives in its own temporary directory, and is stopped
(and waited for) when the context ends, so no process is left behind.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

START_TIMEOUT_SECONDS: Final = 10.0


def redis_server_binary() -> str | None:
    """The path of ``redis-server``, or None when it is not installed."""
    return shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class LocalRedis:
    """One running ``redis-server``; :meth:`stop` ends it (the "Redis goes away" case)."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._binary = binary
        self._workdir = workdir
        self._log = (workdir / "redis.log").open("ab")
        self._process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        command = [self._binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self._workdir)]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
        process = subprocess.Popen(  # noqa: S603 - the installed redis-server, fixed arguments
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _answers_ping(self.port):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                self._log.close()
                raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port} (see {self._workdir})")
            time.sleep(0.05)
        return process

    def restart(self) -> None:
        """Bring a stopped server back on the same port (empty: it keeps nothing on disk)."""
        if self._process.poll() is None:
            return
        if self._log.closed:
            self._log = (self._workdir / "redis.log").open("ab")
        self._process = self._start()

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


@contextmanager
def local_redis() -> Iterator[LocalRedis]:
    """Start a private ``redis-server``; RuntimeError when the binary is missing."""
    binary = redis_server_binary()
    if binary is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="nmbrs-redis-"))
    server = LocalRedis(binary, workdir)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
