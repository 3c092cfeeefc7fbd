"""Procountor's answers reach the admin as a sentence of their language with what to do.

Each known code (``docs/procountor-answers.md``) has its own message; anything else falls back to
a generic sentence that names the journal line (or the receipt) and the field; Procountor's own
English text never becomes part of the sentence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmbrs_hookspecs.types import AdministrationMapping, DimensionMapping, Journal, JournalLine, Period
from nmbrs_procountor_plugin.api.errors import (
    FieldError,
    ProcountorApiError,
    ProcountorForbidden,
    ProcountorRateLimited,
    ProcountorUnauthorized,
    ProcountorUnavailable,
)
from nmbrs_procountor_plugin.export.journal_checks import validate_journal
from nmbrs_procountor_plugin.export.planning import ReceiptDraft, build_receipts
from nmbrs_procountor_plugin.export.refusals import answer_code, journal_field, problems_for, support_code
from nmbrs_procountor_plugin.provider import AccountSettings

JUNE = Period(2026, 6)
SETTINGS = AccountSettings("login", None, False, "PURCHASE", 12, False)


@pytest.fixture(scope="module")
def draft() -> ReceiptDraft:
    """June's receipt of a journal whose line 1 (index 0) is a zero line, so it is not sent:
    transaction 0 is journal line 2, transaction 1 is journal line 3."""
    lines = (
        JournalLine("7100", Decimal("0.00"), "zero", JUNE),
        JournalLine("7000", Decimal("100.00"), "wages", JUNE),
        JournalLine("2939", Decimal("-100.00"), "net", JUNE),
    )
    journal = Journal("c", "run", JUNE, "Palkat", date(2026, 6, 25), lines)
    mapping = AdministrationMapping(
        "a", "c", "1", (DimensionMapping("cost_center", False, "K"), DimensionMapping("cost_unit", False, "P"))
    )
    [receipt] = build_receipts(journal, validate_journal(journal, "en").lines, mapping, SETTINGS, lambda k, c: None)
    return receipt


def refused(*errors: tuple[int, str | None, str]) -> ProcountorApiError:
    found = tuple(FieldError(status, field, message) for status, field, message in errors)
    return ProcountorApiError(errors[0][0], found)


def test_transaction_fields_point_back_at_the_journal_line(draft: ReceiptDraft) -> None:
    place = journal_field(draft, "transactions[0].account")
    assert (place.field, place.index, place.field_name) == ("lines[1].ledger_account", 1, "ledger_account")
    receipt = journal_field(draft, "receiptDate")
    assert (receipt.field, receipt.index, receipt.field_name) == ("receipts[2026-06].receiptDate", None, "receipt_date")


def test_an_unknown_account_names_the_account_line_and_period(draft: ReceiptDraft) -> None:
    error = refused((400, "transactions[1].account", "ERROR_LEDGERACCOUNT_VATPERCENTAGE_COMBINATION"))
    [found] = problems_for(error, draft, "fi", "palkat")
    assert found.code == "procountor.account.rejected"
    assert found.field == "lines[2].ledger_account"
    assert found.message.startswith("Procountor hylkäsi tilin 2939 kauden 6/2026 tositteen rivillä 3:")


def test_a_closed_period_says_which_receipt_and_date(draft: ReceiptDraft) -> None:
    [found] = problems_for(refused((400, "receiptDate", "CLOSED_FISCAL_PERIOD")), draft, "nl", "palkat")
    assert found.code == "procountor.period.refused_closed"
    assert found.message == (
        "Procountor weigerde de boeking voor juni 2026: de datum 25 jun 2026 valt in een afgesloten boekjaar"
        " of periode."
    )


def test_a_closed_dimension_item_is_recognised_even_with_stray_spaces(draft: ReceiptDraft) -> None:
    # As integrators saw it: the code broken by spaces (docs/procountor-answers.md).
    broken = "DIMENSION_OR_DIMENSION_ ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE _STORED_IN_DATABASE"
    [found] = problems_for(refused((400, "transactions[0].dimensionItemValues", broken)), draft, "sv", "palkat")
    assert found.code == "procountor.dimension.item_rejected"
    assert found.field == "lines[1].dimensions"
    assert found.message.startswith("Procountor avvisade kostnadsstället eller kostnadsbäraren på rad 2")


def test_a_vat_mismatch_names_the_vat_status(draft: ReceiptDraft) -> None:
    [found] = problems_for(refused((400, "transactions[0].vatStatus", "ERROR_VATSTATUS_VATPERC")), draft, "en", "x")
    assert found.code == "procountor.export.vat_rejected"
    assert "VAT status 12 does not go with the VAT percentage of the line" in found.message


def test_an_unknown_code_falls_back_to_line_and_field(draft: ReceiptDraft) -> None:
    [found] = problems_for(refused((400, "transactions[0].accountingValue", "ERROR_SOMETHING_NEW")), draft, "fi", "x")
    assert found.code == "procountor.export.rejected"
    assert found.field == "lines[1].amount"
    assert found.message == (
        "Procountor hylkäsi kauden 6/2026 tositteen rivin 2, kenttä 'summa': arvoa ei hyväksytty"
        " (Procountorin vastaus: ERROR_SOMETHING_NEW)."
    )


def test_an_english_sentence_from_procountor_becomes_a_translated_reason(draft: ReceiptDraft) -> None:
    error = refused((400, "transactions[1].description", "Value of the 'transactions[1].description' cannot be blank."))
    [found] = problems_for(error, draft, "nl", "x")
    assert found.message == (
        "Procountor weigerde regel 3 van de boeking voor juni 2026, veld 'omschrijving': er is een waarde verplicht"
        " (antwoord van Procountor: HTTP 400)."
    )


def test_an_unknown_receipt_field_is_named_by_procountors_own_name(draft: ReceiptDraft) -> None:
    [found] = problems_for(
        refused((400, "partnerCode", "Value of the 'partnerCode' field is invalid: x")), draft, "sv", "x"
    )
    assert found.code == "procountor.export.receipt_rejected"
    assert found.message == (
        "Procountor avvisade verifikationen för juni 2026, fältet 'partnerCode': värdet är ogiltigt"
        " (Procountors svar: HTTP 400)."
    )


def test_a_401_body_after_a_granted_renewal_says_what_to_do() -> None:
    # A lasting 401 although the token endpoint just renewed the token: not proof the grant is dead.
    error = ProcountorUnauthorized(401, (FieldError(401, None, "Unauthorized"),))
    [found] = problems_for(error, None, "fi", "palkat@yritys.fi")
    assert found.code == "procountor.auth.token_not_accepted"
    assert found.message == (
        "Procountor ei hyväksynyt tilille 'palkat@yritys.fi' juuri myöntämäänsä tunnistetta; valtuutus itsessään"
        " toimii edelleen."
    )
    assert (
        found.hint == "Yritä uudelleen muutaman minuutin kuluttua. Jos tämä toistuu, ota yhteyttä Procountorin tukeen."
    )


def test_a_403_body_means_missing_rights(draft: ReceiptDraft) -> None:
    error = ProcountorForbidden(403, (FieldError(403, None, "Insufficient user rights"),))
    for context in (draft, None):
        [found] = problems_for(error, context, "nl", "palkat")
        assert found.code == "procountor.rights.insufficient"
        assert "mist een gebruikersrecht" in found.message


def test_unavailable_and_rate_limited_are_translated() -> None:
    lost = ProcountorUnavailable("x", uncertain=True, reason="timeout", call="POST /ledgerreceipts")
    [found] = problems_for(lost, None, "sv", "x")
    assert found.message == "Procountor gav inget användbart svar: inget svar kom i tid (POST /ledgerreceipts)."
    [limited] = problems_for(ProcountorRateLimited(429, ()), None, "fi", "x")
    assert limited.message == "Procountor rajoittaa pyyntöjen määrää juuri nyt."


def test_support_sees_codes_never_procountors_sentences() -> None:
    assert answer_code(400, "CLOSED_FISCAL_PERIOD") == "CLOSED_FISCAL_PERIOD"
    assert answer_code(400, "Value of the 'x' cannot be blank.") == "HTTP 400"
    forbidden = ProcountorForbidden(403, (FieldError(403, None, "Insufficient user rights or invalid receipt status"),))
    assert support_code(forbidden) == "HTTP 403"
    assert support_code(ProcountorApiError(404, ())) == "HTTP 404"
    [unexpected] = problems_for(refused((404, None, "Ledger receipt could not be saved")), None, "fi", "x")
    assert unexpected.message == "Procountor vastasi tavalla, jota integraatio ei ymmärrä (HTTP 404)."
