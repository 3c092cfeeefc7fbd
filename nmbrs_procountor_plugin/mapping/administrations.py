"""Administration mapping: which Procountor company an account offers, and whether a mapping is sound.

The promise of this area is "an admin who maps a company gets, in one answer, every problem that
would later stop an export, each with what to do". So :func:`validate_mapping` does not stop at
the first problem: the checks that need no Procountor call (one mapping per account, blank
descriptions, one dimension used for both kinds) are always answered, even when the account is
not authorized or Procountor cannot be reached; those failures are themselves problems in the
same answer. Procountor's dimensions are read once per call (one ``GET /dimensions``) and never
kept between calls: an admin who fixes a name in Procountor and checks again must see the fix.

Rules, from the help article (docs/product.md §3): one administration per account (a second one needs another
account), and the dimension description must be "similar to" the dimension's name in Procountor,
which the plugin reads as "equal, ignoring case and surrounding or repeated whitespace" (see
:mod:`nmbrs_procountor_plugin.mapping.dimensions`): a near miss is reported with the closest name rather
than guessed, because booking on the wrong dimension is worse than stopping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import (
    DIMENSION_KINDS,
    Actor,
    Administration,
    AdministrationMapping,
    DimensionKind,
    DimensionMapping,
    HostCompany,
    IntegrationAccount,
    Problem,
)
from nmbrs_procountor_plugin.api.connection import open_client, stored_record
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from nmbrs_procountor_plugin.api.errors import ProcountorError, ProcountorForbidden
from nmbrs_procountor_plugin.export.refusals import problems_for
from nmbrs_procountor_plugin.mapping.coverage import MappedKind, coverage_problems
from nmbrs_procountor_plugin.mapping.dimensions import (
    Dimension,
    closest_name,
    find_dimension,
    normalise,
    parse_dimensions,
)
from nmbrs_procountor_plugin.mapping.vat import vat_setting_problems
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings
from nmbrs_procountor_plugin.rights import require_read

# Where a dimension problem points: the host's form field for the kind's description.
DIMENSION_FIELDS: Final = {kind: f"dimensions.{kind}" for kind in DIMENSION_KINDS}


# ----------------------------------------------------------------------------- administrations


def administrations(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Administration]:
    """The one Procountor company the account's authorization belongs to, as Procountor names it now.

    Asked of Procountor (``GET /company``) rather than read from the stored record, so the dialog
    shows the company's current name and business id, and a withdrawn authorization shows up
    here instead of at the first export.
    """
    require_read(actor)
    client = open_client(account, host, actor.locale)
    try:
        raw = client.company()
    except ProcountorError as exc:
        raise ProblemError(problems_for(exc, None, actor.locale, account.username)) from exc
    return [_administration(raw, actor.locale)]


def _administration(raw: Mapping[str, Any], locale: str | None) -> Administration:
    """Read ``GET /company``: id, name and the business id (``businessIdentifier.code``)."""
    company_id = raw.get("id")
    if company_id is None or not str(company_id).strip():
        raise ProblemError([problem("procountor.unexpected_response", locale, detail="GET /company: id")])
    identifier = raw.get("businessIdentifier")
    business_id = identifier.get("code") if isinstance(identifier, Mapping) else None
    return Administration(
        id=str(company_id).strip(),
        name=str(raw.get("name") or "").strip() or str(company_id),
        business_id=str(business_id or "").strip(),
    )


# ----------------------------------------------------------------------------- validation


def validate_mapping(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    actor: Actor,
    host: PluginHost,
) -> list[Problem]:
    """Every problem of ``mapping`` in one answer: account rules, VAT settings, dimension names, coverage.

    Order: account-level problems (the VAT status checked against ``GET /vats/default``), then
    per kind (cost centers before cost units) the dimension
    problem, then the coverage warnings. A Procountor failure (not authorized, expired,
    unreachable) is returned as a problem next to the checks that did not need Procountor.
    """
    require_read(actor)
    locale = actor.locale
    problems = one_per_account(account, mapping, host, locale)
    blank, wanted = check_descriptions(mapping, locale)
    try:
        record = stored_record(account, host, locale)
    except ProblemError as exc:
        return [*problems, *exc.problems, *_in_kind_order({**blank, **same_description(wanted, locale)})]
    problems.extend(administration_mismatch(account, mapping, record, locale))
    try:
        problems.extend(vat_setting_problems(account, host, record.company_name, locale))
    except ProblemError as exc:
        return [*problems, *exc.problems, *_in_kind_order({**blank, **same_description(wanted, locale)})]
    if not wanted:
        return [*problems, *_in_kind_order(blank)]
    try:
        dimensions = read_dimensions(account, host, locale)
    except ProblemError as exc:
        return [*problems, *exc.problems, *_in_kind_order({**blank, **same_description(wanted, locale)})]
    mapped, found = match_dimension_names(wanted, dimensions, record.company_name, locale)
    problems.extend(_in_kind_order({**blank, **found}))
    try:
        settings = AccountSettings.of(account, locale)
    except ProblemError as exc:
        return [*problems, *exc.problems]
    problems.extend(
        coverage_problems(mapped, company, create_missing=settings.create_missing_dimension_items, locale=locale)
    )
    return problems


def one_per_account(
    account: IntegrationAccount, mapping: AdministrationMapping, host: PluginHost, locale: str | None
) -> list[Problem]:
    """Refuse a mapping for a second host company on an account that already has one.

    Re-saving the mapping of the company that is already mapped is fine (the host replaces it).
    A second administration is impossible on one account anyway, because the account is
    authorized for one company: :func:`administration_mismatch` reports that case.
    """
    others = sorted({m.company_id for m in host.mappings.for_account(account.id) if m.company_id != mapping.company_id})
    if not others:
        return []
    return [
        problem(
            "procountor.mapping.one_per_account",
            locale,
            field="company_id",
            username=account.username,
            mapped_company=others,
            company_id=mapping.company_id,
        )
    ]


def administration_mismatch(
    account: IntegrationAccount, mapping: AdministrationMapping, record: TokenRecord, locale: str | None
) -> list[Problem]:
    """Refuse an administration other than the company the account's authorization belongs to.

    Compared with the stored record (written from ``GET /company`` when the admin authorized), so
    this check costs no Procountor call; the token itself can only reach that company.
    """
    if mapping.administration_id.strip() == record.company_id.strip():
        return []
    return [
        problem(
            "procountor.mapping.administration_mismatch",
            locale,
            field="administration_id",
            username=account.username,
            administration_id=mapping.administration_id,
            authorized_id=record.company_id,
            authorized_name=record.company_name,
        )
    ]


def check_descriptions(
    mapping: AdministrationMapping, locale: str | None
) -> tuple[dict[str, Problem], list[DimensionMapping]]:
    """Refuse enabled kinds with a blank description; the other enabled kinds are left to look up.

    A disabled kind is ignored whatever its description says: the host keeps the text while the
    checkbox is off, and the export never uses it.
    """
    problems: dict[str, Problem] = {}
    wanted: list[DimensionMapping] = []
    for kind in DIMENSION_KINDS:
        item = mapping.dimension(kind)
        if item is None:
            continue
        if item.description.strip():
            wanted.append(item)
            continue
        problems[kind] = problem(
            "procountor.mapping.dimension_description_missing",
            locale,
            field=DIMENSION_FIELDS[kind],
            kind=kind,
        )
    return problems, wanted


def same_description(wanted: Sequence[DimensionMapping], locale: str | None) -> dict[str, Problem]:
    """Kinds whose descriptions name the same dimension, judged by the text alone.

    Used when Procountor's dimensions cannot be read, so the answer still carries this problem;
    with the dimensions at hand :func:`match_dimension_names` judges by the dimension found.
    """
    problems: dict[str, Problem] = {}
    seen: dict[str, DimensionMapping] = {}
    for item in wanted:
        earlier = seen.setdefault(normalise(item.description), item)
        if earlier is not item:
            problems[item.kind] = _used_twice(item.kind, earlier.kind, " ".join(earlier.description.split()), locale)
    return problems


def _used_twice(kind: DimensionKind, earlier_kind: DimensionKind, dimension: str, locale: str | None) -> Problem:
    """Both kinds on one dimension: reported on the later kind, the earlier one keeps its checks."""
    return problem(
        "procountor.mapping.dimension_used_twice",
        locale,
        field=DIMENSION_FIELDS[kind],
        kind=kind,
        other_kind=earlier_kind,
        dimension=dimension,
    )


def read_dimensions(account: IntegrationAccount, host: PluginHost, locale: str | None) -> tuple[Dimension, ...]:
    """The company's dimensions from one ``GET /dimensions``; ProblemError saying why not."""
    client = open_client(account, host, locale)
    try:
        return parse_dimensions(client.dimensions())
    except ProcountorForbidden as exc:
        raise ProblemError(
            [problem("procountor.mapping.dimensions_forbidden", locale, username=account.username)]
        ) from exc
    except ProcountorError as exc:
        raise ProblemError(problems_for(exc, None, locale, account.username)) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProblemError(
            [problem("procountor.unexpected_response", locale, detail=f"GET /dimensions: {type(exc).__name__}")]
        ) from exc


