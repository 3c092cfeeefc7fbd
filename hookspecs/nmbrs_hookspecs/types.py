"""Types that cross the host/plugin boundary.

Every type is a frozen dataclass that validates itself in ``__post_init__`` (conda's plugin types
are the model): a plugin or host that builds a bad value fails at the line that built it, with a
message naming the field, instead of somewhere deep inside an export. Mappings are frozen into
read-only views so a value handed to a plugin cannot be changed behind the host's back.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

from nmbrs_hookspecs.secret import Secret

# Every closed set is a Literal, so a type checker refuses ``AccountStatus(state="authorised")``
# at the line that wrote it; the tuples below are the same sets for the run-time checks, which
# still guard hosts that do not type-check.
RightLevel = Literal["none", "read", "write"]
AccountState = Literal["unauthorized", "authorized", "expired", "revoked"]
# The states an account turns into without an admin doing anything: each is worth a notice.
NoticeState = Literal["expired", "revoked"]
DimensionKind = Literal["cost_center", "cost_unit"]
ExportStatus = Literal["sent", "already_sent", "partially_sent", "failed", "blocked"]
SettingKind = Literal["text", "secret", "bool", "choice", "int"]
Severity = Literal["error", "warning", "info"]
Environment = Literal["production", "test", "custom"]

RIGHT_LEVELS: Final[tuple[RightLevel, ...]] = get_args(RightLevel)
ACCOUNT_STATES: Final[tuple[AccountState, ...]] = get_args(AccountState)
NOTICE_STATES: Final[tuple[NoticeState, ...]] = get_args(NoticeState)
DIMENSION_KINDS: Final[tuple[DimensionKind, ...]] = get_args(DimensionKind)
EXPORT_STATUSES: Final[tuple[ExportStatus, ...]] = get_args(ExportStatus)
SETTING_KINDS: Final[tuple[SettingKind, ...]] = get_args(SettingKind)
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)
ENVIRONMENTS: Final[tuple[Environment, ...]] = get_args(Environment)
# A sanity bound on ProviderConfig.requests_per_second, not a provider's limit: a typo such as
# 2000 must not switch pacing off.
MAX_REQUESTS_PER_SECOND: Final = 1000

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PROBLEM_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _fail(type_name: str, field_name: str, value: object, why: str) -> ValueError:
    return ValueError(f"{type_name}.{field_name}={value!r}: {why}")


def _require_type(type_name: str, field_name: str, value: object, expected: type | tuple[type, ...]) -> None:
    # bool is an int subclass; a True where a month belongs is a bug, not a January.
    if isinstance(value, bool) and expected in (int, (int,)):
        raise TypeError(f"{type_name}.{field_name}={value!r}: expected int, got bool")
    if not isinstance(value, expected):
        names = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
        raise TypeError(f"{type_name}.{field_name}={value!r}: expected {names}, got {type(value).__name__}")


def _require_text(type_name: str, field_name: str, value: object, *, allow_empty: bool = False) -> None:
    _require_type(type_name, field_name, value, str)
    assert isinstance(value, str)
    if not allow_empty and not value.strip():
        raise _fail(type_name, field_name, value, "must not be empty")


def _require_key(type_name: str, field_name: str, value: object) -> None:
    _require_text(type_name, field_name, value)
    assert isinstance(value, str)
    if not _KEY.match(value):
        raise _fail(type_name, field_name, value, "must be lower_snake_case (a-z, 0-9, _)")


def _require_choice(type_name: str, field_name: str, value: object, choices: Iterable[str]) -> None:
    options = tuple(choices)
    if value not in options:
        raise _fail(type_name, field_name, value, f"must be one of {', '.join(options)}")


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


# --------------------------------------------------------------------------- template rights


@dataclass(frozen=True)
class TemplateRight:
    """A right that templates grant per user template, e.g. an integration's none/read/write."""

    key: str
    label: str
    levels: tuple[RightLevel, ...] = RIGHT_LEVELS
    default: RightLevel = "none"

    def __post_init__(self) -> None:
        _require_key("TemplateRight", "key", self.key)
        _require_text("TemplateRight", "label", self.label)
        _require_type("TemplateRight", "levels", self.levels, tuple)
        if not self.levels or any(level not in RIGHT_LEVELS for level in self.levels):
            raise _fail("TemplateRight", "levels", self.levels, f"must be drawn from {RIGHT_LEVELS}")
        _require_choice("TemplateRight", "default", self.default, self.levels)


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf the host calls a hook.

    ``rights`` maps right keys to levels as the user's template grants them; a right that is
    missing means ``none``. ``locale`` picks the language of the problems the plugin returns.
    """

    user_id: str
    rights: Mapping[str, RightLevel] = field(default_factory=dict)
    locale: str = "en"

    def __post_init__(self) -> None:
        _require_text("Actor", "user_id", self.user_id)
        _require_type("Actor", "rights", self.rights, Mapping)
        for key, level in self.rights.items():
            _require_key("Actor", "rights key", key)
            _require_choice("Actor", f"rights[{key!r}]", level, RIGHT_LEVELS)
        _require_text("Actor", "locale", self.locale)
        object.__setattr__(self, "rights", _frozen_mapping(self.rights))

    def level(self, right: str) -> RightLevel:
        """The level this actor holds for ``right``; a right the template lacks is ``none``."""
        return self.rights.get(right, "none")

    def may(self, right: str, needed: RightLevel) -> bool:
        """True when the actor's level for ``right`` is at least ``needed``."""
        _require_choice("Actor.may", "needed", needed, RIGHT_LEVELS)
        return RIGHT_LEVELS.index(self.level(right)) >= RIGHT_LEVELS.index(needed)


