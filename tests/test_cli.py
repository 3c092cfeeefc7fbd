"""The ``nmbrs-procountor`` command: every mistake a person can make ends in one line, never a traceback."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
import requests

from nmbrs_procountor_devtools import cli, db_path, demo

from .command_process import Lines, command


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def sandbox_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("procountor-sandbox")]


# ------------------------------------------------------------------ --version


def test_version_prints_every_distribution(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out.strip()
    for name in ("nmbrs-procountor-plugin", "procountor-sandbox", "nmbrs-hookspecs", "nmbrs-procountor-devtools"):
        assert f"{name} {metadata.version(name)}" in shown
    assert len(shown.splitlines()) == 1


# ------------------------------------------------------------------ mistakes argparse catches


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["sandbox", "--port", "abc"], "--port"),
        (["sandbox", "--token-ttl", "0"], "--token-ttl"),
        (["sandbox", "--token-ttl", "soon"], "'soon'"),
        (["bogus"], "'bogus'"),
        ([], "command"),
        (["demo", "--nope"], "--nope"),
    ],
)
def test_a_command_line_mistake_is_one_line_naming_it(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    line = one_error_line(capsys.readouterr().err)
    assert named in line
    assert line.endswith("--help)")


# ------------------------------------------------------------------ sandbox: the port


def test_port_in_use_is_one_line_naming_the_port(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sandbox", "--port", str(busy_port)]) == cli.EXIT_ERROR
    line = one_error_line(capsys.readouterr().err)
    assert f"127.0.0.1:{busy_port}" in line
    assert "in use" in line
    assert sandbox_threads() == []


def test_unknown_host_is_one_line_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sandbox", "--host", "no-such-host.invalid", "--port", "0"]) == cli.EXIT_ERROR
    line = one_error_line(capsys.readouterr().err)
    assert "no-such-host.invalid" in line


def test_bad_redirect_uri_is_one_line_naming_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sandbox", "--port", "0", "--redirect-uri", "https://payroll.example/cb?x=1"]) == cli.EXIT_USAGE
    line = one_error_line(capsys.readouterr().err)
    assert "https://payroll.example/cb?x=1" in line
    assert "query string" in line


# ------------------------------------------------------------------ demo: --db


def test_db_in_a_missing_directory_names_the_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert cli.main(["demo", "--db", str(missing / "host.sqlite3")]) == cli.EXIT_ERROR
    line = one_error_line(capsys.readouterr().err)
    assert f"the directory {missing} does not exist" in line
    assert not missing.exists()


def test_db_that_is_a_directory_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--db", str(tmp_path)]) == cli.EXIT_ERROR
    line = one_error_line(capsys.readouterr().err)
    assert f"--db {tmp_path} is a directory" in line
    assert list(tmp_path.iterdir()) == []


def test_db_below_a_file_says_the_parent_is_no_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a directory")
    assert cli.main(["demo", "--db", str(a_file / "host.sqlite3")]) == cli.EXIT_ERROR
    assert f"{a_file} is not a directory" in one_error_line(capsys.readouterr().err)


def test_db_in_an_unwritable_directory_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # root writes anyway: make the probe meet the refusal a user would
        refused = PermissionError(13, "Permission denied", str(locked / "tmpabc123"))

        def refuse(**_: object) -> object:
            raise refused

        monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    try:
        assert cli.main(["demo", "--db", str(locked / "host.sqlite3")]) == cli.EXIT_ERROR
    finally:
        locked.chmod(stat.S_IRWXU)
    line = one_error_line(capsys.readouterr().err)
    assert f"cannot write in the directory {locked} (Permission denied)" in line
    assert "tmp" not in line.replace(str(tmp_path), "")  # no internal temporary file name


def test_db_that_is_not_a_database_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    notes.chmod(0o644)
    assert cli.main(["demo", "--db", str(notes)]) == cli.EXIT_ERROR
    assert f"--db {notes} is not a SQLite database" in one_error_line(capsys.readouterr().err)
    assert notes.read_text() == "my notes"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_good_db_path_passes_the_check(tmp_path: Path) -> None:
    assert db_path.db_path_problem(str(tmp_path / "host.sqlite3")) is None
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert db_path.db_path_problem(str(empty)) is None
    real = tmp_path / "real.sqlite3"
    sqlite3.connect(real).execute("CREATE TABLE t (x)").connection.close()
    assert db_path.db_path_problem(str(real)) is None


# ------------------------------------------------------------------ Ctrl-C


def test_ctrl_c_during_the_demo_exits_130_and_stops_the_sandbox(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reached: list[str] = []

    def interrupted_login(url: str, *_: object, **__: object) -> dict[str, str]:
        reached.append(url)
        raise KeyboardInterrupt  # what Ctrl-C raises while the demo logs in

    monkeypatch.setattr(demo, "log_in", interrupted_login)
    assert cli.main(["demo"]) == cli.EXIT_INTERRUPTED
    assert reached, "the demo never got as far as the login page"
    line = one_error_line(capsys.readouterr().err)
    assert "interrupted" in line
    assert sandbox_threads() == []


@pytest.mark.slow
def test_sandbox_command_serves_until_ctrl_c_and_exits_130() -> None:
    with command("sandbox", "--port", "0") as proc:
        out = Lines(proc.stdout)
        banner = "".join(out.until("Ctrl-C"))
        base = next(line.split()[-1] for line in banner.splitlines() if "base URL" in line)
        assert "demo.admin" in banner
        assert requests.get(f"{base}/api/company", timeout=5).status_code == 401  # a token is required
        index = requests.get(f"{base}/", timeout=5)
        assert index.status_code == 200
        assert index.headers["Content-Type"].startswith("text/html")
        assert "/api/ledgerreceipts" in index.text
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=10) == cli.EXIT_INTERRUPTED
        err = Lines(proc.stderr).rest()
        assert one_error_line(err) == "Procountor sandbox stopped (Ctrl-C)."


@pytest.mark.slow
def test_a_sandbox_that_ignores_sigint_is_still_ended() -> None:
    """As in a background job: SIGINT is ignored, so the helper must terminate the group itself."""
    with command("sandbox", "--port", "0", sigint="ignored", grace=1.0) as proc:
        Lines(proc.stdout).until("Ctrl-C")
        os.killpg(proc.pid, signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)  # still serving: SIGINT did nothing
    assert proc.returncode == -signal.SIGTERM
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


@pytest.mark.slow
def test_a_busy_port_on_the_command_line_prints_no_traceback(busy_port: int) -> None:
    with command("sandbox", "--port", str(busy_port)) as proc:
        assert proc.wait(timeout=20) == cli.EXIT_ERROR
        err = Lines(proc.stderr).rest()
    line = one_error_line(err)
    assert line.startswith("nmbrs-procountor: error: cannot listen on 127.0.0.1:")
