"""The journal export against the sandbox: receipts per period, gates, pre-flight, safe resend, faults."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs.booking import SentState
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    ExportResult,
    HostCompany,
    IntegrationAccount,
    Journal,
    JournalLine,
    Period,
    ProviderConfig,
)
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.api import client as client_module
from nmbrs_procountor_plugin.export import pipeline as export_module
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, make_host, provider_config_for, store_tokens

YEAR = date.today().year
RECEIPTS = "/api/ledgerreceipts"


def dims(cost_center: str = "Kustannuspaikka", cost_unit: str = "Projekti") -> tuple[DimensionMapping, ...]:
    return (DimensionMapping("cost_center", True, cost_center), DimensionMapping("cost_unit", True, cost_unit))


@pytest.fixture
def mapped(host: ReferenceHost, authorized_account: IntegrationAccount, admin: Actor) -> IntegrationAccount:
    host.save_mapping(admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    return authorized_account


def posts(sb: Sandbox) -> list[Any]:
    return [r for r in sb.request_log if r.method == "POST" and r.path == RECEIPTS]


def send(
    host: ReferenceHost,
    actor: Actor,
    account: IntegrationAccount,
    journal: Journal | None = None,
    company: HostCompany = COMPANY,
) -> ExportResult:
    return host.export_journal(actor, account.id, company, journal or june_run(YEAR))


def one_period_journal(*lines: tuple[str, str, str | None], period: Period | None = None) -> Journal:
    p = period or Period(YEAR, 6)
    return Journal(
        COMPANY.id,
        "run-x",
        p,
        "Payroll test",
        date(p.year, p.month, 25),
        tuple(JournalLine(acc, Decimal(amount), f"line {acc}", p, cc) for acc, amount, cc in lines),
    )


# ------------------------------------------------------------------ the help article's example (docs/product.md §4)


def test_hook_nmbrs_journal_export_books_june_with_corrections_in_six_periods(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    result = send(host, admin, mapped, journal)
    assert result.status == "sent", result.problems
    assert [str(r.period) for r in result.receipts] == [f"{YEAR}-{m:02d}" for m in range(1, 7)]
    expected_dates = [Period(YEAR, m).last_day for m in range(1, 6)] + [date(YEAR, 6, 25)]
    assert [r.receipt_date for r in result.receipts] == expected_dates
    assert {r.name for r in result.receipts} == {journal.reference}

    stored = sorted(sandbox.receipts(COMPANY_1), key=lambda r: r["receiptDate"])
    assert len(stored) == 6
    for receipt in stored:
        assert receipt["type"] == "JOURNAL"
        assert receipt["name"] == journal.reference
        values = [Decimal(str(t["accountingValue"])) for t in receipt["transactions"]]
        assert sum(values) == Decimal("0")
        for row in receipt["transactions"]:
            assert row["vatStatus"] == 12
            for dim in row.get("dimensionItemValues") or []:
                assert Decimal(str(dim["value"])) == Decimal(str(row["accountingValue"]))
    june = stored[-1]
    wages = [t for t in june["transactions"] if t["account"] == "5000"]
    assert {(d["dimensionId"], d["itemId"]) for t in wages for d in t["dimensionItemValues"]} == {
        (501, 7001),
        (502, 7101),
        (501, 7002),
        (502, 7102),
    }
    assert {r.external_id for r in result.receipts} == {str(r["id"]) for r in stored}
    status = host.sent_status(admin, mapped.id, COMPANY.id, journal.run_id)
    assert status.state is SentState.SENT
    assert [(r.period, r.external_id, r.total) for r in status.receipts] == [
        (r.period, r.external_id, r.total) for r in result.receipts
    ]


def test_hook_nmbrs_journal_export_preview_returns_exact_payloads_and_writes_nothing(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, reader: Actor
) -> None:
    plan = host.preview_export(reader, mapped.id, COMPANY, june_run(YEAR))
    assert not [p for p in plan.problems if p.blocking]
    assert [str(r.period) for r in plan.receipts] == [f"{YEAR}-{m:02d}" for m in range(1, 7)]
    june = plan.receipts[-1]
    assert june.row_count == 9 == len(june.payload["transactions"])
    assert june.payload["receiptDate"] == f"{YEAR}-06-25"
    assert june.total == Decimal("34713.46")
    assert sandbox.receipts(COMPANY_1) == []
    assert all(r.method == "GET" for r in sandbox.request_log)


# ------------------------------------------------------------------ gates: nothing read or sent


@pytest.mark.parametrize(
    ("company", "code"),
    [
        (replace(COMPANY, is_test_company=True), "procountor.export.test_company"),
        (replace(COMPANY, debtor_blocked=True), "procountor.export.debtor_blocked"),
    ],
)
def test_gates_block_before_anything_is_read(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, company: HostCompany, code: str
) -> None:
    sandbox.clear_request_log()
    result = send(host, admin, mapped, company=company)
    assert result.status == "blocked"
    assert code in {p.code for p in result.problems}
    assert sandbox.request_log == []


def call_export(
    host: ReferenceHost,
    account: IntegrationAccount,
    actor: Actor,
    mapping: AdministrationMapping,
    company: HostCompany = COMPANY,
) -> ExportResult:
    """Call the hook directly, as a host that forgot a check would."""
    result = procountor_plugin.nmbrs_journal_export(
        account=account, mapping=mapping, company=company, journal=june_run(YEAR), actor=actor, host=host
    )
    assert result is not None
    return result


def test_plugin_rechecks_write_and_the_mapping(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount, reader: Actor, admin: Actor
) -> None:
    unsaved = AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims())
    sandbox.clear_request_log()
    refused = call_export(host, authorized_account, reader, unsaved)
    assert refused.status == "blocked"
    assert {p.code for p in refused.problems} == {"procountor.rights.write_required", "procountor.export.not_mapped"}
    assert sandbox.request_log == []


def test_unauthorized_account_is_a_gate(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount, admin: Actor
) -> None:
    host.mappings.save(AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()))
    result = send(host, admin, account)
    assert result.status == "blocked"
    assert [p.code for p in result.problems] == ["procountor.auth.not_authorized"]
    assert sandbox.request_log == []


# ------------------------------------------------------------------ pre-flight: every problem, nothing written


def test_preflight_reports_every_problem_in_one_answer_and_writes_nothing(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    sandbox.set_tracking_period_status(COMPANY_1, YEAR, 3, "CLOSED")
    sandbox.set_journal_rights("demo.admin", COMPANY_1, "VIEWING_RIGHTS")
    march = Period(YEAR, 3)
    lines = (
        JournalLine("5000", Decimal("100.00"), "wages", march, "999"),  # no item for cost center 999
        JournalLine("5000", Decimal("50.00"), "wages", march, "300"),  # item 7003 is inactive
        JournalLine("5090", Decimal("10.00"), "old account", march),  # inactive account
        JournalLine("4711", Decimal("5.00"), "unknown account", march),
        JournalLine("2939", Decimal("-165.00"), "net", march),
    )
    journal = Journal(COMPANY.id, "run-3", march, "Payroll March", date(YEAR, 3, 25), lines)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("999", "Lahti"), ("300", "Oulu")))
    sandbox.clear_request_log()
    result = send(host, admin, mapped, journal, company)
    assert result.status == "blocked"
    codes = [p.code for p in result.problems]
    assert set(codes) >= {
        "procountor.rights.journal_receipts",
        "procountor.account.unknown",
        "procountor.account.inactive",
        "procountor.period.closed",
        "procountor.dimension.item_missing",
        "procountor.dimension.item_inactive",
    }
    fields = {p.code: p.field for p in result.problems}
    assert fields["procountor.account.unknown"] == "lines[3].ledger_account"
    assert fields["procountor.dimension.item_missing"] == "lines[0].cost_center"
    assert sandbox.receipts(COMPANY_1) == []
    assert not [r for r in sandbox.request_log if r.method != "GET"]
    reads = [r.path for r in sandbox.request_log]
    for path in ("/api/users/rights", "/api/coa", "/api/dimensions", "/api/fiscalyears"):
        assert reads.count(path) == 1, f"{path} read {reads.count(path)} times"


def test_dimension_renamed_in_procountor_is_reported(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount, admin: Actor
) -> None:
    host.mappings.save(AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims("Kostpaikka")))
    result = send(host, admin, authorized_account)
    assert result.status == "blocked"
    [missing] = [p for p in result.problems if p.code == "procountor.dimension.not_found"]
    assert "Kustannuspaikka" in missing.message
    assert sandbox.receipts(COMPANY_1) == []


def test_missing_items_are_created_when_the_setting_allows(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account = host.create_account(admin, "procountor", "creator", {"create_missing_dimension_items": True})
    store_tokens(host, sandbox, account)
    company = replace(COMPANY, cost_centers=(*COMPANY.cost_centers, ("400", "Lahti")))
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), company)
    journal = one_period_journal(("5000", "70.00", "400"), ("2939", "-70.00", None))
    plan = host.preview_export(admin, account.id, company, journal)
    assert "procountor.dimension.item_will_be_created" in {p.code for p in plan.problems}
    assert not [r for r in sandbox.request_log if r.method == "POST"]
    result = send(host, admin, account, journal, company)
    assert result.status == "sent", result.problems
    assert "procountor.dimension.item_created" in {p.code for p in result.problems}
    [receipt] = sandbox.receipts(COMPANY_1)
    [item_value] = receipt["transactions"][0]["dimensionItemValues"]
    assert item_value["dimensionId"] == 501
    assert item_value["itemId"] not in (7001, 7002, 7003)


# ------------------------------------------------------------------ safe resend


def test_resending_a_sent_journal_books_nothing_and_reads_at_most_six_times(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    first = send(host, admin, mapped)
    sandbox.clear_request_log()
    again = send(host, admin, mapped)
    assert again.status == "already_sent"
    assert [r.external_id for r in again.receipts] == [r.external_id for r in first.receipts]
    assert len(sandbox.receipts(COMPANY_1)) == 6
    assert len(sandbox.request_log) <= 6
    assert all(r.method == "GET" for r in sandbox.request_log)


def test_first_export_makes_at_most_five_plus_one_request_per_period(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    sandbox.clear_request_log()
    result = send(host, admin, mapped)
    assert result.status == "sent"
    documents = [r for r in sandbox.request_log if r.path == "/api/attachments"]
    assert len(documents) == 6  # plus one journal document per period (issue 17), posted once
    assert len(sandbox.request_log) - len(documents) <= 5 + 6


def test_changed_journal_after_sending_asks_to_invalidate_first(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    send(host, admin, mapped, journal)
    lines = list(journal.lines)
    lines[-1] = replace(lines[-1], amount=lines[-1].amount - Decimal("1.00"))  # June: net wages
    lines[-2] = replace(lines[-2], amount=lines[-2].amount + Decimal("1.00"))
    changed = replace(journal, lines=tuple(lines))
    sandbox.clear_request_log()
    result = send(host, admin, mapped, changed)
    assert result.status == "blocked"
    [problem] = [p for p in result.problems if p.code == "procountor.export.changed_after_send"]
    assert problem.message.startswith(f"The journal for June {YEAR} was already booked in Procountor (receipt")
    assert "Invalidate" in (problem.hint or "")
    assert len(result.receipts) == 5  # the unchanged booked periods, left alone
    assert not posts(sandbox)
    assert len(sandbox.request_log) == 1  # the ledger's receipts confirmed in one read, nothing else


def test_an_invalidated_receipt_is_booked_again(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    import requests

    first = send(host, admin, mapped)
    june_id = first.receipts[-1].external_id
    token = sandbox.issue_tokens("demo.admin", COMPANY_1)["access_token"]
    answer = requests.put(
        f"{sandbox.api_url}/ledgerreceipts/{june_id}/invalidate",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 200
    again = send(host, admin, mapped)
    assert again.status == "sent"
    assert again.receipts[-1].external_id != june_id
    assert len([r for r in sandbox.receipts(COMPANY_1) if r["status"] != "INVALIDATED"]) == 6


@pytest.mark.parametrize("fault", ["commit_then_drop", "http_500_html", "http_503", "http_429", "reset"])
def test_faults_on_post_never_book_a_period_twice(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, fault: str
) -> None:
    sandbox.inject_fault("POST", RECEIPTS, fault, count=1, retry_after=1)
    result = send(host, admin, mapped)
    assert result.status == "sent", result.problems
    periods = sorted(r["receiptDate"][:7] for r in sandbox.receipts(COMPANY_1))
    assert periods == [f"{YEAR}-{m:02d}" for m in range(1, 7)]


def test_partial_failure_then_reexport_books_only_what_is_missing(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor, monkeypatch: Any
) -> None:
    original = client_module.ProcountorClient.create_ledger_receipt
    calls = {"n": 0}

    def third_post_fails_for_good(self: Any, payload: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:  # from the third receipt on, Procountor answers 500 to every attempt
            sandbox.inject_fault("POST", RECEIPTS, "http_500_html", count=3)
        return original(self, payload)

    monkeypatch.setattr(client_module.ProcountorClient, "create_ledger_receipt", third_post_fails_for_good)
    partial = send(host, admin, mapped)
    assert partial.status == "partially_sent"
    assert [str(r.period) for r in partial.receipts] == [f"{YEAR}-01", f"{YEAR}-02"]
    assert "procountor.unavailable" in {p.code for p in partial.problems}
    monkeypatch.undo()
    sandbox.clear_request_log()
    finished = send(host, admin, mapped)
    assert finished.status == "sent"
    assert len(posts(sandbox)) == 4
    assert sorted(r["receiptDate"][:7] for r in sandbox.receipts(COMPANY_1)) == [f"{YEAR}-{m:02d}" for m in range(1, 7)]


def test_two_workers_sending_the_same_journal_book_each_period_once(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    results: list[ExportResult] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        results.append(send(host, admin, mapped))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.status for r in results) == ["already_sent", "sent"]
    assert len(sandbox.receipts(COMPANY_1)) == 6


# ------------------------------------------------------------------ approval, Procountor's own refusals


def test_receipts_are_approved_when_the_setting_says_so(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account = host.create_account(admin, "procountor", "approver", {"approve_receipts": True})
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    result = send(host, admin, account)
    assert result.status == "sent"
    assert {r.status for r in result.receipts} == {"APPROVED"}
    assert {r["status"] for r in sandbox.receipts(COMPANY_1)} == {"APPROVED"}


def test_a_procountor_field_error_points_back_to_the_journal_line(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    # VAT status 3 is enabled for sales only: Procountor refuses it on a PURCHASE receipt.
    account = host.create_account(admin, "procountor", "vat-3", {"vat_status": 3})
    store_tokens(host, sandbox, account)
    mapping = AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims())
    # The mapping check reads GET /vats/default and refuses it up front...
    with pytest.raises(ProblemError) as refused:
        host.save_mapping(admin, mapping, COMPANY)
    assert "procountor.mapping.vat_status_not_enabled" in refused.value.codes
    # ...but VAT defaults can change in Procountor after a mapping was checked: the export, which
    # does not ask again, still turns Procountor's refusal into a problem on the field.
    host.mappings.save(mapping)
    journal = one_period_journal(("5000", "10.00", None), ("2939", "-10.00", None))
    result = send(host, admin, account, journal)
    assert result.status == "blocked"  # Procountor refused the data: fix the VAT status, then send
    rejected = [p for p in result.problems if p.code == "procountor.export.rejected"]
    assert rejected
    assert any(p.field and p.field.startswith("lines[") for p in rejected) or any(
        p.field and "vatStatus" in p.field for p in rejected
    )
    assert sandbox.receipts(COMPANY_1) == []


def test_messages_follow_the_actor_language(host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount) -> None:
    finnish = Actor("fi-admin", {"procountor": "write"}, locale="fi-FI")
    result = send(host, finnish, mapped, company=replace(COMPANY, is_test_company=True))
    assert "testiyritykseksi" in result.problems[0].message


# ------------------------------------------------------------------ slow answers and failed approvals


def slow_host(sb: Sandbox, admin: Actor, timeout: float) -> tuple[ReferenceHost, IntegrationAccount]:
    config = replace(provider_config_for(sb), timeout_seconds=timeout)
    host = ReferenceHost(
        provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(procountor_plugin, "procountor")]
    )
    account = host.create_account(admin, "procountor", "slow")
    store_tokens(host, sb, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    return host, account


def test_a_post_that_times_out_but_lands_later_is_found_not_resent(
    sandbox: Sandbox, admin: Actor, monkeypatch: Any
) -> None:
    monkeypatch.setattr(export_module, "LOOK_AGAIN_SECONDS", 1.0)
    host, account = slow_host(sandbox, admin, timeout=0.5)
    sandbox.inject_fault("POST", RECEIPTS, "delay", count=1, delay=0.8)  # lands after our timeout
    result = send(host, admin, account)
    assert result.status == "sent", result.problems
    assert len(sandbox.receipts(COMPANY_1)) == 6
    assert len(posts(sandbox)) == 6


def test_a_post_still_unseen_after_its_timeout_stops_the_export_instead_of_resending(
    sandbox: Sandbox, admin: Actor, monkeypatch: Any
) -> None:
    monkeypatch.setattr(export_module, "LOOK_AGAIN_SECONDS", 0.3)
    host, account = slow_host(sandbox, admin, timeout=0.5)
    sandbox.inject_fault("POST", RECEIPTS, "delay", count=1, delay=2.5)
    stopped = send(host, admin, account)
    assert stopped.status == "failed"
    assert [p.code for p in stopped.problems if p.blocking] == ["procountor.export.outcome_unknown"]
    time.sleep(2.5)  # the slow request finishes at Procountor meanwhile
    finished = send(host, admin, account)
    assert finished.status == "sent", finished.problems
    periods = sorted(r["receiptDate"][:7] for r in sandbox.receipts(COMPANY_1))
    assert periods == [f"{YEAR}-{m:02d}" for m in range(1, 7)]


def test_a_failed_approval_keeps_the_receipt_and_says_so(sandbox: Sandbox, host: ReferenceHost, admin: Actor) -> None:
    account = host.create_account(admin, "procountor", "approver", {"approve_receipts": True})
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    sandbox.inject_fault("PUT", "/api/ledgerreceipts/*", "http_500_html", count=1)
    result = send(host, admin, account)
    assert result.status == "sent"
    [warning] = [p for p in result.problems if p.code == "procountor.export.approve_failed"]
    assert warning.severity == "warning"
    assert [r.status for r in result.receipts].count("UNFINISHED") == 1
    assert len(sandbox.receipts(COMPANY_1)) == 6
    again = send(host, admin, account)  # the next export finishes the approval, books nothing
    assert {r.status for r in again.receipts} == {"APPROVED"}
    assert len(sandbox.receipts(COMPANY_1)) == 6


def _export_in_process(db: str, config: ProviderConfig, account_id: str, start: Any, results: Any) -> None:
    host = ReferenceHost(
        db, provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(procountor_plugin, "procountor")]
    )
    actor = Actor("worker", {"procountor": "write"})
    start.wait()
    results.put(host.export_journal(actor, account_id, COMPANY, june_run(YEAR)).status)


@pytest.mark.slow
def test_two_processes_sending_the_same_journal_book_each_period_once(
    sandbox: Sandbox, admin: Actor, tmp_path: Any
) -> None:
    db = str(tmp_path / "host.sqlite3")
    host = make_host(sandbox, db)
    account = host.create_account(admin, "procountor", "shared")
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    start = ctx.Barrier(2)
    workers = [
        ctx.Process(target=_export_in_process, args=(db, provider_config_for(sandbox), account.id, start, results))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(90)
    assert sorted(results.get(timeout=5) for _ in workers) == ["already_sent", "sent"]
    assert len(sandbox.receipts(COMPANY_1)) == 6


def test_a_saved_mapping_with_both_kinds_on_one_dimension_is_refused_before_sending(
    host: ReferenceHost, sandbox: Sandbox, authorized_account: IntegrationAccount, admin: Actor
) -> None:
    both = dims("Kustannuspaikka", "kustannuspaikka")
    host.mappings.save(AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), both))
    result = send(host, admin, authorized_account)
    assert result.status == "blocked"
    assert "procountor.mapping.dimension_used_twice" in {p.code for p in result.problems}
    assert sandbox.receipts(COMPANY_1) == []


def test_a_broken_account_setting_is_a_problem_not_a_crash(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account = host.create_account(admin, "procountor", "broken")
    store_tokens(host, sandbox, account)
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims()), COMPANY)
    broken = replace(account, settings={"vat_status": "twelve"})
    mapping = host.mapping_for(account.id, COMPANY.id)
    assert mapping is not None
    result = procountor_plugin.nmbrs_journal_export(
        account=broken,
        mapping=mapping,
        company=COMPANY,
        journal=june_run(YEAR),
        actor=admin,
        host=host,
    )
    assert result is not None
    assert result.status == "blocked"
    [bad] = result.problems
    assert bad.code == "procountor.settings.vat_status"
    assert bad.field == "settings.vat_status"
    assert bad.message == "The account's VAT status 'twelve' is not a VAT status code."


def test_preview_of_a_sent_journal_says_what_a_send_would_skip(
    host: ReferenceHost, sandbox: Sandbox, mapped: IntegrationAccount, admin: Actor
) -> None:
    journal = june_run(YEAR)
    sent = send(host, admin, mapped, journal)
    plan = host.preview_export(admin, mapped.id, COMPANY, journal)
    skipped = [p for p in plan.problems if p.code == "procountor.export.already_booked"]
    assert len(skipped) == 6
    assert not [p for p in plan.problems if p.blocking]
    assert sent.receipts[-1].external_id in skipped[-1].message
    lines = list(journal.lines)
    lines[-1] = replace(lines[-1], amount=lines[-1].amount - Decimal("1.00"))
    lines[-2] = replace(lines[-2], amount=lines[-2].amount + Decimal("1.00"))
    changed = host.preview_export(admin, mapped.id, COMPANY, replace(journal, lines=tuple(lines)))
    assert [p.code for p in changed.problems if p.blocking] == ["procountor.export.changed_after_send"]
    assert len(sandbox.receipts(COMPANY_1)) == 6
