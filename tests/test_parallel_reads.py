"""Reads sent side by side: every answer back under its name, a deterministic error, the caller's context."""

from __future__ import annotations

import contextvars
import threading

import pytest

from nmbrs_procountor_plugin.api import parallel

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def test_every_read_answers_under_its_name_and_they_run_at_once() -> None:
    together = threading.Barrier(3, timeout=5)  # only passes when three reads are in flight at once

    def read(value: int) -> int:
        together.wait()
        return value

    answers = parallel.read_together({"a": lambda: read(1), "b": lambda: read(2), "c": lambda: read(3)})
    assert answers == {"a": 1, "b": 2, "c": 3}


def test_the_first_failure_in_order_is_raised_after_every_read_finished() -> None:
    finished: list[str] = []

    def fails(name: str) -> int:
        finished.append(name)
        raise LookupError(name)

    def slow_ok() -> int:
        threading.Event().wait(0.2)
        finished.append("ok")
        return 1

    with pytest.raises(LookupError) as raised:
        parallel.read_together({"first": lambda: fails("first"), "ok": slow_ok, "second": lambda: fails("second")})
    assert raised.value.args == ("first",)
    assert sorted(finished) == ["first", "ok", "second"]


def test_reads_see_the_caller_s_context_variables() -> None:
    token = REQUEST_ID.set("export-7")
    try:
        answers = parallel.read_together({"a": REQUEST_ID.get, "b": REQUEST_ID.get})
    finally:
        REQUEST_ID.reset(token)
    assert answers == {"a": "export-7", "b": "export-7"}


def test_one_at_a_time_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "max_parallel", 1)
    threads: set[int] = set()

    def where() -> int:
        threads.add(threading.get_ident())
        return 0

    parallel.read_together({"a": where, "b": where, "c": where})
    assert threads == {threading.get_ident()}
