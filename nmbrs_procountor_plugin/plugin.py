"""The hookimpls: the only module the host loads (entry point ``nmbrs.plugins: procountor``).

Each hook is a few lines: decline accounts of other providers (firstresult hooks answer
``None``), then delegate to the module that owns the concern. Every hook that can fail passes
through :func:`~nmbrs_procountor_plugin.boundary.clean_boundary`, so no exception reaching the
host holds a token or secret in its chain. The heavy modules are imported on
first use, so loading the plugin into every host worker costs almost nothing.
"""

from __future__ import annotations

from nmbrs_hookspecs import hookimpl
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.secret import CallbackParams
from nmbrs_hookspecs.types import (
    AccountStatus,
    Actor,
    Administration,
    AdministrationMapping,
    ExportPlan,
    ExportResult,
    HostCompany,
    IntegrationAccount,
    IntegrationProvider,
    Journal,
    Problem,
    TemplateRight,
)
from nmbrs_procountor_plugin.boundary import clean_boundary
from nmbrs_procountor_plugin.provider import integration_providers, is_ours
from nmbrs_procountor_plugin.rights import template_rights


@hookimpl
def nmbrs_template_rights() -> list[TemplateRight]:
    return template_rights()


@hookimpl
def nmbrs_integration_providers() -> list[IntegrationProvider]:
    return integration_providers()


@hookimpl
@clean_boundary
def nmbrs_authorization_url(account: IntegrationAccount, actor: Actor, host: PluginHost) -> str | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.authorization import flow as authorization

    return authorization.authorization_url(account, actor, host)


@hookimpl
@clean_boundary
def nmbrs_authorization_callback(
    account: IntegrationAccount, actor: Actor, params: CallbackParams, host: PluginHost
) -> AccountStatus | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.authorization import flow as authorization

    return authorization.authorization_callback(account, actor, params, host)


@hookimpl
@clean_boundary
def nmbrs_account_status(account: IntegrationAccount, actor: Actor, host: PluginHost) -> AccountStatus | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.authorization import flow as authorization

    return authorization.account_status(account, actor, host)


@hookimpl
@clean_boundary
def nmbrs_account_removed(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Problem] | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.authorization import flow as authorization

    return authorization.account_removed(account, actor, host)


@hookimpl
@clean_boundary
def nmbrs_administrations(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Administration] | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.mapping import administrations as mapping

    return mapping.administrations(account, actor, host)


@hookimpl
@clean_boundary
def nmbrs_validate_mapping(
    account: IntegrationAccount, mapping: AdministrationMapping, company: HostCompany, actor: Actor, host: PluginHost
) -> list[Problem] | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.mapping import administrations as mapping_module

    return mapping_module.validate_mapping(account, mapping, company, actor, host)


@hookimpl
@clean_boundary
def nmbrs_journal_export_preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportPlan | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.export import pipeline as export

    return export.preview(account, mapping, company, journal, actor, host)


@hookimpl
@clean_boundary
def nmbrs_journal_export(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportResult | None:
    if not is_ours(account):
        return None
    from nmbrs_procountor_plugin.export import pipeline as export

    return export.export(account, mapping, company, journal, actor, host)
