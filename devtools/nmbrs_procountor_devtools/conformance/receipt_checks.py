"""The checks that write: a JOURNAL's invoiceNotes and a receipt in a PENDING period.

Writes happen only when the run allows them (``--write``, in the company the user named, which
must be the grant's company); every receipt created is invalidated by the check that made it.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import requests

from nmbrs_hookspecs.types import Period
from nmbrs_procountor_devtools.conformance.report import Finding
from nmbrs_procountor_devtools.conformance.run import KitError, Run, answer_json
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, parse_fingerprint

# --------------------------------------------------------------------------- company and writes


def read_company(run: Run) -> None:
    answer = run.probe.api("GET", "/company", run.access_token)
    if answer.status_code != 200:
        raise KitError(f"GET /company answered HTTP {answer.status_code}")
    body = answer_json(answer)
    run.company_id, run.company_name = str(body.get("id")), str(body.get("name") or "")
    plan = run.plan
    if not plan.write:
        run.writes_note = "not tried: writes need --write"
    elif plan.company is None:
        run.writes_note = "not tried: writes need --company naming the company to write in"
    elif plan.company != run.company_id:
        run.writes_note = f"not tried: the grant is for company {run.company_id}, not --company {plan.company}"
    else:
        run.writes_allowed = True


def _open_day(years: list[dict[str, Any]], today: date, status: str) -> date | None:
    """A day in a tracking period with ``status`` of an open fiscal year (today's period first)."""
    days = []
    for year in years:
        if year.get("isOpen") is False:
            continue
        for period in year.get("trackingPeriods") or []:
            if period.get("status") != status:
                continue
            start, end = date.fromisoformat(period["startDate"]), date.fromisoformat(period["endDate"])
            if start <= today <= end:
                return today
            days.append(start)
    return min(days, key=lambda d: abs((d - today).days)) if days else None


def _fiscal_years(run: Run) -> list[dict[str, Any]]:
    body = answer_json(run.probe.api("GET", "/fiscalyears", run.access_token))
    return list(body.get("fiscalYears") or []) if isinstance(body, dict) else []


def _journal(run: Run, day: date, notes: str) -> dict[str, Any] | str:
    """A two-row JOURNAL of 1.00 on accounts and VAT the company has, or why none can be built."""
    coa = answer_json(run.probe.api("GET", "/coa", run.access_token)) or {}
    accounts = [a["ledgerAccountCode"] for a in coa.get("ledgerAccounts") or [] if a.get("active", True)]
    vats = answer_json(run.probe.api("GET", "/vats/default", run.access_token)) or {}
    statuses = [s["vatStatus"] for s in vats.get("vatStatuses") or [] if s.get("purchase")]
    percents = [
        Decimal(str(p["vatPercent"]))
        for country in vats.get("vatInformation") or []
        for p in country.get("percentages") or []
        if p.get("purchase")
    ]
    if len(accounts) < 2 or not statuses:
        return "the company has fewer than two active accounts or no purchase VAT status"
    status = 12 if 12 in statuses else statuses[0]
    percent = Decimal(0) if Decimal(0) in percents or not percents else percents[0]
    rows = [(accounts[0], Decimal("1.00")), (accounts[1], Decimal("-1.00"))]
    return {
        "type": "JOURNAL",
        "name": "nmbrs-procountor conformance",
        "receiptDate": day.isoformat(),
        "vatType": "PURCHASE",
        "vatStatus": status,
        "invoiceNotes": notes,
        "transactions": [
            {
                "transactionType": "ENTRY",
                "account": a,
                "accountingValue": v,
                "vatPercent": percent,
                "description": "nmbrs-procountor conformance: väliaikainen",  # non-ASCII, in Windows-1252
            }
            for a, v in rows
        ],
    }


def _post(run: Run, receipt: dict[str, Any]) -> requests.Response:
    answer = run.probe.api("POST", "/ledgerreceipts", run.access_token, exact_json.dumps(receipt).encode("utf-8"))
    if answer.status_code == 200:
        run.created.append(int(answer_json(answer)["id"]))
    return answer


def invalidate(run: Run, receipt_id: int) -> str:
    """Invalidate a receipt this run created, at once, so nothing of the check stays live."""
    answer = run.probe.api("PUT", f"/ledgerreceipts/{receipt_id}/invalidate", run.access_token)
    if answer.status_code == 200:
        run.created.remove(receipt_id)
        return f"receipt {receipt_id} invalidated"
    return f"receipt {receipt_id} NOT invalidated (HTTP {answer.status_code}): invalidate it in Procountor"


# --------------------------------------------------------------------------- 4. invoiceNotes


def check_invoice_notes(run: Run) -> Finding:
    assumption = "a JOURNAL keeps invoiceNotes, read back unchanged single and in a batch"
    if not run.writes_allowed:
        return Finding("invoice_notes", run.writes_note, assumption, None)
    day = _open_day(_fiscal_years(run), run.plan.today, "OPEN")
    if day is None:
        return Finding("invoice_notes", "not tried: no OPEN tracking period", assumption, None)
    # The product's own fingerprint line, as the export writes it: what must survive is exactly this.
    run_id = f"conformance-{uuid.uuid4().hex[:12]}"
    notes = Fingerprint(
        run_id, "conformance", Period(day.year, day.month), hashlib.sha256(run_id.encode()).hexdigest()
    ).text()
    receipt = _journal(run, day, notes)
    if isinstance(receipt, str):
        return Finding("invoice_notes", f"not tried: {receipt}", assumption, None)
    posted = _post(run, receipt)
    if posted.status_code != 200:
        return Finding(
            "invoice_notes",
            f"the JOURNAL was refused: HTTP {posted.status_code}",
            assumption,
            None,
            None,
            posted.text[:300],
        )
    receipt_id = run.created[-1]
    single = answer_json(run.probe.api("GET", f"/ledgerreceipts/{receipt_id}", run.access_token)) or {}
    batch = answer_json(run.probe.api("GET", f"/ledgerreceipts/{receipt_id},{receipt_id}", run.access_token))
    in_batch = next((r for r in batch or [] if isinstance(r, dict) and r.get("id") == receipt_id), {})
    seen = {"single": single.get("invoiceNotes"), "batch": in_batch.get("invoiceNotes")}
    kept = all(value == notes for value in seen.values())
    recognised = all(parse_fingerprint(value) is not None for value in seen.values())

    def word(value: Any) -> str:
        if value == notes:
            return "kept"
        return "absent" if value is None else "changed" + (" (still recognised)" if recognised else "")

    observed = f"single read: {word(seen['single'])}; batch read: {word(seen['batch'])}"
    return Finding("invoice_notes", observed, assumption, kept, kept, invalidate(run, receipt_id))


# --------------------------------------------------------------------------- 5. PENDING


def check_pending(run: Run) -> Finding:
    assumption = "a receipt dated in a PENDING period is refused like one in a closed period"
    years = _fiscal_years(run)
    day = _open_day(years, run.plan.today, "PENDING")
    if day is None and run.plan.make_pending is not None and run.writes_allowed:
        target = _open_day(years, run.plan.today, "OPEN")
        if target is not None:
            run.plan.make_pending(target.year, target.month)
            day = _open_day(_fiscal_years(run), run.plan.today, "PENDING")
    if day is None:
        return Finding("pending_periods", "not tried: the company has no PENDING tracking period", assumption, None)
    if not run.writes_allowed:
        return Finding("pending_periods", f"PENDING period found ({day:%Y-%m}); {run.writes_note}", assumption, None)
    receipt = _journal(run, day, f"nmbrs-procountor conformance pending {uuid.uuid4().hex}")
    if isinstance(receipt, str):
        return Finding("pending_periods", f"not tried: {receipt}", assumption, None)
    answer = _post(run, receipt)
    if answer.status_code == 200:
        return Finding(
            "pending_periods",
            f"a receipt dated {day} (PENDING) was accepted",
            assumption,
            False,
            "accept",
            invalidate(run, run.created[-1]),
        )
    return Finding(
        "pending_periods",
        f"a receipt dated {day} (PENDING) was refused: HTTP {answer.status_code}",
        assumption,
        True,
        "refuse",
        answer.text[:300],
    )
