"""A small, real host: how a host team wires an accounting plugin in.

It builds the plugin manager, loads plugins from the ``nmbrs.plugins`` entry points, refuses
misnamed hooks (``check_pending``), collects and validates what plugins declare, enforces
template rights *before* calling a hook (a refused call never reaches the plugin), and keeps
everything the plugin must not own in SQLite. Tests and the demo run on it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from nmbrs_hookspecs import specs
from nmbrs_hookspecs.at_rest import KEYS_VARIABLE, CredentialCipher
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.limiter import BucketRequestLimiter, SqliteLimiterStore
from nmbrs_hookspecs.markers import ENTRY_POINT_GROUP, PROJECT_NAME
from nmbrs_hookspecs.protocols import RequestLimiter
from nmbrs_hookspecs.secret import CallbackParams, Secret
from nmbrs_hookspecs.store import (
    Clock,
    Database,
    SqliteAccountStore,
    SqliteAuthorizationStateStore,
    SqliteCredentialStore,
    SqliteExportResultStore,
    SqliteLeaseStore,
    SqliteMappingStore,
    SqliteNoticeStore,
)
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
    ProviderConfig,
    RightLevel,
    SettingField,
    TemplateRight,
)

_T = TypeVar("_T")

# The level of the provider's right each host action needs. Reading status, mappings and a
# preview is allowed with "read"; anything that changes state or sends needs "write".
REQUIRED_LEVEL: Mapping[str, RightLevel] = {
    "create_account": "write",
    "authorization_url": "write",
    "authorization_callback": "write",
    "account_status": "read",
    "remove_account": "write",
    "administrations": "read",
    "validate_mapping": "read",
    "save_mapping": "write",
    "preview_export": "read",
    "export_journal": "write",
    "sent_status": "read",
}


class HostError(ValueError):
    """A mistake in how the host itself was set up or called (not a user-facing problem)."""


def build_plugin_manager(
    *, load_entrypoints: bool = True, plugins: Iterable[tuple[object, str]] = ()
) -> pluggy.PluginManager:
    """A manager with the specs added, plugins loaded and every hookimpl matched to a spec."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(specs)
    for plugin, name in plugins:
        pm.register(plugin, name=name)
    if load_entrypoints:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    return pm


def _refused(actor: Actor, right: str, needed: str) -> ProblemError:
    return ProblemError(
        [
            Problem(
                code="nmbrs.rights.refused",
                message=f"Your template gives you '{actor.level(right)}' for '{right}'; this needs '{needed}'.",
                field=f"rights.{right}",
                hint=f"Ask an administrator to set '{right}' to '{needed}' in your template.",
            )
        ]
    )