# --------------------------------------------------------------------------- integration settings


@dataclass(frozen=True)
class SettingField:
    """One setting the host renders and stores for an integration account.

    ``kind`` ``secret`` tells the host to mask the value in its UI and logs, to store it
    encrypted, and to hand it to plugins as a :class:`~nmbrs_hookspecs.secret.Secret` (the
    account's ``secret_keys``), so no ``repr``, log line or hook trace can show it.
    """

    key: str
    label: str
    kind: SettingKind = "text"
    default: object = None
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""

    def __post_init__(self) -> None:
        _require_key("SettingField", "key", self.key)
        _require_text("SettingField", "label", self.label)
        _require_choice("SettingField", "kind", self.kind, SETTING_KINDS)
        _require_type("SettingField", "choices", self.choices, tuple)
        if self.kind == "choice":
            if not self.choices:
                raise _fail("SettingField", "choices", self.choices, "a choice field needs choices")
            if self.default is not None:
                _require_choice("SettingField", "default", self.default, self.choices)
        if self.kind == "bool" and self.default is not None:
            _require_type("SettingField", "default", self.default, bool)
        if self.kind == "int" and self.default is not None:
            _require_type("SettingField", "default", self.default, int)

    @property
    def secret(self) -> bool:
        return self.kind == "secret"


@dataclass(frozen=True)
class IntegrationProvider:
    """An accounting provider a plugin adds to the host's master-level Integration page."""

    key: str
    name: str
    right: str
    settings: tuple[SettingField, ...] = ()

    def __post_init__(self) -> None:
        _require_key("IntegrationProvider", "key", self.key)
        _require_text("IntegrationProvider", "name", self.name)
        _require_key("IntegrationProvider", "right", self.right)
        _require_type("IntegrationProvider", "settings", self.settings, tuple)
        seen: set[str] = set()
        for setting in self.settings:
            _require_type("IntegrationProvider", "settings item", setting, SettingField)
            if setting.key in seen:
                raise _fail("IntegrationProvider", "settings", setting.key, "duplicate setting key")
            seen.add(setting.key)


