"""The boundary types refuse bad values at construction, naming the field and the value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import (
    AccountStatus,
    Actor,
    AdministrationMapping,
    DimensionMapping,
    ExportResult,
    HostCompany,
    IntegrationAccount,
    IntegrationProvider,
    Journal,
    JournalLine,
    Period,
    Problem,
    ProviderConfig,
    RightLevel,
    SettingField,
    StoredCredentials,
    TemplateRight,
)


def line(**overrides: object) -> JournalLine:
    values: dict[str, object] = {
        "ledger_account": "5000",
        "amount": Decimal("10.00"),
        "description": "Wages",
        "period": Period(2026, 6),
    }
    values.update(overrides)
    return JournalLine(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("month", [0, 13, -1])
def test_period_refuses_month_outside_1_to_12(month: int) -> None:
    with pytest.raises(ValueError, match=rf"Period\.month={month}"):
        Period(2026, month)


def test_period_refuses_bool_and_orders_chronologically() -> None:
    with pytest.raises(TypeError, match=r"Period\.month=True"):
        Period(2026, True)
    assert sorted([Period(2026, 6), Period(2025, 12), Period(2026, 1)]) == [
        Period(2025, 12),
        Period(2026, 1),
        Period(2026, 6),
    ]
    assert Period(2024, 2).last_day == date(2024, 2, 29)
    assert Period.parse(str(Period(2026, 3))) == Period(2026, 3)


def test_journal_line_refuses_float_amount() -> None:
    with pytest.raises(TypeError, match=r"JournalLine\.amount=10\.5: money must be a Decimal"):
        line(amount=10.5)


def test_journal_line_refuses_nan() -> None:
    with pytest.raises(ValueError, match=r"JournalLine\.amount=Decimal\('NaN'\)"):
        line(amount=Decimal("NaN"))


def test_journal_refuses_a_non_line() -> None:
    with pytest.raises(TypeError, match=r"Journal\.lines\[1\]"):
        Journal("c1", "run-1", Period(2026, 6), "ref", date(2026, 6, 25), (line(), "oops"))  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["", "   ", "Procountor", "pro-countor"])
def test_template_right_refuses_bad_key(key: str) -> None:
    with pytest.raises((ValueError, TypeError), match=r"TemplateRight\.key="):
        TemplateRight(key=key, label="Procountor")


def test_template_right_default_must_be_a_level() -> None:
    with pytest.raises(ValueError, match=r"TemplateRight\.default='admin'"):
        TemplateRight(key="procountor", label="Procountor", default="admin")  # type: ignore[arg-type]  # the type forbids it; the run-time check is under test


def test_actor_refuses_unknown_level_and_freezes_rights() -> None:
    with pytest.raises(ValueError, match=r"Actor\.rights\['procountor'\]='owner'"):
        Actor("u1", {"procountor": "owner"})  # type: ignore[dict-item]  # forbidden by the type, checked at run time
    rights: dict[str, RightLevel] = {"procountor": "read"}
    actor = Actor("u1", rights)
    rights["procountor"] = "write"
    assert actor.level("procountor") == "read"
    assert actor.may("procountor", "read")
    assert not actor.may("procountor", "write")
    assert Actor("u2").level("procountor") == "none"


@pytest.mark.parametrize("state", ["connected", "", "AUTHORIZED"])
def test_account_status_refuses_unknown_state(state: str) -> None:
    with pytest.raises(ValueError, match=r"AccountStatus\.state="):
        AccountStatus(state)  # type: ignore[arg-type]  # the type forbids it; the run-time check is under test


def test_setting_field_choice_default_must_be_a_choice() -> None:
    with pytest.raises(ValueError, match=r"SettingField\.default='x'"):
        SettingField("method", "Method", kind="choice", choices=("a", "b"), default="x")
    with pytest.raises(ValueError, match=r"SettingField\.kind='password'"):
        SettingField("pw", "Password", kind="password")  # type: ignore[arg-type]  # the type forbids it; the run-time check is under test


def test_provider_refuses_duplicate_setting_keys() -> None:
    field = SettingField("a", "A")
    with pytest.raises(ValueError, match=r"IntegrationProvider\.settings='a': duplicate"):
        IntegrationProvider("p", "P", "p", (field, field))


def test_account_settings_are_read_only() -> None:
    account = IntegrationAccount("a1", "procountor", "user", {"approve_receipts": True})
    with pytest.raises(TypeError):
        account.settings["approve_receipts"] = False  # type: ignore[index]


def test_host_company_checks_cost_center_pairs() -> None:
    with pytest.raises(ValueError, match=r"HostCompany\.cost_centers\[0\]"):
        HostCompany("c1", "Company", cost_centers=(("100",),))  # type: ignore[arg-type]
    company = HostCompany("c1", "Company", cost_centers=[("100", "Helsinki")])  # type: ignore[arg-type]
    assert company.cost_centers == (("100", "Helsinki"),)


def test_dimension_mapping_kind_and_mapping_uniqueness() -> None:
    with pytest.raises(ValueError, match=r"DimensionMapping\.kind='department'"):
        DimensionMapping("department", True, "X")  # type: ignore[arg-type]  # the type forbids it; the run-time check is under test
    twice = (DimensionMapping("cost_center", True, "A"), DimensionMapping("cost_center", False, "B"))
    with pytest.raises(ValueError, match="kind listed twice"):
        AdministrationMapping("a1", "c1", "10001", twice)


def test_problem_code_shape() -> None:
    with pytest.raises(ValueError, match=r"Problem\.code='Closed period'"):
        Problem("Closed period", "x")
    assert Problem("procountor.period.closed", "Closed").blocking


def test_export_result_status_and_problems_agree() -> None:
    with pytest.raises(ValueError, match=r"ExportResult\.status='done'"):
        ExportResult("done")  # type: ignore[arg-type]  # the type forbids it; the run-time check is under test
    with pytest.raises(ValueError, match="needs a problem"):
        ExportResult("failed")
    with pytest.raises(ValueError, match="cannot carry blocking problems"):
        ExportResult("sent", problems=(Problem("procountor.x.y", "bad"),))


def test_provider_config_hides_secret_and_requires_base_url_for_custom() -> None:
    config = ProviderConfig("id", "s3cr3t-value", "https://host/cb")
    assert "s3cr3t-value" not in repr(config)
    with pytest.raises(ValueError, match=r"ProviderConfig\.base_url=None"):
        ProviderConfig("id", "secret", "https://host/cb", environment="custom")
    with pytest.raises(ValueError, match="client_secret") as caught:
        ProviderConfig("id", "  ", "https://host/cb")
    assert "value hidden" in str(caught.value)


def test_stored_credentials_hide_data_in_repr() -> None:
    creds = StoredCredentials({"access_token": "tok-abcdef"}, 1)
    assert "tok-abcdef" not in repr(creds)
    with pytest.raises(ValueError, match=r"StoredCredentials\.version=0"):
        StoredCredentials({}, 0)
