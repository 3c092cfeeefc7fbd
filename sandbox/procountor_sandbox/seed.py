"""The fixed demo world; other parts of the project hard-code these ids, names and passwords.

Fiscal years are computed from ``today`` so the demo always has a current open year and an
older year with one closed period (to exercise ``CLOSED_FISCAL_PERIOD``).
"""

from __future__ import annotations

import calendar
import copy
import datetime
from decimal import Decimal

from .models import (
    Company,
    Dimension,
    DimensionItem,
    FiscalYear,
    LedgerAccount,
    TrackingPeriod,
    User,
    VatStatus,
)

_ACCOUNTS: tuple[tuple[str, str, str, bool], ...] = (
    ("1910", "Pankkitili", "Bank account", True),
    ("2930", "Ennakonpidätysvelka", "Withholding tax payable", True),
    ("2935", "Sosiaaliturvamaksuvelka", "Social security contributions payable", True),
    ("2937", "TyEL-maksuvelka", "Pension contributions payable", True),
    ("2939", "Palkkavelka", "Net wages payable", True),
    ("2960", "Lomapalkkajaksotus", "Holiday pay accrual", True),
    ("5000", "Palkat", "Wages and salaries", True),
    ("5020", "Lomapalkat", "Holiday pay", True),
    ("5090", "Vanha palkkatili", "Old wages account", False),
    ("6130", "TyEL-maksut", "Pension contributions", True),
    ("6410", "Sosiaaliturvamaksut", "Social security contributions", True),
)

VAT_PERCENTS: tuple[Decimal, ...] = (Decimal("0"), Decimal("10"), Decimal("14"), Decimal("25.5"))

DEMO_ADMIN = "demo.admin"
DEMO_VIEWER = "demo.viewer"
COMPANY_BAKERY = 10001
COMPANY_CONSULTING = 10002


def _accounts() -> dict[str, LedgerAccount]:
    return {code: LedgerAccount(code, fi, en, active) for code, fi, en, active in _ACCOUNTS}


def _vat_statuses() -> list[VatStatus]:
    return [
        VatStatus(1, "Domestic", sales=True, purchase=True),
        VatStatus(12, "No VAT handling", sales=True, purchase=True),
        VatStatus(3, "Outside of the EU", sales=True, purchase=False),
    ]


def _fiscal_year(fy_id: int, year: int, closed_months: frozenset[int]) -> FiscalYear:
    stamp = f"{year}-01-01T08:00:00"
    periods = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        periods.append(
            TrackingPeriod(
                id=fy_id * 100 + month,
                start=datetime.date(year, month, 1),
                end=datetime.date(year, month, last),
                status="CLOSED" if month in closed_months else "OPEN",
                modified=stamp,
            )
        )
    return FiscalYear(
        id=fy_id,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        is_open=True,
        modified=stamp,
        periods=periods,
    )


def _fiscal_years(today: datetime.date) -> list[FiscalYear]:
    year = today.year
    return [
        _fiscal_year(2, year, frozenset()),
        _fiscal_year(1, year - 1, frozenset({1})),
    ]


BUREAU_FIRST_ID = 20001


def _business_id(number: int) -> str | None:
    """A Finnish business id (Y-tunnus) with its check digit; None when ``number`` has none."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def bureau_company_ids(count: int) -> list[int]:
    """The ids of the ``count`` extra companies a bureau sandbox holds (``SandboxConfig.bureau_companies``)."""
    return [BUREAU_FIRST_ID + n for n in range(count)]


def _bureau_companies(template: Company, count: int) -> dict[int, Company]:
    """Clients of a payroll bureau for month-end runs: each shaped like the bakery, its own ledger."""
    companies: dict[int, Company] = {}
    number = 3000000
    for company_id in bureau_company_ids(count):
        business_id = None
        while business_id is None:
            number += 1
            business_id = _business_id(number)
        clone = copy.deepcopy(template)
        clone.id, clone.name, clone.business_id = (
            company_id,
            f"Toimisto {company_id - BUREAU_FIRST_ID + 1} Oy",
            business_id,
        )
        companies[company_id] = clone
    return companies


def build_companies(today: datetime.date, bureau_companies: int = 0) -> dict[int, Company]:
    """Fresh, independent copies for each sandbox so instances never share mutable state."""
    bakery = Company(
        id=COMPANY_BAKERY,
        name="Järvi Leipomo Oy",
        business_id="1234567-8",
        accounts=_accounts(),
        dimensions=[
            Dimension(
                501,
                "Kustannuspaikka",
                [
                    DimensionItem(7001, "100", "Helsinki"),
                    DimensionItem(7002, "200", "Tampere"),
                    DimensionItem(7003, "300", "Oulu", active=False),
                ],
            ),
            Dimension(
                502,
                "Projekti",
                [DimensionItem(7101, "P-10", "Bakery line"), DimensionItem(7102, "P-20", "Café")],
            ),
        ],
        fiscal_years=_fiscal_years(today),
        vat_statuses=_vat_statuses(),
        vat_percents=list(VAT_PERCENTS),
    )
    consulting = Company(
        id=COMPANY_CONSULTING,
        name="Kuusi Consulting Oy",
        business_id="7654321-0",
        accounts=_accounts(),
        dimensions=[
            Dimension(601, "Kustannuspaikka", [DimensionItem(8001, "100", "Head office")]),
            Dimension(602, "Projekti", [DimensionItem(8101, "P-10", "Consulting")]),
        ],
        fiscal_years=_fiscal_years(today),
        vat_statuses=_vat_statuses(),
        vat_percents=list(VAT_PERCENTS),
    )
    return {bakery.id: bakery, consulting.id: consulting, **_bureau_companies(bakery, bureau_companies)}


def build_users(bureau_companies: int = 0) -> dict[str, User]:
    admin = User(
        id=30001,
        username=DEMO_ADMIN,
        password="demo-password",  # noqa: S106 - published demo credential
        first_name="Demo",
        last_name="Admin",
        email="demo.admin@example.invalid",
        rights={
            COMPANY_BAKERY: "ALL_RIGHTS",
            COMPANY_CONSULTING: "ALL_RIGHTS",
            **dict.fromkeys(bureau_company_ids(bureau_companies), "ALL_RIGHTS"),
        },
    )
    viewer = User(
        id=30002,
        username=DEMO_VIEWER,
        password="viewer-password",  # noqa: S106 - published demo credential
        first_name="Demo",
        last_name="Viewer",
        email="demo.viewer@example.invalid",
        rights={COMPANY_BAKERY: "VIEWING_RIGHTS"},
    )
    return {admin.username: admin, viewer.username: viewer}
