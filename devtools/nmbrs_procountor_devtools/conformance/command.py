"""``nmbrs-procountor conformance``: options, the target (a Procountor environment or the embedded
sandbox), the run, and the report.

Secrets are read from the environment, never from the command line (shell history, process
lists): ``PROCOUNTOR_CLIENT_SECRET`` and ``PROCOUNTOR_REFRESH_TOKEN``. Outside ``--sandbox`` the
command refuses to run under CI (``CI`` set): CI only ever talks to the sandbox.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import requests

from nmbrs_procountor_devtools.conformance.checks import Credentials, KitError, Plan, run_checks
from nmbrs_procountor_devtools.conformance.http import Probe
from nmbrs_procountor_devtools.conformance.recording import LeakError, Origin, write_cassette
from nmbrs_procountor_devtools.conformance.report import Finding, as_json, as_table

ENVIRONMENTS = {"test": "https://pts-api.procountor.com", "production": "https://api.procountor.com"}
SANDBOX_USER = "demo.admin"
SANDBOX_COMPANY = "10001"
# Sandbox switches the kit can set (docs/sandbox.md), with how to read their values.
SWITCHES: dict[str, Callable[[str], object]] = {
    "token_error_shape": str,
    "rotate_refresh_tokens": lambda v: v.lower() in ("1", "true", "yes", "on"),
    "keep_invoice_notes": lambda v: v.lower() in ("1", "true", "yes", "on"),
    "pending_periods": str,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--sandbox", action="store_true", help="run every check, writes included, on the embedded sandbox"
    )
    where.add_argument("--environment", choices=sorted(ENVIRONMENTS), help="Procountor's test (PTS) or production host")
    where.add_argument("--base-url", help="another Procountor host, e.g. https://pts-api.procountor.com")
    parser.add_argument("--api-path", default="/api", help="the API's base path (default /api; /latest, /vYYMM ...)")
    parser.add_argument("--client-id", help="the API client's id (secret and refresh token come from the environment)")
    parser.add_argument("--redirect-uri", help="the redirect URI registered for the client")
    parser.add_argument("--company", help="the company to write in: must be the company the refresh token belongs to")
    parser.add_argument("--write", action="store_true", help="allow the checks that create (then invalidate) receipts")
    parser.add_argument("--json", action="store_true", help="print a JSON list with one object per behaviour")
    parser.add_argument("--record", metavar="DIR", type=Path, help="save the exchanges as a cassette in DIR")
    parser.add_argument(
        "--switch",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="--sandbox only: set a sandbox switch, e.g. token_error_shape=errors (repeatable)",
    )


@dataclass(frozen=True)
class Target:
    """Where the checks run: an environment with its credentials, or a started sandbox."""

    kind: str  # "sandbox", "pts", "production", "custom"
    probe: Probe
    credentials: Credentials
    plan: Plan
    sandbox_today: str | None = None
    sandbox: Any = None  # the embedded sandbox, with --sandbox (its test controls)


def parse_switches(items: list[str]) -> dict[str, Any]:
    switches: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in SWITCHES:
            raise KitError(f"--switch {item!r}: expected NAME=VALUE with NAME one of {', '.join(SWITCHES)}")
        switches[name] = SWITCHES[name](value)
    return switches


@contextmanager
def sandbox_target(switches: Mapping[str, Any], company: str | None = None, api_path: str = "/api") -> Iterator[Target]:
    """A started embedded sandbox with ``switches``; the grant is issued in-process."""
    from procountor_sandbox import Sandbox, SandboxConfig

    try:
        config = SandboxConfig(rate_limit_per_second=None, **switches)
    except (TypeError, ValueError) as exc:
        raise KitError(f"sandbox switches: {exc}") from None
    chosen = company or SANDBOX_COMPANY
    with Sandbox(config) as sb:
        tokens = sb.issue_tokens(SANDBOX_USER, int(chosen))

        def make_pending(year: int, month: int) -> None:
            sb.set_tracking_period_status(int(chosen), year, month, "PENDING")

        yield Target(
            "sandbox",
            Probe(sb.base_url, api_path, min_interval=0.0),
            Credentials(sb.client_id, sb.client_secret, sb.redirect_uri, str(tokens["refresh_token"])),
            Plan(write=True, company=chosen, make_pending=make_pending),
            config.effective_today().isoformat(),
            sb,
        )


def environment_target(args: argparse.Namespace, env: Mapping[str, str]) -> Target:
    if env.get("CI"):
        raise KitError("refusing to run against a Procountor environment under CI: use --sandbox")
    base = (ENVIRONMENTS[args.environment] if args.environment else str(args.base_url)).rstrip("/")
    if not base.startswith("https://"):
        raise KitError(f"--base-url {base!r}: Procountor is reached over https only")
    missing = [
        name
        for name, value in (
            ("--client-id", args.client_id),
            ("--redirect-uri", args.redirect_uri),
            ("PROCOUNTOR_CLIENT_SECRET", env.get("PROCOUNTOR_CLIENT_SECRET")),
            ("PROCOUNTOR_REFRESH_TOKEN", env.get("PROCOUNTOR_REFRESH_TOKEN")),
        )
        if not value
    ]
    if missing:
        raise KitError(f"missing: {', '.join(missing)} (see docs/conformance.md)")
    if args.write and not args.company:
        raise KitError("--write needs --company: the company the checks may write in")
    kind = {"test": "pts", "production": "production"}.get(args.environment or "", "custom")
    return Target(
        kind,
        Probe(base, args.api_path),
        Credentials(
            args.client_id, env["PROCOUNTOR_CLIENT_SECRET"], args.redirect_uri, env["PROCOUNTOR_REFRESH_TOKEN"]
        ),
        Plan(write=bool(args.write), company=args.company),
    )


def run_target(target: Target, record: Path | None = None) -> list[Finding]:
    """Run every check on ``target``; with ``record``, keep the exchanges as a cassette there."""
    try:
        findings, run = run_checks(target.probe, target.credentials, target.plan)
    finally:
        target.probe.close()
    if record is not None:
        c = target.credentials
        origin = Origin(
            target=target.kind,
            base_url=target.probe.base_url,
            client_id=c.client_id,
            redirect_uri=c.redirect_uri,
            company_id=run.company_id,
            company_name=run.company_name,
            recorded_on=date.today().isoformat(),
            sandbox_today=target.sandbox_today,
        )
        write_cassette(record, f"conformance_{target.kind}", target.probe.exchanges, origin, run.secrets)
    return findings


def main(args: argparse.Namespace, out: TextIO | None = None, env: Mapping[str, str] | None = None) -> int:
    """0: every check that ran holds; 1: an assumption does not hold; 2: the kit could not run."""
    environ = os.environ if env is None else env
    out = sys.stdout if out is None else out
    try:
        if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", args.api_path):
            raise KitError(f"--api-path {args.api_path!r}: a path like /api, /latest or /v2604")
        if args.sandbox:
            with sandbox_target(parse_switches(args.switch), args.company, args.api_path) as target:
                findings = run_target(target, args.record)
        else:
            if args.switch:
                raise KitError("--switch sets the embedded sandbox's behaviour: use it with --sandbox")
            findings = run_target(environment_target(args, environ), args.record)
    except (KitError, LeakError) as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    except requests.RequestException as exc:
        print(f"conformance: Procountor could not be reached: {type(exc).__name__}", file=sys.stderr)
        return 2
    out.write(as_json(findings) + "\n" if args.json else as_table(findings))
    return 1 if any(f.holds is False for f in findings) else 0
