"""The gates an export passes before anything is read or sent.

They need nothing from Procountor: the actor's right, the company's flags from the host, a
stored authorization, and a saved mapping that agrees with it. All of them are checked, so an
admin learns every reason at once.
"""

from __future__ import annotations

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, HostCompany, IntegrationAccount, Journal, Problem
from nmbrs_procountor_plugin.api.connection import stored_record
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.rights import require_read, require_write


def check_gates(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
    *,
    sending: bool,
) -> list[Problem]:
    """Every gate problem; an empty list means the export may read Procountor."""
    locale = actor.locale
    problems: list[Problem] = []
    try:
        require_write(actor, "send") if sending else require_read(actor)
    except ProblemError as refused:
        problems.extend(refused.problems)
    if company.is_test_company:
        problems.append(
            problem("procountor.export.test_company", locale, company=company.name, field="company.is_test_company")
        )
    if company.debtor_blocked:
        problems.append(
            problem("procountor.export.debtor_blocked", locale, company=company.name, field="company.debtor_blocked")
        )
    if journal.company_id != company.id:
        problems.append(
            problem("procountor.export.not_mapped", locale, company=company.name, field="journal.company_id")
        )
    authorized_company: str | None = None
    try:
        authorized_company = stored_record(account, host, locale).company_id
    except ProblemError as unauthorized:
        problems.extend(unauthorized.problems)
    saved = [m for m in host.mappings.for_account(account.id) if m.company_id == company.id]
    if (
        not saved
        or mapping.account_id != account.id
        or mapping.company_id != company.id
        or saved[0].administration_id != mapping.administration_id
        or (authorized_company is not None and mapping.administration_id != authorized_company)
    ):
        problems.append(problem("procountor.export.not_mapped", locale, company=company.name, field="mapping"))
    return problems
