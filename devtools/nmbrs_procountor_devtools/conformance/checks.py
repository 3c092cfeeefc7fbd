"""The six scripted checks, one per behaviour the product assumes and Procountor does not document.

Order matters: the login page and the refusals need no grant; rotation refreshes the grant the
maintainer supplied; the write checks use the access token that gives; logout comes last because
it may end the grant. Writes happen only when ``Plan.writes`` allows them, only in the company
the grant belongs to and the user named, and every receipt created is invalidated again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests

from nmbrs_hookspecs.types import Period
from nmbrs_procountor_devtools.conformance.http import Probe
from nmbrs_procountor_devtools.conformance.report import Finding
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.fingerprint import Fingerprint, parse_fingerprint


class KitError(RuntimeError):
    """The kit cannot go on (e.g. the grant it was given is refused); the message says why."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    refresh_token: str = field(repr=False)


@dataclass(frozen=True)
class Plan:
    """What the run may do. ``company`` is the company the user named for writes."""

    write: bool
    company: str | None
    # Sandbox only: put one tracking period into PENDING (year, month) so the check can run.
    make_pending: Callable[[int, int], None] | None = None
    today: date = field(default_factory=date.today)


@dataclass
class Run:
    """State carried between the checks; ``secrets`` are every live secret seen (for the leak check)."""

    probe: Probe
    credentials: Credentials
    plan: Plan
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    company_id: str = ""
    company_name: str = ""
    writes_allowed: bool = False
    writes_note: str = ""
    created: list[int] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set, repr=False)

    def keep(self, *values: object) -> None:
        self.secrets.update(str(v) for v in values if isinstance(v, str) and v)


def _json(response: requests.Response) -> Any:
    try:
        return exact_json.loads(response.content)
    except ValueError:
        return None


def _shape(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return "errors"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return "rfc"
    return "other"


def _refresh(run: Run, refresh_token: str) -> requests.Response:
    c = run.credentials
    answer = run.probe.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": c.client_id,
            "client_secret": c.client_secret,
        }
    )
    body = _json(answer)
    if isinstance(body, dict):
        run.keep(body.get("access_token"), body.get("refresh_token"))
    return answer


# --------------------------------------------------------------------------- 1. login page host


def check_login_host(run: Run) -> Finding:
    c = run.credentials
    probe = run.probe
    expected = urlsplit(probe.base_url).netloc
    answer = probe.send(
        "GET",
        probe.base_url + "/login",
        params={
            "response_type": "code",
            "client_id": c.client_id,
            "redirect_uri": c.redirect_uri,
            "state": "conformance",
        },
    )
    location = answer.headers.get("Location", "")
    host = urlsplit(location).netloc if answer.is_redirect and location else expected
    page = answer.status_code == 200 and "html" in answer.headers.get("Content-Type", "")
    holds = page or (answer.is_redirect and host == expected)
    observed = f"HTTP {answer.status_code} at {expected}/login" + (
        f", redirected to {host}" if answer.is_redirect else ""
    )
    return Finding(
        "login_host",
        observed,
        f"the login page is at {expected}/login",
        holds,
        host,
        "" if holds else "set the login host of this environment in the product's configuration",
    )


# --------------------------------------------------------------------------- 2. refusal shape


def check_token_error_shape(run: Run) -> Finding:
    c = run.credentials
    refusals = {
        "bad refresh token": run.probe.token(
            {
                "grant_type": "refresh_token",
                "refresh_token": "conformance-not-a-refresh-token",
                "client_id": c.client_id,
                "client_secret": c.client_secret,
            }
        ),
        "bad API key": run.probe.token(
            {
                "grant_type": "client_credentials",
                "api_key": "conformance-not-an-api-key",
                "redirect_uri": c.redirect_uri,
                "client_id": c.client_id,
                "client_secret": c.client_secret,
            }
        ),
    }
    shapes = {what: _shape(_json(answer)) for what, answer in refusals.items()}
    statuses = {what: answer.status_code for what, answer in refusals.items()}
    kinds = set(shapes.values())
    setting = kinds.pop() if len(kinds) == 1 else "mixed"
    observed = "; ".join(f"{what}: HTTP {statuses[what]} {shapes[what]}" for what in refusals)
    refused = all(400 <= s < 500 for s in statuses.values())
    holds = refused and all(s in ("rfc", "errors") for s in shapes.values())
    bodies = "; ".join(f"{what}: {answer.text[:120]}" for what, answer in refusals.items())
    return Finding(
        "token_error_shape",
        observed,
        'a refusal is a 4xx as {"error": ...} (RFC 6749) or {"errors": [...]}',
        holds,
        setting,
        bodies,
    )


