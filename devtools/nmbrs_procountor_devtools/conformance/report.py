"""What the kit found, per behaviour, as a table for people and a JSON list for machines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal

Behaviour = Literal["login_host", "token_error_shape", "refresh_rotation", "invoice_notes", "pending_periods", "logout"]

# The order the findings are printed in (also the order the checks run, logout last).
BEHAVIOURS: tuple[Behaviour, ...] = (
    "login_host",
    "token_error_shape",
    "refresh_rotation",
    "invoice_notes",
    "pending_periods",
    "logout",
)


@dataclass(frozen=True)
class Finding:
    """One undocumented behaviour: what was observed and whether the product's assumption holds.

    ``setting`` is the observation in the words of the sandbox switch that plays it
    (docs/sandbox.md): ``token_error_shape`` "rfc"/"errors", ``rotate_refresh_tokens`` true/false,
    ``keep_invoice_notes`` true/false, ``pending_periods`` "refuse"/"accept"; the login host; for
    logout "ends_refresh_token"/"keeps_refresh_token". None when the check could not observe it.
    ``holds`` is None when the check did not run (the reason is in ``observed``).
    """

    behaviour: Behaviour
    observed: str
    assumption: str
    holds: bool | None
    setting: str | bool | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def as_json(findings: list[Finding]) -> str:
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)


def _verdict(holds: bool | None) -> str:
    return {True: "holds", False: "DOES NOT HOLD", None: "not checked"}[holds]


def as_table(findings: list[Finding]) -> str:
    """A plain-text table: behaviour, observed, the product's assumption, verdict; details below."""
    rows = [("behaviour", "observed", "assumption", "verdict")]
    rows += [(f.behaviour, f.observed, f.assumption, _verdict(f.holds)) for f in findings]
    widths = [min(60, max(len(r[i]) for r in rows)) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        cells = [text if len(text) <= widths[j] else text[: widths[j] - 1] + "…" for j, text in enumerate(row)]
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(cells)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    details = [f"- {f.behaviour}: {f.detail}" for f in findings if f.detail]
    return "\n".join(lines + (["", *details] if details else [])) + "\n"