def match_dimension_names(
    wanted: Sequence[DimensionMapping], dimensions: Sequence[Dimension], company_name: str, locale: str | None
) -> tuple[list[MappedKind], dict[str, Problem]]:
    """Match each wanted kind's description to a Procountor dimension by name.

    An unknown name is reported with every name that exists and the closest one, so the admin
    can correct it without opening Procountor.
    """
    mapped: list[MappedKind] = []
    problems: dict[str, Problem] = {}
    names = tuple(f"'{d.name}'" for d in dimensions)
    lookups = [(item, find_dimension(dimensions, item.description)) for item in wanted]
    missing = same_description([item for item, found in lookups if found is None], locale)
    for item, found in lookups:
        if found is not None:
            earlier = next((m for m in mapped if m.dimension.id == found.id), None)
            if earlier is None:
                mapped.append(MappedKind(item.kind, found))
            else:
                problems[item.kind] = _used_twice(item.kind, earlier.kind, found.name, locale)
            continue
        if item.kind in missing:  # the same unknown name twice: one "not found" is enough
            problems[item.kind] = missing[item.kind]
            continue
        shown = " ".join(item.description.split())
        closest = closest_name(dimensions, item.description)
        if closest is None:
            problems[item.kind] = problem(
                "procountor.mapping.no_dimensions",
                locale,
                field=DIMENSION_FIELDS[item.kind],
                kind=item.kind,
                description=shown,
                company_name=company_name,
            )
        else:
            problems[item.kind] = problem(
                "procountor.mapping.dimension_not_found",
                locale,
                field=DIMENSION_FIELDS[item.kind],
                kind=item.kind,
                description=shown,
                names=names,
                closest=closest,
                company_name=company_name,
            )
    return mapped, problems


def _in_kind_order(by_kind: Mapping[str, Problem]) -> list[Problem]:
    return [by_kind[kind] for kind in DIMENSION_KINDS if kind in by_kind]