# --------------------------------------------------------------------------- 3. rotation


def check_rotation(run: Run) -> Finding:
    first = run.credentials.refresh_token
    once = _refresh(run, first)
    if once.status_code != 200:
        raise KitError(
            f"the refresh token given was refused (HTTP {once.status_code}): log in again and pass a fresh one"
        )
    body = _json(once)
    second_token = body.get("refresh_token") or first
    twice = _refresh(run, second_token)
    if twice.status_code != 200:
        raise KitError(f"the second refresh was refused (HTTP {twice.status_code})")
    body = _json(twice)
    newest = body.get("refresh_token") or second_token
    run.access_token = str(body["access_token"])
    run.refresh_token = newest
    again = _refresh(run, first)
    first_still_works = again.status_code == 200
    if first_still_works:
        body = _json(again)
        run.access_token = str(body["access_token"])
        run.refresh_token = body.get("refresh_token") or first
    rotated = not first_still_works
    returned_new = second_token != first
    observed = (
        "the first refresh token stops working after use (rotation on)"
        if rotated
        else "the first refresh token still works after two refreshes (rotation off)"
    )
    detail = "each refresh answered a new refresh token" if returned_new else "no new refresh token in the answers"
    return Finding(
        "refresh_rotation",
        observed,
        "the product works with and without rotation; it keeps the newest refresh token it is given",
        True,
        rotated,
        detail,
    )


# --------------------------------------------------------------------------- company and writes


def read_company(run: Run) -> None:
    answer = run.probe.api("GET", "/company", run.access_token)
    if answer.status_code != 200:
        raise KitError(f"GET /company answered HTTP {answer.status_code}")
    body = _json(answer)
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
    body = _json(run.probe.api("GET", "/fiscalyears", run.access_token))
    return list(body.get("fiscalYears") or []) if isinstance(body, dict) else []


def _journal(run: Run, day: date, notes: str) -> dict[str, Any] | str:
    """A two-row JOURNAL of 1.00 on accounts and VAT the company has, or why none can be built."""
    coa = _json(run.probe.api("GET", "/coa", run.access_token)) or {}
    accounts = [a["ledgerAccountCode"] for a in coa.get("ledgerAccounts") or [] if a.get("active", True)]
    vats = _json(run.probe.api("GET", "/vats/default", run.access_token)) or {}
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
        run.created.append(int(_json(answer)["id"]))
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
    single = _json(run.probe.api("GET", f"/ledgerreceipts/{receipt_id}", run.access_token)) or {}
    batch = _json(run.probe.api("GET", f"/ledgerreceipts/{receipt_id},{receipt_id}", run.access_token))
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


# --------------------------------------------------------------------------- 6. logout


def check_logout(run: Run) -> Finding:
    assumption = "POST /logout ends the access token and the refresh token"
    probe = run.probe
    out = probe.send("POST", probe.base_url + "/logout", headers={"Authorization": f"Bearer {run.access_token}"})
    access_after = probe.api("GET", "/company", run.access_token).status_code
    refresh_after = _refresh(run, run.refresh_token)
    ends_refresh = refresh_after.status_code != 200
    detail = ""
    if not ends_refresh:
        # Do not leave the new session open; the refresh token itself stays alive at Procountor.
        fresh = _json(refresh_after) or {}
        if fresh.get("access_token"):
            probe.send("POST", probe.base_url + "/logout", headers={"Authorization": f"Bearer {fresh['access_token']}"})
        detail = "the grant is still alive: end it in Procountor (API client sessions) after this run"
    observed = (
        f"logout HTTP {out.status_code}; access token afterwards HTTP {access_after}; "
        f"refresh token afterwards {'refused' if ends_refresh else 'still works'}"
    )
    holds = ends_refresh and access_after == 401
    return Finding(
        "logout", observed, assumption, holds, "ends_refresh_token" if ends_refresh else "keeps_refresh_token", detail
    )


def run_checks(probe: Probe, credentials: Credentials, plan: Plan) -> tuple[list[Finding], Run]:
    """Every check in order; each receipt created is invalidated by its check, before logging out."""
    run = Run(probe, credentials, plan)
    run.keep(credentials.client_secret, credentials.refresh_token)
    findings = [check_login_host(run), check_token_error_shape(run), check_rotation(run)]
    read_company(run)
    try:
        findings += [check_invoice_notes(run), check_pending(run)]
    except BaseException:
        for receipt_id in list(run.created):  # a check stopped between its POST and its clean-up
            invalidate(run, receipt_id)
        raise
    findings.append(check_logout(run))
    return findings, run
