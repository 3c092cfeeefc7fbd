"""The shapes of Procountor's answers that the plugin reads, as TypedDicts.

Field names and types follow Procountor's published definition (docs/procountor-api.md §8).
Every shape is ``total=False``: the plugin reads answers defensively (``.get`` with a default),
since a field the definition calls required may still be missing in an older API version, and
the parsers around the client turn what they read into the plugin's own types. Only the fields
the plugin reads are listed; the answers carry more.
"""

from __future__ import annotations

from typing import TypedDict


class BusinessIdentifier(TypedDict, total=False):
    brnType: str
    brn: str


class Company(TypedDict, total=False):
    """``GET /company``."""

    id: int
    name: str
    businessId: str
    businessIdentifier: BusinessIdentifier


class AccountingRights(TypedDict, total=False):
    journalReceipts: str
    journalReceiptSearch: str
    personalJournalReceiptsOnly: bool


class Rights(TypedDict, total=False):
    accounting: AccountingRights


class UserRights(TypedDict, total=False):
    """``GET /users/rights``."""

    rights: Rights


class LedgerAccount(TypedDict, total=False):
    """One account of ``GET /coa``'s ``ledgerAccounts``."""

    ledgerAccountCode: str
    name: str
    active: bool


class DimensionItem(TypedDict, total=False):
    id: int
    codeName: str
    description: str
    status: str


class Dimension(TypedDict, total=False):
    """One dimension of ``GET /dimensions``."""

    id: int
    name: str
    items: list[DimensionItem]


class TrackingPeriod(TypedDict, total=False):
    startDate: str
    endDate: str
    status: str


class FiscalYear(TypedDict, total=False):
    """One year of ``GET /fiscalyears``' ``fiscalYears``."""

    id: int
    startDate: str
    endDate: str
    status: str
    trackingPeriods: list[TrackingPeriod]


class LedgerReceipt(TypedDict, total=False):
    """A receipt as ``GET /ledgerreceipts`` (search) or ``GET /ledgerreceipts/{ids}`` answers it."""

    id: int
    type: str
    status: str
    name: str
    receiptDate: str
    receiptNumber: int
    invoiceId: int
    invoiceNotes: str
    version: str
    transactions: list[dict[str, object]]


class VatStatus(TypedDict, total=False):
    vatStatus: int
    sales: bool
    purchase: bool


class VatDefaults(TypedDict, total=False):
    """``GET /vats/default``: which VAT statuses are enabled for sales and for purchase."""

    vatStatuses: list[VatStatus]


__all__ = [
    "BusinessIdentifier",
    "Company",
    "Dimension",
    "DimensionItem",
    "FiscalYear",
    "LedgerAccount",
    "LedgerReceipt",
    "TrackingPeriod",
    "UserRights",
    "VatDefaults",
    "VatStatus",
]
