"""What a month-end run ends with: the counts an admin reads, as text or as one JSON document."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, TextIO

SANDBOX_LIMIT_PER_SECOND: Final = 20.0
STATUSES: Final = ("sent", "already_sent", "partially_sent", "blocked", "failed")


@dataclass
class MonthEndSummary:
    """One run's outcome: statuses from the queue's results; requests and 429s as the sandbox saw them."""

    journals: int
    accounts: int
    workers: int
    queue: str
    statuses: Counter[str] = field(default_factory=Counter)
    lost: int = 0  # tasks that ended without an export result (their error is in ``errors``)
    requests: int = 0
    too_many_requests: int = 0
    seconds: float = 0.0
    requests_per_second: float = 0.0
    limit_per_second: float = SANDBOX_LIMIT_PER_SECOND
    duplicates: int = 0
    killed_worker: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def limit_used(self) -> float:
        return self.requests_per_second / self.limit_per_second

    def distinct_errors(self) -> list[str]:
        """Each distinct error once, with how many tasks it ended and the first of them.

        A cause that ends every task (a broken install, a host database gone) would otherwise be
        200 copies of one line, and a second cause would hide among them.
        """
        tasks_by_error: dict[str, list[str]] = {}
        for error in self.errors:
            task, separator, text = error.partition(": ")
            if not (separator and task.startswith("task ")):
                task, text = "", error
            tasks_by_error.setdefault(text, []).append(task)
        lines = []
        for text, tasks in tasks_by_error.items():
            if not tasks[0]:
                lines.append(text if len(tasks) == 1 else f"{text} ({len(tasks)} times)")
            elif len(tasks) == 1:
                lines.append(f"{tasks[0]}: {text}")
            else:
                lines.append(f"{len(tasks)} tasks ({tasks[0]} and {len(tasks) - 1} more): {text}")
        return lines

    @property
    def complete(self) -> bool:
        """Every journal booked (now or before), and no period twice."""
        done = self.statuses["sent"] + self.statuses["already_sent"]
        return done == self.journals and self.duplicates == 0

    def to_json(self) -> dict[str, Any]:
        return {
            **{status: self.statuses[status] for status in STATUSES},
            "lost": self.lost,
            "requests": self.requests,
            "429s": self.too_many_requests,
            "requests_per_second": round(self.requests_per_second, 2),
            "limit_per_second": self.limit_per_second,
            "limit_used": round(self.limit_used, 3),
            "duplicates": self.duplicates,
            "seconds": round(self.seconds, 2),
            "journals": self.journals,
            "accounts": self.accounts,
            "workers": self.workers,
            "queue": self.queue,
            "killed_worker": self.killed_worker,
            "errors": self.distinct_errors(),
        }

    def render(self, out: TextIO) -> None:
        s = self.statuses
        print(
            f"Month-end: {self.journals} journals, {self.accounts} accounts, {self.workers} workers ({self.queue})",
            file=out,
        )
        print(
            f"sent {s['sent']} · already sent {s['already_sent']} · partially sent {s['partially_sent']} · "
            f"blocked {s['blocked']} · failed {s['failed'] + self.lost}",
            file=out,
        )
        print(
            f"requests {self.requests} · 429s {self.too_many_requests} · {self.requests_per_second:.1f} requests/s "
            f"of {self.limit_per_second:g}/s allowed ({self.limit_used:.0%}) · {self.seconds:.1f} s",
            file=out,
        )
        print(f"duplicates {self.duplicates} (periods the sandbox holds more than once)", file=out)
        if self.killed_worker:
            k = self.killed_worker
            print(
                f"killed worker pid {k['pid']} (SIGKILL) while '{k['journal']}' had {k['receipts_before_kill']} of "
                f"{k['receipts_planned']} receipts booked; the queue ran it again: {k['finished_as']}",
                file=out,
            )
        for error in self.distinct_errors():
            print(f"error: {error}", file=out)


class Progress:
    """A one-line progress bar on a terminal (nothing on a pipe, so logs and --json stay clean)."""

    def __init__(self, out: TextIO | None, total: int) -> None:
        self._out = out if out is not None and out.isatty() else None
        self._total = total
        self._shown = 0.0

    def show(self, done: int, statuses: Counter[str], requests: int, too_many: int, rate: float) -> None:
        if self._out is None or (time.monotonic() - self._shown < 0.2 and done < self._total):
            return
        self._shown = time.monotonic()
        width = 30
        filled = width * done // self._total
        bar = "#" * filled + "." * (width - filled)
        self._out.write(
            f"\r[{bar}] {done}/{self._total} sent {statuses['sent']} · failed {statuses['failed']} · "
            f"requests {requests} · 429s {too_many} · {rate:.1f}/s "
        )
        self._out.flush()

    def end(self) -> None:
        if self._out is not None:
            self._out.write("\n")
            self._out.flush()


def request_rate(times: list[float]) -> float:
    """Requests per second from the first to the last of ``times`` (sorted)."""
    if len(times) < 2:
        return 0.0
    return len(times) / max(times[-1] - times[0], 1e-9)
