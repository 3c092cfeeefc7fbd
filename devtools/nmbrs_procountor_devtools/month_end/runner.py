"""``nmbrs-procountor month-end``: a bureau's whole month-end through real worker processes.

The runner starts the embedded sandbox (rate limit on) with one company per account, authorizes and
maps the accounts through the reference host, starts a Celery worker with ``--workers`` processes,
enqueues one export per journal and waits, drawing a progress bar. ``--kill-a-worker`` SIGKILLs the
worker process of an export that has booked its first receipt but not its second. The summary
counts what the host recorded and what the sandbox saw: statuses, requests, 429s, the request rate
against the limit, and duplicates (periods the sandbox holds more than once).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, TextIO

from celery import Celery
from celery.result import AsyncResult

from nmbrs_hookspecs.errors import LimiterUnavailable
from nmbrs_hookspecs.limiter import RedisLimiterStore, shown_url
from nmbrs_procountor_devtools.month_end import bureau, queue
from nmbrs_procountor_devtools.month_end.summary import (
    SANDBOX_LIMIT_PER_SECOND,
    MonthEndSummary,
    Progress,
    request_rate,
)
from nmbrs_procountor_devtools.month_end.workers import celery_worker
from procountor_sandbox import Sandbox, SandboxConfig

POLL_SECONDS: Final = 0.05  # how often a worker to kill is looked for (cheap: a few exports)
RESULTS_EVERY_SECONDS: Final = 1.0  # how often the queue's results are read (one query per open task)
STALL_SECONDS: Final = 120.0  # no export finished for this long: the run has stalled


class MonthEndError(Exception):
    """The run cannot go on (e.g. its Redis is unreachable); the message says what and where."""


@dataclass(frozen=True)
class MonthEndOptions:
    journals: int = 200
    accounts: int = 20
    workers: int = 8
    redis_url: str | None = None
    kill_a_worker: bool = False
    state_dir: Path | None = None  # kept between runs: a rerun finishes what an interrupted run left

    def __post_init__(self) -> None:
        for name, low, high in (("journals", 1, 10_000), ("accounts", 1, 1000), ("workers", 1, 64)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"--{name}={value!r}: must be a whole number in [{low}, {high}]")
        if self.accounts > self.journals:
            raise ValueError(f"--accounts={self.accounts}: more accounts than --journals={self.journals}")
        if self.redis_url is not None and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"--redis={shown_url(self.redis_url)!r}: expected a redis:// URL")


def _check_redis(url: str) -> None:
    try:
        RedisLimiterStore(url).close()
    except LimiterUnavailable as exc:
        raise MonthEndError(str(exc)) from None


def _sandbox(options: MonthEndOptions, state: Path) -> Sandbox:
    keep = options.state_dir is not None
    return Sandbox(
        SandboxConfig(
            bureau_companies=options.accounts,
            rate_limit_per_second=SANDBOX_LIMIT_PER_SECOND,
            state_file=state / "sandbox.json" if keep else None,
        )
    )


def run(options: MonthEndOptions, progress: TextIO | None = None) -> MonthEndSummary:
    """Run the month-end; MonthEndError when it cannot go on (the state is kept for a rerun)."""
    if options.redis_url:
        _check_redis(options.redis_url)
    own_dir = options.state_dir is None
    state = Path(tempfile.mkdtemp(prefix="nmbrs-month-end-")) if own_dir else Path(options.state_dir or ".")
    state.mkdir(parents=True, exist_ok=True)
    failed = False
    try:
        return _run(options, state, progress)
    except MonthEndError:
        failed = True
        raise
    finally:
        if own_dir and not failed:
            shutil.rmtree(state, ignore_errors=True)


def _run(options: MonthEndOptions, state: Path, progress: TextIO | None) -> MonthEndSummary:
    year = date.today().year
    summary = MonthEndSummary(
        options.journals, options.accounts, options.workers, "celery/redis" if options.redis_url else "celery/embedded"
    )
    with _sandbox(options, state) as sandbox:
        settings = queue.RunSettings(
            state_dir=str(state),
            provider={
                "client_id": sandbox.client_id,
                "client_secret": sandbox.client_secret,
                "redirect_uri": sandbox.redirect_uri,
                "environment": "custom",
                "base_url": sandbox.base_url,
                "timeout_seconds": 30,
            },
            year=year,
            redis_url=options.redis_url,
        )
        settings_file = state / "settings.json"
        settings.save(settings_file)
        host = settings.host()
        try:
            bureau.prepare(host, sandbox, options.accounts)
        except Exception as exc:  # the limiter's Redis lost during set-up reaches here as a problem
            if options.redis_url and not _redis_answers(options.redis_url):
                raise MonthEndError(_gone(options, state, exc)) from None
            raise
        finally:
            host.close()
        sandbox.clear_request_log()
        sender = queue.producer(settings)
        work = bureau.tasks(options.journals, options.accounts)
        started = time.monotonic()
        with celery_worker(settings_file, options.workers, state / "worker.log"), contextlib.closing(sender):
            try:
                outcomes = _wait(sender, options, state, sandbox, work, year, summary, progress)
            except Exception as exc:  # kombu, redis-py and Celery each raise their own kind
                if options.redis_url and not _redis_answers(options.redis_url):
                    raise MonthEndError(_gone(options, state, exc)) from None
                raise
        summary.seconds = time.monotonic() - started
        for outcome in outcomes:
            if isinstance(outcome, dict):
                summary.statuses[str(outcome["status"])] += 1
            else:
                summary.lost += 1
                summary.errors.append(outcome)
        seen = sandbox.request_log
        times = sorted(r.at for r in seen)
        summary.requests = len(seen)
        summary.too_many_requests = sum(1 for r in seen if r.status == 429)
        summary.requests_per_second = request_rate(times)
        summary.duplicates = bureau.duplicates(sandbox, options.accounts)
    return summary


def _redis_answers(url: str) -> bool:
    try:
        RedisLimiterStore(url).close()
    except LimiterUnavailable:
        return False
    return True


def _gone(options: MonthEndOptions, state: Path, exc: BaseException) -> str:
    where = f"Redis at {shown_url(options.redis_url or '')}"
    return (
        f"the month-end run stopped: {where} cannot be reached ({type(exc).__name__}). Nothing is left half sent: "
        f"bring it back and rerun with --state {state} (exports already booked are recognised, none twice)."
    )


def _wait(
    sender: Celery,
    options: MonthEndOptions,
    state: Path,
    sandbox: Sandbox,
    work: list[bureau.Task],
    year: int,
    summary: MonthEndSummary,
    progress_out: TextIO | None,
) -> list[dict[str, Any] | str]:
    results = [sender.send_task(queue.TASK_NAME, (t.account, t.journal, year)) for t in work]
    try:
        return _collect(options, state, sandbox, work, results, year, summary, progress_out)
    except BaseException:
        for result in results:  # the result store is gone: let go of the results without a word to it
            with contextlib.suppress(Exception):
                result.backend.remove_pending_result(result)
            result.backend = None
        raise


def _collect(
    options: MonthEndOptions,
    state: Path,
    sandbox: Sandbox,
    work: list[bureau.Task],
    results: list[AsyncResult],
    year: int,
    summary: MonthEndSummary,
    progress_out: TextIO | None,
) -> list[dict[str, Any] | str]:
    outcomes: dict[int, dict[str, Any] | str] = {}
    statuses: Counter[str] = Counter()
    bar = Progress(progress_out, len(work))
    kill_pending = options.kill_a_worker
    next_check = last_progress = time.monotonic()
    while len(outcomes) < len(work):
        now = time.monotonic()
        if now - last_progress > STALL_SECONDS:
            raise MonthEndError(
                f"no export finished in {STALL_SECONDS:.0f} s ({len(outcomes)} of {len(work)} done); "
                f"the worker log is {state / 'worker.log'}"
            )
        if now >= next_check:  # the sandbox shares this process: poll gently, or it answers late
            next_check = now + RESULTS_EVERY_SECONDS
            # Tasks finish about in the order they were queued: asking only the oldest open ones,
            # one per worker, keeps this to a few queries. Each holds the interpreter the sandbox
            # runs in; on a busy machine four per worker every half second delayed the sandbox's
            # answers past the limiter's margin, and it refused a few requests (benchmarks/bench_month_end.py).
            oldest_open = [i for i in range(len(work)) if i not in outcomes][: options.workers]
            for index in oldest_open:
                result = results[index]
                if result.ready():
                    outcomes[index] = outcome = _outcome(result)
                    last_progress = now
                    if isinstance(outcome, dict):
                        statuses[str(outcome["status"])] += 1
            seen = sandbox.request_log
            rate = request_rate(sorted(r.at for r in seen))
            bar.show(len(outcomes), statuses, len(seen), sum(1 for r in seen if r.status == 429), rate)
        if kill_pending:
            running = [i for i in range(len(work)) if i not in outcomes][: 2 * options.workers]
            summary.killed_worker = _kill_mid_export(sandbox, work, results, running, year)
            kill_pending = summary.killed_worker is None
        time.sleep(POLL_SECONDS)
    bar.end()
    if summary.killed_worker is not None:
        again = outcomes[int(summary.killed_worker.pop("task"))]
        summary.killed_worker["finished_as"] = again["status"] if isinstance(again, dict) else "lost"
    return [outcomes[i] for i in range(len(work))]


def _outcome(result: AsyncResult) -> dict[str, Any] | str:
    if result.successful():
        value = result.result
        return value if isinstance(value, dict) else f"task {result.id}: unexpected answer {value!r}"
    return f"task {result.id}: {type(result.result).__name__}: {result.result}"


def _kill_mid_export(
    sandbox: Sandbox,
    work: list[bureau.Task],
    results: list[AsyncResult],
    candidates: list[int],
    year: int,
) -> dict[str, Any] | None:
    """SIGKILL the worker of an export that has booked some but not all of its receipts.

    Polled every POLL_SECONDS in the process the sandbox answers from, so it asks the sandbox
    only for a count (no copies of receipts under the lock its requests need).
    """
    for index in candidates:
        task = work[index]
        planned = len({line.period for line in bureau.journal(task, year).lines})
        booked = bureau.booked(sandbox, task, year)
        if not 0 < booked < planned:
            continue
        result = results[index]
        info = result.info if result.state == "STARTED" else None
        pid = info.get("pid") if isinstance(info, dict) else None
        if not isinstance(pid, int):
            continue
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            return {
                "task": index,
                "pid": pid,
                "journal": bureau.journal(task, year).reference,
                "account": bureau.username(task.account),
                "receipts_before_kill": booked,
                "receipts_planned": planned,
            }
    return None


def main(options: MonthEndOptions, as_json: bool, out: TextIO | None = None) -> int:
    """The command: 0 when every journal is booked exactly once, 1 when not, 2 when the run stopped."""
    out = out or sys.stdout
    # A SIGTERM ends the run like Ctrl-C: the finally blocks stop the workers and the sandbox.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        summary = run(options, progress=sys.stderr)
    except MonthEndError as exc:
        print(f"nmbrs-procountor month-end: {exc}", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        summary.render(out)
    return 0 if summary.complete else 1