class ReferenceHost:
    """The host: plugin manager, SQLite stores and the facade the UI would call.

    It is also the ``host`` object handed to hooks (see :class:`nmbrs_hookspecs.protocols.PluginHost`).

    Stored credentials and secret settings are encrypted with ``credential_keys`` (Fernet keys,
    newest first), or the keys in the environment variable ``NMBRS_CREDENTIAL_KEYS``; a
    ``:memory:`` database without either gets a key that lives as long as the host.
    """

    def __init__(
        self,
        db: str | Path = ":memory:",
        *,
        provider_configs: Mapping[str, ProviderConfig] | None = None,
        load_entrypoints: bool = True,
        plugins: Iterable[tuple[object, str]] = (),
        clock: Clock = time.time,
        request_limiter: RequestLimiter | None = None,
        credential_keys: Sequence[str] | None = None,
    ) -> None:
        """``request_limiter`` defaults to a SQLite window file next to ``db`` (shared by every
        process of this machine); pass ``BucketRequestLimiter(RedisLimiterStore(url))`` when the
        host's workers run on several machines."""
        cipher = _cipher(str(db), credential_keys)
        self.pm = build_plugin_manager(load_entrypoints=load_entrypoints, plugins=plugins)
        self.db = Database(db)
        self._limiter = request_limiter
        self._own_limiter_dir: str | None = None
        self._configs = dict(provider_configs or {})
        self._credentials = SqliteCredentialStore(self.db, cipher)
        self._states = SqliteAuthorizationStateStore(self.db, clock)
        self._leases = SqliteLeaseStore(self.db, clock)
        self._mappings = SqliteMappingStore(self.db)
        self._notices = SqliteNoticeStore(self.db, clock)
        self.accounts = SqliteAccountStore(self.db, cipher)
        self.results = SqliteExportResultStore(self.db, clock)
        self.rights = self._collect_rights()
        self.providers = self._collect_providers()

    # ------------------------------------------------------------------ what hooks may use (PluginHost)

    @property
    def credentials(self) -> SqliteCredentialStore:
        return self._credentials

    @property
    def request_limiter(self) -> RequestLimiter:
        if self._limiter is None:  # made on first use: most hosts in tests never call a provider
            if self.db.path == ":memory:":
                self._own_limiter_dir = tempfile.mkdtemp(prefix="nmbrs-limiter-")
                path = Path(self._own_limiter_dir) / "limiter.sqlite3"
            else:
                path = Path(f"{self.db.path}-limiter.sqlite3")
            self._limiter = BucketRequestLimiter(SqliteLimiterStore(path))
        return self._limiter

    @property
    def authorization_states(self) -> SqliteAuthorizationStateStore:
        return self._states

    @property
    def leases(self) -> SqliteLeaseStore:
        return self._leases

    @property
    def mappings(self) -> SqliteMappingStore:
        return self._mappings

    @property
    def notices(self) -> SqliteNoticeStore:
        return self._notices

    def provider_config(self, provider: str) -> ProviderConfig:
        try:
            return self._configs[provider]
        except KeyError:
            raise HostError(f"provider_config({provider!r}): the host has no configuration for it") from None

    # ------------------------------------------------------------------ start-up: declared data

    def _collect_rights(self) -> dict[str, TemplateRight]:
        rights: dict[str, TemplateRight] = {}
        for declared in self.pm.hook.nmbrs_template_rights():
            for right in declared:
                if not isinstance(right, TemplateRight):
                    raise HostError(f"nmbrs_template_rights returned {right!r}, not a TemplateRight")
                if right.key in rights:
                    raise HostError(f"template right {right.key!r} is declared by two plugins")
                rights[right.key] = right
        return rights

    def _collect_providers(self) -> dict[str, IntegrationProvider]:
        providers: dict[str, IntegrationProvider] = {}
        for declared in self.pm.hook.nmbrs_integration_providers():
            for provider in declared:
                if not isinstance(provider, IntegrationProvider):
                    raise HostError(f"nmbrs_integration_providers returned {provider!r}, not an IntegrationProvider")
                if provider.key in providers:
                    raise HostError(f"provider {provider.key!r} is declared by two plugins")
                if provider.right not in self.rights:
                    raise HostError(
                        f"provider {provider.key!r} needs right {provider.right!r}, which no plugin declares"
                    )
                providers[provider.key] = provider
        return providers

    # ------------------------------------------------------------------ rights

    def _require(self, actor: Actor, provider_key: str, action: str) -> None:
        right = self.providers[provider_key].right
        needed = REQUIRED_LEVEL[action]
        if not actor.may(right, needed):
            raise _refused(actor, right, needed)

    def _account(self, account_id: str) -> IntegrationAccount:
        account = self.accounts.get(account_id)
        if account is None:
            raise HostError(f"account_id={account_id!r}: no such account")
        return account

    def _guarded(self, actor: Actor, account_id: str, action: str) -> IntegrationAccount:
        account = self._account(account_id)
        self._require(actor, account.provider, action)
        return account

    @staticmethod
    def _answer(hook_name: str, value: object, expected: type[_T]) -> _T:
        """The first plugin's answer, checked to be the type the spec promises.

        pluggy returns ``Any``; checking here, at the one place hooks are called, turns a plugin's
        wrong answer into a clear host error and gives every caller a typed value.
        """
        if value is None:
            raise HostError(f"{hook_name}: no plugin answered")
        if not isinstance(value, expected):
            raise HostError(f"{hook_name}: a plugin answered {type(value).__name__}, expected {expected}")
        return value

    # ------------------------------------------------------------------ integration settings

    def create_account(
        self, actor: Actor, provider: str, username: str, settings: Mapping[str, object] | None = None
    ) -> IntegrationAccount:
        """Create a master-level account; settings are checked against the provider's fields."""
        if provider not in self.providers:
            raise HostError(f"provider={provider!r}: unknown provider; known: {sorted(self.providers)}")
        self._require(actor, provider, "create_account")
        if not isinstance(username, str) or not username.strip():
            raise ValueError(f"username={username!r}: enter a username (any text)")
        fields = self.providers[provider].settings
        values = _checked_settings(fields, settings or {})
        secret_keys = frozenset(f.key for f in fields if f.secret)
        account = IntegrationAccount(uuid.uuid4().hex, provider, username.strip(), values, secret_keys=secret_keys)
        self.accounts.add(account)
        return account

    def authorization_url(self, actor: Actor, account_id: str) -> str:
        account = self._guarded(actor, account_id, "authorization_url")
        url = self.pm.hook.nmbrs_authorization_url(account=account, actor=actor, host=self)
        return self._answer("nmbrs_authorization_url", url, str)

    def authorization_callback(self, actor: Actor, account_id: str, params: Mapping[str, str]) -> AccountStatus:
        account = self._guarded(actor, account_id, "authorization_callback")
        status = self.pm.hook.nmbrs_authorization_callback(
            account=account, actor=actor, params=CallbackParams(params), host=self
        )
        return self._answer("nmbrs_authorization_callback", status, AccountStatus)

    def account_status(self, actor: Actor, account_id: str) -> AccountStatus:
        account = self._guarded(actor, account_id, "account_status")
        status = self.pm.hook.nmbrs_account_status(account=account, actor=actor, host=self)
        return self._answer("nmbrs_account_status", status, AccountStatus)

    def remove_account(self, actor: Actor, account_id: str) -> list[Problem]:
        """Remove the account; the warnings plugins returned (e.g. a grant that could not be ended)."""
        account = self._guarded(actor, account_id, "remove_account")
        answers = self.pm.hook.nmbrs_account_removed(account=account, actor=actor, host=self)
        self.accounts.remove(account_id)
        return [p for answer in answers for p in answer if isinstance(p, Problem)]

    def rotate_credential_keys(self) -> int:
        """Re-encrypt every stored credential and secret setting with the newest key (see at_rest)."""
        return self._credentials.rotate() + self.accounts.rotate()

    # ------------------------------------------------------------------ administration mapping

    def administrations(self, actor: Actor, account_id: str) -> list[Administration]:
        account = self._guarded(actor, account_id, "administrations")
        found = self.pm.hook.nmbrs_administrations(account=account, actor=actor, host=self)
        return list(self._answer("nmbrs_administrations", found, list))

    def validate_mapping(self, actor: Actor, mapping: AdministrationMapping, company: HostCompany) -> list[Problem]:
        account = self._guarded(actor, mapping.account_id, "validate_mapping")
        if mapping.company_id != company.id:
            raise HostError(f"mapping.company_id={mapping.company_id!r} is not company.id={company.id!r}")
        problems = self.pm.hook.nmbrs_validate_mapping(
            account=account, mapping=mapping, company=company, actor=actor, host=self
        )
        return list(self._answer("nmbrs_validate_mapping", problems, list))

    def save_mapping(self, actor: Actor, mapping: AdministrationMapping, company: HostCompany) -> list[Problem]:
        """Validate, then save unless a blocking problem was found; returns every problem."""
        self._guarded(actor, mapping.account_id, "save_mapping")
        problems = self.validate_mapping(actor, mapping, company)
        if any(p.blocking for p in problems):
            raise ProblemError(problems)
        self._mappings.save(mapping)
        return problems

    def mapping_for(self, account_id: str, company_id: str) -> AdministrationMapping | None:
        return next((m for m in self._mappings.for_account(account_id) if m.company_id == company_id), None)

    # ------------------------------------------------------------------ journal export

    def _export_args(
        self, actor: Actor, account_id: str, company: HostCompany, journal: Journal, action: str
    ) -> dict[str, Any]:
        account = self._guarded(actor, account_id, action)
        if journal.company_id != company.id:
            raise HostError(f"journal.company_id={journal.company_id!r} is not company.id={company.id!r}")
        mapping = self.mapping_for(account_id, company.id)
        if mapping is None:
            raise ProblemError(
                [
                    Problem(
                        code="nmbrs.mapping.missing",
                        message=f"Company '{company.name}' is not mapped to an administration of this account.",
                        field="mapping",
                        hint="Open the Administrations tab, choose 'New mapping' and map the company first.",
                    )
                ]
            )
        return {
            "account": account,
            "mapping": mapping,
            "company": company,
            "journal": journal,
            "actor": actor,
            "host": self,
        }

    def preview_export(self, actor: Actor, account_id: str, company: HostCompany, journal: Journal) -> ExportPlan:
        args = self._export_args(actor, account_id, company, journal, "preview_export")
        plan = self.pm.hook.nmbrs_journal_export_preview(**args)
        return self._answer("nmbrs_journal_export_preview", plan, ExportPlan)

    def export_journal(self, actor: Actor, account_id: str, company: HostCompany, journal: Journal) -> ExportResult:
        """Send the journal and keep the result as its sent status (what the logo shows)."""
        args = self._export_args(actor, account_id, company, journal, "export_journal")
        result = self._answer("nmbrs_journal_export", self.pm.hook.nmbrs_journal_export(**args), ExportResult)
        self.results.save(account_id, company.id, journal.run_id, result)
        return result

    def sent_status(self, actor: Actor, account_id: str, company_id: str, run_id: str) -> ExportResult | None:
        self._guarded(actor, account_id, "sent_status")
        return self.results.get(account_id, company_id, run_id)

    def close(self) -> None:
        self.db.close()
        if isinstance(self._limiter, BucketRequestLimiter):
            self._limiter.close()
        if self._own_limiter_dir is not None:
            shutil.rmtree(self._own_limiter_dir, ignore_errors=True)


