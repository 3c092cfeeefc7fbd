"""Whether the account's VAT settings are ones Procountor will take, asked before the first export.

Procountor refuses a journal whose ``vatStatus`` is not enabled for its ``vatType`` (published
definition: "The VAT status used must be enabled for the current receipt type", see
docs/procountor-api.md §3a). ``GET /vats/default`` lists the enabled statuses per sales and
purchase, so the mapping check reads it once and says so in advance, instead of the first POST
failing. The export does not repeat the call: the settings are checked where they are chosen.
A user without the right to read the VAT defaults (403) is not stopped from mapping: the check
is skipped and logged, and Procountor's own refusal at export remains the last word.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import IntegrationAccount, Problem
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.api.errors import ProcountorError, ProcountorForbidden
from nmbrs_procountor_plugin.export.refusals import problems_for
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings

log = logging.getLogger(__name__)


def enabled_statuses(vat_defaults: Mapping[str, Any], vat_type: str) -> list[int]:
    """The VAT status numbers ``GET /vats/default`` marks as enabled for ``vat_type``, in its order."""
    flag = "sales" if vat_type == "SALES" else "purchase"
    statuses = vat_defaults.get("vatStatuses")
    if not isinstance(statuses, list):
        raise ValueError("GET /vats/default: no vatStatuses list")
    return [
        entry["vatStatus"]
        for entry in statuses
        if isinstance(entry, Mapping) and isinstance(entry.get("vatStatus"), int) and entry.get(flag) is True
    ]


def vat_setting_problems(
    account: IntegrationAccount, host: PluginHost, company_name: str, locale: str | None
) -> list[Problem]:
    """A problem on ``vat_status`` when it is not enabled for the account's VAT type; else none."""
    settings = AccountSettings.of(account)
    client = open_client(account, host, locale)
    try:
        enabled = enabled_statuses(client.vat_defaults(), settings.vat_type)
    except ProcountorForbidden:
        log.info("procountor: account %s may not read the VAT defaults; VAT settings not checked", account.id)
        return []
    except ProcountorError as exc:
        raise ProblemError(problems_for(exc, None, locale, account.username)) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise ProblemError(
            [problem("procountor.unexpected_response", locale, detail=f"GET /vats/default: {type(exc).__name__}")]
        ) from exc
    if settings.vat_status in enabled:
        return []
    return [
        problem(
            "procountor.mapping.vat_status_not_enabled",
            locale,
            field="vat_status",
            vat_status=str(settings.vat_status),
            vat_receipts=settings.vat_type,
            enabled=tuple(str(s) for s in enabled) or ("-",),
            company_name=company_name,
            username=account.username,
        )
    ]
