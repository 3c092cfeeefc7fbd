"""The month-end summary an admin reads: one line per distinct error, however many tasks it ended."""

from __future__ import annotations

import io

from nmbrs_procountor_devtools.month_end.summary import MonthEndSummary


def test_one_cause_that_ends_every_task_is_one_line_naming_the_count_and_the_first_task() -> None:
    summary = MonthEndSummary(journals=3, accounts=1, workers=2, queue="celery/embedded")
    summary.errors = [
        "task a1: ImportError: cannot import name 'Admission'",
        "task b2: ImportError: cannot import name 'Admission'",
        "task c3: TimeoutError: the host database is locked",
        "task d4: ImportError: cannot import name 'Admission'",
    ]
    assert summary.to_json()["errors"] == [
        "3 tasks (task a1 and 2 more): ImportError: cannot import name 'Admission'",
        "task c3: TimeoutError: the host database is locked",
    ]
    out = io.StringIO()
    summary.render(out)
    assert out.getvalue().count("error: ") == 2


def test_an_error_that_names_no_task_is_shown_as_it_is() -> None:
    summary = MonthEndSummary(journals=1, accounts=1, workers=1, queue="celery/redis")
    summary.errors = ["the worker did not start: see worker.log", "the worker did not start: see worker.log"]
    assert summary.distinct_errors() == ["the worker did not start: see worker.log (2 times)"]
    summary.errors = ["the worker did not start: see worker.log"]
    assert summary.distinct_errors() == ["the worker did not start: see worker.log"]
