"""16 exports at once from 4 threads, 4 processes and 8 processes, the sandbox limiting at 20/s.

Every request (token refreshes included: the sandbox's tokens live 63 s and the plugin refreshes
60 s ahead, so each account refreshes every few seconds) passes the host's one limiter. Figures to
reach (issue 13): 0 x 429 and >= 90 % of the limit used. "Used" is requests / (last - first
request) as the sandbox saw them.

Run: .venv/bin/python benchmarks/bench_limiter.py [--redis]   (--redis: the limiter on a private
redis-server instead of the SQLite file; needs Debian's redis-server)
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_procountor_devtools.month_end import bureau
from nmbrs_procountor_devtools.month_end.queue import RunSettings
from nmbrs_procountor_devtools.redis_server import local_redis
from procountor_sandbox import Sandbox, SandboxConfig

EXPORTS = 16
ACCOUNTS = 4
LIMIT = 20.0

_hosts: dict[str, ReferenceHost] = {}
_lock = threading.Lock()


def _host(settings: RunSettings) -> ReferenceHost:
    with _lock:  # one host per process, shared by its threads
        if settings.state_dir not in _hosts:
            _hosts[settings.state_dir] = settings.host()
        return _hosts[settings.state_dir]


def warm_up(settings: RunSettings) -> None:
    """Make this process's host (plugin loaded), then linger so every process of the pool gets one."""
    _host(settings)
    time.sleep(1.0)


def export(settings: RunSettings, task: bureau.Task) -> str:
    host = _host(settings)
    account = host.accounts.find("procountor", bureau.username(task.account))
    assert account is not None
    journal = bureau.journal(task, settings.year)
    return host.export_journal(bureau.BUREAU_ADMIN, account.id, bureau.host_company(task.account), journal).status


def scenario(label: str, threads: int, processes: int, redis_url: str | None) -> dict[str, object]:
    state = Path(tempfile.mkdtemp(prefix="bench-limiter-"))
    config = SandboxConfig(bureau_companies=ACCOUNTS, rate_limit_per_second=LIMIT, access_token_ttl=63)
    try:
        with Sandbox(config) as sandbox:
            settings = RunSettings(
                state_dir=str(state),
                provider={
                    "client_id": sandbox.client_id,
                    "client_secret": sandbox.client_secret,
                    "redirect_uri": sandbox.redirect_uri,
                    "environment": "custom",
                    "base_url": sandbox.base_url,
                },
                year=date.today().year,
                redis_url=redis_url,
            )
            setup = settings.host()
            bureau.prepare(setup, sandbox, ACCOUNTS)
            setup.close()
            work = bureau.tasks(EXPORTS, ACCOUNTS)
            pool: ThreadPoolExecutor | ProcessPoolExecutor
            if processes:
                pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
                # start every process (imports) before the clock runs: a host's workers are up already
                list(pool.map(warm_up, [settings] * processes))
            else:
                pool = ThreadPoolExecutor(threads)
            sandbox.clear_request_log()
            started = time.perf_counter()
            with pool:
                statuses = list(pool.map(export, [settings] * len(work), work))
            elapsed = time.perf_counter() - started
            seen = sandbox.request_log
    finally:
        for host in _hosts.values():
            host.close()
        _hosts.clear()
        shutil.rmtree(state, ignore_errors=True)
    times = sorted(r.at for r in seen)
    rate = len(seen) / (times[-1] - times[0])
    busiest = max(sum(1 for t in times if s <= t < s + 1.0) for s in times)
    return {
        "scenario": label,
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
        "requests": len(seen),
        "token_calls": sum(1 for r in seen if r.path.endswith("/oauth/token")),
        "429s": sum(1 for r in seen if r.status == 429),
        "busiest_second": busiest,
        "requests_per_second": round(rate, 2),
        "limit_used": round(rate / LIMIT, 3),
        "seconds": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis", action="store_true", help="the limiter on a private redis-server")
    args = parser.parse_args()
    with ExitStack() as stack:
        redis_url = stack.enter_context(local_redis()).url if args.redis else None
        store = "redis" if redis_url else "sqlite"
        for label, threads, processes in (("4 threads", 4, 0), ("4 processes", 0, 4), ("8 processes", 0, 8)):
            result = scenario(f"{label} ({store})", threads, processes, redis_url)
            verdict = "OK" if result["429s"] == 0 and float(str(result["limit_used"])) >= 0.9 else "BELOW TARGET"
            print(result, verdict, flush=True)


if __name__ == "__main__":
    main()
