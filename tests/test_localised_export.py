"""What a Finnish and a Dutch admin read when an export fails: whole sentences of their language.

Each scenario runs the real export against the sandbox (journal checks, pre-flight reads, the
POST and Procountor's refusal) and compares the problems' text word for word, so an English
fragment, a dot-decimal amount or an ISO period in the middle of a sentence fails here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    AdministrationMapping,
    DimensionMapping,
    IntegrationAccount,
    Journal,
    JournalLine,
    Period,
    Problem,
)
from nmbrs_procountor_devtools.demo_data import COMPANY
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.payloads import LedgerAccount
from procountor_sandbox import Sandbox
from tests.conftest import COMPANY_1, store_tokens

YEAR = 2026
NBSP = "\u00a0"


def actor(locale: str) -> Actor:
    return Actor(f"{locale}-admin", {"procountor": "write"}, locale=locale)


@pytest.fixture
def mapped(host: ReferenceHost, authorized_account: IntegrationAccount, admin: Actor) -> IntegrationAccount:
    dims = (DimensionMapping("cost_center", False, "Kustannuspaikka"), DimensionMapping("cost_unit", False, "Projekti"))
    host.save_mapping(admin, AdministrationMapping(authorized_account.id, COMPANY.id, str(COMPANY_1), dims), COMPANY)
    return authorized_account


def journal(period: Period, *lines: tuple[str, str]) -> Journal:
    return Journal(
        COMPANY.id,
        f"run-{period}",
        period,
        "Palkat",
        date(period.year, period.month, 25),
        tuple(JournalLine(account, Decimal(amount), "palkka", period) for account, amount in lines),
    )


def texts(problems: tuple[Problem, ...], code: str) -> list[tuple[str, str | None]]:
    return [(p.message, p.hint) for p in problems if p.code == code]


def export(host: ReferenceHost, locale: str, account: IntegrationAccount, run: Journal) -> tuple[Problem, ...]:
    result = host.export_journal(actor(locale), account.id, COMPANY, run)
    assert result.status == "blocked"  # data or mapping to fix, whether seen before or in the POST
    return result.problems


UNBALANCED = journal(Period(YEAR, 6), ("5000", "34713.46"), ("2939", "-34713.45"))


def test_an_unbalanced_period_reads_as_finnish(host: ReferenceHost, mapped: IntegrationAccount) -> None:
    assert texts(export(host, "fi-FI", mapped, UNBALANCED), "procountor.journal.unbalanced") == [
        (
            f"Jaksolle 6/2026 kirjattavat rivit eivät täsmää: debet 34{NBSP}713,46 ja kredit 34{NBSP}713,45"
            " eroavat 0,01.",
            "Jokaisen tositteen summan on oltava 0,00. Tarkista tiliöinnin jakson 6/2026 rivit palkanlaskennassa.",
        )
    ]


def test_an_unbalanced_period_reads_as_dutch(host: ReferenceHost, mapped: IntegrationAccount) -> None:
    assert texts(export(host, "nl_NL", mapped, UNBALANCED), "procountor.journal.unbalanced") == [
        (
            "De regels in periode juni 2026 zijn niet in balans: debet 34.713,46 en credit 34.713,45 verschillen 0,01.",
            "Elke boeking moet op 0,00 uitkomen. Controleer de regels van juni 2026 in de salarisadministratie.",
        )
    ]


@pytest.fixture
def march_closed(sandbox: Sandbox) -> Journal:
    sandbox.set_tracking_period_status(COMPANY_1, YEAR, 3, "CLOSED")
    # Line 2 books on an account that is not in Procountor's chart of accounts.
    return journal(Period(YEAR, 3), ("5000", "100.00"), ("4711", "5.00"), ("2939", "-105.00"))


def test_a_closed_period_and_an_unknown_account_read_as_finnish(
    host: ReferenceHost, mapped: IntegrationAccount, march_closed: Journal
) -> None:
    problems = export(host, "fi", mapped, march_closed)
    assert texts(problems, "procountor.period.closed") == [
        (
            "25.3.2026 osuu Procountorissa suljetulle kaudelle (1.3.2026–31.3.2026).",
            "Avaa seurantakausi Procountorissa (Hallinta > Kirjanpidon tiedot > Tilikaudet) ja lähetä uudelleen.",
        )
    ]
    assert texts(problems, "procountor.account.unknown") == [
        (
            "Tiliä 4711 (rivi 2) ei ole Procountorin tilikartassa.",
            "Lisää tili 4711 Procountoriin tai korjaa Nmbrsin tilikaavio ja muodosta kirjaukset uudelleen.",
        )
    ]


def test_a_closed_period_and_an_unknown_account_read_as_dutch(
    host: ReferenceHost, mapped: IntegrationAccount, march_closed: Journal
) -> None:
    problems = export(host, "nl-NL", mapped, march_closed)
    assert texts(problems, "procountor.period.closed") == [
        (
            "25 mrt 2026 valt in een afgesloten periode in Procountor (1 mrt 2026 t/m 31 mrt 2026).",
            "Open de periode in Procountor (Beheer > Boekhoudgegevens > Boekjaren) en verzend daarna opnieuw.",
        )
    ]
    assert texts(problems, "procountor.account.unknown") == [
        (
            "Grootboekrekening 4711 (regel 2) bestaat niet in het rekeningschema van Procountor.",
            "Voeg rekening 4711 toe in Procountor, of corrigeer het grootboekschema in Nmbrs en genereer de"
            " journaalposten opnieuw.",
        )
    ]


@pytest.fixture
def account_removed_after_the_check(monkeypatch: pytest.MonkeyPatch) -> Journal:
    """The chart read before sending still lists 4711; Procountor no longer has it when the POST comes."""
    real = ProcountorClient.chart_of_accounts

    def chart_with_4711(self: ProcountorClient) -> list[LedgerAccount]:
        return [*real(self), {"ledgerAccountCode": "4711", "active": True}]

    monkeypatch.setattr(ProcountorClient, "chart_of_accounts", chart_with_4711)
    return journal(Period(YEAR, 6), ("5000", "100.00"), ("4711", "5.00"), ("2939", "-105.00"))


def test_a_procountor_field_error_reads_as_finnish(
    host: ReferenceHost, mapped: IntegrationAccount, account_removed_after_the_check: Journal
) -> None:
    problems = export(host, "fi", mapped, account_removed_after_the_check)
    assert texts(problems, "procountor.account.rejected") == [
        (
            "Procountor hylkäsi tilin 4711 kauden 6/2026 tositteen rivillä 2: tiliä ei ole tilikartassa tai se ei"
            " salli tätä ALV-prosenttia.",
            "Tarkista Procountorissa, että tili 4711 on olemassa, käytössä ja sallii kirjaukset ilman arvonlisäveroa,"
            " tai korjaa Nmbrsin tilikaavio ja muodosta kirjaukset uudelleen.",
        )
    ]
    [rejected] = [p for p in problems if p.code == "procountor.account.rejected"]
    assert rejected.field == "lines[1].ledger_account"


def test_a_procountor_field_error_reads_as_dutch(
    host: ReferenceHost, mapped: IntegrationAccount, account_removed_after_the_check: Journal
) -> None:
    problems = export(host, "nl", mapped, account_removed_after_the_check)
    assert texts(problems, "procountor.account.rejected") == [
        (
            "Procountor weigerde grootboekrekening 4711 op regel 2 van de boeking voor juni 2026: de rekening staat"
            " niet in het rekeningschema of staat dit btw-percentage niet toe.",
            "Controleer in Procountor of rekening 4711 bestaat, in gebruik is en boekingen zonder btw toestaat; of"
            " corrigeer het grootboekschema in Nmbrs en genereer de journaalposten opnieuw.",
        )
    ]


def test_an_unknown_procountor_refusal_still_names_line_and_field_in_dutch(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    # VAT status 3 is enabled for sales only: Procountor refuses it on a PURCHASE receipt, in English.
    account = host.create_account(admin, "procountor", "vat-3", {"vat_status": 3})
    store_tokens(host, sandbox, account)
    dims = (DimensionMapping("cost_center", False, "Kustannuspaikka"), DimensionMapping("cost_unit", False, "Projekti"))
    # The mapping check would refuse VAT status 3 up front; VAT defaults can change in Procountor
    # after a mapping was checked, so the mapping is stored as it was saved before that.
    host.mappings.save(AdministrationMapping(account.id, COMPANY.id, str(COMPANY_1), dims))
    problems = export(host, "nl", account, journal(Period(YEAR, 6), ("5000", "10.00"), ("2939", "-10.00")))
    messages = [
        p.message for p in problems if p.code in {"procountor.export.rejected", "procountor.export.receipt_rejected"}
    ]
    assert (
        "Procountor weigerde de boeking voor juni 2026, veld 'btw-status': de waarde werd niet geaccepteerd"
        in (messages[0])
    )
    assert all("VAT status" not in m and "not enabled" not in m for m in messages)
