"""The account's VAT settings are checked against Procountor's ``GET /vats/default`` when a
mapping is validated, and only then: an export never asks.

The sandbox's company enables status 3 ("Outside of the EU") for sales only, 1 and 12 for both.
"""

from __future__ import annotations

from datetime import date

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, IntegrationAccount
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin.messages import LANGUAGES
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, store_tokens

VATS = "/api/vats/default"
DIMS = (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti"))


def account_with(host: ReferenceHost, sb: Sandbox, admin: Actor, vat_type: str, vat_status: int) -> IntegrationAccount:
    account = host.create_account(
        admin, "procountor", f"vat-{vat_type.lower()}-{vat_status}", {"vat_type": vat_type, "vat_status": vat_status}
    )
    store_tokens(host, sb, account)
    return account


def mapping_of(account: IntegrationAccount) -> AdministrationMapping:
    return AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), DIMS)


@pytest.mark.parametrize(("vat_type", "vat_status"), [("PURCHASE", 12), ("SALES", 3), ("PURCHASE", 1)])
def test_an_enabled_vat_status_raises_no_problem(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, vat_type: str, vat_status: int
) -> None:
    account = account_with(host, sandbox, admin, vat_type, vat_status)
    problems = host.validate_mapping(admin, mapping_of(account), COMPANY)
    assert [p.code for p in problems if p.code.startswith("procountor.mapping.vat")] == []
    assert [r.path for r in sandbox.request_log].count(VATS) == 1


@pytest.mark.parametrize(("vat_type", "vat_status"), [("PURCHASE", 3), ("SALES", 99)])
def test_a_vat_status_not_enabled_for_the_type_is_a_problem_on_the_field(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, vat_type: str, vat_status: int
) -> None:
    account = account_with(host, sandbox, admin, vat_type, vat_status)
    problems = host.validate_mapping(admin, mapping_of(account), COMPANY)
    vat = [p for p in problems if p.code == "procountor.mapping.vat_status_not_enabled"]
    assert len(vat) == 1
    assert vat[0].field == "vat_status"
    assert str(vat_status) in vat[0].message
    assert f"{vat_type.lower()} receipts" in vat[0].message
    enabled = "(1, 12, and 3)" if vat_type == "SALES" else "(1 and 12)"  # a list as English writes one
    assert enabled in (vat[0].hint or "")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_vat_problem_is_a_sentence_in_each_language(host: ReferenceHost, sandbox: Sandbox, locale: str) -> None:
    actor = Actor(user_id=f"admin-{locale}", rights={"procountor": "write"}, locale=locale)
    account = account_with(host, sandbox, actor, "PURCHASE", 3)
    (found,) = [
        p
        for p in host.validate_mapping(actor, mapping_of(account), COMPANY)
        if p.code == "procountor.mapping.vat_status_not_enabled"
    ]
    assert found.hint is not None
    assert "{" not in found.message + found.hint
    assert "PURCHASE" not in found.message  # the VAT type is said in the language, not as the setting's value
    words = {"en": "purchase receipts", "nl": "inkoopboekingen", "sv": "inköpsverifikat", "fi": "ostotositteilla"}
    assert words[locale] in found.message
    assert "Järvi Leipomo Oy" in found.message
    assert found.message.endswith(".")
    assert found.hint.endswith(".")


def test_an_export_does_not_ask_for_the_vat_defaults(host: ReferenceHost, sandbox: Sandbox, admin: Actor) -> None:
    account = account_with(host, sandbox, admin, "PURCHASE", 12)
    host.save_mapping(admin, mapping_of(account), COMPANY)
    sandbox.clear_request_log()
    result = host.export_journal(admin, account.id, COMPANY, june_run(date.today().year))
    assert result.status == "sent"
    assert VATS not in [r.path for r in sandbox.request_log]


def test_a_user_who_may_not_read_the_vat_defaults_can_still_map(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nmbrs_procountor_plugin.api.client import ProcountorClient
    from nmbrs_procountor_plugin.api.errors import ProcountorForbidden

    def forbidden(self: ProcountorClient) -> dict[str, object]:
        raise ProcountorForbidden(403, (), "Insufficient user rights")

    monkeypatch.setattr(ProcountorClient, "vat_defaults", forbidden)
    account = account_with(host, sandbox, admin, "PURCHASE", 3)
    problems = host.validate_mapping(admin, mapping_of(account), COMPANY)
    assert [p.code for p in problems if p.blocking] == []
