"""How long validation and receipt building take for a large journal (a script, not a test).

Targets (issue 13): a 10,000-line journal over 13 periods planned in under 0.1 s; a
100,000-line journal planned in under 10 % of the time the same export spends on the network;
memory linear in the lines. Planning is everything a first export does with the lines before
its first write: validation, the balance check, the journal documents (when attached) and the
receipts with their JSON and digests.

Run: ``.venv/bin/python benchmarks/bench_planning.py [lines] [periods]`` for the stages, and
``.venv/bin/python benchmarks/bench_planning.py export [lines]`` to send a journal of that many
lines to the embedded sandbox and compare its planning time with its network time (the wall
time spent in HTTP exchanges, the waits on the request limiter left out), and the export's whole
local work (its wall time less the network and the limiter's waits). ``export 100000 nodocs``
sends without journal documents. Prints the best of several runs per stage, so a noisy machine
does not make the figure look worse than the code is, and also the planning steps as the export
itself ran them (timed where the pipeline calls them: one run, in the same process and moment as
the network time it is compared with).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from nmbrs_hookspecs.types import AdministrationMapping, DimensionMapping, Journal, JournalLine, Period
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.documents import journal_documents
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import DimensionTarget, PeriodDigests, build_receipts, check_balance
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


def make_journal(
    size: int,
    period_count: int,
    seed: int = 6,
    *,
    run: Period = RUN,
    company_id: str = "company-1",
    accounts: tuple[str, ...] = ("7000", "7100", "7200", "2935"),
    centers: tuple[str | None, ...] = (None, "100", "200", "300"),
) -> Journal:
    """Balanced per period; every 10th description has a non-Windows-1252 character, some are long."""
    rng = random.Random(seed)
    periods = [run]
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
                    rng.choice(accounts),
                    amount,
                    text,
                    period,
                    rng.choice(centers),
                    rng.choice([None, "P-10", "P-20"]),
                )
            )
        lines.append(JournalLine("2939", -total if total else Decimal("0.01"), "Net wages payable", period))
        if not total:
            lines.append(JournalLine("1910", Decimal("-0.01"), "x", period))
    rng.shuffle(lines)
    booking = date(run.year, run.month, 25)
    return Journal(company_id, "run-6", run, f"Payroll {run} run 6", booking, tuple(lines))


def resolve(kind: str, code: str) -> DimensionTarget | None:
    return DimensionTarget(501 if kind == "cost_center" else 502, 7000 + sum(map(ord, code)))


def best(label: str, action: Callable[[], T], repeat: int = 5) -> T:
    """Best and median wall time of ``repeat`` runs, and the best CPU time of this process.

    The machine is shared: wall time includes waiting for a core, CPU time does not.
    """
    times = []
    cpu = []
    result: T | None = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"  {label:<34} best {min(times) * 1000:8.1f} ms   median {sorted(times)[len(times) // 2] * 1000:8.1f} ms"
        f"   cpu {min(cpu) * 1000:8.1f} ms"
    )
    assert result is not None
    return result


def main(size: int = 10_000, period_count: int = 13) -> None:
    journal = make_journal(size, period_count)
    print(f"journal: {len(journal.lines)} lines over {period_count} periods (Python {sys.version.split()[0]})")
    check = best("validate_journal", lambda: validate_journal(journal, "en"))
    assert not check.blocking, [p for p in check.problems if p.blocking][:3]
    best("check_balance", lambda: check_balance(journal, check.lines, "en"))
    best("journal_documents", lambda: journal_documents(journal, check.lines))
    best("period digests (all periods)", lambda: dict(PeriodDigests(check.lines, MAPPING)))
    receipts = best("build_receipts", lambda: build_receipts(journal, check.lines, MAPPING, SETTINGS, resolve))
    best("planning, all of it", lambda: plan(journal))
    assert all(r.body == exact_json.dumps(r.payload) for r in receipts)
    print("  (build_receipts writes each receipt's JSON once; exact_json.dumps over the payloads, for comparison:)")
    best("exact_json.dumps (all receipts)", lambda: [exact_json.dumps(r.payload) for r in receipts], repeat=2)
    for lines in sorted({size // 10, size // 2, size}):
        peak = peak_memory(make_journal(lines, period_count))
        print(f"  {f'peak memory, {lines:,} lines':<34} {peak / 2**20:8.1f} MiB = {peak / lines:6.0f} bytes per line")
    print(
        f"receipts: {len(receipts)}, rows: {sum(len(r.line_indexes) for r in receipts)}, "
        f"info: {[p.code for p in check.problems]}"
    )


def plan(journal: Journal, *, documents: bool = True) -> int:
    """What a first export does with the lines before its first write (export/pipeline.py).

    The ledger's period digests are not among it: an empty ledger asks for none (a resend asks
    for the booked periods' digests and builds no receipt for them).
    """
    found = validate_journal(journal, "en")
    assert not check_balance(journal, found.lines, "en")
    if documents:
        journal_documents(journal, found.lines)
    return len(build_receipts(journal, found.lines, MAPPING, SETTINGS, resolve))


def peak_memory(journal: Journal) -> int:
    """Peak bytes allocated while planning ``journal`` (tracemalloc), the journal itself excluded."""
    tracemalloc.start()
    plan(journal)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def export_share(size: int = 100_000, period_count: int = 13, *, documents: bool = True) -> None:
    """Send a ``size``-line journal to the embedded sandbox: planning time against network time."""
    import requests

    from nmbrs_hookspecs.host import ReferenceHost
    from nmbrs_hookspecs.protocols import Admission
    from nmbrs_hookspecs.types import Actor, ProviderConfig, RequestRate
    from nmbrs_procountor_devtools.demo_data import COMPANY
    from nmbrs_procountor_plugin import plugin
    from nmbrs_procountor_plugin.api.credentials import TokenRecord
    from nmbrs_procountor_plugin.export import pipeline
    from procountor_sandbox import Sandbox, SandboxConfig

    admin = Actor("bench", {"procountor": "write"})
    run = Period(date.today().year, 6)
    journal = make_journal(
        size,
        period_count,
        run=run,
        company_id=COMPANY.id,
        accounts=("5000", "5020", "6130", "6410"),
        centers=(None, "100", "200"),
    )
    print(f"export of {len(journal.lines):,} lines over {period_count} periods to the embedded sandbox")
    network = [0.0]
    waited = [0.0]
    send = requests.Session.request

    def timed_request(self: requests.Session, *args: Any, **kwargs: Any) -> requests.Response:
        # The HTTP exchange only: the wait on the host's request limiter comes before it.
        started = time.perf_counter()
        try:
            return send(self, *args, **kwargs)
        finally:
            network[0] += time.perf_counter() - started

    requests.Session.request = timed_request  # type: ignore[method-assign]
    # The planning steps as the export itself runs them, timed where the pipeline calls them.
    in_export = [0.0]
    by_step: dict[str, float] = {}

    def timed_step(step: Callable[..., T]) -> Callable[..., T]:
        def run(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                took = time.perf_counter() - started
                in_export[0] += took
                by_step[step.__name__] = by_step.get(step.__name__, 0.0) + took

        return run

    for step in ("validate_journal", "check_balance", "journal_documents", "build_receipts"):
        setattr(pipeline, step, timed_step(getattr(pipeline, step)))
    with Sandbox(SandboxConfig(rate_limit_per_second=None)) as sb:
        config = ProviderConfig(sb.client_id, sb.client_secret, sb.redirect_uri, "custom", sb.base_url, 300, 20)
        host = ReferenceHost(
            provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(plugin, "procountor")]
        )
        account = host.create_account(admin, "procountor", "bench", {"attach_journal_lines": documents})
        limiter = host.request_limiter
        acquire = limiter.acquire

        def timed_acquire(rate: RequestRate) -> Admission:
            started = time.perf_counter()
            try:
                return acquire(rate)
            finally:
                waited[0] += time.perf_counter() - started

        limiter.acquire = timed_acquire  # type: ignore[method-assign]
        issued = sb.issue_tokens("demo.admin", 10001)
        expires = int(time.time()) + 3600
        record = TokenRecord("login", issued["access_token"], issued["refresh_token"], expires, "10001", "Järvi")
        host.credentials.put(account.id, record.to_data(), 0)
        mapping = AdministrationMapping(account.id, COMPANY.id, "10001", MAPPING.dimensions)
        host.save_mapping(admin, mapping, COMPANY)
        network[0] = waited[0] = in_export[0] = 0.0
        started = time.perf_counter()
        result = host.export_journal(admin, account.id, COMPANY, journal)
        total = time.perf_counter() - started
        host.close()
    assert result.status == "sent", result.problems[:3]

    planning = min(timed(lambda: plan(journal, documents=documents)) for _ in range(3))
    planning_cpu = min(timed(lambda: plan(journal, documents=documents), clock=time.process_time) for _ in range(3))
    local = total - network[0] - waited[0]
    print(f"  export (wall)                      {total * 1000:8.0f} ms, {len(result.receipts)} receipts sent")
    print(f"  network (HTTP exchanges)           {network[0] * 1000:8.0f} ms")
    print(f"  waits on the request limiter       {waited[0] * 1000:8.0f} ms")
    print(
        f"  local work (wall - network - waits) {local * 1000:7.0f} ms = {local / network[0]:.1%} of the network time"
    )
    print(
        f"  planning ({'with' if documents else 'without'} documents)       {planning * 1000:8.0f} ms = "
        f"{planning / network[0]:.1%} of the network time, {planning / len(journal.lines) * 1e6:.1f} µs per line"
    )
    print(f"  planning, CPU time of this process   {planning_cpu * 1000:8.0f} ms = {planning_cpu / network[0]:.1%}")
    print(
        f"  planning inside the export itself    {in_export[0] * 1000:8.0f} ms = {in_export[0] / network[0]:.1%}"
        " (one run, not best-of)"
    )
    print("    " + ", ".join(f"{name} {took * 1000:.0f} ms" for name, took in by_step.items()))


def timed(action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    started = clock()
    action()
    return clock() - started


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"]:
        numbers = [int(a) for a in sys.argv[2:] if a.isdigit()]
        export_share(*numbers, documents="nodocs" not in sys.argv)
    else:
        main(*(int(a) for a in sys.argv[1:3]))
