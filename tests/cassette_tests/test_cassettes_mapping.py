"""Recorded mapping reads: the administrations dialog and the check before saving a mapping."""

from __future__ import annotations

from typing import Any

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, IntegrationAccount
from nmbrs_procountor_devtools.demo_data import COMPANY
from tests.cassette_tests.conftest import Target
from tests.cassette_tests.support import all_played, calls, exchanges

pytestmark = pytest.mark.vcr


def mapping_for(
    account: IntegrationAccount, target: Target, cost_center: str = "Kustannuspaikka"
) -> AdministrationMapping:
    dims = (DimensionMapping("cost_center", True, cost_center), DimensionMapping("cost_unit", True, "Projekti"))
    return AdministrationMapping(account.id, COMPANY.id, target.origin.company_id, dims)


def test_administrations_reads_the_company(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    found = host.administrations(admin, authorized_account.id)

    assert calls(vcr) == ["GET /api/company -> 200"]
    [company] = exchanges(vcr)
    assert company.query == {}
    assert vcr.requests[0].body in (None, b"")  # a GET never carries a body
    [administration] = found
    assert (administration.id, administration.name) == (target.origin.company_id, target.origin.company_name)
    assert administration.business_id == company.answer["businessIdentifier"]["code"]
    assert all_played(vcr)


def test_validate_mapping_reads_dimensions_and_reports_a_missing_one(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    good = host.validate_mapping(admin, mapping_for(authorized_account, target), COMPANY)
    renamed = host.validate_mapping(admin, mapping_for(authorized_account, target, "Kostpaikka"), COMPANY)

    assert calls(vcr) == [
        "GET /api/vats/default -> 200",
        "GET /api/dimensions -> 200",
        "GET /api/vats/default -> 200",
        "GET /api/dimensions -> 200",
    ]
    names = {d["name"] for d in exchanges(vcr)[1].answer}
    assert {"Kustannuspaikka", "Projekti"} <= names
    assert [p.code for p in good if p.blocking] == []
    blocking = [p for p in renamed if p.blocking]
    assert [p.code for p in blocking] == ["procountor.mapping.dimension_not_found"]
    assert "Kostpaikka" in blocking[0].message
    assert all_played(vcr)


def test_validate_mapping_reports_a_vat_status_not_enabled_for_the_type(
    vcr: Any, target: Target, host: ReferenceHost, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "vat-check", {"vat_type": "PURCHASE", "vat_status": 3})
    target.authorize(host, account)

    problems = host.validate_mapping(admin, mapping_for(account, target), COMPANY)

    assert calls(vcr) == ["GET /api/vats/default -> 200", "GET /api/dimensions -> 200"]
    statuses = exchanges(vcr)[0].answer["vatStatuses"]
    assert not any(s["vatStatus"] == 3 and s["purchase"] for s in statuses)
    assert [p.code for p in problems if p.blocking] == ["procountor.mapping.vat_status_not_enabled"]
    assert all_played(vcr)
