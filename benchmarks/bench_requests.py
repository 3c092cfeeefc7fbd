"""Count the HTTP requests an export makes against the sandbox.

Budgets (issue 11): a first export of P periods makes at most 5 + P requests, a token refresh
included; a resend of a fully booked run makes at most 2 (+1 when the token must be refreshed)
and writes nothing, because the host's booking ledger answers with one batch read of its
receipt ids before any pre-flight read. With ``approve_receipts`` each new receipt costs one
approval more, and with ``attach_journal_lines`` (on by default, issue 17) each new receipt one
POST /attachments more. An undo costs 3 reads (the user's rights, the receipts in one batch read,
the fiscal years) and one PUT per receipt.

Run: .venv/bin/python benchmarks/bench_requests.py
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import date

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, ProviderConfig
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin import plugin
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from procountor_sandbox import Sandbox, SandboxConfig

ADMIN = Actor("bench", {"procountor": "write"})


def _authorize(host: ReferenceHost, sb: Sandbox, account_id: str, expires_in: int) -> None:
    issued = sb.issue_tokens("demo.admin", 10001)
    record = TokenRecord(
        "login",
        issued["access_token"],
        issued["refresh_token"],
        int(time.time()) + expires_in,
        "10001",
        "Järvi Leipomo Oy",
    )
    current = host.credentials.get(account_id)
    host.credentials.put(account_id, record.to_data(), current.version if current else 0)


def main() -> None:
    year = date.today().year
    for approve in (False, True):
        with Sandbox(SandboxConfig(rate_limit_per_second=None)) as sb:
            config = ProviderConfig(sb.client_id, sb.client_secret, sb.redirect_uri, "custom", sb.base_url)
            host = ReferenceHost(
                provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(plugin, "procountor")]
            )
            account = host.create_account(ADMIN, "procountor", "bench", {"approve_receipts": approve})
            _authorize(host, sb, account.id, 3600)
            dims = (
                DimensionMapping("cost_center", True, "Kustannuspaikka"),
                DimensionMapping("cost_unit", True, "Projekti"),
            )
            host.save_mapping(ADMIN, AdministrationMapping(account.id, COMPANY.id, "10001", dims), COMPANY)
            journal = june_run(year)
            periods = len({line.period for line in journal.lines})
            other = replace(journal, run_id=f"{journal.run_id}-bench-2")
            approvals = periods if approve else 0
            documents = periods  # one journal document per new receipt
            scenarios = (
                ("first export", journal, 5 + periods + approvals + documents, 3600),
                ("resend", journal, 2, 3600),
                ("resend+token", journal, 3, 5),  # the stored token is about to expire: refreshed first
                # Another run into the same months, token due: the fallback search finds the first
                # run's six receipts and reads them once to compare fingerprints.
                ("2nd run+token", other, 5 + periods + approvals + documents + 2, 5),
            )
            for label, sent, budget, expires_in in scenarios:
                if expires_in != 3600:
                    _authorize(host, sb, account.id, expires_in)
                sb.clear_request_log()
                started = time.perf_counter()
                result = host.export_journal(ADMIN, account.id, COMPANY, sent)
                elapsed = time.perf_counter() - started
                log = sb.request_log
                kinds = Counter(f"{r.method} {r.path.split('/')[2] if r.path.count('/') > 1 else r.path}" for r in log)
                writes = sum(r.method != "GET" and "/token" not in r.path for r in log)
                verdict = "ok" if len(log) <= budget else "OVER BUDGET"
                print(
                    f"approve={approve!s:<5} {label:<13} P={periods} status={result.status:<12} "
                    f"requests={len(log):>2} (budget {budget}, {verdict}) writes={writes} "
                    f"time={elapsed * 1000:.0f} ms  {dict(kinds)}"
                )
            sb.clear_request_log()
            started = time.perf_counter()
            undone = host.undo_journal(ADMIN, account.id, COMPANY, journal)
            elapsed = time.perf_counter() - started
            log = sb.request_log
            budget = 3 + periods
            verdict = "ok" if len(log) <= budget else "OVER BUDGET"
            print(
                f"approve={approve!s:<5} {'undo':<13} P={periods} status={undone.status:<12} "
                f"requests={len(log):>2} (budget {budget}, {verdict}) writes={sum(r.method != 'GET' for r in log)} "
                f"time={elapsed * 1000:.0f} ms"
            )
            host.close()


if __name__ == "__main__":
    main()
