"""The payroll bureau of a month-end run: its accounts, mapped companies and journals.

Account ``n`` is authorized (by API key) for the sandbox company ``20001 + n`` and maps one host
company; its journals are monthly runs, each with a correction of the month before, so every
export books two periods. Everything is derived from the indexes, so a worker process rebuilds the
journal of a task from two numbers and a rerun sends exactly the same receipts.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    HostCompany,
    IntegrationAccount,
    Journal,
    JournalLine,
    Period,
)
from procountor_sandbox import Sandbox
from procountor_sandbox.seed import DEMO_ADMIN, bureau_company_ids

BUREAU_ADMIN: Final = Actor("bureau-admin", {"procountor": "write"}, locale="en")
DIMENSIONS: Final = (
    DimensionMapping("cost_center", True, "Kustannuspaikka"),
    DimensionMapping("cost_unit", True, "Projekti"),
)
FIRST_MONTH: Final = 2  # each run also corrects the month before, so January is never a run month
RUN_MONTHS: Final = 10  # February to November


@dataclass(frozen=True)
class Task:
    """One journal export: the ``journal``-th run of the ``account``-th account."""

    account: int
    journal: int


def username(account: int) -> str:
    return f"bureau-{account + 1:03d}"


def host_company(account: int) -> HostCompany:
    return HostCompany(
        id=f"bureau-client-{account + 1:03d}",
        name=f"Bureau client {account + 1}",
        cost_centers=(("100", "Helsinki"), ("200", "Tampere")),
        cost_units=(("P-10", "Bakery line"), ("P-20", "Café")),
    )


def tasks(journals: int, accounts: int) -> list[Task]:
    """``journals`` exports spread over ``accounts`` accounts, round robin."""
    return [Task(n % accounts, n // accounts) for n in range(journals)]


@functools.lru_cache(maxsize=1024)
def journal(task: Task, year: int) -> Journal:
    """A monthly run (wages, contributions, what is payable) plus a correction of the month before.

    Kept once made (a Journal is immutable): the runner asks for it on every poll for a worker
    to kill, in the process the sandbox answers from.
    """
    month = FIRST_MONTH + task.journal % RUN_MONTHS
    run_number = task.journal // RUN_MONTHS + 1
    period, corrected = Period(year, month), Period(year, month - 1)
    company = host_company(task.account)
    extra = Decimal(100 + task.account) + Decimal(task.journal) / 4

    def line(account: str, amount: Decimal, text: str, at: Period, cc: str | None = None) -> JournalLine:
        return JournalLine(account, amount, text, at, cc, "P-10" if cc else None)

    wages = Decimal("18400.00") + task.account
    tax = (extra * Decimal("0.25")).quantize(Decimal("0.01"))
    lines = (
        line("5000", wages, "Wages Helsinki", period, "100"),
        line("6130", Decimal("3128.00"), "TyEL pension contributions", period, "100"),
        line("2930", Decimal("-4600.00"), "Withholding tax payable", period),
        line("2937", Decimal("-3128.00"), "TyEL contributions payable", period),
        line("2939", Decimal("-13800.00") - task.account, "Net wages payable", period),
        line("5000", extra, f"Correction wages {corrected}", corrected, "200"),
        line("2930", -tax, f"Correction withholding tax {corrected}", corrected),
        line("2939", tax - extra, f"Correction net wages {corrected}", corrected),
    )
    last_day = calendar.monthrange(year, month)[1]
    return Journal(
        company_id=company.id,
        run_id=f"{year}-{month:02d}-run-{run_number}",
        period=period,
        reference=f"Payroll {calendar.month_name[month]} {year} run {run_number}",
        booking_date=date(year, month, min(25, last_day)),
        lines=lines,
    )


def prepare(host: ReferenceHost, sandbox: Sandbox, accounts: int) -> None:
    """Authorize every account by API key and map its company, unless a previous run already did."""
    for n, company_id in enumerate(bureau_company_ids(accounts)):
        account = host.accounts.find("procountor", username(n)) or _authorized(host, sandbox, n, company_id)
        company = host_company(n)
        if host.mapping_for(account.id, company.id) is None:
            mapping = AdministrationMapping(account.id, company.id, str(company_id), DIMENSIONS)
            host.save_mapping(BUREAU_ADMIN, mapping, company)


def _authorized(host: ReferenceHost, sandbox: Sandbox, n: int, company_id: int) -> IntegrationAccount:
    key = sandbox.issue_api_key(DEMO_ADMIN, company_id)
    account = host.create_account(
        BUREAU_ADMIN, "procountor", username(n), {"authorization_method": "api_key", "api_key": key}
    )
    back = urlsplit(host.authorization_url(BUREAU_ADMIN, account.id))
    host.authorization_callback(BUREAU_ADMIN, account.id, dict(parse_qsl(back.query)))
    return account


def duplicates(sandbox: Sandbox, accounts: int) -> int:
    """Periods the sandbox holds more than once: (company, run reference, month) counted twice or more."""
    extra = 0
    for company_id in bureau_company_ids(accounts):
        seen: dict[tuple[str, str], int] = {}
        for receipt in sandbox.receipts(company_id):
            key = (str(receipt["name"]), str(receipt["receiptDate"])[:7])
            seen[key] = seen.get(key, 0) + 1
        extra += sum(count - 1 for count in seen.values() if count > 1)
    return extra


def booked(sandbox: Sandbox, task: Task, year: int) -> int:
    """How many receipts of ``task``'s journal the sandbox holds (0, 1 or 2)."""
    name = journal(task, year).reference
    company_id = bureau_company_ids(task.account + 1)[task.account]
    return sandbox.count_receipts(company_id, name)
