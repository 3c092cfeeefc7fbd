"""Which of a company's cost centers and cost units have no usable item in their Procountor dimension.

Why a separate step: a mapping can name the right dimensions and still fail every export,
because a journal row for cost center 999 needs an item 999 in that dimension, and an inactive
item is refused by Procountor. The admin who maps the company should hear that now, once per cost
object, rather than from the first failed export. These are warnings, not errors: items can be
added in Procountor after the mapping is saved, and the export checks again and refuses then.
With the account setting "Create missing dimension items" switched on, a missing item is only
information (the export creates it); an inactive item stays a warning, because the export never
reactivates an item on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from nmbrs_hookspecs.types import DimensionKind, HostCompany, Problem
from nmbrs_procountor_plugin.mapping.dimensions import Dimension
from nmbrs_procountor_plugin.messages import problem

# The HostCompany attribute holding the cost objects of each kind; also the Problem.field root.
_COST_OBJECTS: Final = {"cost_center": "cost_centers", "cost_unit": "cost_units"}
_MISSING: Final = "procountor.mapping.item_missing"
_MISSING_CREATED: Final = "procountor.mapping.item_will_be_created"


@dataclass(frozen=True)
class MappedKind:
    """A host cost object kind whose description matched a Procountor dimension."""

    kind: DimensionKind
    dimension: Dimension


def coverage_problems(
    mapped: Iterable[MappedKind], company: HostCompany, *, create_missing: bool, locale: str | None
) -> list[Problem]:
    """One problem per cost object without an item, or whose item is inactive, in its dimension.

    Items are matched as the export matches them (:meth:`Dimension.item_for`: code against
    ``codeName``, then description), so what is reported here is exactly what the export meets.
    """
    problems: list[Problem] = []
    for entry in mapped:
        attribute = _COST_OBJECTS[entry.kind]
        objects: tuple[tuple[str, str], ...] = getattr(company, attribute)
        for index, (code, description) in enumerate(objects):
            field = f"{attribute}[{index}]"
            shown = description.strip() or "-"
            item = entry.dimension.item_for(code, description)
            if item is None:
                problems.append(
                    problem(
                        _MISSING_CREATED if create_missing else _MISSING,
                        locale,
                        field=field,
                        object=entry.kind,
                        cost_code=code,
                        description=shown,
                        dimension=entry.dimension.name,
                    )
                )
            elif not item.active:
                problems.append(
                    problem(
                        "procountor.mapping.item_inactive",
                        locale,
                        field=field,
                        object=entry.kind,
                        cost_code=code,
                        description=shown,
                        dimension=entry.dimension.name,
                        item_code=item.code_name,
                        item_description=item.description or "-",
                    )
                )
    return problems
