"""The month-end task queue: Celery, one task per journal export.

Why Celery (see the README): of Celery, RQ and Dramatiq it is the only one whose broker can run
without a server. The embedded default is kombu's filesystem transport (one file per message in
the run's folder) with the results in SQLite; with ``acks_late`` + ``task_reject_on_worker_lost``
a task whose worker process is SIGKILLed mid-export goes back on the queue at once and another
worker finishes it (the export is safe to repeat: the host's lease and the resend check see what
the killed worker already booked). kombu's SQLAlchemy transport on SQLite was tried first and
lost that requeued task: its session was in the middle of another transaction ("This session is
in 'prepared' state") when the worker rejected the killed task's message. With ``--redis`` the
broker, the results and the request limiter are all on that Redis; there, a whole worker machine
lost mid-task is redelivered after the broker's visibility timeout.

Workers are separate processes started with ``celery -A nmbrs_procountor_devtools.month_end.queue
worker``; they find the run's settings through ``NMBRS_MONTH_END_SETTINGS`` (a JSON file).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from celery import Celery

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.limiter import BucketRequestLimiter, RedisLimiterStore, SqliteLimiterStore
from nmbrs_hookspecs.protocols import RequestLimiter
from nmbrs_hookspecs.types import ProviderConfig
from nmbrs_procountor_devtools.demo_notice import credential_keys
from nmbrs_procountor_devtools.month_end import bureau

SETTINGS_ENV: Final = "NMBRS_MONTH_END_SETTINGS"
TASK_NAME: Final = "nmbrs.month_end.export_journal"
# A worker machine that vanishes mid-task: its task is delivered again after this long (Redis).
VISIBILITY_TIMEOUT_SECONDS: Final = 300


@dataclass(frozen=True)
class RunSettings:
    """What every process of one run must agree on (written to JSON for the workers)."""

    state_dir: str
    provider: dict[str, Any]
    year: int
    redis_url: str | None = None

    @property
    def host_db(self) -> str:
        return str(Path(self.state_dir) / "host.sqlite3")

    def provider_config(self) -> ProviderConfig:
        return ProviderConfig(**self.provider)

    def request_limiter(self) -> RequestLimiter:
        if self.redis_url:
            return BucketRequestLimiter(RedisLimiterStore(self.redis_url))
        return BucketRequestLimiter(SqliteLimiterStore(Path(self.state_dir) / "limiter.sqlite3"))

    def host(self) -> ReferenceHost:
        configs = {"procountor": self.provider_config()}
        # Every process of the run reads the same owner-only key file (made by the first one).
        keys = credential_keys(Path(self.state_dir) / "credential.key")
        return ReferenceHost(
            self.host_db, provider_configs=configs, request_limiter=self.request_limiter(), credential_keys=keys
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RunSettings:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def celery_settings(settings: RunSettings) -> dict[str, Any]:
    """The run's broker and result store (SQLite files, or the Redis), and how tasks are acknowledged."""
    state = Path(settings.state_dir)
    transport: dict[str, object]
    if settings.redis_url:
        broker, backend = settings.redis_url, settings.redis_url
        transport = {"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS}
    else:
        queue_dir = state / "queue"
        queue_dir.mkdir(parents=True, exist_ok=True)
        broker = "filesystem://"
        backend = f"db+sqlite:///{state / 'results.sqlite3'}"
        # One file per message in one folder: no server, nothing shared but the disk.
        transport = {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "control_folder": str(state / "queue-control"),  # kombu's default is the working directory
            "store_processed": False,
            "polling_interval": 0.05,
        }
    return {
        "broker_url": broker,
        "result_backend": backend,
        "task_acks_late": True,  # acknowledged when done, not when taken: a killed worker's task stays queued
        "task_reject_on_worker_lost": True,  # ...and goes back to the queue at once when its process dies
        "worker_prefetch_multiplier": 1,  # no worker hoards tasks another could run
        "task_track_started": True,  # STARTED carries the worker's pid (what --kill-a-worker kills)
        "worker_lost_wait": 1.0,  # how long billiard waits for a killed process's result before requeueing
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport,
        "worker_hijack_root_logger": False,
        "result_expires": None,
    }


def producer(settings: RunSettings) -> Celery:
    """A fresh app for the runner's side (each run its own broker and results; Celery caches both)."""
    sender = Celery("nmbrs-month-end-runner")
    sender.conf.update(celery_settings(settings))
    return sender


app = Celery("nmbrs-month-end")  # the workers' app: ``celery -A nmbrs_procountor_devtools.month_end.queue``


_settings_file = os.environ.get(SETTINGS_ENV)
if _settings_file:  # a worker process: the run's settings come from the file the runner wrote
    app.conf.update(celery_settings(RunSettings.load(Path(_settings_file))))

_host: ReferenceHost | None = None


def _worker_host() -> ReferenceHost:
    """One host per worker process, made after the fork (SQLite connections must not cross it)."""
    global _host
    if _host is None:
        settings_file = os.environ.get(SETTINGS_ENV)
        if not settings_file:
            raise RuntimeError(f"{SETTINGS_ENV} is not set: start workers through the month-end runner")
        _host = RunSettings.load(Path(settings_file)).host()
    return _host


@app.task(name=TASK_NAME)  # type: ignore[untyped-decorator]
def export_journal(account: int, journal: int, year: int) -> dict[str, Any]:
    """Export one journal through the host (rights, mapping, plugin) and answer its sent status."""
    host = _worker_host()
    task = bureau.Task(account, journal)
    found = host.accounts.find("procountor", bureau.username(account))
    if found is None:
        raise RuntimeError(f"account {bureau.username(account)} does not exist: run the month-end set-up first")
    company, exported = bureau.host_company(account), bureau.journal(task, year)
    result = host.export_journal(bureau.BUREAU_ADMIN, found.id, company, exported)
    return {"status": result.status, "problems": [p.code for p in result.problems], "pid": os.getpid()}