@dataclass(frozen=True)
class IntegrationAccount:
    """A master-level account of one provider; ``settings`` hold the values of its SettingFields.

    ``secret_keys`` names the settings declared ``secret``: their values are wrapped in
    :class:`~nmbrs_hookspecs.secret.Secret` here, at construction, so the account's ``repr`` and
    ``str`` (which pluggy's hook tracing prints) never show them. A value that already is a
    ``Secret`` makes its key secret too. Plugins read a secret with ``Secret.reveal()``.
    """

    id: str
    provider: str
    username: str
    settings: Mapping[str, object] = field(default_factory=dict)
    secret_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _require_text("IntegrationAccount", "id", self.id)
        _require_key("IntegrationAccount", "provider", self.provider)
        _require_text("IntegrationAccount", "username", self.username)
        _require_type("IntegrationAccount", "settings", self.settings, Mapping)
        _require_type("IntegrationAccount", "secret_keys", self.secret_keys, (frozenset, set, tuple, list))
        declared = frozenset(self.secret_keys)
        values: dict[str, object] = {}
        for key, value in self.settings.items():
            if key in declared and value is not None and not isinstance(value, Secret):
                if not isinstance(value, str):
                    # The value is not shown: it is a secret in the wrong type.
                    raise TypeError(
                        f"IntegrationAccount.settings[{key!r}]: a secret setting must be a str, "
                        f"got {type(value).__name__}"
                    )
                value = Secret(value)
            values[key] = value
        found = frozenset(k for k, v in values.items() if isinstance(v, Secret))
        object.__setattr__(self, "settings", _frozen_mapping(values))
        object.__setattr__(self, "secret_keys", declared | found)


@dataclass(frozen=True)
class Administration:
    """A company (administration) in the accounting system that a host company maps to."""

    id: str
    name: str
    business_id: str = ""

    def __post_init__(self) -> None:
        _require_text("Administration", "id", self.id)
        _require_text("Administration", "name", self.name)
        _require_text("Administration", "business_id", self.business_id, allow_empty=True)


@dataclass(frozen=True)
class AccountStatus:
    """What the account's icon shows: state, a message for the admin, and the company if known.

    ``problems`` are warnings that do not change the state, e.g. that the grant a new login
    replaced could not be ended at the provider (the admin should end it there).
    """

    state: AccountState
    message: str = ""
    administration: Administration | None = None
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        _require_choice("AccountStatus", "state", self.state, ACCOUNT_STATES)
        _require_text("AccountStatus", "message", self.message, allow_empty=True)
        if self.administration is not None:
            _require_type("AccountStatus", "administration", self.administration, Administration)
        _require_type("AccountStatus", "problems", self.problems, tuple)
        for problem in self.problems:
            _require_type("AccountStatus", "problems item", problem, Problem)


@dataclass(frozen=True)
class AccountNotice:
    """An account stopped working and needs an admin: what the host mails or shows.

    Sent by the plugin once, when the account turns ``expired`` or ``revoked`` (the provider
    refused its grant or key). ``message`` and ``hint`` are in ``locale`` (the actor's whose
    action found out); ``translations`` hold message and hint in every language the plugin has,
    so a host can tell each admin in their own.
    """

    account_id: str
    provider: str
    username: str
    state: NoticeState
    code: str
    message: str
    hint: str
    locale: str
    translations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require_text("AccountNotice", "account_id", self.account_id)
        _require_key("AccountNotice", "provider", self.provider)
        _require_text("AccountNotice", "username", self.username)
        _require_choice("AccountNotice", "state", self.state, NOTICE_STATES)
        _require_text("AccountNotice", "code", self.code)
        if not _PROBLEM_CODE.match(self.code):
            raise _fail("AccountNotice", "code", self.code, "must be dotted lower_snake_case")
        _require_text("AccountNotice", "message", self.message)
        _require_text("AccountNotice", "hint", self.hint, allow_empty=True)
        _require_text("AccountNotice", "locale", self.locale)
        _require_type("AccountNotice", "translations", self.translations, Mapping)
        for language, text in self.translations.items():
            _require_text("AccountNotice", f"translations[{language!r}]", text)
        object.__setattr__(self, "translations", _frozen_mapping(self.translations))


