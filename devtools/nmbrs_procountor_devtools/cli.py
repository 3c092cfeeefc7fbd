"""The ``nmbrs-procountor`` command: the demo, the Procountor sandbox on its own, the conformance kit.

Every mistake a person can make here ends in one line on stderr that names the port, the path or
the cause, and a non-zero exit status; Ctrl-C ends every command with status 130 and no traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from typing import NoReturn

from nmbrs_procountor_devtools.db_path import db_path_problem

EXIT_ERROR = 1
EXIT_USAGE = 2  # a wrong option value, as argparse answers a wrong option
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command ended by Ctrl-C
DISTRIBUTIONS = ("nmbrs-procountor-devtools", "nmbrs-procountor-plugin", "procountor-sandbox", "nmbrs-hookspecs")


def versions() -> str:
    """The installed version of each distribution the command brings together, on one line."""

    def one(name: str) -> str:
        try:
            return f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            return f"{name} (not installed)"

    return ", ".join(one(name) for name in DISTRIBUTIONS)


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line (the usage is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _seconds(raw: str) -> int:
    """A positive whole number of seconds, refused by argparse with the value named."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive whole number of seconds")
    return value


class _VersionsAction(argparse.Action):
    """Like argparse's ``version`` action, without re-wrapping the line to the terminal's width."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(versions(), flush=True)
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nmbrs-procountor",
        description="Procountor integration for an Nmbrs-style payroll host: demo and local sandbox.",
    )
    parser.add_argument(
        "--version",
        action=_VersionsAction,
        help="print the versions of the plugin, the sandbox, the contract and this tool",
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
    sandbox.add_argument("--token-ttl", type=_seconds, default=3600, help="access-token lifetime in seconds")
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


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"nmbrs-procountor: error: {message}", file=sys.stderr, flush=True)
    return code


def _demo(args: argparse.Namespace) -> int:
    if args.db is not None:
        problem = db_path_problem(args.db)
        if problem is not None:
            return _fail(problem)
    from nmbrs_procountor_devtools import demo

    return demo.main(args.db, args.json)


def _conformance(args: argparse.Namespace) -> int:
    from nmbrs_procountor_devtools.conformance import command

    return command.main(args)


def _month_end(args: argparse.Namespace) -> int:
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


def _sandbox(args: argparse.Namespace) -> int:
    from nmbrs_procountor_devtools.conformance.checks import KitError
    from nmbrs_procountor_devtools.conformance.command import parse_switches
    from procountor_sandbox import Sandbox, SandboxConfig

    try:
        config = SandboxConfig(
            host=args.host,
            port=args.port,
            access_token_ttl=args.token_ttl,
            rotate_refresh_tokens=not args.no_rotation,
        )
        if args.redirect_uri:
            config = dataclasses.replace(config, redirect_uri=args.redirect_uri)
        config = dataclasses.replace(config, **parse_switches(args.switch))
        sb = Sandbox(config)
    except (KitError, ValueError) as bad:  # both name the option or setting and the value
        return _fail(str(bad), EXIT_USAGE)
    try:
        sb.start()
    except OSError as cannot:  # ListenError names the address and the cause
        return _fail(str(cannot))
    try:
        print(sb.describe(), flush=True)
        print("Press Ctrl-C to stop the sandbox.", flush=True)
        while sb.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        sb.stop()
        print("Procountor sandbox stopped (Ctrl-C).", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    finally:
        sb.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {"demo": _demo, "conformance": _conformance, "month-end": _month_end, "sandbox": _sandbox}
        return commands[args.command](args)
    except KeyboardInterrupt:
        print(f"nmbrs-procountor {args.command}: interrupted (Ctrl-C)", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
