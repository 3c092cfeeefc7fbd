"""How long validation and receipt building take for a large journal (a script, not a test).

Target (issue 6): a 10,000-line journal over 13 periods, validated and built, in under one second
on one core. Run: ``.venv/bin/python benchmarks/bench_planning.py [lines] [periods]``. Prints the
best of several runs per stage, so a noisy machine does not make the figure look worse than the
code is.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from nmbrs_hookspecs.types import AdministrationMapping, DimensionMapping, Journal, JournalLine, Period
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import DimensionTarget, build_receipts, check_balance
from nmbrs_procountor_plugin.provider import AccountSettings

T = TypeVar("T")
RUN = Period(2026, 6)
SETTINGS = AccountSettings(
    authorization_method="login",
    api_key=None,
    approve_receipts=False,
    vat_type="PURCHASE",
    vat_status=12,
    create_missing_dimension_items=False,
)
MAPPING = AdministrationMapping(
    "account-1",
    "company-1",
    "10001",
    (DimensionMapping("cost_center", True, "Kustannuspaikka"), DimensionMapping("cost_unit", True, "Projekti")),
)


def make_journal(size: int, period_count: int, seed: int = 6) -> Journal:
    """Balanced per period; every 10th description has a non-Windows-1252 character, some are long."""
    rng = random.Random(seed)
    periods = [RUN]
    while len(periods) < period_count:
        last = periods[0]
        periods.insert(0, Period(last.year - 1, 12) if last.month == 1 else Period(last.year, last.month - 1))
    per_period = size // period_count
    lines: list[JournalLine] = []
    for p_index, period in enumerate(periods):
        count = per_period if p_index < period_count - 1 else size - per_period * (period_count - 1)
        total = Decimal(0)
        for i in range(count - 1):
            amount = Decimal(rng.randint(1, 500_000)) / 100
            amount = amount if rng.random() < 0.5 else -amount
            total += amount
            text = f"Gross wages employee {i} Äijälä" + (" Ŕ" if i % 10 == 0 else "")
            text += "x" * 300 if i % 97 == 0 else ""
            lines.append(
                JournalLine(
                    rng.choice(["7000", "7100", "7200", "2935"]),
                    amount,
                    text,
                    period,
                    rng.choice([None, "100", "200", "300"]),
                    rng.choice([None, "P-10", "P-20"]),
                )
            )
        lines.append(JournalLine("2939", -total if total else Decimal("0.01"), "Net wages payable", period))
        if not total:
            lines.append(JournalLine("1910", Decimal("-0.01"), "x", period))
    rng.shuffle(lines)
    return Journal("company-1", "run-6", RUN, "Payroll June 2026 run 6", date(2026, 6, 25), tuple(lines))


def resolve(kind: str, code: str) -> DimensionTarget | None:
    return DimensionTarget(501 if kind == "cost_center" else 502, 7000 + sum(map(ord, code)))


def best(label: str, action: Callable[[], T], repeat: int = 5) -> T:
    times = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    print(f"  {label:<34} best {min(times) * 1000:8.1f} ms   median {sorted(times)[len(times) // 2] * 1000:8.1f} ms")
    assert result is not None
    return result


def main(size: int = 10_000, period_count: int = 13) -> None:
    journal = make_journal(size, period_count)
    print(f"journal: {len(journal.lines)} lines over {period_count} periods (Python {sys.version.split()[0]})")
    check = best("validate_journal", lambda: validate_journal(journal, "en"))
    assert not check.blocking, [p for p in check.problems if p.blocking][:3]
    best("check_balance", lambda: check_balance(journal, check.lines, "en"))
    receipts = best("build_receipts", lambda: build_receipts(journal, check.lines, MAPPING, SETTINGS, resolve))

    def everything() -> int:
        found = validate_journal(journal, "en")
        problems = check_balance(journal, found.lines, "en")
        assert not problems
        return len(build_receipts(journal, found.lines, MAPPING, SETTINGS, resolve))

    best("validate + balance + build", everything)
    best("exact_json.dumps (all receipts)", lambda: [exact_json.dumps(r.payload) for r in receipts])
    tracemalloc.start()
    everything()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {'peak memory, validate+balance+build':<34} {peak / 2**20:8.1f} MiB (tracemalloc)")
    print(
        f"receipts: {len(receipts)}, rows: {sum(len(r.line_indexes) for r in receipts)}, "
        f"info: {[p.code for p in check.problems]}"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
