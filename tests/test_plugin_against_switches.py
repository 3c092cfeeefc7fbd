"""The plugin against every setting of the sandbox's switches for Procountor's undocumented behaviours.

Each switch is one plausible answer Procountor may give where its definition is silent
(docs/sandbox.md, "Switches"): the token endpoint's refusal shape, refresh-token rotation,
``invoiceNotes`` kept or dropped on a JOURNAL, a receipt dated in a PENDING period refused or
accepted. Whatever Procountor turns out to do, the product must stay correct.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, ExportResult, IntegrationAccount
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, make_host, store_tokens

YEAR = date.today().year
TOKEN_PATH = "/api/oauth/token"
DIMS = (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))


@pytest.fixture
def switched(sandbox_factory: Callable[..., Sandbox]) -> Iterator[Callable[..., tuple[Sandbox, ReferenceHost]]]:
    hosts: list[ReferenceHost] = []

    def make(**switches: object) -> tuple[Sandbox, ReferenceHost]:
        sb = sandbox_factory(rate_limit_per_second=None, **switches)
        host = make_host(sb)
        hosts.append(host)
        return sb, host

    yield make
    for host in hosts:
        host.close()


def _account(host: ReferenceHost, admin: Actor) -> IntegrationAccount:
    return host.create_account(admin, "procountor", "bureau-procountor")


def _record(host: ReferenceHost, account: IntegrationAccount) -> TokenRecord:
    found = host.credentials.get(account.id)
    assert found is not None
    return TokenRecord.from_data(found.data)


def _expire_soon(host: ReferenceHost, account: IntegrationAccount) -> None:
    found = host.credentials.get(account.id)
    assert found is not None
    assert host.credentials.put(account.id, {**found.data, "expires_at": int(time.time()) + 5}, found.version)


# --------------------------------------------------------------------------- rotation


@pytest.mark.parametrize("rotate", [True, False])
def test_refreshing_again_and_again_works_with_and_without_rotation(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, rotate: bool
) -> None:
    sb, host = switched(rotate_refresh_tokens=rotate)
    account = _account(host, admin)
    first = store_tokens(host, sb, account, expires_in=5)
    for _ in range(3):
        assert open_client(account, host, "en").company()["id"] == COMPANY_1
        _expire_soon(host, account)
    assert [r.status for r in sb.request_log if r.path == TOKEN_PATH] == [200, 200, 200]
    kept = _record(host, account).refresh_token
    # Without rotation Procountor's answer has no refresh token: the first one must be kept.
    assert (kept != first.refresh_token) is rotate
    assert host.account_status(admin, account.id).state == "authorized"


# --------------------------------------------------------------------------- the token error shape


@pytest.mark.parametrize("shape", ["rfc", "errors"])
def test_a_dead_refresh_token_ends_expired_in_either_refusal_shape(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, shape: str
) -> None:
    sb, host = switched(token_error_shape=shape)
    account = _account(host, admin)
    store_tokens(host, sb, account, expires_in=0)
    sb.revoke_refresh_tokens()
    with pytest.raises(ProblemError) as refused:
        open_client(account, host, "en").company()
    assert refused.value.codes == ("procountor.auth.expired",)
    assert host.account_status(admin, account.id).state == "expired"


@pytest.mark.parametrize("shape", ["rfc", "errors"])
def test_a_working_grant_is_unaffected_by_the_refusal_shape(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, shape: str
) -> None:
    sb, host = switched(token_error_shape=shape)
    account = _account(host, admin)
    store_tokens(host, sb, account, expires_in=0)
    assert open_client(account, host, "en").company()["id"] == COMPANY_1
    assert host.account_status(admin, account.id).state == "authorized"


# --------------------------------------------------------------------------- invoiceNotes kept or dropped


def _send(host: ReferenceHost, admin: Actor, account: IntegrationAccount) -> ExportResult:
    host.save_mapping(admin, AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), DIMS), COMPANY)
    return host.export_journal(admin, account.id, COMPANY, june_run(YEAR))


def _booked_truthfully(sb: Sandbox, result: ExportResult) -> None:
    """What the admin is shown is exactly what Procountor holds: every receipt shown exists, once."""
    stored = {str(r["id"]): r for r in sb.receipts(COMPANY_1) if r["status"] != "INVALIDATED"}
    shown = [r.external_id for r in result.receipts]
    assert len(shown) == len(set(shown))
    assert set(shown) <= set(stored)
    for receipt in result.receipts:
        rows = stored[receipt.external_id]["transactions"]
        assert receipt.total == sum(
            (Decimal(t["accountingValue"]) for t in rows if t["accountingValue"] > 0), Decimal(0)
        )


@pytest.mark.parametrize("keep", [True, False])
def test_a_first_export_books_each_period_once_whether_or_not_notes_are_kept(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, keep: bool
) -> None:
    sb, host = switched(keep_invoice_notes=keep)
    account = _account(host, admin)
    store_tokens(host, sb, account)
    result = _send(host, admin, account)
    assert result.status == "sent"
    assert len(result.receipts) == 6
    _booked_truthfully(sb, result)
    assert all(("invoiceNotes" in r) is keep for r in sb.receipts(COMPANY_1))


@pytest.mark.parametrize("keep", [True, False])
def test_sending_a_booked_run_again_books_nothing_whether_or_not_notes_are_kept(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, keep: bool
) -> None:
    sb, host = switched(keep_invoice_notes=keep)
    account = _account(host, admin)
    store_tokens(host, sb, account)
    first = _send(host, admin, account)
    again = host.export_journal(admin, account.id, COMPANY, june_run(YEAR))
    assert again.status == "already_sent"
    assert len(sb.receipts(COMPANY_1)) == len(first.receipts) == 6


# --------------------------------------------------------------------------- PENDING periods


@pytest.mark.parametrize("pending", ["refuse", "accept"])
def test_a_pending_period_never_leaves_a_status_that_claims_more_than_is_booked(
    switched: Callable[..., tuple[Sandbox, ReferenceHost]], admin: Actor, pending: str
) -> None:
    sb, host = switched(pending_periods=pending)
    account = _account(host, admin)
    store_tokens(host, sb, account)
    sb.set_tracking_period_status(COMPANY_1, YEAR, 6, "PENDING")
    result = _send(host, admin, account)
    _booked_truthfully(sb, result)
    june = [r for r in sb.receipts(COMPANY_1) if r["receiptDate"].startswith(f"{YEAR}-06")]
    if pending == "refuse":
        assert june == []
        assert result.status != "sent"
    if result.status == "sent":
        assert len(result.receipts) == 6
