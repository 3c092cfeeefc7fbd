"""Procountor dimensions as the plugin reads them, and how host cost objects are matched to them.

The help article (docs/product.md §3) asks admins to type the dimension's description "similar to" its name in
Procountor; admins type "kustannuspaikka " or "Kustannus  paikka". Matching therefore ignores
case and surrounding or repeated whitespace, but nothing more: a near miss is reported with the
closest name rather than guessed, because booking to the wrong dimension is worse than stopping.
Items are matched by code (Procountor's ``codeName``) first, then by description.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def normalise(text: str) -> str:
    """The form names are compared in: case-folded, whitespace collapsed."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class DimensionItem:
    id: int
    code_name: str
    description: str
    active: bool


@dataclass(frozen=True)
class Dimension:
    id: int
    name: str
    items: tuple[DimensionItem, ...]

    def item_for(self, code: str, description: str = "") -> DimensionItem | None:
        """The item for a host cost object: same code, else same description (active ones first)."""
        by_code = [i for i in self.items if normalise(i.code_name) == normalise(code)]
        by_description = [i for i in self.items if description and normalise(i.description) == normalise(description)]
        for candidates in (by_code, by_description):
            if candidates:
                return sorted(candidates, key=lambda i: not i.active)[0]
        return None


def parse_dimensions(raw: Iterable[Mapping[str, Any]]) -> tuple[Dimension, ...]:
    """Read ``GET /dimensions``; an item is inactive exactly when it carries ``status: "P"``."""
    return tuple(
        Dimension(
            id=int(dim["id"]),
            name=str(dim.get("name") or ""),
            items=tuple(
                DimensionItem(
                    id=int(item["id"]),
                    code_name=str(item.get("codeName") or ""),
                    description=str(item.get("description") or ""),
                    active=item.get("status") != "P",
                )
                for item in dim.get("items") or []
            ),
        )
        for dim in raw
    )


def find_dimension(dimensions: Sequence[Dimension], description: str) -> Dimension | None:
    """The dimension whose name matches ``description`` (case and whitespace ignored)."""
    wanted = normalise(description)
    return next((d for d in dimensions if normalise(d.name) == wanted), None)


def closest_name(dimensions: Sequence[Dimension], description: str) -> str | None:
    """The existing dimension name most like ``description``, for a "did you mean" hint."""
    names = {normalise(d.name): d.name for d in dimensions}
    match = difflib.get_close_matches(normalise(description), list(names), n=1, cutoff=0.0)
    return names[match[0]] if match else None
