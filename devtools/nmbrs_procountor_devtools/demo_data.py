"""The demo's payroll company and its June run with corrections for January to May.

The help article's example (docs/product.md §4).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from nmbrs_hookspecs.types import HostCompany, Journal, JournalLine, Period

COMPANY = HostCompany(
    id="nmbrs-4711",
    name="Järvi Bakery",
    cost_centers=(("100", "Helsinki"), ("200", "Tampere")),
    cost_units=(("P-10", "Bakery line"), ("P-20", "Café")),
)

# A company of its own for the demo's "Test company" step: a refused attempt there must not
# touch the real company's run (its sent status, its attempt history).
TEST_COMPANY = HostCompany(
    id="nmbrs-4712-test",
    name="Järvi Bakery (test)",
    is_test_company=True,
    cost_centers=COMPANY.cost_centers,
    cost_units=COMPANY.cost_units,
)


def _run_lines(period: Period) -> list[JournalLine]:
    """A month's payroll: wages per cost center and unit, contributions, and what is payable."""

    def line(account: str, amount: str, text: str, cc: str | None = None, cu: str | None = None) -> JournalLine:
        return JournalLine(account, Decimal(amount), text, period, cc, cu)

    return [
        line("5000", "18400.00", "Wages Helsinki bakery line", "100", "P-10"),
        line("5000", "9650.00", "Wages Tampere café", "200", "P-20"),
        line("5020", "1240.50", "Holiday pay Helsinki", "100", "P-10"),
        line("6130", "4896.31", "TyEL pension contributions", "100"),
        line("6410", "526.65", "Social security contributions", "100"),
        line("2930", "-5873.42", "Withholding tax payable"),
        line("2937", "-4896.31", "TyEL contributions payable"),
        line("2935", "-526.65", "Social security contributions payable"),
        line("2939", "-23417.08", "Net wages payable"),
    ]


def _correction_lines(period: Period, extra: Decimal) -> list[JournalLine]:
    """A retroactive correction (e.g. a raise paid late): booked in the month it corrects."""
    tax = (extra * Decimal("0.25")).quantize(Decimal("0.01"))
    return [
        JournalLine("5000", extra, f"Correction wages {period}", period, "200", "P-20"),
        JournalLine("2930", -tax, f"Correction withholding tax {period}", period),
        JournalLine("2939", tax - extra, f"Correction net wages {period}", period),
    ]


def june_run(year: int) -> Journal:
    """June's run with corrections for January to May, all under the June run's reference."""
    june = Period(year, 6)
    lines: list[JournalLine] = []
    for month, extra in zip(range(1, 6), ("120.00", "120.00", "135.40", "98.10", "87.55"), strict=True):
        lines.extend(_correction_lines(Period(year, month), Decimal(extra)))
    lines.extend(_run_lines(june))
    return Journal(
        company_id=COMPANY.id,
        run_id=f"{year}-06-run-1",
        period=june,
        reference=f"Payroll June {year} run 1",
        booking_date=date(year, 6, 25),
        lines=tuple(lines),
    )
