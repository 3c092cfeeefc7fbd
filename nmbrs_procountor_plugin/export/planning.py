"""From a validated journal to Procountor ledger-receipt payloads: one JOURNAL receipt per period.

The help article (docs/product.md §4): "When a journal is sent that contains a correction, it
will be booked in the period over which the correction will go ... The reference of the journal is
equal to the normal run, but is booked in the period over which the correction takes place." So a
June run with corrections for January to May becomes six receipts, January first, all named with
the run's reference; the run's own receipt is dated on the journal's booking date, each
correction on its period's last day.

Everything here is pure (no HTTP): the export orchestration resolves dimension items during its
pre-flight and hands in a :data:`Resolver`.

Rows: one ``ENTRY`` per journal line, in journal order, debit positive and credit negative,
amounts with exactly two decimals (``IndexedLine.amount_text``: written by validation, and no
line can be made whose amount would round), ``vatPercent`` 0 and the account's VAT type/status
on receipt and row (payroll carries no VAT; the settings default to status 12, "No VAT
handling"). A line's cost center and cost unit become
``dimensionItemValues`` for each dimension kind the mapping enables, with the whole row amount
(same sign) on the one item, since Procountor requires the values on a dimension to sum to the
row's ``accountingValue``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any, Final, overload

from nmbrs_hookspecs.types import (
    DIMENSION_KINDS,
    AdministrationMapping,
    Journal,
    JournalLine,
    Period,
    PlannedReceipt,
    Problem,
)
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.export.amounts import EXACT, exact_sum
from nmbrs_procountor_plugin.export.fingerprint import DigestWriter, Fingerprint, HostRow
from nmbrs_procountor_plugin.export.hot_loop import collector_paused
from nmbrs_procountor_plugin.export.text import (
    DESCRIPTION_LIMIT,
    NAME_LIMIT,
    cp1252_safe,
    procountor_text,
    safe_description,
)
from nmbrs_procountor_plugin.export.validated_lines import IndexedLine, LineColumns, ValidatedLines, lines_by_period
from nmbrs_procountor_plugin.messages import problem
from nmbrs_procountor_plugin.provider import AccountSettings

UNBALANCED: Final = "procountor.journal.unbalanced"

CENTS: Final = Decimal("0.01")
# Read in C per line (no Python call): a journal line's amount.
_AMOUNT: Final = operator.attrgetter("amount")
VAT_PERCENT: Final = Decimal(0)


@dataclass(frozen=True)
class DimensionTarget:
    """Where a host cost object goes in Procountor: a dimension and one of its items."""

    dimension_id: int
    item_id: int


Resolver = Callable[[str, str], DimensionTarget | None]
"""``(kind, host code) -> target``; kind is ``cost_center`` or ``cost_unit``; None = unresolved."""


class UnresolvedDimension(LookupError):
    """The resolver had no Procountor item for a cost object that must be sent.

    :func:`build_receipts` raises this rather than sending a row without its dimension: a row
    booked without its cost center is wrong in the books and silently so. The export's pre-flight
    is expected to have reported every unresolved code as a problem (``procountor.dimension.*``)
    and not to call :func:`build_receipts` then; reaching this is a bug in that order of work.
    """

    def __init__(self, kind: str, code: str, line_index: int) -> None:
        super().__init__(f"no Procountor dimension item for {kind} {code!r} (journal line {line_index + 1})")
        self.kind = kind
        self.code = code
        self.line_index = line_index


@dataclass(frozen=True)
class ReceiptDraft:
    """One receipt ready to send: the exact POST body and what the preview and resend checks need.

    ``body`` is the body of ``POST /ledgerreceipts``, written once while planning (amounts as
    exact decimal literals): a retry, a second attempt or a digest never writes it again.
    ``payload`` is the same body read back (Decimals for amounts), for the preview and for
    anyone who wants fields; it is parsed only when asked for, so an export of 100,000 lines
    never builds 100,000 row dicts. ``line_indexes[i]`` is the journal line behind
    ``payload["transactions"][i]``, so Procountor's ``transactions[3].account`` error can be
    reported on the right journal line. ``rows`` are the same rows in host terms (what the
    fingerprint's digest covers), worked out when first read (see :class:`HostRows`).
    """

    period: Period
    receipt_date: date
    name: str
    total: Decimal
    body: str
    fingerprint: Fingerprint
    line_indexes: tuple[int, ...]
    payload_digest: str
    """:func:`~nmbrs_procountor_plugin.export.resend.payload_digest` of this body, written while
    planning: the booking intent records it before the POST, and parsing a 100,000-row body back
    only to digest it would cost more than building it."""
    rows: Sequence[HostRow] = ()

    @functools.cached_property
    def payload(self) -> dict[str, Any]:
        """The body as data; treat it as read-only."""
        return dict(exact_json.loads(self.body))

    def json_body(self) -> str:
        """The request body of ``POST /ledgerreceipts`` for this receipt."""
        return self.body

    def planned(self) -> PlannedReceipt:
        """The preview summary the host shows (total = sum of the debits)."""
        return PlannedReceipt(
            period=self.period,
            receipt_date=self.receipt_date,
            name=self.name,
            total=self.total,
            row_count=len(self.line_indexes),
            payload=self.payload,
        )

    def journal_line_for(self, transaction_index: int) -> int | None:
        """The journal line index behind ``transactions[transaction_index]``, if there is one."""
        if 0 <= transaction_index < len(self.line_indexes):
            return self.line_indexes[transaction_index]
        return None


class HostRows(Sequence[HostRow]):
    """A receipt's rows in the host's terms, worked out from its journal lines when first read.

    The fingerprint's digest over these rows is written while planning, from the same pieces as
    the body; the rows themselves are read only to compare a version-1 fingerprint (row by row,
    in order) and by tests. Making a named tuple per journal line up front would cost a
    100,000-line export about a tenth of its planning (benchmarks/bench_planning.py) for rows
    nobody reads. Compares equal to the tuple of the same rows.
    """

    def __init__(self, group: LineColumns, centers: bool, units: bool) -> None:
        self._lines = group.lines
        self._centers = centers
        self._units = units

    @functools.cached_property
    def _rows(self) -> tuple[HostRow, ...]:
        return tuple(
            HostRow(
                line.ledger_account.strip(),
                _cents(line.amount),
                safe_description(line.description).text,
                line.cost_center if self._centers else None,
                line.cost_unit if self._units else None,
            )
            for line in self._lines
        )

    @overload
    def __getitem__(self, index: int) -> HostRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[HostRow, ...]: ...

    def __getitem__(self, index: int | slice) -> HostRow | tuple[HostRow, ...]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._lines)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HostRows):
            return self._rows == other._rows
        return self._rows == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"HostRows({len(self)} rows)"


def _line(item: IndexedLine | JournalLine) -> JournalLine:
    return item.line if isinstance(item, IndexedLine) else item


def _cents(amount: Decimal) -> Decimal:
    """``amount`` with exactly two decimals; raises if that would round (validation prevents it)."""
    return amount.quantize(CENTS, context=EXACT)


def periods_of(lines: Iterable[IndexedLine | JournalLine]) -> list[Period]:
    """The distinct booking periods of ``lines``, earliest first (= the order receipts are sent)."""
    if isinstance(lines, ValidatedLines):
        return list(lines.by_period())  # grouped by validation already, earliest first
    distinct: dict[tuple[int, int], Period] = {}
    with collector_paused():
        for item in lines.lines if isinstance(lines, LineColumns) else lines:
            period = _line(item).period
            distinct.setdefault((period.year, period.month), period)
    return [distinct[key] for key in sorted(distinct)]


def receipt_date(journal: Journal, period: Period) -> date:
    """The run's own period books on the journal's booking date; an earlier one on its last day.

    A later period is refused (ValueError): validation reports it as
    ``procountor.journal.period_after_run`` and such a line must never be planned.
    """
    if period == journal.period:
        return journal.booking_date
    if period < journal.period:
        return period.last_day
    raise ValueError(f"period {period} is after the run's period {journal.period}")


def check_balance(journal: Journal, lines: Iterable[IndexedLine], locale: str | None) -> tuple[Problem, ...]:
    """One ``procountor.journal.unbalanced`` problem per period whose lines do not sum to exactly 0.00.

    Checked per period because each period becomes its own receipt, and each receipt must balance;
    a journal that balances overall can still have a correction month that does not. Pass the
    lines from :func:`validate_journal`; if it dropped invalid lines, an imbalance reported here
    may just be their absence (fix the line problems first). ``journal`` is unused today; it is in
    the signature so period wording could use the run's context later without changing callers.
    """
    del journal
    problems: list[Problem] = []
    with collector_paused():
        groups = lines_by_period(lines)
        # One C-level sum per period; the debit and credit sides only for a period that is off.
        differences = {period: exact_sum(map(_AMOUNT, group.lines)) for period, group in groups.items()}
    for period, difference in differences.items():
        if difference != 0:
            amounts = [line.amount for line in groups[period].lines]
            debit = exact_sum(a for a in amounts if a > 0)
            credit = exact_sum(-a for a in amounts if a < 0)
            problems.append(
                problem(
                    UNBALANCED,
                    locale,
                    field="lines",
                    period=period,
                    debit=_cents(debit),
                    credit=_cents(credit),
                    difference=_cents(difference),
                )
            )
    return tuple(problems)


def _enabled_kinds(mapping: AdministrationMapping) -> tuple[str, ...]:
    return tuple(kind for kind in DIMENSION_KINDS if mapping.dimension(kind) is not None)


def _cost_object(line: JournalLine, kind: str) -> str | None:
    return line.cost_center if kind == "cost_center" else line.cost_unit


class PeriodDigests(Mapping[Period, str]):
    """The row digest of each period's receipt, earliest period first, without Procountor's ids.

    Each period's digest is worked out when it is first asked for. The booking ledger asks only
    about the periods it holds a receipt for, so a first export (nothing in the ledger) digests
    nothing here: its receipts get the same digest while they are built, and a 100,000-line
    journal is not read once more for nothing. Iterating gives the periods without digesting.

    Written from the :class:`DigestWriter` pieces that :func:`build_receipts` joins for the
    receipts' fingerprints, so the ledger's digests and the fingerprints cannot drift apart
    (``rows_digest`` over the rows in the host's terms gives the same digest; a test holds the
    two together). One export's thread uses one instance.
    """

    def __init__(self, lines: Iterable[IndexedLine], mapping: AdministrationMapping) -> None:
        kinds = _enabled_kinds(mapping)
        self._centers, self._units = "cost_center" in kinds, "cost_unit" in kinds
        self._groups = lines_by_period(lines)  # grouped with the collector paused (journal_checks)
        self._accounts: dict[str, str] = {}
        self._descriptions: dict[str, str] = {}
        self._cost_objects: dict[tuple[str | None, str | None], str] = {}
        self._digests: dict[Period, str] = {}

    def __getitem__(self, period: Period) -> str:
        found = self._digests.get(period)
        if found is None:
            found = self._digests[period] = self._digest(self._groups[period])
        return found

    def __iter__(self) -> Iterator[Period]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def _digest(self, group: LineColumns) -> str:
        accounts, descriptions, cost_objects = self._accounts, self._descriptions, self._cost_objects
        canonical: list[str] = []
        with collector_paused():
            for line, amount in zip(group.lines, group.amount_texts, strict=True):
                account = accounts.get(line.ledger_account)
                if account is None:
                    account = accounts[line.ledger_account] = DigestWriter.account_piece(line.ledger_account.strip())
                description = descriptions.get(line.description)
                if description is None:
                    description = descriptions[line.description] = DigestWriter.description_piece(
                        safe_description(line.description).text
                    )
                pair = (line.cost_center if self._centers else None, line.cost_unit if self._units else None)
                tail = cost_objects.get(pair)
                if tail is None:
                    tail = cost_objects[pair] = DigestWriter.cost_objects_piece(*pair)
                canonical.append(f"{account}{amount}{description}{tail}")
        return DigestWriter.digest(canonical)


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where one combination of cost center and cost unit goes: the dimension items, and the codes sent."""

    targets: tuple[tuple[int, int], ...]
    cost_center: str | None
    cost_unit: str | None
    json_pieces: tuple[str, ...]
    """The row's ``dimensionItemValues`` JSON text around each ``value``: joined with the amount."""
    digest_pieces: tuple[str, ...]
    """The same dimension values as the payload digest writes them: joined with the amount."""
    fingerprint_piece: str
    """The codes sent, as the fingerprint's canonical row ends (:class:`DigestWriter`)."""


def _dimension_json(targets: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    if not targets:
        return ("",)
    items = [f'{{"dimensionId":{int(d)},"itemId":{int(i)},"value":' for d, i in targets]
    return (',"dimensionItemValues":[' + items[0], *("}," + item for item in items[1:]), "}]")


def _dimension_digest(targets: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """``[[dimensionId, itemId, "value"], …]`` sorted, as ``json.dumps`` writes payload_digest's triples.

    Every value of a row is the row's amount, so sorting by (dimension, item) is sorting the triples.
    """
    if not targets:
        return ("[]",)
    items = [f"[{int(d)}, {int(i)}, " for d, i in sorted(targets)]
    return ("[" + items[0] + '"', *('"], ' + item + '"' for item in items[1:]), '"]]')


class _Placements:
    """The dimension placement of each distinct (cost center, cost unit) pair, worked out once.

    A journal repeats a handful of cost objects over thousands of lines; resolving and checking
    them per pair instead of per line keeps the row loop short.
    """

    def __init__(self, kinds: tuple[str, ...], resolve: Resolver) -> None:
        self._kinds = kinds
        self._resolve = resolve
        self._targets: dict[tuple[str, str], DimensionTarget] = {}
        self.known: dict[tuple[str | None, str | None], _Placement] = {}
        """What :meth:`of` has worked out, by ``(cost_center, cost_unit)``: the row loop looks here first."""

    def of(self, line: JournalLine, index: int) -> _Placement:
        key = (line.cost_center, line.cost_unit)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._place(line, index)
        return found

    def _target(self, kind: str, code: str, index: int) -> DimensionTarget:
        found = self._targets.get((kind, code))
        if found is None:
            found = self._resolve(kind, code)
            if found is None:
                raise UnresolvedDimension(kind, code, index)
            self._targets[(kind, code)] = found
        return found

    def _place(self, line: JournalLine, index: int) -> _Placement:
        codes: dict[str, str | None] = {"cost_center": None, "cost_unit": None}
        targets: list[tuple[int, int]] = []
        for kind in self._kinds:
            code = _cost_object(line, kind)
            if code is None:
                continue
            found = self._target(kind, code, index)
            if any(dimension_id == found.dimension_id for dimension_id, _ in targets):
                raise ValueError(
                    f"journal line {index + 1}: cost center and cost unit both go to Procountor "
                    f"dimension {found.dimension_id}; map them to different dimensions"
                )
            codes[kind] = code
            targets.append((found.dimension_id, found.item_id))
        return _Placement(
            tuple(targets),
            codes["cost_center"],
            codes["cost_unit"],
            _dimension_json(targets),
            _dimension_digest(targets),
            DigestWriter.cost_objects_piece(codes["cost_center"], codes["cost_unit"]),
        )


@dataclass(frozen=True, slots=True)
class _RowText:
    """One distinct account or description as it is sent, and its piece of each text a row is written as.

    A row is written three times while planning: in the POST body (``body``), in the
    fingerprint's canonical JSON (``fingerprint``, :class:`DigestWriter`) and in the booking
    intent's payload digest (``payload``, :class:`_PayloadDigestWriter`). An account opens each
    of the three; a description follows the amount in each. Quoting each distinct text once, for
    all three, leaves only the amount to write per journal line.
    """

    sent: str
    body: str
    fingerprint: str
    payload: str


class _RowTexts:
    """:class:`_RowText` for each distinct account and description of one journal, worked out once.

    The row loop looks in :attr:`accounts` and :attr:`descriptions` itself (a dict lookup per
    field, no call) and calls :meth:`account` or :meth:`description` only for a text it has not
    seen. Keyed by the host's text, so the strip and the Windows-1252 check run once per text too.
    """

    def __init__(self, settings: AccountSettings) -> None:
        self._vat = (
            f',"vatPercent":{format(VAT_PERCENT, "f")},"vatType":{_quoted(settings.vat_type)}'
            f',"vatStatus":{int(settings.vat_status)}'
        )
        self.accounts: dict[str, _RowText] = {}
        self.descriptions: dict[str, _RowText] = {}

    def account(self, host_text: str) -> _RowText:
        sent = host_text.strip()
        found = self.accounts[host_text] = _RowText(
            sent,
            _RowWriter.account_piece(sent),
            DigestWriter.account_piece(sent),
            _PayloadDigestWriter.account_piece(sent),
        )
        return found

    def description(self, host_text: str) -> _RowText:
        sent = safe_description(host_text).text
        found = self.descriptions[host_text] = _RowText(
            sent,
            _RowWriter.description_piece(self._vat, sent),
            DigestWriter.description_piece(sent),
            _PayloadDigestWriter.description_piece(sent),
        )
        return found


class _RowWriter:
    """Each row's JSON text, as ``exact_json.dumps`` would write the row (see the module docstring).

    The keys, in order: ``transactionType`` ENTRY, ``account``, ``accountingValue``,
    ``vatPercent``, ``vatType``, ``vatStatus``, then ``description`` when there is one and
    ``dimensionItemValues`` when a dimension is mapped. A row is ``account_piece + amount +
    description_piece + amount.join(placement.json_pieces) + "}"``: the pieces repeat across rows
    (an account, a description, a cost-object pair) and are quoted once each; only the amount is
    written per row. A test holds the body byte for byte to ``exact_json.dumps`` of the row dicts
    built the obvious way.
    """

    @staticmethod
    def account_piece(account: str) -> str:
        return '{"transactionType":"ENTRY","account":' + _quoted(account) + ',"accountingValue":'

    @staticmethod
    def description_piece(vat: str, description: str) -> str:
        """The VAT fields that follow the amount, then the description when there is one."""
        return vat + (',"description":' + _quoted(description) if description else "")


def _quoted(text: str) -> str:
    return encode_basestring(text)


class _PayloadDigestWriter:
    """:func:`~nmbrs_procountor_plugin.export.resend.payload_digest` of a body, from the rows' pieces.

    That function reads a receipt as Procountor holds it (a dict); for the intent recorded before
    each POST the same digest is written here row by row, as ``json.dumps`` (ASCII, its default
    ``", "`` separators) writes each row's ``[account, "amount", description, [[dimensionId,
    itemId, "value"], …]]``: ``account_piece + amount + description_piece +
    amount.join(placement.digest_pieces) + "]"``. A property test holds it to
    ``payload_digest(draft.payload)``.
    """

    @staticmethod
    def account_piece(account: str) -> str:
        return "[" + encode_basestring_ascii(account) + ', "'

    @staticmethod
    def description_piece(description: str) -> str:
        return '", ' + encode_basestring_ascii(description) + ", "

    @staticmethod
    def digest(name: str, receipt_date: date, rows: list[str]) -> str:
        rows.sort()
        return hashlib.sha256(_PayloadDigestWriter.canonical(name, receipt_date, rows).encode("utf-8")).hexdigest()

    @staticmethod
    def canonical(name: str, receipt_date: date, rows: list[str]) -> str:
        """``json.dumps([name, date, rows])``, with the rows escaped in three passes over their join.

        Every row is printable ASCII (its pieces are written with ``encode_basestring_ascii``),
        so the only characters ``json.dumps`` escapes in a row are ``\\`` and ``"``: replacing
        those in all rows at once writes the same text, without the encoder's per-string work
        (a third of a 100,000-line receipt's digest, benchmarks/bench_planning.py). The NUL that
        joins the rows cannot occur in one for the same reason. A test holds this to ``json.dumps``.
        """
        head = json.dumps([name, receipt_date.isoformat()])[:-1]
        if not rows:
            return head + ", []]"
        joined = "\0".join(rows).replace("\\", "\\\\").replace('"', '\\"').replace("\0", '", "')
        return f'{head}, ["{joined}"]]'


def build_receipts(
    journal: Journal,
    lines: Sequence[IndexedLine],
    mapping: AdministrationMapping,
    settings: AccountSettings,
    resolve: Resolver,
) -> tuple[ReceiptDraft, ...]:
    """The receipts for ``lines`` (from :func:`validate_journal`), one per period, in period order.

    Preconditions (raise ValueError when broken, since they mean validation was skipped): the
    reference is present and fits 80 characters; no line after the run's period. (Every amount
    is whole cents by then: an :class:`IndexedLine` cannot be made otherwise.) An unbalanced
    period is *not* refused here, so a preview can still show the receipts next to
    :func:`check_balance`'s problems; the export must not send then.
    Raises :class:`UnresolvedDimension` when ``resolve`` returns None for a cost object of an
    enabled dimension kind, and ValueError when two kinds resolve to the same dimension on one
    row (Procountor would then see twice the row amount on that dimension).
    """
    if not journal.reference.strip():
        raise ValueError("journal.reference is empty; validate_journal reports it")
    name, _ = cp1252_safe(journal.reference)
    if len(name) > NAME_LIMIT:
        raise ValueError(f"journal.reference is longer than {NAME_LIMIT} characters; validate_journal reports it")
    kinds = _enabled_kinds(mapping)
    centers, units = "cost_center" in kinds, "cost_unit" in kinds
    placements = _Placements(kinds, resolve)
    texts = _RowTexts(settings)
    # Looked up per journal line without a call (see _RowTexts); each piece is written once.
    placed, accounts, descriptions = placements.known, texts.accounts, texts.descriptions
    receipts: list[ReceiptDraft] = []
    with collector_paused():
        for period, group in lines_by_period(lines).items():
            bodies: list[str] = []
            fingerprints: list[str] = []
            payloads: list[str] = []
            debits: list[Decimal] = []
            # the amount as validation wrote it: exactly two decimals
            for index, line, amount in zip(group.indexes, group.lines, group.amount_texts, strict=True):
                if amount[0] != "-":  # never zero: validation leaves zero lines out
                    debits.append(line.amount)
                account = accounts.get(line.ledger_account) or texts.account(line.ledger_account)
                description = descriptions.get(line.description) or texts.description(line.description)
                placement = placed.get((line.cost_center, line.cost_unit)) or placements.of(line, index)
                bodies.append(f"{account.body}{amount}{description.body}{amount.join(placement.json_pieces)}}}")
                fingerprints.append(
                    f"{account.fingerprint}{amount}{description.fingerprint}{placement.fingerprint_piece}"
                )
                payloads.append(
                    f"{account.payload}{amount}{description.payload}{amount.join(placement.digest_pieces)}]"
                )

            fingerprint = Fingerprint(
                run_id=journal.run_id,
                company_id=journal.company_id,
                period=period,
                digest=DigestWriter.digest(fingerprints),
            )
            day = receipt_date(journal, period)
            header: dict[str, Any] = {
                "type": "JOURNAL",
                "name": name,
                "receiptDate": day.isoformat(),
                "vatType": settings.vat_type,
                "vatStatus": settings.vat_status,
                "transactionDescription": procountor_text(f"{name} {period}", DESCRIPTION_LIMIT).text,
                "invoiceNotes": fingerprint.text(),
            }
            # the rows go last: the header written as JSON, then the rows' texts in its place
            body = exact_json.dumps(header)[:-1] + ',"transactions":[' + ",".join(bodies) + "]}"
            receipts.append(
                ReceiptDraft(
                    period=period,
                    receipt_date=day,
                    name=name,
                    total=_cents(exact_sum(debits)),
                    body=body,
                    fingerprint=fingerprint,
                    line_indexes=group.indexes,
                    payload_digest=_PayloadDigestWriter.digest(name, day, payloads),
                    rows=HostRows(group, centers, units),
                )
            )
    return tuple(receipts)
