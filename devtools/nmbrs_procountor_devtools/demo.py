"""``nmbrs-procountor demo``: the whole product, end to end, on the embedded Procountor sandbox.

The reference host loads the plugin from its entry point; an admin authorizes an account through
the real login page (forms posted over HTTP, company chosen), maps the company with Cost Center
and Cost Unit dimensions, previews and sends a June run with corrections for January to May,
sends it again (recognised as already sent), tries a Test company of its own (refused) and
shows the June run's sent status, which the refused attempt does not change. Each receipt carries
its period's journal lines as an attached CSV, and the demo ends by showing how the run would be
taken back (the undo preview), without doing it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from nmbrs_hookspecs.booking import RunKey
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    AccountStatus,
    Actor,
    AdministrationMapping,
    DimensionMapping,
    ExportPlan,
    ExportResult,
    IntegrationAccount,
    Journal,
    Problem,
    ProviderConfig,
)
from nmbrs_hookspecs.undo import UndoPlan
from nmbrs_procountor_devtools.demo_data import COMPANY, TEST_COMPANY, june_run
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
    sent_status: dict[str, Any] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    undo_preview: dict[str, Any] = field(default_factory=dict)
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


def _documents(host: ReferenceHost, account: IntegrationAccount, journal: Journal) -> list[dict[str, Any]]:
    """The journal documents the ledger records on each booked receipt."""
    records = host.ledger.records(RunKey(account.id, journal.company_id, journal.run_id))
    return [
        {
            "period": str(r.period),
            "receipt": r.receipt.external_id if r.receipt else None,
            "name": a.name,
            "attachment_id": a.external_id,
        }
        for r in records
        for a in r.attachments
    ]


def _undo_preview(plan: UndoPlan) -> dict[str, Any]:
    return {
        "possible": plan.possible,
        "receipts": [
            {"period": str(r.period), "external_id": r.external_id, "total": str(r.total), "state": str(r.state)}
            for r in plan.receipts
        ],
        "problems": [_problem(p) for p in plan.problems],
    }


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
            _add_row_counts(report.export["receipts"], plan, journal)
            say("sending the same journal again")
            report.second_send = _result(host.export_journal(ADMIN, account.id, COMPANY, journal))
            say(f"trying '{TEST_COMPANY.name}', a company marked 'Test company'")
            # The demo is the host here: it maps its test copy for this one step, directly.
            mapped = host.mapping_for(account.id, COMPANY.id)
            assert mapped is not None, "the company was mapped a step earlier"
            host.mappings.save(replace(mapped, company_id=TEST_COMPANY.id))
            try:
                trial = replace(journal, company_id=TEST_COMPANY.id)
                report.test_company = _result(host.export_journal(ADMIN, account.id, TEST_COMPANY, trial))
            finally:  # one administration per account: the next demo run maps the real company again
                host.mappings.remove(account.id, TEST_COMPANY.id)
            status = host.sent_status(ADMIN, account.id, COMPANY.id, journal.run_id)
            report.sent_status = {
                "state": status.state.value,
                "receipts": len(status.receipts),
                "missing": [str(p) for p in status.missing],
                "last_attempt": None if status.last_attempt is None else status.last_attempt.outcome,
            }
            report.broken_account = show_a_broken_account(host, sandbox, ADMIN, say)
            report.documents = _documents(host, account, journal)
            say("previewing how the run would be taken back (the undo itself is not done)")
            report.undo_preview = _undo_preview(host.preview_undo(ADMIN, account.id, COMPANY, journal))
        finally:
            host.close()
    return report


def _add_row_counts(receipts: list[dict[str, Any]], plan: ExportPlan, journal: Journal) -> None:
    """Each sent receipt's row count: the preview's, or the host's own count of the period's lines.

    A preview plans only the periods not yet booked, so on a second run (``--db``) it has no
    receipt for a period the ledger already holds; the host still knows its journal, whose
    non-zero lines of that period are the receipt's rows.
    """
    planned = {str(r.period): r.row_count for r in plan.receipts}
    in_journal = Counter(str(line.period) for line in journal.lines if line.amount)
    for item in receipts:
        item["rows"] = planned.get(item["period"], in_journal[item["period"]])


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
    status = report.sent_status
    w(
        f"Sent status of the June run: {status['state']} ({status['receipts']} receipts booked; "
        f"last attempt: {status['last_attempt']})\n"
    )
    for notice in report.broken_account.get("notices", []):
        w(f"Notice for the admin ({report.broken_account['username']}, {notice['state']}): {notice['message']}\n")
    w(f"\nJournal documents attached in Procountor ({len(report.documents)}, CSV for a Finnish spreadsheet):\n")
    for d in report.documents:
        w(f"  {d['period']:<8} receipt {d['receipt']:>6}  {d['name']}\n")
    undo = report.undo_preview
    if undo:
        verdict = "Procountor would let every receipt go" if undo["possible"] else "Procountor would not let it go"
        w(f"\nUndo preview (not done): {verdict}\n")
        for r in undo["receipts"]:
            w(f"  {r['period']:<8} receipt {r['external_id']:>6} {r['total']:>12}  {r['state']}\n")
        for p in undo["problems"]:
            w(f"  {p['severity']}: {p['message']}\n")


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