def _cipher(db: str, keys: Sequence[str] | None) -> CredentialCipher:
    """The configured keys, else the environment's; only a memory database may make up its own."""
    if keys is not None:
        return CredentialCipher(keys)
    configured = CredentialCipher.from_environment()
    if configured is not None:
        return configured
    if db == ":memory:":
        return CredentialCipher([CredentialCipher.generate_key()])
    raise HostError(
        f"ReferenceHost({db!r}): no key to encrypt stored credentials with: pass credential_keys=[...] "
        f"or set {KEYS_VARIABLE} (make a key with CredentialCipher.generate_key())"
    )


def _checked_settings(fields: Iterable[SettingField], given: Mapping[str, object]) -> dict[str, object]:
    """Apply defaults and refuse values that do not fit their field, naming field and value."""
    by_key = {f.key: f for f in fields}
    unknown = sorted(set(given) - set(by_key))
    if unknown:
        raise ValueError(f"settings: unknown setting(s) {unknown}; known: {sorted(by_key)}")
    values: dict[str, object] = {}
    checks: dict[str, Callable[[object], bool]] = {
        "text": lambda v: isinstance(v, str),
        "secret": lambda v: isinstance(v, str | Secret),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "choice": lambda v: isinstance(v, str),
    }
    for key, field in by_key.items():
        value = given.get(key, field.default)
        if value is None:
            if field.required:
                raise ValueError(f"settings.{key}: required")
            continue
        if isinstance(value, str):
            value = value.strip()
        if not checks[field.kind](value):
            shown = "<hidden>" if field.secret else repr(value)
            raise ValueError(f"settings.{key}={shown}: expected a {field.kind} value")
        if field.kind == "choice" and value not in field.choices:
            raise ValueError(f"settings.{key}={value!r}: must be one of {', '.join(field.choices)}")
        if field.required and value == "":
            raise ValueError(f"settings.{key}: required")
        values[key] = value
    return values
