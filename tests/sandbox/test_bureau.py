"""A bureau sandbox: extra companies shaped like the bakery, one per month-end account."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procountor_sandbox import Sandbox, SandboxConfig
from procountor_sandbox.seed import bureau_company_ids

from .sandbox_helpers import ADMIN, TODAY, api_for


def _check_digit_ok(business_id: str) -> bool:
    digits, check = business_id.split("-")
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return remainder != 1 and int(check) == (0 if remainder == 0 else 11 - remainder)


def test_each_bureau_company_is_its_own_ledger_with_a_valid_business_id(
    sandbox_factory: Callable[..., Sandbox],
) -> None:
    sb = sandbox_factory(today=TODAY, rate_limit_per_second=None, bureau_companies=3)
    ids = bureau_company_ids(3)
    assert ids == [20001, 20002, 20003]
    seen = []
    for company_id in ids:
        company = api_for(sb, ADMIN, company_id).get("/company").json()
        seen.append((company["name"], company["businessIdentifier"]["code"]))
        assert _check_digit_ok(company["businessIdentifier"]["code"])
        assert sb.receipts(company_id) == []
    assert len({name for name, _ in seen}) == 3
    assert len({code for _, code in seen}) == 3
    assert [d["name"] for d in api_for(sb, ADMIN, 20002).get("/dimensions").json()] == ["Kustannuspaikka", "Projekti"]


def test_a_plain_sandbox_has_no_bureau_and_a_silly_count_is_refused() -> None:
    with pytest.raises(ValueError, match="bureau_companies=-1"):
        SandboxConfig(bureau_companies=-1)
    assert SandboxConfig().bureau_companies == 0
