"""What rendering messages costs (a script, not a test).

Every problem is rendered with Babel (numbers, dates, plurals per locale); the worst case is a
journal whose every line has a problem. Run: ``.venv/bin/python benchmarks/bench_messages.py
[lines]``. Prints the best of several runs, per problem and for a whole journal with a problem on
every line, in Finnish.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from nmbrs_hookspecs.types import Journal, JournalLine, Period
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.messages import render_text

RUN = Period(2026, 6)


def best(seconds: Callable[[], float], runs: int = 5) -> float:
    return min(seconds() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def per_problem(code: str, count: int = 2000, **params: object) -> float:
    render_text(code, "fi-FI", params)  # load the catalogue and Babel's data first
    return best(lambda: timed(lambda: [render_text(code, "fi-FI", params) for _ in range(count)])) / count


def main(lines: int) -> None:
    amount = per_problem("procountor.journal.account_missing", line=3, amount=Decimal("34713.46"))
    unbalanced = per_problem(
        "procountor.journal.unbalanced",
        period=RUN,
        debit=Decimal("34713.46"),
        credit=Decimal("34713.45"),
        difference=Decimal("0.01"),
    )
    print(f"one line problem (amount):              {amount * 1e6:7.1f} µs")
    print(f"one unbalanced problem (3 amounts, month): {unbalanced * 1e6:4.1f} µs")
    # Every line without an account: one problem per line, the worst case of a journal.
    bad = tuple(JournalLine(" ", Decimal(f"{i}.25"), "x", RUN) for i in range(1, lines + 1))
    journal = Journal("c", "run", RUN, "Palkat", date(2026, 6, 25), bad)
    whole = best(lambda: timed(lambda: validate_journal(journal, "fi")), runs=3)
    print(f"{lines} lines, every one refused, in Finnish: {whole:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
