"""Procountor's refusal of a receipt date: the problem names the date and the period, no made-up range."""

from __future__ import annotations

from datetime import date

import pytest

from nmbrs_hookspecs.types import Period
from nmbrs_procountor_plugin.api.errors import FieldError, ProcountorApiError
from nmbrs_procountor_plugin.export.refusals import problems_for
from tests.test_ledger_and_search import draft


@pytest.mark.parametrize("locale", ["en", "nl", "sv", "fi"])
def test_a_refused_receipt_date_says_not_open_with_the_date_and_period(locale: str) -> None:
    june = draft(Period(2026, 6), date(2026, 6, 25))
    error = ProcountorApiError(400, (FieldError(400, "receiptDate", "CLOSED_FISCAL_PERIOD"),))
    [found] = problems_for(error, june, locale, "bureau")
    assert found.code == "procountor.period.not_open"
    assert "2026-06-25" in found.message
    assert "2026-06" in found.message
    assert found.message.count("2026-06-25") == 1  # the date, not a one-day "range"
    assert found.field == "receipts[2026-06].receiptDate"
