"""The Procountor provider as the host's Integration page shows it, and typed access to its settings.

The host renders and stores the fields; :class:`AccountSettings` reads them back with the
defaults applied, so the rest of the plugin never handles raw setting values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.secret import Secret, reveal
from nmbrs_hookspecs.types import IntegrationAccount, IntegrationProvider, SettingField
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.rights import RIGHT_KEY

PROVIDER_KEY: Final = "procountor"

METHOD_LOGIN: Final = "login"
METHOD_API_KEY: Final = "api_key"

SETTINGS: Final = (
    SettingField(
        key="authorization_method",
        label="Authorization method",
        kind="choice",
        choices=(METHOD_LOGIN, METHOD_API_KEY),
        default=METHOD_LOGIN,
        help="'login': an admin logs in at Procountor and chooses the company. "
        "'api_key': a machine-to-machine API key created in Procountor for one user and company.",
    ),
    SettingField(
        key="api_key",
        label="API key",
        kind="secret",
        help="Only for the 'api_key' method: Procountor > API client keys > New API key.",
    ),
    SettingField(
        key="approve_receipts",
        label="Approve receipts after sending",
        kind="bool",
        default=False,
        help="Procountor creates journal receipts as 'Unfinished'; tick to approve them right away.",
    ),
    SettingField(
        key="vat_type",
        label="VAT type on journal rows",
        kind="choice",
        choices=("PURCHASE", "SALES"),
        default="PURCHASE",
    ),
    SettingField(
        key="vat_status",
        label="VAT status on journal rows",
        kind="int",
        default=12,
        help="12 = 'No VAT handling', the usual choice for payroll.",
    ),
    SettingField(
        key="create_missing_dimension_items",
        label="Create missing dimension items",
        kind="bool",
        default=False,
        help="Create a Procountor dimension item for a cost center or cost unit that has none, "
        "instead of refusing the export.",
    ),
    SettingField(
        key="attach_journal_lines",
        label="Attach the journal lines to each receipt",
        kind="bool",
        default=True,
        help="Attach each period's payroll journal lines to its receipt as a CSV file that a Finnish "
        "spreadsheet opens (semicolons, decimal comma, UTF-8): the voucher behind the entry.",
    ),
)

PROCOUNTOR_PROVIDER: Final = IntegrationProvider(
    key=PROVIDER_KEY, name="Procountor", right=RIGHT_KEY, settings=SETTINGS
)


def integration_providers() -> list[IntegrationProvider]:
    return [PROCOUNTOR_PROVIDER]


def is_ours(account: IntegrationAccount) -> bool:
    return account.provider == PROVIDER_KEY


@dataclass(frozen=True)
class AccountSettings:
    """An account's settings with defaults applied; the API key never shows in ``repr``."""

    authorization_method: str
    api_key: Secret | None
    approve_receipts: bool
    vat_type: str
    vat_status: int
    create_missing_dimension_items: bool
    attach_journal_lines: bool = True

    def __repr__(self) -> str:
        return (
            f"AccountSettings(authorization_method={self.authorization_method!r}, api_key={self.api_key!r}, "
            f"approve_receipts={self.approve_receipts}, vat_type={self.vat_type!r}, "
            f"vat_status={self.vat_status}, create_missing_dimension_items={self.create_missing_dimension_items}, "
            f"attach_journal_lines={self.attach_journal_lines})"
        )

    @classmethod
    def of(cls, account: IntegrationAccount, locale: str | None = None) -> AccountSettings:
        """The settings with defaults applied.

        A bad value raises :class:`ProblemError` with a code per setting in the admin's language,
        the one error contract every hook uses, so the Integration page can point at the field.
        """
        raw: Mapping[str, object] = account.settings
        defaults = {f.key: f.default for f in SETTINGS}

        def value(key: str) -> object:
            found = raw.get(key)
            return defaults[key] if found is None else found

        def refuse(key: str, bad: object) -> ProblemError:
            return ProblemError(
                [problem(f"procountor.settings.{key}", locale, field=f"settings.{key}", value=str(bad))]
            )

        method = value("authorization_method")
        if method not in (METHOD_LOGIN, METHOD_API_KEY):
            raise refuse("authorization_method", method)
        vat_type = value("vat_type")
        if vat_type not in ("PURCHASE", "SALES"):
            raise refuse("vat_type", vat_type)
        vat_status = value("vat_status")
        if isinstance(vat_status, bool) or not isinstance(vat_status, int) or vat_status < 0:
            raise refuse("vat_status", vat_status)
        # A Secret from a host that keeps the contract; a plain str from one that does not.
        api_key = (reveal(raw.get("api_key")) or "").strip()
        return cls(
            authorization_method=str(method),
            api_key=Secret(api_key) if api_key else None,
            approve_receipts=bool(value("approve_receipts")),
            vat_type=str(vat_type),
            vat_status=vat_status,
            create_missing_dimension_items=bool(value("create_missing_dimension_items")),
            attach_journal_lines=bool(value("attach_journal_lines")),
        )