# --------------------------------------------------------------------------- companies and mapping


def _code_pairs(type_name: str, field_name: str, value: object) -> tuple[tuple[str, str], ...]:
    _require_type(type_name, field_name, value, (tuple, list))
    pairs: list[tuple[str, str]] = []
    assert isinstance(value, tuple | list)
    for index, pair in enumerate(value):
        label = f"{field_name}[{index}]"
        _require_type(type_name, label, pair, (tuple, list))
        if len(pair) != 2:
            raise _fail(type_name, label, pair, "must be a (code, description) pair")
        _require_text(type_name, f"{label}.code", pair[0])
        _require_text(type_name, f"{label}.description", pair[1], allow_empty=True)
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


@dataclass(frozen=True)
class HostCompany:
    """A payroll company in the host, with the flags that gate sending and its cost objects."""

    id: str
    name: str
    is_test_company: bool = False
    debtor_blocked: bool = False
    cost_centers: tuple[tuple[str, str], ...] = ()
    cost_units: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _require_text("HostCompany", "id", self.id)
        _require_text("HostCompany", "name", self.name)
        _require_type("HostCompany", "is_test_company", self.is_test_company, bool)
        _require_type("HostCompany", "debtor_blocked", self.debtor_blocked, bool)
        object.__setattr__(self, "cost_centers", _code_pairs("HostCompany", "cost_centers", self.cost_centers))
        object.__setattr__(self, "cost_units", _code_pairs("HostCompany", "cost_units", self.cost_units))


@dataclass(frozen=True)
class DimensionMapping:
    """Whether a host cost object kind is sent, and the accounting dimension name it goes to."""

    kind: DimensionKind
    enabled: bool
    description: str = ""

    def __post_init__(self) -> None:
        _require_choice("DimensionMapping", "kind", self.kind, DIMENSION_KINDS)
        _require_type("DimensionMapping", "enabled", self.enabled, bool)
        _require_text("DimensionMapping", "description", self.description, allow_empty=True)


@dataclass(frozen=True)
class AdministrationMapping:
    """One host company mapped to one administration of one integration account."""

    account_id: str
    company_id: str
    administration_id: str
    dimensions: tuple[DimensionMapping, ...] = ()

    def __post_init__(self) -> None:
        _require_text("AdministrationMapping", "account_id", self.account_id)
        _require_text("AdministrationMapping", "company_id", self.company_id)
        _require_text("AdministrationMapping", "administration_id", self.administration_id)
        _require_type("AdministrationMapping", "dimensions", self.dimensions, tuple)
        kinds: set[str] = set()
        for item in self.dimensions:
            _require_type("AdministrationMapping", "dimensions item", item, DimensionMapping)
            if item.kind in kinds:
                raise _fail("AdministrationMapping", "dimensions", item.kind, "kind listed twice")
            kinds.add(item.kind)

    def dimension(self, kind: DimensionKind) -> DimensionMapping | None:
        """The mapping for ``kind`` when it is listed and enabled."""
        for item in self.dimensions:
            if item.kind == kind and item.enabled:
                return item
        return None


# --------------------------------------------------------------------------- journals


@dataclass(frozen=True, order=True)
class Period:
    """A payroll/booking month. Ordered, so corrections sort before the run's own period."""

    year: int
    month: int

    def __post_init__(self) -> None:
        _require_type("Period", "year", self.year, int)
        _require_type("Period", "month", self.month, int)
        if not 1900 <= self.year <= 9999:
            raise _fail("Period", "year", self.year, "must be between 1900 and 9999")
        if not 1 <= self.month <= 12:
            raise _fail("Period", "month", self.month, "must be between 1 and 12")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``YYYY-MM``, the form ``str()`` writes."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match:
            raise _fail("Period", "text", text, "expected YYYY-MM")
        return cls(int(match.group(1)), int(match.group(2)))


