"""The journal lines validation accepted, as every later step reads them: by period, in journal order.

Each accepted line is three things: its position in ``journal.lines`` (so a problem can name the
line), the host's line itself, and its amount written with exactly two decimals (worked out while
validating, so no later step formats an amount again). They are kept as three parallel tuples,
not as an object per line: a 100,000-line journal then makes no 100,000 objects that the garbage
collector walks when validation ends and again when they grow old, which was a tenth of the
validation (benchmarks/bench_planning.py). The steps after validation loop over the tuples of one
period with ``zip``; :class:`IndexedLine` is the same line as one object, made when asked for, for
code that reads a few lines and for tests.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self, TypeVar, overload

from nmbrs_hookspecs.types import JournalLine, Period
from nmbrs_procountor_plugin.export.amounts import exact_cents_text
from nmbrs_procountor_plugin.export.hot_loop import collector_paused

T = TypeVar("T")


@dataclass(slots=True, init=False)
class IndexedLine:
    """A journal line with its position in ``journal.lines``, and its amount as it is sent.

    ``amount_text`` is the amount with exactly two decimals (``-10.50``), as the receipt's row,
    the fingerprint and the journal document write it. Made without it, the line works it out
    exactly, and an amount that is not whole cents raises ``decimal.Inexact``: such a line is not
    one validation would have passed, and nothing downstream can book it rounded.
    """

    index: int
    line: JournalLine
    amount_text: str

    def __init__(self, index: int, line: JournalLine, amount_text: str | None = None) -> None:
        self.index = index
        self.line = line
        self.amount_text = exact_cents_text(line.amount) if amount_text is None else amount_text


class LineColumns(Sequence[IndexedLine]):
    """Lines as three parallel tuples: ``indexes``, ``lines`` and ``amount_texts``, in journal order.

    A sequence of :class:`IndexedLine` to whoever iterates it (one is made per line then); the
    loops over every line read the tuples themselves. Compares equal to lines with the same three
    columns, and to a tuple or list of the same :class:`IndexedLine`.
    """

    __slots__ = ("amount_texts", "indexes", "lines")

    def __init__(
        self, indexes: tuple[int, ...] = (), lines: tuple[JournalLine, ...] = (), amount_texts: tuple[str, ...] = ()
    ) -> None:
        if not len(indexes) == len(lines) == len(amount_texts):
            raise ValueError(f"columns of different lengths: {len(indexes)}, {len(lines)}, {len(amount_texts)}")
        self.indexes = indexes
        self.lines = lines
        self.amount_texts = amount_texts

    @classmethod
    def of(cls, items: Iterable[IndexedLine]) -> Self:
        """The columns of ``items``, in the order given."""
        items = list(items)
        return cls(
            tuple(item.index for item in items),
            tuple(item.line for item in items),
            tuple(item.amount_text for item in items),
        )

    def columns_at(self, positions: Sequence[int]) -> tuple[tuple[int, ...], tuple[JournalLine, ...], tuple[str, ...]]:
        """The three columns of the lines at ``positions`` (in that order), each gathered in C."""
        return _pick(self.indexes, positions), _pick(self.lines, positions), _pick(self.amount_texts, positions)

    def pairs(self) -> Iterator[tuple[int, JournalLine]]:
        """``(index, line)`` of every line, without making an :class:`IndexedLine` per line."""
        return zip(self.indexes, self.lines, strict=True)

    def __len__(self) -> int:
        return len(self.indexes)

    @overload
    def __getitem__(self, position: int) -> IndexedLine: ...

    @overload
    def __getitem__(self, position: slice) -> LineColumns: ...

    def __getitem__(self, position: int | slice) -> IndexedLine | LineColumns:
        if isinstance(position, slice):
            return LineColumns(self.indexes[position], self.lines[position], self.amount_texts[position])
        return IndexedLine(self.indexes[position], self.lines[position], self.amount_texts[position])

    def __iter__(self) -> Iterator[IndexedLine]:
        return map(IndexedLine, self.indexes, self.lines, self.amount_texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineColumns):
            return (self.indexes, self.lines, self.amount_texts) == (other.indexes, other.lines, other.amount_texts)
        if isinstance(other, tuple | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} lines)"


class ValidatedLines(LineColumns):
    """The lines validation accepted, in journal order, which also remember their periods' grouping.

    Every step after validation (the balance check, the journal documents, the receipts, the
    ledger's digests) works period by period, and grouping 100,000 lines costs about as much as
    one of those steps' own work (benchmarks/bench_planning.py). So the grouping is worked out
    once, on first use, and every step reads the same one through :func:`lines_by_period`.
    Two threads asking at once both work it out and keep either: the answers are equal.
    """

    __slots__ = ("_by_period",)

    def __init__(
        self, indexes: tuple[int, ...] = (), lines: tuple[JournalLine, ...] = (), amount_texts: tuple[str, ...] = ()
    ) -> None:
        super().__init__(indexes, lines, amount_texts)
        self._by_period: Mapping[Period, LineColumns] | None = None

    def by_period(self) -> Mapping[Period, LineColumns]:
        found = self._by_period
        if found is None:
            found = self._by_period = MappingProxyType(_grouped(self))
        return found

    def without_periods(self, periods: Collection[Period]) -> ValidatedLines:
        """These lines less those of ``periods``, with the rest of the grouping kept as it is."""
        kept = {period: group for period, group in self.by_period().items() if period not in periods}
        positions = [position for position, line in enumerate(self.lines) if line.period not in periods]
        rest = ValidatedLines(*self.columns_at(positions))
        rest._by_period = MappingProxyType(kept)
        return rest


def columns(lines: Iterable[IndexedLine]) -> LineColumns:
    """``lines`` as columns: as they are when they already are, else taken in the order given."""
    return lines if isinstance(lines, LineColumns) else LineColumns.of(lines)


def lines_by_period(lines: Iterable[IndexedLine]) -> Mapping[Period, LineColumns]:
    """The lines by period, earliest period first, lines in journal order within each (read-only).

    Validated lines answer from the grouping they remember; any other lines are sorted into
    journal order and grouped here.
    """
    if isinstance(lines, ValidatedLines):
        return lines.by_period()
    return _grouped(LineColumns.of(sorted(lines, key=operator.attrgetter("index"))))


def _pick(column: tuple[T, ...], positions: Sequence[int]) -> tuple[T, ...]:
    """The items of ``column`` at ``positions``, gathered in C."""
    if len(positions) == 1:  # itemgetter of one position answers the item, not a tuple of it
        return (column[positions[0]],)
    return operator.itemgetter(*positions)(column) if positions else ()


def _grouped(lines: LineColumns) -> dict[Period, LineColumns]:
    # Keyed by (year, month) while grouping: a tuple of ints hashes in C, where the Period
    # dataclass's generated ``__hash__`` is a Python call per line. Only positions are collected
    # per line; each column is then gathered per period in C.
    positions: dict[tuple[int, int], list[int]] = {}
    periods: dict[tuple[int, int], Period] = {}
    with collector_paused():
        for position, line in enumerate(lines.lines):
            period = line.period
            key = (period.year, period.month)
            found = positions.get(key)
            if found is None:
                found = positions[key] = []
                periods[key] = period
            found.append(position)
        return {periods[key]: LineColumns(*lines.columns_at(positions[key])) for key in sorted(positions)}
