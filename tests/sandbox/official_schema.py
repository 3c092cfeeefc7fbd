"""A small type check written from Procountor's published API definition (version 26.04).

Source: Procountor's OpenAPI definition as published (docs/procountor-api.md, "official
definition"), models ``Company``, ``BusinessIdentifier``, ``LedgerReceipt``, ``Transaction``,
``DimensionItemValue``, ``Attachment``, ``LedgerReceiptBasicInfo``, ``LedgerReceiptSearchResult``,
``SearchResultMetaData``, ``ErrorMessages``/``ErrorMessage``. Only what the sandbox can answer is
transcribed, but every property of those models is listed, so a field the definition does not
have (``created`` on a full receipt) is an error, and so is a JSON ``null`` (the definition types
every property; absence is how it says "no value").

Independent of the sandbox's code on purpose: this is what Procountor promises, not what the
sandbox does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# A type is one of: "string", "integer", "number", "boolean", "date", "date-time",
# a tuple of allowed strings (an enum), a Model, or a one-element list [type] (an array).
Type = Any


@dataclass(frozen=True)
class Model:
    name: str
    required: dict[str, Type]
    optional: dict[str, Type]

    @property
    def fields(self) -> dict[str, Type]:
        return {**self.required, **self.optional}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")

RECEIPT_TYPES = (
    "JOURNAL",
    "PURCHASE_INVOICE",
    "SALES_INVOICE",
    "PERIODIC_TAX_RETURN",
    "TRAVEL_INVOICE",
    "BILL_OF_CHARGES",
    "VAT_FORM",
    "SALARY",
    "EMPLOYER_CONTRIBUTION",
    "PURCHASE_ORDER",
    "SALES_ORDER",
    "BANK_STATEMENT_AS_RECEIPT",
    "RECEIPT_FOR_OPENING_ACCOUNTS",
    "REFERENCE_PAYMENT",
    "TRACKING_PERIOD_OPENING_RECEIPT",
    "VAT_SUMMARY",
)
RECEIPT_STATUSES = (
    "APPROVED",
    "DELETED",
    "EMPTY",
    "INVALIDATED",
    "INVOICED",
    "MARKED_PAID",
    "NOT_SENT",
    "OVERRIDDEN",
    "PAID",
    "PARTLY_PAID",
    "PAYMENT_DENIED",
    "PAYMENT_QUEUED",
    "PAYMENT_SENT_TO_BANK",
    "PAYMENT_TRANSACTION_REMOVED",
    "RECEIVED",
    "SENT",
    "STARTED",
    "UNFINISHED",
    "UNSAVED",
    "VERIFIED",
)
VAT_TYPES = ("PURCHASE", "SALES")
BRN_TYPES = ("ASSN", "DK", "FI", "HETU", "NO", "PN", "SE", "SSN", "YHD")

BUSINESS_IDENTIFIER = Model("BusinessIdentifier", {}, {"brnType": BRN_TYPES, "code": "string"})
COMPANY = Model(
    "Company",
    {"id": "integer", "name": "string"},
    {
        "country": "string",  # an enum of country names (FINLAND, SWEDEN, ...); not transcribed
        "productVersion": "string",
        "operationType": "string",
        "accountingOfficeName": "string",
        "accountingOfficeId": "integer",
        "companyAddress": "object",
        "billingAddress": "object",
        "mva": "boolean",
        "inTradeRegister": "boolean",
        "businessIdentifier": BUSINESS_IDENTIFIER,
        "accountingCoaLanguages": ["string"],
        "companyCurrency": ("DKK", "EUR", "NOK", "SEK"),
        "currencyRateSearchDensity": ("DAILY_EXCHANGE_RATE", "LAST_DAY_OF_THE_MONTH", "PROCOUNTOR_FIXED_RATE"),
    },
)
DIMENSION_ITEM_VALUE = Model(
    "DimensionItemValue", {"dimensionId": "integer", "itemId": "integer", "value": "number"}, {}
)
TRANSACTION = Model(
    "Transaction",
    {
        "transactionType": ("ENTRY", "RECONCILIATION_ENTRY", "REVERSING_ENTRY"),
        "account": "string",
        "accountingValue": "number",
        "vatPercent": "number",
    },
    {
        "id": "integer",
        "vatType": VAT_TYPES,
        "vatStatus": "integer",
        "description": "string",
        "balanceCode": "string",
        "allocations": ["integer"],
        "partnerId": "integer",
        "dimensionItemValues": [DIMENSION_ITEM_VALUE],
        "vatDeductionPercent": "number",
        "startDate": "date",
        "endDate": "date",
    },
)
ATTACHMENT = Model(
    "Attachment",
    {"name": "string", "referenceType": "string", "referenceId": "integer", "sendWithInvoice": "boolean"},
    {"id": "integer", "mimeType": "string"},
)
LEDGER_RECEIPT = Model(
    "LedgerReceipt",
    {
        "type": RECEIPT_TYPES,
        "name": "string",
        "receiptDate": "date",
        "vatType": VAT_TYPES,
        "vatStatus": "integer",
        "transactions": [TRANSACTION],
    },
    {
        "id": "integer",
        "status": RECEIPT_STATUSES,
        "vatProcessing": "string",
        "invoiceId": "integer",
        "receiptNumber": "integer",
        "invoiceNotes": "string",
        "invoiceNumber": "integer",
        "accountantsNotes": "string",
        "transactionDescription": "string",
        "receiptValidity": ("EMPTY", "IMMEDIATELY", "OVER_3_YEARS", "SERVICE_PERIOD"),
        "periodStartDate": "date",
        "periodEndDate": "date",
        "partnerId": "integer",
        "partnerCode": "string",
        "serialNumber": "object",
        "version": "date-time",
        "depreciation": "string",
        "vatDate": "date",
        "attachments": [ATTACHMENT],
    },
)
LEDGER_RECEIPT_BASIC_INFO = Model(
    "LedgerReceiptBasicInfo",
    {},
    {
        "id": "integer",
        "type": RECEIPT_TYPES,
        "status": RECEIPT_STATUSES,
        "name": "string",
        "receiptDate": "date",
        "receiptNumber": "integer",
        "invoiceNumber": "integer",
        "serialNumber": "object",
        "created": "date-time",
        "version": "date-time",
    },
)
SEARCH_RESULT_META = Model(
    "SearchResultMetaData",
    {},
    {"pageNumber": "integer", "pageSize": "integer", "resultCount": "integer", "totalCount": "integer"},
)
LEDGER_RECEIPT_SEARCH_RESULT = Model(
    "LedgerReceiptSearchResult", {}, {"results": [LEDGER_RECEIPT_BASIC_INFO], "meta": SEARCH_RESULT_META}
)
ERROR_MESSAGE = Model(
    "ErrorMessage", {}, {"status": "integer", "field": "string", "message": "string", "model": "object"}
)
ERROR_MESSAGES = Model("ErrorMessages", {}, {"errors": [ERROR_MESSAGE]})

RIGHT = ("ALL_RIGHTS", "NOT_ENABLED", "NO_ACCESS", "VIEWING_RIGHTS")
USER = Model(
    "User",
    {"firstName": "string", "lastName": "string", "email": "string", "mobilePhone": "string"},
    {
        "id": "integer",
        "username": "string",
        "companyId": "integer",
        "countryCode": "string",
        "street": "string",
        "zip": "string",
        "city": "string",
        "partnerId": "integer",
        "loginMethod": ("FINAGO_KEY", "PASSWORDLIST", "PROCOUNTOR_KEY"),
        "secondaryPhone": "string",
        "socialSecurityNumber": "string",
    },
)
ACCOUNTING_RIGHTS = Model(
    "AccountingRights",
    {},
    {
        "journalReceipts": RIGHT,
        "journalReceiptSearch": RIGHT,
        "personalJournalReceiptsOnly": "boolean",
        "closingOfAccountTools": RIGHT,
        "preventCreatingEditingInvoices": "boolean",
        "preventEditingAccountingPage": "boolean",
        "accountingReports": RIGHT,
        "archive": RIGHT,
    },
)
USER_PERMISSIONS = Model(
    "UserPermissions",
    {},
    {
        "management": "object",
        "user": "object",
        "sales": "object",
        "purchases": "object",
        "travelAndExpenses": "object",
        "invoiceCirculation": "object",
        "salaries": "object",
        "payments": "object",
        "accounting": ACCOUNTING_RIGHTS,
    },
)
USER_PRIVILEGES = Model("UserPrivileges", {}, {"role": "string", "rights": USER_PERMISSIONS})
SESSION_INFO = Model(
    "SessionInfo",
    {},
    {
        "companyId": "integer",
        "name": "string",
        "country": "string",
        "productVersion": "string",
        "userId": "integer",
        "userName": "string",
        "companySettings": "object",
    },
)
DIMENSION_ITEM = Model(
    "DimensionItem", {"codeName": "string"}, {"id": "integer", "status": "string", "description": "string"}
)
DIMENSION = Model("Dimension", {"name": "string"}, {"id": "integer", "items": [DIMENSION_ITEM]})
TRACKING_PERIOD = Model(
    "TrackingPeriod",
    {"status": ("CLOSED", "OPEN", "PENDING")},
    {"id": "integer", "startDate": "date", "endDate": "date", "modified": "date-time"},
)
FISCAL_YEAR = Model(
    "FiscalYear",
    {},
    {
        "id": "integer",
        "startDate": "date",
        "endDate": "date",
        "modified": "date-time",
        "trackingPeriods": [TRACKING_PERIOD],
        "isOpen": "boolean",
    },
)
FISCAL_YEARS = Model("FiscalYears", {}, {"fiscalYears": [FISCAL_YEAR]})
LEDGER_ACCOUNTS = Model(
    "LedgerAccounts",
    {},
    {
        "ledgerAccounts": [
            Model(
                "LedgerAccount",
                {},
                {
                    "ledgerAccountCode": "string",
                    "name": "string",
                    "active": "boolean",
                    "translations": [
                        Model("LedgerAccountTranslation", {}, {"languageCode": "string", "translation": "string"})
                    ],
                },
            )
        ]
    },
)
VAT_INFORMATION = Model(
    "VatInformation",
    {},
    {
        "vatInformation": [
            Model(
                "VatCountryInfo",
                {},
                {
                    "country": "string",
                    "percentages": [
                        Model("VatInfo", {}, {"vatPercent": "number", "sales": "boolean", "purchase": "boolean"})
                    ],
                },
            )
        ],
        "vatStatuses": [
            Model(
                "VatStatusInfo",
                {},
                {"vatStatus": "integer", "description": "string", "sales": "boolean", "purchase": "boolean"},
            )
        ],
    },
)
STATUS = Model("Status", {}, {"name": "string", "version": "string", "status": ("DEGRADED", "FAILING", "OK")})

# Not in the definition (the token endpoint is not part of it): RFC 6749 §5.2's error response,
# the other shape a token refusal may take (docs/sandbox.md, switch token_error_shape).
RFC6749_ERROR = Model("RFC 6749 error", {"error": "string"}, {"error_description": "string", "error_uri": "string"})


def violations(value: Any, kind: Type, path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``kind``, as ``"<path>: <why>"``; empty when it conforms."""
    if value is None:
        return [f"{path}: null (the definition has no nullable fields; leave it out)"]
    if isinstance(kind, Model):
        if not isinstance(value, dict):
            return [f"{path}: expected a {kind.name} object, got {type(value).__name__}"]
        out = [f"{path}.{name}: required by {kind.name}, missing" for name in kind.required if name not in value]
        for name, item in value.items():
            if name not in kind.fields:
                out.append(f"{path}.{name}: not a field of {kind.name}")
            else:
                out.extend(violations(item, kind.fields[name], f"{path}.{name}"))
        return out
    if isinstance(kind, list):
        if not isinstance(value, list):
            return [f"{path}: expected an array, got {type(value).__name__}"]
        return [v for i, item in enumerate(value) for v in violations(item, kind[0], f"{path}[{i}]")]
    if isinstance(kind, tuple):
        return [] if value in kind else [f"{path}: {value!r} is not one of {', '.join(kind)}"]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float | Decimal) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "date": lambda v: isinstance(v, str) and bool(_DATE.match(v)),
        "date-time": lambda v: isinstance(v, str) and bool(_DATE_TIME.match(v)),
        "object": lambda v: isinstance(v, dict),
    }
    return [] if checks[kind](value) else [f"{path}: {value!r} is not a {kind}"]