def _require_money(type_name: str, field_name: str, value: object) -> None:
    # Floats are refused outright: 0.1 + 0.2 is how journals stop balancing.
    if isinstance(value, float):
        raise TypeError(f"{type_name}.{field_name}={value!r}: money must be a Decimal, not a float")
    _require_type(type_name, field_name, value, Decimal)
    assert isinstance(value, Decimal)
    if not value.is_finite():
        raise _fail(type_name, field_name, value, "must be a finite amount")


@dataclass(frozen=True)
class JournalLine:
    """One line of a payroll journal. Debit positive, credit negative.

    The type checks shape only (a Decimal, a Period); business rules such as "at most two
    decimals" are the plugin's to report as problems naming the line, so a host can show every
    problem of a journal at once instead of failing on the first.
    """

    ledger_account: str
    amount: Decimal
    description: str
    period: Period
    cost_center: str | None = None
    cost_unit: str | None = None

    def __post_init__(self) -> None:
        _require_text("JournalLine", "ledger_account", self.ledger_account, allow_empty=True)
        _require_money("JournalLine", "amount", self.amount)
        _require_text("JournalLine", "description", self.description, allow_empty=True)
        _require_type("JournalLine", "period", self.period, Period)
        for name in ("cost_center", "cost_unit"):
            value = getattr(self, name)
            if value is not None:
                _require_text("JournalLine", name, value)


@dataclass(frozen=True)
class Journal:
    """The frozen journal of one payroll run, as the host's Journal entries Export holds it."""

    company_id: str
    run_id: str
    period: Period
    reference: str
    booking_date: date
    lines: tuple[JournalLine, ...]

    def __post_init__(self) -> None:
        _require_text("Journal", "company_id", self.company_id)
        _require_text("Journal", "run_id", self.run_id)
        _require_type("Journal", "period", self.period, Period)
        _require_text("Journal", "reference", self.reference, allow_empty=True)
        _require_type("Journal", "booking_date", self.booking_date, date)
        _require_type("Journal", "lines", self.lines, tuple)
        for index, line in enumerate(self.lines):
            _require_type("Journal", f"lines[{index}]", line, JournalLine)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    """Something the admin must know, in their language, with what to do about it.

    ``code`` is stable across releases and languages (hosts and support key on it); ``field``
    points at what is wrong (``lines[3].amount``, ``dimensions.cost_center``); ``severity``
    ``warning`` does not stop the action it was reported for.
    """

    code: str
    message: str
    field: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        _require_text("Problem", "code", self.code)
        if not _PROBLEM_CODE.match(self.code):
            raise _fail("Problem", "code", self.code, "must be dotted lower_snake_case, e.g. acme.period.closed")
        _require_text("Problem", "message", self.message)
        if self.field is not None:
            _require_text("Problem", "field", self.field)
        if self.hint is not None:
            _require_text("Problem", "hint", self.hint)
        _require_choice("Problem", "severity", self.severity, SEVERITIES)

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class PlannedReceipt:
    """A receipt the export would send: the exact payload, and a summary for the preview."""

    period: Period
    receipt_date: date
    name: str
    total: Decimal
    row_count: int
    payload: Mapping[str, Any]

    def __post_init__(self) -> None:
        _require_type("PlannedReceipt", "period", self.period, Period)
        _require_type("PlannedReceipt", "receipt_date", self.receipt_date, date)
        _require_text("PlannedReceipt", "name", self.name)
        _require_money("PlannedReceipt", "total", self.total)
        _require_type("PlannedReceipt", "row_count", self.row_count, int)
        _require_type("PlannedReceipt", "payload", self.payload, Mapping)
        object.__setattr__(self, "payload", _frozen_mapping(self.payload))


