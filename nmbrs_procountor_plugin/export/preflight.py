"""Pre-flight: everything Procountor would refuse, found before the first write.

A payroll journal that is refused halfway leaves the books half done, so the export reads
Procountor's master data first, once each and side by side (chart of accounts, dimensions,
fiscal years, and the user's rights when an answer needs them: see :func:`run_preflight`), and
reports every problem in one answer. Only when nothing blocks does anything get
written; the one write allowed here is creating missing dimension items, and only when the
account's setting asks for it and the caller is really exporting (not previewing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.types import AdministrationMapping, HostCompany, JournalLine, Problem
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.errors import ProcountorError, ProcountorForbidden
from nmbrs_procountor_plugin.api.parallel import read_together
from nmbrs_procountor_plugin.export.planning import DimensionTarget, ReceiptDraft
from nmbrs_procountor_plugin.export.refusals import problems_for
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, columns
from nmbrs_procountor_plugin.mapping.dimensions import Dimension, closest_name, find_dimension, parse_dimensions
from nmbrs_procountor_plugin.messages import problem

KINDS: Final = ("cost_center", "cost_unit")
_RIGHT_LEVELS: Final = frozenset({"VIEWING_RIGHTS", "NO_ACCESS", "NOT_ENABLED"})
"""Procountor's levels below ALL_RIGHTS (``GET /users/rights``) that the messages name; others are "unknown"."""
ITEM_WILL_BE_CREATED: Final = "procountor.dimension.item_will_be_created"
PLACEHOLDER_ITEM_ID: Final = 0  # preview only: an item the export will create first


@dataclass(frozen=True)
class FiscalPeriod:
    start: date
    end: date
    status: str


@dataclass(frozen=True)
class FiscalYear:
    start: date
    end: date
    is_open: bool
    periods: tuple[FiscalPeriod, ...]


def parse_fiscal_years(raw: Iterable[Mapping[str, Any]]) -> tuple[FiscalYear, ...]:
    return tuple(
        FiscalYear(
            start=date.fromisoformat(str(fy["startDate"])),
            end=date.fromisoformat(str(fy["endDate"])),
            is_open=bool(fy.get("isOpen", True)),
            periods=tuple(
                FiscalPeriod(
                    date.fromisoformat(str(tp["startDate"])),
                    date.fromisoformat(str(tp["endDate"])),
                    str(tp.get("status") or "OPEN"),
                )
                for tp in fy.get("trackingPeriods") or []
            ),
        )
        for fy in raw
    )


@dataclass
class Preflight:
    """What the reads found: problems, and the dimension targets the receipts need."""

    problems: list[Problem] = field(default_factory=list)
    targets: dict[tuple[str, str], DimensionTarget] = field(default_factory=dict)

    def resolve(self, kind: str, code: str) -> DimensionTarget | None:
        return self.targets.get((kind, code))


def _blocking(problems: Iterable[Problem]) -> bool:
    return any(p.blocking for p in problems)


def _line_numbers(indexes: Iterable[int]) -> tuple[int, ...]:
    """Human line numbers (the first line is 1), each once, in order."""
    return tuple(i + 1 for i in sorted(set(indexes)))


SEARCH_LEVELS: Final = ("ALL_RIGHTS", "VIEWING_RIGHTS")


def check_rights(rights: Mapping[str, Any], locale: str | None) -> list[Problem]:
    """The authorizing user's rights that sending depends on (docs/procountor-api.md §5, docs/ledger.md).

    ``journalReceipts`` ALL_RIGHTS to create receipts; ``journalReceiptSearch`` at least viewing,
    because the search is how a receipt whose answer was lost is found (absent = not restricted);
    ``personalJournalReceiptsOnly`` true narrows the search to the user's own receipts: a warning.
    """
    accounting = (rights.get("rights") or {}).get("accounting") or {}
    problems: list[Problem] = []
    level = str(accounting.get("journalReceipts") or "NO_ACCESS")
    if level != "ALL_RIGHTS":
        shown = level if level in _RIGHT_LEVELS else "UNKNOWN"
        problems.append(problem("procountor.rights.journal_receipts", locale, level=shown, field="procountor.user"))
    search = accounting.get("journalReceiptSearch")
    if search is not None and str(search) not in SEARCH_LEVELS:
        shown = str(search) if str(search) in _RIGHT_LEVELS else "UNKNOWN"
        problems.append(problem("procountor.rights.receipt_search", locale, level=shown, field="procountor.user"))
    if accounting.get("personalJournalReceiptsOnly") is True:
        problems.append(problem("procountor.rights.personal_receipts_only", locale, field="procountor.user"))
    return problems


