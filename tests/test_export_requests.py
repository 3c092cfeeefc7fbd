"""How an export talks to Procountor: few requests, few round trips, one kept-alive connection.

Pre-flight's reads go out side by side through the client's one request path; the user's rights
are read only when an answer needs them; a token refresh rides on the export's open connection.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, IntegrationAccount, Journal, JournalLine, Period
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.api import parallel
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, store_tokens
from tests.test_export import RECEIPTS, dims, one_period_journal

YEAR = date.today().year
TOKEN = "/api/oauth/token"
ATTACHMENTS = "/api/attachments"
READS = ("/api/coa", "/api/dimensions", "/api/fiscalyears")
SEED_PERIODS = len({line.period for line in june_run(YEAR).lines})


@pytest.fixture
def mapped(host: ReferenceHost, authorized_account: IntegrationAccount, admin: Actor) -> IntegrationAccount:
    host.save_mapping(admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    return authorized_account


def paths(sb: Sandbox) -> list[str]:
    return [r.path for r in sb.request_log]


def test_an_export_with_a_token_refresh_stays_within_five_plus_p_requests(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    store_tokens(host, sandbox, mapped, expires_in=5)  # inside the refresh leeway: renewed first
    sandbox.clear_request_log()
    result = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert result.status == "sent", result.problems
    assert paths(sandbox).count(TOKEN) == 1  # three reads at once, still one refresh
    # The journal documents are one POST per receipt on top of booking it (docs/after-sending.md):
    # counted apart, the booking itself stays within its budget.
    documents = [r for r in sandbox.request_log if r.path == ATTACHMENTS]
    assert [r.method for r in documents] == ["POST"] * SEED_PERIODS
    assert len(sandbox.request_log) - len(documents) <= 5 + SEED_PERIODS
    assert "/api/users/rights" not in paths(sandbox)


def test_an_export_without_documents_and_with_a_token_refresh_makes_at_most_five_plus_p_requests(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "no-documents", {"attach_journal_lines": False})
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    store_tokens(host, sandbox, account, expires_in=5)  # inside the refresh leeway: renewed first
    sandbox.clear_request_log()
    result = host.export_journal(admin, account.id, COMPANY, june_run(YEAR))
    assert result.status == "sent", result.problems
    assert paths(sandbox).count(TOKEN) == 1
    assert ATTACHMENTS not in paths(sandbox)
    assert len(sandbox.request_log) <= 5 + SEED_PERIODS
    assert len(sandbox.receipts(COMPANY_1)) == SEED_PERIODS


def test_the_token_call_reuses_the_export_s_kept_alive_connection(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    store_tokens(host, sandbox, mapped, expires_in=5)
    sandbox.clear_request_log()
    opened = sandbox.connection_count
    result = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert result.status == "sent", result.problems
    log = sandbox.request_log
    [token_call] = [r for r in log if r.path == TOKEN]
    assert any(r.connection == token_call.connection for r in log if r.path.startswith("/api/") and r.path != TOKEN)
    # At most one connection per read sent together; every later request reuses one of them.
    assert sandbox.connection_count - opened <= len(READS)
    reads_on = {r.connection for r in log if r.path in (TOKEN, *READS)}
    assert {r.connection for r in log if r.method == "POST"} <= reads_on  # no new connection to send


def test_preflight_reads_are_in_flight_together(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    for path in READS:
        sandbox.inject_fault("GET", path, "delay", delay=0.5)
    sandbox.clear_request_log()
    result = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert result.status == "sent", result.problems
    started = [r.at for r in sandbox.request_log if r.path in READS]
    assert len(started) == len(READS)
    # One after the other, each would start at least 0.5 s after the previous one.
    assert max(started) - min(started) < 0.4


def test_reads_side_by_side_give_the_same_plan_as_reads_one_by_one(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.set_tracking_period_status(COMPANY_1, YEAR, 3, "CLOSED")
    march = Period(YEAR, 3)
    lines = (
        JournalLine("5000", Decimal("100.00"), "wages", march, "999"),
        JournalLine("5090", Decimal("10.00"), "old account", march),
        JournalLine("4711", Decimal("5.00"), "unknown account", march),
        JournalLine("2939", Decimal("-115.00"), "net", march),
    )
    journal = Journal(COMPANY.id, "run-3", march, "Payroll March", date(YEAR, 3, 25), lines)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("999", "Lahti")))
    together = host.preview_export(admin, mapped.id, company, journal)
    monkeypatch.setattr(parallel, "max_parallel", 1)
    one_by_one = host.preview_export(admin, mapped.id, company, journal)
    assert together == one_by_one
    assert {"procountor.account.unknown", "procountor.period.closed", "procountor.dimension.item_missing"} <= {
        p.code for p in together.problems
    }
    seed_together = host.preview_export(admin, mapped.id, COMPANY, june_run(YEAR))
    monkeypatch.setattr(parallel, "max_parallel", parallel.MAX_PARALLEL)
    assert host.preview_export(admin, mapped.id, COMPANY, june_run(YEAR)) == seed_together


def test_a_missing_right_is_reported_from_the_first_post_before_anything_is_written(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")
    preview = host.preview_export(admin, mapped.id, COMPANY, june_run(YEAR))
    [shown] = [p for p in preview.problems if p.code == "procountor.rights.journal_receipts"]
    sandbox.clear_request_log()
    result = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert result.status == "blocked"  # a right to grant in Procountor: retrying alone changes nothing
    assert result.receipts == ()
    assert [p for p in result.problems if p.code.startswith("procountor.rights.")] == [shown]
    assert "(right: viewing rights)" in shown.message  # the level in words, not Procountor's enum
    assert sandbox.receipts(COMPANY_1) == []
    # the rights were read after the refused POST, to word it, not before
    order = [f"{r.method} {r.path} {r.status}" for r in sandbox.request_log]
    assert order.index(f"POST {RECEIPTS} 403") < order.index("GET /api/users/rights 200")
    assert len(posts := [r for r in sandbox.request_log if r.method == "POST"]) == 1
    assert posts[0].status == 403


def test_rights_are_read_before_pre_flight_creates_a_dimension_item(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "creator", {"create_missing_dimension_items": True})
    store_tokens(host, sandbox, account)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("400", "Lahti")))
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), company)
    sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")
    sandbox.clear_request_log()
    journal = one_period_journal(("5000", "70.00", "400"), ("2939", "-70.00", None))
    result = host.export_journal(admin, account.id, company, journal)
    assert result.status == "blocked"
    assert "procountor.rights.journal_receipts" in {p.code for p in result.problems}
    assert "procountor.dimension.item_will_be_created" in {p.code for p in result.problems}
    assert [r for r in sandbox.request_log if r.method != "GET"] == []  # no item made, nothing sent


def test_an_export_refused_for_its_journal_still_reports_the_missing_right(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")
    journal = one_period_journal(("4711", "5.00", None), ("2939", "-5.00", None))  # unknown account
    result = host.export_journal(admin, mapped.id, COMPANY, journal)
    codes = [p.code for p in result.problems]
    assert codes[:2] == ["procountor.rights.journal_receipts", "procountor.account.unknown"]
    assert not [r for r in sandbox.request_log if r.method != "GET"]


def test_reads_refused_together_with_a_dead_token_renew_it_once(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    sandbox.expire_access_tokens()  # the stored token looks valid, Procountor answers 401 to it
    sandbox.clear_request_log()
    result = host.export_journal(admin, mapped.id, COMPANY, june_run(YEAR))
    assert result.status == "sent", result.problems
    assert paths(sandbox).count(TOKEN) == 1
    refused = [r.path for r in sandbox.request_log if r.status == 401]
    assert refused
    assert set(refused) <= set(READS)
    assert len(sandbox.receipts(COMPANY_1)) == SEED_PERIODS
