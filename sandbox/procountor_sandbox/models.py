"""Plain data records of the sandbox's world (companies, users, chart, dimensions, periods).

Kept free of behaviour so the seed, the validation rules and the API views can share one
vocabulary without importing each other.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

JournalRight = str  # "ALL_RIGHTS" | "VIEWING_RIGHTS" | "NO_ACCESS" | "NOT_ENABLED"
JOURNAL_RIGHTS = ("ALL_RIGHTS", "VIEWING_RIGHTS", "NO_ACCESS", "NOT_ENABLED")
PERIOD_STATUSES = ("OPEN", "PENDING", "CLOSED")


@dataclass
class LedgerAccount:
    code: str
    name: str
    english: str
    active: bool = True


@dataclass
class DimensionItem:
    id: int
    code_name: str
    description: str
    active: bool = True


@dataclass
class Dimension:
    id: int
    name: str
    items: list[DimensionItem] = field(default_factory=list)

    def item(self, item_id: int) -> DimensionItem | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass
class TrackingPeriod:
    id: int
    start: datetime.date
    end: datetime.date
    status: str = "OPEN"
    modified: str = ""


@dataclass
class FiscalYear:
    id: int
    start: datetime.date
    end: datetime.date
    is_open: bool = True
    modified: str = ""
    periods: list[TrackingPeriod] = field(default_factory=list)


@dataclass
class VatStatus:
    code: int
    description: str
    sales: bool
    purchase: bool


@dataclass
class StoredAttachment:
    """An attachment as ``POST /attachments`` stored it: the ``Attachment`` answer and the file."""

    meta: dict[str, Any]
    content: bytes
    filename: str
    content_type: str


@dataclass
class Company:
    id: int
    name: str
    business_id: str
    accounts: dict[str, LedgerAccount] = field(default_factory=dict)
    dimensions: list[Dimension] = field(default_factory=list)
    fiscal_years: list[FiscalYear] = field(default_factory=list)  # newest first
    vat_statuses: list[VatStatus] = field(default_factory=list)
    vat_percents: list[Decimal] = field(default_factory=list)
    receipts: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_receipt_number: int = 1
    attachments: dict[int, StoredAttachment] = field(default_factory=dict)

    def dimension(self, dimension_id: int) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


@dataclass
class User:
    id: int
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    rights: dict[int, JournalRight] = field(default_factory=dict)  # company id -> journal right
    mobile_phone: str = "+358 40 000 0000"  # User.mobilePhone is required in the published definition
