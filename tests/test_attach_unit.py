"""The attach step on its own: a receipt without a usable invoice id gets no document, only a warning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs.booking import BookedReceipt, RunKey
from nmbrs_hookspecs.booking_store import SqliteBookingLedger
from nmbrs_hookspecs.store import Database
from nmbrs_hookspecs.types import Period
from nmbrs_procountor_plugin.export.attach import NO_INVOICE_ID, Attacher
from nmbrs_procountor_plugin.export.documents import JournalDocument

RUN = RunKey("account-1", "company-1", "run-1")
JUNE = Period(2026, 6)


class NoPostClient:
    """Fails the test if anything is posted."""

    def post_attachment(self, *args: Any) -> dict[str, Any]:
        raise AssertionError("a document was posted without a usable invoice id")


@pytest.mark.parametrize("invoice_id", [None, "INV-7"])
def test_a_receipt_without_a_numeric_invoice_id_gets_a_warning_and_no_post(invoice_id: str | None) -> None:
    ledger = SqliteBookingLedger(Database())
    receipt = BookedReceipt("40006", date(2026, 6, 25), "Payroll", "a" * 64, Decimal("10.00"), invoice_id)
    ledger.record_receipt(RUN, JUNE, receipt)
    document = JournalDocument(JUNE, "Payroll 2026-06.csv", b"\xef\xbb\xbfRivi;Kausi\r\n")
    attacher = Attacher(NoPostClient(), ledger, RUN, "en")  # type: ignore[arg-type]
    [warning] = attacher.attach_missing({JUNE: document}, {JUNE: {"id": 40006}})
    assert warning.code == "procountor.attachment.missing"
    assert not warning.blocking
    assert NO_INVOICE_ID in warning.message
    assert ledger.records(RUN)[0].attachments == ()  # nothing recorded: the next send tries again
