"""The ``nmbrs-procountor`` command: the demo, the Procountor sandbox on its own, the conformance kit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nmbrs-procountor",
        description="Procountor integration for an Nmbrs-style payroll host: demo and local sandbox.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="authorize, map and send a June payroll run with corrections to the embedded sandbox",
        description="Runs the whole product against the embedded Procountor sandbox: the reference host "
        "loads the plugin, an admin authorizes an account through the login page, maps the company with "
        "dimensions and sends a June run with corrections for January to May.",
    )
    demo.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite file of the host (and, beside it, the sandbox's state); run twice to see "
        "that the account stays authorized and the journal stays sent. Default: a temporary file.",
    )
    demo.add_argument("--json", action="store_true", help="print one machine-readable JSON document instead of tables")
    month_end = commands.add_parser(
        "month-end",
        help="a payroll bureau's month-end: many journals from many worker processes, one rate limit",
        description="Exports --journals journals of --accounts accounts through a Celery worker with --workers "
        "processes against the embedded sandbox (its 20/s rate limit on), every request through the host's "
        "one limiter; ends with a summary. Without --redis the queue lives in files and the limiter in SQLite.",
    )
    month_end.add_argument("--journals", type=int, default=200, help="journals to export (default 200)")
    month_end.add_argument("--accounts", type=int, default=20, help="Procountor accounts they belong to (default 20)")
    month_end.add_argument("--workers", type=int, default=8, help="worker processes (default 8)")
    month_end.add_argument(
        "--redis",
        metavar="URL",
        help="a Redis server (redis://host:port/db) for the queue, the results and the request limiter, "
        "as several machines would share them",
    )
    month_end.add_argument(
        "--kill-a-worker", action="store_true", help="SIGKILL one worker process in the middle of an export"
    )
    month_end.add_argument(
        "--state",
        metavar="DIR",
        help="keep the host, sandbox and queue state here, so a rerun after an interruption finishes the "
        "run (default: a temporary directory, removed at the end)",
    )
    month_end.add_argument("--json", action="store_true", help="print the summary as one JSON document")
    sandbox = commands.add_parser(
        "sandbox",
        help="run the local Procountor sandbox until Ctrl-C",
        description="Serves a local, strict copy of Procountor's API (login page, OAuth, ledger receipts, "
        "dimensions, fiscal years) for manual testing and re-recording cassettes.",
    )
    sandbox.add_argument("--port", type=int, default=8700, help="port to listen on (default 8700; 0 = any free port)")
    sandbox.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; only change it on a trusted network)"
    )
    sandbox.add_argument(
        "--redirect-uri",
        default=None,
        help="the client's single registered redirect URI (default: the sandbox's own default)",
    )
    sandbox.add_argument("--token-ttl", type=int, default=3600, help="access-token lifetime in seconds")
    sandbox.add_argument("--no-rotation", action="store_true", help="keep refresh tokens valid after use")
    sandbox.add_argument(
        "--switch",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="play one answer to an undocumented behaviour, e.g. token_error_shape=errors, keep_invoice_notes=false, "
        "pending_periods=accept (repeatable; docs/sandbox.md)",
    )
    conformance = commands.add_parser(
        "conformance",
        help="check Procountor's undocumented behaviours against the product's assumptions",
        description="One scripted check per behaviour Procountor does not document (invoiceNotes on a JOURNAL, "
        "the token endpoint's refusal shape, refresh-token rotation, PENDING periods, the login host, logout), "
        "against a Procountor environment or the embedded sandbox. Writes only with --write, only in the "
        "--company named, and invalidates what it created. See docs/conformance.md.",
    )
    from nmbrs_procountor_devtools.conformance.command import add_arguments

    add_arguments(conformance)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from nmbrs_procountor_devtools import demo

        return demo.main(args.db, args.json)
    if args.command == "conformance":
        from nmbrs_procountor_devtools.conformance import command

        return command.main(args)
    if args.command == "month-end":
        from pathlib import Path

        from nmbrs_procountor_devtools.month_end import runner

        try:
            month_end_options = runner.MonthEndOptions(
                journals=args.journals,
                accounts=args.accounts,
                workers=args.workers,
                redis_url=args.redis,
                kill_a_worker=args.kill_a_worker,
                state_dir=Path(args.state) if args.state else None,
            )
        except ValueError as exc:
            print(f"nmbrs-procountor month-end: {exc}", file=sys.stderr)
            return 2
        return runner.main(month_end_options, args.json)
    from procountor_sandbox import Sandbox, SandboxConfig

    options = {
        "host": args.host,
        "port": args.port,
        "access_token_ttl": args.token_ttl,
        "rotate_refresh_tokens": not args.no_rotation,
    }
    if args.redirect_uri:
        options["redirect_uri"] = args.redirect_uri
    from nmbrs_procountor_devtools.conformance.checks import KitError
    from nmbrs_procountor_devtools.conformance.command import parse_switches

    try:
        options.update(parse_switches(args.switch))
        config = SandboxConfig(**options)
    except (KitError, ValueError) as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    sb = Sandbox(config)
    sb.start()
    print(sb.describe(), flush=True)
    try:
        sb.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