@dataclass(frozen=True)
class SentReceipt:
    """A receipt as it stands in the accounting system after an export."""

    period: Period
    external_id: str
    receipt_date: date
    name: str
    total: Decimal
    status: str

    def __post_init__(self) -> None:
        _require_type("SentReceipt", "period", self.period, Period)
        _require_text("SentReceipt", "external_id", self.external_id)
        _require_type("SentReceipt", "receipt_date", self.receipt_date, date)
        _require_text("SentReceipt", "name", self.name)
        _require_money("SentReceipt", "total", self.total)
        _require_text("SentReceipt", "status", self.status)


@dataclass(frozen=True)
class ExportPlan:
    """What an export would do, without doing it: payloads in booking order, and every problem."""

    receipts: tuple[PlannedReceipt, ...]
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        _require_type("ExportPlan", "receipts", self.receipts, tuple)
        for item in self.receipts:
            _require_type("ExportPlan", "receipts item", item, PlannedReceipt)
        _require_type("ExportPlan", "problems", self.problems, tuple)
        for problem in self.problems:
            _require_type("ExportPlan", "problems item", problem, Problem)

    @property
    def sendable(self) -> bool:
        return bool(self.receipts) and not any(p.blocking for p in self.problems)


@dataclass(frozen=True)
class ExportResult:
    """The outcome the host shows as the journal's sent status."""

    status: ExportStatus
    receipts: tuple[SentReceipt, ...] = ()
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        _require_choice("ExportResult", "status", self.status, EXPORT_STATUSES)
        _require_type("ExportResult", "receipts", self.receipts, tuple)
        for item in self.receipts:
            _require_type("ExportResult", "receipts item", item, SentReceipt)
        _require_type("ExportResult", "problems", self.problems, tuple)
        for problem in self.problems:
            _require_type("ExportResult", "problems item", problem, Problem)
        if self.status in ("sent", "already_sent") and any(p.blocking for p in self.problems):
            raise _fail("ExportResult", "status", self.status, "a sent export cannot carry blocking problems")
        if self.status in ("failed", "blocked", "partially_sent") and not any(p.blocking for p in self.problems):
            raise _fail("ExportResult", "problems", self.problems, f"status {self.status} needs a problem saying why")


# --------------------------------------------------------------------------- host configuration


_API_PATH: Final = re.compile(r"(/[A-Za-z0-9._~-]+)+")


@dataclass(frozen=True)
class ProviderConfig:
    """The host's configuration of a provider's API client (issued by the provider).

    ``environment`` is ``production``, ``test`` or ``custom``; ``base_url`` is required for
    ``custom`` (e.g. the sandbox). ``requests_per_second`` is the provider's limit for this API
    client, counted over *every* worker and machine of the host together (the host's
    :class:`~nmbrs_hookspecs.protocols.RequestLimiter` enforces it); ``None`` means the limit
    the provider documents for ``environment``, which the plugin knows. ``api_path`` is the path
    under the environment's host where its API lives (a provider may serve several, e.g.
    versioned ones); it starts with ``/`` and has no trailing slash, query or fragment. The
    secret never appears in ``repr``.
    """

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    environment: Environment = "production"
    base_url: str | None = None
    timeout_seconds: float = 30.0
    requests_per_second: float | None = None
    api_path: str = "/api"

    def __post_init__(self) -> None:
        _require_text("ProviderConfig", "client_id", self.client_id)
        if not isinstance(self.api_path, str) or not _API_PATH.fullmatch(self.api_path):
            raise _fail(
                "ProviderConfig",
                "api_path",
                self.api_path,
                "must be a path like /api: a leading slash, no trailing slash, query or fragment",
            )
        if not isinstance(self.client_secret, str) or not self.client_secret.strip():
            raise ValueError("ProviderConfig.client_secret: must be a non-empty string (value hidden)")
        _require_text("ProviderConfig", "redirect_uri", self.redirect_uri)
        _require_choice("ProviderConfig", "environment", self.environment, ENVIRONMENTS)
        if self.environment == "custom" and not self.base_url:
            raise _fail("ProviderConfig", "base_url", self.base_url, "required when environment is custom")
        if isinstance(self.timeout_seconds, bool) or not isinstance(self.timeout_seconds, int | float):
            raise TypeError(f"ProviderConfig.timeout_seconds={self.timeout_seconds!r}: expected a number")
        if not 0 < self.timeout_seconds <= 300:
            raise _fail("ProviderConfig", "timeout_seconds", self.timeout_seconds, "must be in (0, 300]")
        if self.requests_per_second is None:
            return
        if isinstance(self.requests_per_second, bool) or not isinstance(self.requests_per_second, int | float):
            raise TypeError(f"ProviderConfig.requests_per_second={self.requests_per_second!r}: expected a number")
        if not 0 < self.requests_per_second <= MAX_REQUESTS_PER_SECOND:
            raise _fail(
                "ProviderConfig",
                "requests_per_second",
                self.requests_per_second,
                f"must be in (0, {MAX_REQUESTS_PER_SECOND}] (or None for the provider's documented limit)",
            )


