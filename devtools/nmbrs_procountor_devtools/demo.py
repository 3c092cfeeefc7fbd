"""``nmbrs-procountor demo``: the whole product, end to end, on the embedded Procountor sandbox.

The reference host loads the plugin from its entry point; an admin authorizes an account through
the real login page (forms posted over HTTP, company chosen), maps the company with Cost Center
and Cost Unit dimensions, previews and sends a June run with corrections for January to May,
sends it again (recognised as already sent) and tries a Test company (refused).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    AccountStatus,
    Actor,
    AdministrationMapping,
    DimensionMapping,
    ExportResult,
    IntegrationAccount,
    Problem,
    ProviderConfig,
)
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_devtools.demo_notice import credential_keys, show_a_broken_account
from nmbrs_procountor_devtools.form_browser import log_in
from procountor_sandbox import Sandbox, SandboxConfig

ACCOUNT_USERNAME = "bureau-procountor"
ADMIN = Actor(user_id="demo-admin", rights={"procountor": "write"}, locale="en")
PROCOUNTOR_USER = ("demo.admin", "demo-password")
PROCOUNTOR_COMPANY = "Järvi Leipomo Oy"
CALLBACK = "http://127.0.0.1:8765/procountor/callback"


@dataclass
class DemoReport:
    """Everything the demo found, printable as text or as one JSON document."""

    sandbox_url: str = ""
    database: str = ""
    account: dict[str, Any] = field(default_factory=dict)
    mapping: dict[str, Any] = field(default_factory=dict)
    mapping_problems: list[dict[str, Any]] = field(default_factory=list)
    preview: dict[str, Any] = field(default_factory=dict)
    export: dict[str, Any] = field(default_factory=dict)
    second_send: dict[str, Any] = field(default_factory=dict)
    test_company: dict[str, Any] = field(default_factory=dict)
    broken_account: dict[str, Any] = field(default_factory=dict)


def _problem(p: Problem) -> dict[str, Any]:
    return {"code": p.code, "severity": p.severity, "message": p.message, "hint": p.hint, "field": p.field}


def _status(s: AccountStatus) -> dict[str, Any]:
    admin = s.administration
    return {
        "state": s.state,
        "message": s.message,
        "administration": None
        if admin is None
        else {"id": admin.id, "name": admin.name, "business_id": admin.business_id},
    }


def _result(r: ExportResult) -> dict[str, Any]:
    return {
        "status": r.status,
        "receipts": [
            {
                "period": str(x.period),
                "date": x.receipt_date.isoformat(),
                "name": x.name,
                "total": str(x.total),
                "external_id": x.external_id,
                "status": x.status,
            }
            for x in r.receipts
        ],
        "problems": [_problem(p) for p in r.problems],
    }


def _authorize(host: ReferenceHost, account: IntegrationAccount, say: Callable[[str], None]) -> AccountStatus:
    status = host.account_status(ADMIN, account.id)
    if status.state == "authorized":
        say(
            f"account '{account.username}' is already authorized for "
            f"{status.administration.name if status.administration else '?'}"
        )
        return status
    say("opening Procountor's login page, logging in as demo.admin and choosing the company")
    url = host.authorization_url(ADMIN, account.id)
    params = log_in(url, *PROCOUNTOR_USER, company_name=PROCOUNTOR_COMPANY)
    status = host.authorization_callback(ADMIN, account.id, params)
    say(f"authorized: {status.message}")
    return status


def _map(host: ReferenceHost, account: IntegrationAccount, report: DemoReport, say: Callable[[str], None]) -> None:
    existing = host.mapping_for(account.id, COMPANY.id)
    administration = host.administrations(ADMIN, account.id)[0]
    mapping = existing or AdministrationMapping(
        account_id=account.id,
        company_id=COMPANY.id,
        administration_id=administration.id,
        dimensions=(
            DimensionMapping("cost_center", True, "Kustannuspaikka"),
            DimensionMapping("cost_unit", True, "Projekti"),
        ),
    )
    say(f"mapping {COMPANY.name} -> {administration.name} (Cost Centers: Kustannuspaikka, Cost Units: Projekti)")
    problems = host.save_mapping(ADMIN, mapping, COMPANY)
    report.mapping = {
        "company": COMPANY.name,
        "administration": administration.name,
        "administration_id": administration.id,
        "dimensions": {d.kind: d.description for d in mapping.dimensions if d.enabled},
    }
    report.mapping_problems = [_problem(p) for p in problems]


def run(db: str, say: Callable[[str], None], sandbox_state: Path | None, key_file: Path | None = None) -> DemoReport:
    report = DemoReport(database=db)
    config = SandboxConfig(redirect_uri=CALLBACK, state_file=sandbox_state)
    with Sandbox(config) as sandbox:
        report.sandbox_url = sandbox.base_url
        say(f"Procountor sandbox running at {sandbox.base_url}")
        provider = ProviderConfig(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            redirect_uri=sandbox.redirect_uri,
            environment="custom",
            base_url=sandbox.base_url,
            timeout_seconds=10,
        )
        host = ReferenceHost(
            db,
            provider_configs={"procountor": provider},
            load_entrypoints=True,
            credential_keys=credential_keys(key_file),
        )
        try:
            say(f"host loaded plugins from entry points: {sorted(n for n, _ in host.pm.list_name_plugin())}")
            account = host.accounts.find("procountor", ACCOUNT_USERNAME) or host.create_account(
                ADMIN, "procountor", ACCOUNT_USERNAME
            )
            report.account = {"username": account.username, **_status(_authorize(host, account, say))}
            _map(host, account, report, say)
            journal = june_run(date.today().year)
            say(f"previewing '{journal.reference}' ({len(journal.lines)} lines)")
            plan = host.preview_export(ADMIN, account.id, COMPANY, journal)
            report.preview = {
                "receipts": [
                    {
                        "period": str(r.period),
                        "date": r.receipt_date.isoformat(),
                        "name": r.name,
                        "rows": r.row_count,
                        "total": str(r.total),
                    }
                    for r in plan.receipts
                ],
                "problems": [_problem(p) for p in plan.problems],
            }
            say("sending to Procountor")
            report.export = _result(host.export_journal(ADMIN, account.id, COMPANY, journal))
            for item, planned in zip(report.export["receipts"], plan.receipts, strict=False):
                item["rows"] = planned.row_count
            say("sending the same journal again")
            report.second_send = _result(host.export_journal(ADMIN, account.id, COMPANY, journal))
            say("trying a company marked 'Test company'")
            test_company = type(COMPANY)(**{**COMPANY.__dict__, "is_test_company": True})
            report.test_company = _result(host.export_journal(ADMIN, account.id, test_company, journal))
            report.broken_account = show_a_broken_account(host, sandbox, ADMIN, say)
        finally:
            host.close()
    return report


def render(report: DemoReport, out: TextIO) -> None:
    w = out.write
    account = report.account
    w(f"\nAccount '{account['username']}': {account['state']} — {account['message']}\n")
    m = report.mapping
    w(f"Mapping: {m['company']} -> {m['administration']} (id {m['administration_id']}); dimensions {m['dimensions']}\n")
    for p in report.mapping_problems:
        w(f"  {p['severity']}: {p['message']}\n")
    w(f"\nJournal export: {report.export['status'].upper()}\n")
    w(f"{'period':<8} {'date':<10} {'name':<28} {'rows':>4} {'total':>12} {'Procountor id':>13} status\n")
    for r in report.export["receipts"]:
        w(
            f"{r['period']:<8} {r['date']:<10} {r['name']:<28} {r.get('rows', ''):>4} {r['total']:>12} "
            f"{r['external_id']:>13} {r['status']}\n"
        )
    for p in report.export["problems"]:
        w(f"  {p['severity']}: {p['message']}\n")
    w(
        f"\nSending again: {report.second_send['status']} "
        f"({len(report.second_send['receipts'])} receipts recognised, none booked twice)\n"
    )
    blocked = report.test_company
    w(f"Test company: {blocked['status']} — {blocked['problems'][0]['message'] if blocked['problems'] else ''}\n")
    for notice in report.broken_account.get("notices", []):
        w(f"Notice for the admin ({report.broken_account['username']}, {notice['state']}): {notice['message']}\n")


def main(db: str | None, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout  # read at call time, so captured output sees it

    def say(message: str) -> None:
        print(f"· {message}", file=sys.stderr if as_json else out, flush=True)

    with tempfile.TemporaryDirectory(prefix="nmbrs-procountor-demo-") as scratch:
        path = db or str(Path(scratch) / "host.sqlite3")
        state = Path(f"{db}.sandbox.json") if db else None
        try:
            report = run(path, say, state, Path(f"{db}.key") if db else None)
        except ProblemError as failed:
            for p in failed.problems:
                print(f"error: {p.message} {p.hint or ''}", file=sys.stderr)
            return 1
        except Exception as crash:  # a demo prints what broke and exits non-zero
            print(f"error: the demo failed: {crash}", file=sys.stderr)
            return 1
    if as_json:
        json.dump(report.__dict__, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        render(report, out)
    ok = report.export.get("status") in ("sent", "already_sent") and report.second_send.get("status") == "already_sent"
    return 0 if ok else 1
