"""The month-end run at bureau scale: 200 journals, 20 accounts, 8 worker processes, one SIGKILLed.

Figures to reach (issue 13): 200 sent, every period exactly once (duplicates 0), 0 x 429 and
>= 90 % of the sandbox's 20/s limit used. Runs the embedded default (Celery on SQLite, limiter on
a SQLite file) and, when Debian's redis-server is installed, the same on a private Redis.

Run: .venv/bin/python benchmarks/bench_month_end.py [--journals 200 --accounts 20 --workers 8]
"""

from __future__ import annotations

import argparse
import json
from contextlib import ExitStack

from nmbrs_procountor_devtools.month_end import runner
from nmbrs_procountor_devtools.redis_server import local_redis, redis_server_binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journals", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--only", choices=("sqlite", "redis"), help="run one of the two queues only")
    args = parser.parse_args()
    queues = [q for q in ("sqlite", "redis") if args.only in (None, q)]
    for queue in queues:
        with ExitStack() as stack:
            redis_url = None
            if queue == "redis":
                if redis_server_binary() is None:
                    print("redis: skipped, redis-server is not installed")
                    continue
                redis_url = stack.enter_context(local_redis()).url
            options = runner.MonthEndOptions(
                journals=args.journals,
                accounts=args.accounts,
                workers=args.workers,
                redis_url=redis_url,
                kill_a_worker=True,
            )
            summary = runner.run(options)
            figures = summary.to_json()
            reached = (
                figures["sent"] + figures["already_sent"] == args.journals
                and figures["duplicates"] == 0
                and figures["429s"] == 0
                and figures["limit_used"] >= 0.9
                and figures["killed_worker"] is not None
            )
            print(json.dumps(figures, ensure_ascii=False), "OK" if reached else "BELOW TARGET", flush=True)


if __name__ == "__main__":
    main()