@dataclass(frozen=True)
class RequestRate:
    """A provider's request limit for one API client: ``requests`` per ``per_seconds``.

    ``key`` names the API client at one provider environment (e.g. provider, base URL and client
    id); every worker that uses the same key shares one window. The plugin builds it; the host's
    :class:`~nmbrs_hookspecs.protocols.RequestLimiter` enforces it.
    """

    key: str
    requests: int
    per_seconds: float = 1.0

    def __post_init__(self) -> None:
        _require_text("RequestRate", "key", self.key)
        if isinstance(self.requests, bool) or not isinstance(self.requests, int) or self.requests < 1:
            raise _fail("RequestRate", "requests", self.requests, "must be a whole number >= 1")
        if isinstance(self.per_seconds, bool) or not isinstance(self.per_seconds, int | float):
            raise TypeError(f"RequestRate.per_seconds={self.per_seconds!r}: expected a number")
        if not 0 < self.per_seconds <= 3600:
            raise _fail("RequestRate", "per_seconds", self.per_seconds, "must be in (0, 3600]")

    @classmethod
    def per_second(cls, key: str, requests_per_second: float) -> RequestRate:
        """``20.0`` -> 20 per second; ``0.5`` -> 1 per 2 seconds (a window holds whole requests)."""
        if isinstance(requests_per_second, bool) or not isinstance(requests_per_second, int | float):
            raise TypeError(f"RequestRate.per_second: requests_per_second={requests_per_second!r}: expected a number")
        if requests_per_second <= 0:
            raise _fail("RequestRate", "requests_per_second", requests_per_second, "must be positive")
        if requests_per_second >= 1:
            return cls(key, int(requests_per_second), 1.0)
        return cls(key, 1, 1.0 / requests_per_second)


@dataclass(frozen=True)
class StoredCredentials:
    """Token data as the host stores it, with the version that compare-and-swap writes expect."""

    data: Mapping[str, Any] = field(repr=False)
    version: int

    def __post_init__(self) -> None:
        _require_type("StoredCredentials", "data", self.data, Mapping)
        _require_type("StoredCredentials", "version", self.version, int)
        if self.version < 1:
            raise _fail("StoredCredentials", "version", self.version, "must be >= 1")
        object.__setattr__(self, "data", _frozen_mapping(self.data))


@dataclass(frozen=True)
class AuthorizationState:
    """An OAuth ``state`` the host keeps for the plugin: bound to one account, used once."""

    state: str = field(repr=False)
    account_id: str
    expires_at: float
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        _require_text("AuthorizationState", "state", self.state)
        _require_text("AuthorizationState", "account_id", self.account_id)
        _require_type("AuthorizationState", "expires_at", self.expires_at, (int, float))
        object.__setattr__(self, "data", _frozen_mapping(self.data))
