"""The fingerprint the plugin writes into each receipt so a resend recognises its own work.

Procountor has no idempotency key and no search by name (reference §3b), so a receipt that was
created by an attempt whose answer got lost can only be recognised by reading it back. Each receipt
carries, in its unprinted ``invoiceNotes`` field, one line::

    nmbrs-procountor/2 company=<id> run=<id> period=2026-06 digest=<sha256 hex>

``company`` and ``run`` are percent-encoded (``urllib.parse.quote`` with nothing safe), so any id
is written as plain ASCII without spaces: it survives Windows-1252 and cannot break the line
apart. The digest covers the receipt's rows in the HOST's terms (account, exact amount,
description as sent, cost-center and cost-unit codes), not Procountor's dimension item ids: items
that a first attempt had to create get new ids, and the same journal must still be recognised.
Since version 2 the digest does not depend on the order of the lines (the rows are sorted before
hashing): the same journal exported with its lines in another order is the same booking. Version 1
fingerprints (digest over the rows in order) are still read, and compared the version-1 way.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from typing import Final, NamedTuple
from urllib.parse import quote, unquote

from nmbrs_hookspecs.types import Period
from nmbrs_procountor_plugin.export.text import NOTES_LIMIT

MARKER: Final = "nmbrs-procountor"
_CENTS: Final = Decimal("0.01")
VERSION: Final = 2
READABLE_VERSIONS: Final = (1, 2)

_HEX = re.compile(r"[0-9a-f]{16,}")
_LINE = re.compile(
    r"nmbrs-procountor/(?P<version>\d+)\s+company=(?P<company>\S+)\s+run=(?P<run>\S+)"
    r"\s+period=(?P<period>\d{4}-\d{2})\s+digest=(?P<digest>[0-9a-fA-F]{16,})"
)


class HostRow(NamedTuple):
    """One receipt row in the host's terms: what the digest covers.

    ``cost_center``/``cost_unit`` are the host codes sent as dimensions, or None when the line has
    none or that dimension kind is not enabled in the mapping (then nothing is sent for it).
    A named tuple rather than a frozen dataclass: one is made per journal line, and a tuple is
    built several times faster (benchmarks/bench_planning.py).
    """

    account: str
    amount: Decimal
    description: str
    cost_center: str | None
    cost_unit: str | None


@dataclass(frozen=True)
class Fingerprint:
    """Who made a receipt (company, run), for which period, and a digest of its rows."""

    run_id: str
    company_id: str
    period: Period
    digest: str
    version: int = VERSION

    def __post_init__(self) -> None:
        if not self.run_id or not self.company_id:
            raise ValueError("Fingerprint: run_id and company_id must not be empty")
        if not isinstance(self.period, Period):
            raise TypeError(f"Fingerprint.period={self.period!r}: expected Period")
        if not _HEX.fullmatch(self.digest):
            raise ValueError(f"Fingerprint.digest={self.digest!r}: expected at least 16 lowercase hex digits")

    def text(self) -> str:
        """The line for ``invoiceNotes``: ASCII only, far below Procountor's 10,000 characters.

        Raises ValueError for ids so long that the line would not fit (host ids are short; an id
        of thousands of characters is a host bug, and a cut fingerprint would never match).
        """
        line = (
            f"{MARKER}/{self.version} company={quote(self.company_id, safe='')} run={quote(self.run_id, safe='')} "
            f"period={self.period} digest={self.digest}"
        )
        if len(line) > NOTES_LIMIT:
            raise ValueError(f"fingerprint of {len(line)} characters exceeds invoiceNotes' {NOTES_LIMIT}")
        return line

    def matches_rows(self, rows: Iterable[HostRow]) -> bool:
        """True when the receipt carrying this fingerprint holds exactly ``rows`` (in any order)."""
        expected = ordered_rows_digest(rows) if self.version == 1 else rows_digest(rows)
        return self.digest == expected

    def same_origin(self, other: Fingerprint) -> bool:
        """Same company, run and period: the receipt this attempt would make, whatever its rows."""
        return (self.company_id, self.run_id, self.period) == (other.company_id, other.run_id, other.period)


def parse_fingerprint(text: str | None) -> Fingerprint | None:
    """The fingerprint in a receipt's ``invoiceNotes``, or None when the receipt is not ours.

    Tolerant on purpose: the line may sit among other notes (an accountant may add some), and
    whitespace may have been changed. A later format version is not ours to interpret: None.
    """
    if not text:
        return None
    match = _LINE.search(text)
    if match is None or int(match.group("version")) not in READABLE_VERSIONS:
        return None
    try:
        return Fingerprint(
            run_id=unquote(match.group("run")),
            company_id=unquote(match.group("company")),
            period=Period.parse(match.group("period")),
            digest=match.group("digest").lower(),
            version=int(match.group("version")),
        )
    except (ValueError, TypeError):
        return None


def _json_text(text: str | None) -> str:
    return "null" if text is None else encode_basestring_ascii(text)


def _amount_text(amount: Decimal) -> str:
    # Two decimals exactly, so 10.5 and 10.50 (the same booking) hash alike; the amount has at
    # most two decimals after validation, so quantize is exact here.
    return format(amount.quantize(_CENTS), "f")


def _canonical(rows: Iterable[HostRow]) -> list[list[str | None]]:
    return [[row.account, _amount_text(row.amount), row.description, row.cost_center, row.cost_unit] for row in rows]


def _sha256(canonical: list[list[str | None]]) -> str:
    data = json.dumps(canonical, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("ascii")).hexdigest()


def rows_digest(rows: Iterable[HostRow]) -> str:
    """SHA-256 (hex) over the rows in host terms, in any order; stable across Procountor item ids.

    The rows are sorted (as canonical JSON, ``None`` before text) before hashing, so reordered
    journal lines give the same digest while every field of every row, and how often a row
    occurs, still counts.
    """
    return _sha256(sorted(_canonical(rows), key=lambda row: json.dumps(row, ensure_ascii=True)))


def ordered_rows_digest(rows: Iterable[HostRow]) -> str:
    """The version-1 digest: over the rows in their order (only to recognise version-1 receipts)."""
    return _sha256(_canonical(rows))


class DigestWriter:
    """:func:`rows_digest` for planning: the same canonical JSON, written from memoisable pieces.

    A row's canonical JSON is ``account_piece(account) + amount + description_piece(description)
    + cost_objects_piece(cost_center, cost_unit)``, the amount with exactly two decimals
    (``10.50``). Planning works each piece out once per distinct account, description and pair
    of cost objects and joins them per journal line, which skips building a list per row and
    formatting every amount a second time. A test holds the result to :func:`rows_digest`.
    """

    @staticmethod
    def account_piece(account: str) -> str:
        return "[" + encode_basestring_ascii(account) + ',"'

    @staticmethod
    def description_piece(description: str) -> str:
        return '",' + encode_basestring_ascii(description) + ","

    @staticmethod
    def cost_objects_piece(cost_center: str | None, cost_unit: str | None) -> str:
        return f"{_json_text(cost_center)},{_json_text(cost_unit)}]"

    @staticmethod
    def digest(rows: Iterable[str]) -> str:
        """:func:`rows_digest` of the rows written from these pieces, in any order.

        Sorting the compact JSON rows orders them exactly as :func:`rows_digest` orders its
        canonical rows: two rows first differ inside a field or at a field's end, never at a
        separator, so the separators' spacing cannot change the order.
        """
        return hashlib.sha256(("[" + ",".join(sorted(rows)) + "]").encode("ascii")).hexdigest()