def check_accounts(
    lines: Sequence[IndexedLine], chart: Iterable[Mapping[str, Any]], locale: str | None
) -> list[Problem]:
    active = {str(a.get("ledgerAccountCode")): bool(a.get("active", True)) for a in chart}
    by_account: dict[str, list[int]] = defaultdict(list)
    for index, line in columns(lines).pairs():
        by_account[line.ledger_account.strip()].append(index)
    problems: list[Problem] = []
    for account, indexes in sorted(by_account.items()):
        field_path = f"lines[{indexes[0]}].ledger_account"
        if account not in active:
            problems.append(
                problem(
                    "procountor.account.unknown",
                    locale,
                    account=account,
                    lines=_line_numbers(indexes),
                    field=field_path,
                )
            )
        elif not active[account]:
            problems.append(
                problem(
                    "procountor.account.inactive",
                    locale,
                    account=account,
                    lines=_line_numbers(indexes),
                    field=field_path,
                )
            )
    return problems


def check_dates(receipt_dates: Iterable[date], years: Sequence[FiscalYear], locale: str | None) -> list[Problem]:
    problems: list[Problem] = []
    for day in sorted(set(receipt_dates)):
        year = next((fy for fy in years if fy.start <= day <= fy.end), None)
        if year is None:
            problems.append(
                problem(
                    "procountor.period.no_fiscal_year",
                    locale,
                    date=day,
                    field=f"receipts[{day.isoformat()}].receiptDate",
                )
            )
            continue
        period = next((tp for tp in year.periods if tp.start <= day <= tp.end), None)
        if year.is_open and period is not None and period.status == "PENDING":
            # What Procountor does with a receipt in a PENDING period is undocumented
            # (docs/procountor-api.md §5, docs/ledger.md): refused here, before anything is written.
            problems.append(
                problem(
                    "procountor.period.pending",
                    locale,
                    date=day,
                    start=period.start,
                    end=period.end,
                    field=f"receipts[{day.isoformat()}].receiptDate",
                )
            )
            continue
        if not year.is_open or (period is not None and period.status == "CLOSED"):
            start, end = (period.start, period.end) if period else (year.start, year.end)
            problems.append(
                problem(
                    "procountor.period.closed",
                    locale,
                    date=day,
                    start=start,
                    end=end,
                    field=f"receipts[{day.isoformat()}].receiptDate",
                )
            )
    return problems


def _descriptions(company: HostCompany, kind: str) -> dict[str, str]:
    pairs = company.cost_centers if kind == "cost_center" else company.cost_units
    return dict(pairs)


def _code_of(line: JournalLine, kind: str) -> str | None:
    return line.cost_center if kind == "cost_center" else line.cost_unit


def resolve_dimension_items(
    client: ProcountorClient,
    dimensions: Sequence[Dimension],
    mapping: AdministrationMapping,
    company: HostCompany,
    lines: Sequence[IndexedLine],
    *,
    create_missing: bool,
    dry_run: bool,
    locale: str | None,
) -> Preflight:
    """Find the Procountor item of every cost object the journal uses, creating it if allowed.

    Returns its own :class:`Preflight` (targets and the problems met on the way) for the caller
    to merge, so the order of reads and writes stays visible in :func:`run_preflight`.
    """
    found = Preflight()
    claimed: dict[int, str] = {}  # dimension id -> the kind already booked to it
    for kind in KINDS:
        dimension_mapping = mapping.dimension(kind)
        if dimension_mapping is None:
            continue
        used: dict[str, list[int]] = defaultdict(list)
        for index, line in columns(lines).pairs():
            code = _code_of(line, kind)
            if code:
                used[code].append(index)
        if not used:
            continue
        dimension = find_dimension(dimensions, dimension_mapping.description)
        if dimension is None:
            found.problems.append(
                problem(
                    "procountor.dimension.not_found",
                    locale,
                    name=dimension_mapping.description,
                    closest=closest_name(dimensions, dimension_mapping.description) or "-",
                    existing=tuple(d.name for d in dimensions) or ("-",),
                    field=f"dimensions.{kind}",
                )
            )
            continue
        if dimension.id in claimed:
            # A row carries one item per dimension: the second kind would overwrite the first.
            found.problems.append(
                problem(
                    "procountor.mapping.dimension_used_twice",
                    locale,
                    kind=kind,
                    other_kind=claimed[dimension.id],
                    dimension=dimension.name,
                    field=f"dimensions.{kind}",
                )
            )
            continue
        claimed[dimension.id] = kind
        descriptions = _descriptions(company, kind)
        for code, indexes in sorted(used.items()):
            description = descriptions.get(code, "")
            match = dimension.item_for(code, description)
            field_path = f"lines[{indexes[0]}].{kind}"
            if match is not None and match.active:
                found.targets[(kind, code)] = DimensionTarget(dimension.id, match.id)
            elif match is not None:
                found.problems.append(
                    problem(
                        "procountor.dimension.item_inactive",
                        locale,
                        item_code=code,
                        dimension=dimension.name,
                        lines=_line_numbers(indexes),
                        field=field_path,
                    )
                )
            elif not create_missing:
                found.problems.append(
                    problem(
                        "procountor.dimension.item_missing",
                        locale,
                        item_code=code,
                        dimension=dimension.name,
                        lines=_line_numbers(indexes),
                        field=field_path,
                    )
                )
            elif dry_run:
                found.targets[(kind, code)] = DimensionTarget(dimension.id, PLACEHOLDER_ITEM_ID)
                found.problems.append(
                    problem(
                        ITEM_WILL_BE_CREATED,
                        locale,
                        item_code=code,
                        dimension=dimension.name,
                        field=field_path,
                    )
                )
            else:
                created = client.create_dimension_item(dimension.id, code, description or code)
                found.targets[(kind, code)] = DimensionTarget(dimension.id, int(created["id"]))
                found.problems.append(
                    problem(
                        "procountor.dimension.item_created",
                        locale,
                        item_code=code,
                        dimension=dimension.name,
                        field=field_path,
                    )
                )
    return found


