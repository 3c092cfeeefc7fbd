"""Count the HTTP requests an export makes against the sandbox (issue 6 budget: 5 + P, resend <= 6).

With the journal documents (issue 17) a first export adds one POST /attachments per period; an undo
costs 3 reads (rights, the receipts in one batch, fiscal years) + one PUT per receipt.

Run: .venv/bin/python benchmarks/bench_requests.py
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, ProviderConfig
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin import plugin
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from procountor_sandbox import Sandbox, SandboxConfig

ADMIN = Actor("bench", {"procountor": "write"})


def main() -> None:
    year = date.today().year
    for approve in (False, True):
        with Sandbox(SandboxConfig(rate_limit_per_second=None)) as sb:
            config = ProviderConfig(sb.client_id, sb.client_secret, sb.redirect_uri, "custom", sb.base_url)
            host = ReferenceHost(
                provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(plugin, "procountor")]
            )
            account = host.create_account(ADMIN, "procountor", "bench", {"approve_receipts": approve})
            issued = sb.issue_tokens("demo.admin", 10001)
            record = TokenRecord(
                "login",
                issued["access_token"],
                issued["refresh_token"],
                int(time.time()) + 3600,
                "10001",
                "Järvi Leipomo Oy",
            )
            host.credentials.put(account.id, record.to_data(), 0)
            dims = (
                DimensionMapping("cost_center", True, "Kustannuspaikka"),
                DimensionMapping("cost_unit", True, "Projekti"),
            )
            host.save_mapping(ADMIN, AdministrationMapping(account.id, COMPANY.id, "10001", dims), COMPANY)
            journal = june_run(year)
            periods = len({line.period for line in journal.lines})
            for label in ("first export", "re-export"):
                sb.clear_request_log()
                started = time.perf_counter()
                result = host.export_journal(ADMIN, account.id, COMPANY, journal)
                elapsed = time.perf_counter() - started
                log = sb.request_log
                kinds = Counter(f"{r.method} {r.path.split('/')[2] if r.path.count('/') > 1 else r.path}" for r in log)
                # + one journal document per period (attach_journal_lines is on by default, issue 17)
                budget = 5 + 2 * periods + (periods if approve and label == "first export" else 0)
                budget = budget if label == "first export" else 6
                print(
                    f"approve={approve!s:<5} {label:<12} P={periods} status={result.status:<12} "
                    f"requests={len(log):>2} (budget {budget}) writes={sum(r.method != 'GET' for r in log)} "
                    f"time={elapsed * 1000:.0f} ms  {dict(kinds)}"
                )
            sb.clear_request_log()
            started = time.perf_counter()
            undone = host.undo_journal(ADMIN, account.id, COMPANY, journal)
            elapsed = time.perf_counter() - started
            log = sb.request_log
            print(
                f"approve={approve!s:<5} {'undo':<12} P={periods} status={undone.status:<12} "
                f"requests={len(log):>2} (budget {3 + periods}) writes={sum(r.method != 'GET' for r in log)} "
                f"time={elapsed * 1000:.0f} ms"
            )
            host.close()


if __name__ == "__main__":
    main()