def _would_create(
    client: ProcountorClient,
    dimensions: Sequence[Dimension],
    mapping: AdministrationMapping,
    company: HostCompany,
    lines: Sequence[IndexedLine],
    locale: str | None,
) -> bool:
    """True when resolving the dimensions would create an item (a write, so rights come first)."""
    scratch = resolve_dimension_items(  # a dry run: it writes nothing
        client, dimensions, mapping, company, lines, create_missing=True, dry_run=True, locale=locale
    )
    return any(p.code == ITEM_WILL_BE_CREATED for p in scratch.problems)


def run_preflight(
    client: ProcountorClient,
    mapping: AdministrationMapping,
    company: HostCompany,
    lines: Sequence[IndexedLine],
    receipt_dates: Iterable[date],
    *,
    create_missing: bool,
    dry_run: bool,
    locale: str | None,
) -> Preflight:
    """Read each master-data resource once, side by side, and report every problem found in them.

    The user's rights are read only when an answer needs them (docs/performance.md, "Requests"):
    for a preview or an export that will not send (so every problem still comes in one answer),
    and before pre-flight creates a dimension item. An export that goes on to send skips the read:
    its first POST is then its first write, and a 403 there is worded from the rights read at that
    moment (:func:`explain_refusal`), the same problem pre-flight would have reported.
    """
    found = Preflight()
    reads: dict[str, Callable[[], Any]] = {"accounts": client.chart_of_accounts, "years": client.fiscal_years}
    if any(mapping.dimension(kind) for kind in KINDS):
        reads["dimensions"] = client.dimensions
    if dry_run:
        reads["rights"] = client.user_rights
    answers = read_together(reads)
    found.problems.extend(check_accounts(lines, answers["accounts"], locale))
    dimensions = parse_dimensions(answers["dimensions"]) if "dimensions" in reads else ()
    found.problems.extend(check_dates(receipt_dates, parse_fiscal_years(answers["years"]), locale))
    if "rights" not in answers and (
        _blocking(found.problems)
        or (create_missing and _would_create(client, dimensions, mapping, company, lines, locale))
    ):
        answers["rights"] = client.user_rights()
    if "rights" in answers:
        found.problems[:0] = check_rights(answers["rights"], locale)
    # Items are created only when nothing else stands in the way: a refused export leaves no trace.
    items = resolve_dimension_items(
        client,
        dimensions,
        mapping,
        company,
        lines,
        create_missing=create_missing,
        dry_run=dry_run or _blocking(found.problems),
        locale=locale,
    )
    found.problems.extend(items.problems)
    found.targets.update(items.targets)
    return found


def explain_refusal(
    client: ProcountorClient, error: ProcountorError, draft: ReceiptDraft | None, locale: str | None, username: str
) -> list[Problem]:
    """The problems for a refusal while sending; a 403 is worded from the user's rights, read now.

    Pre-flight skips the rights read when the export goes on to send, so this is where a missing
    right is reported: the same ``procountor.rights.*`` problem a preview shows. If the rights read
    fails too, or shows nothing missing, the refusal is reported as it came.
    """
    if isinstance(error, ProcountorForbidden):
        try:
            missing = check_rights(client.user_rights(), locale)
        except (ProcountorError, ProblemError):
            missing = []
        if missing:
            return missing
    return problems_for(error, draft, locale, username)


__all__ = ["FiscalYear", "Preflight", "explain_refusal", "parse_fiscal_years", "run_preflight"]
