"""The sandbox's answers match the types of Procountor's published definition.

Company, full receipts (POST answer, single and batch reads), the search, API error lists and the
token endpoint's refusals in each ``token_error_shape`` are checked with ``official_schema``, a
transcription of the definition that shares nothing with the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import requests

from procountor_sandbox import Sandbox

from . import official_schema as schema
from .sandbox_helpers import ADMIN, BAKERY, TODAY, Api, api_for, receipt


def conform(value: Any, kind: Any) -> None:
    problems = schema.violations(value, kind)
    assert problems == [], "\n".join(problems)


def decimal_json(response: requests.Response) -> Any:
    import json

    return json.loads(response.text, parse_float=Decimal)


# --------------------------------------------------------------------------- the check can fail


def test_the_schema_check_catches_what_the_definition_forbids() -> None:
    company = {"id": 1, "name": "X", "businessIdentifier": {"brnType": "Y_TUNNUS", "code": "1234567-8"}}
    assert schema.violations(company, schema.COMPANY) == [
        "$.businessIdentifier.brnType: 'Y_TUNNUS' is not one of ASSN, DK, FI, HETU, NO, PN, SE, SSN, YHD"
    ]
    row = {"transactionType": "ENTRY", "account": "5000", "accountingValue": 1}
    full = {**receipt(), "transactions": [row], "created": "2025-06-15T08:00:00"}
    found = schema.violations(full, schema.LEDGER_RECEIPT)
    assert "$.transactions[0].vatPercent: required by Transaction, missing" in found
    assert "$.created: not a field of LedgerReceipt" in found
    assert schema.violations({"id": 1, "name": None}, schema.COMPANY) == [
        "$.name: null (the definition has no nullable fields; leave it out)"
    ]
    assert schema.violations({"errors": [{"status": "400"}]}, schema.ERROR_MESSAGES) == [
        "$.errors[0].status: '400' is not a integer"
    ]


# --------------------------------------------------------------------------- company and receipts


def test_company_is_a_company_with_an_official_brn_type(api: Api) -> None:
    answer = api.get("/company").json()
    conform(answer, schema.COMPANY)
    assert answer["businessIdentifier"]["brnType"] == "FI"


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/users", schema.USER),
        ("/users/rights", schema.USER_PRIVILEGES),
        ("/sessioninfo", schema.SESSION_INFO),
        ("/dimensions", [schema.DIMENSION]),
        ("/dimensions/501", schema.DIMENSION),
        ("/fiscalyears", schema.FISCAL_YEARS),
        ("/coa", schema.LEDGER_ACCOUNTS),
        ("/vats/default", schema.VAT_INFORMATION),
        ("/status", schema.STATUS),
    ],
)
def test_the_other_reads_match_their_models(api: Api, path: str, model: Any) -> None:
    answer = api.get(path)
    assert answer.status_code == 200
    conform(decimal_json(answer), model)


def _post(api: Api, body: dict[str, Any], query: str = "") -> dict[str, Any]:
    answer = api.post(f"/ledgerreceipts{query}", json=body)
    assert answer.status_code == 200, answer.text
    parsed = decimal_json(answer)
    assert isinstance(parsed, dict)
    return parsed


def test_a_created_receipt_and_its_reads_are_ledger_receipts(api: Api) -> None:
    plain = _post(api, receipt())
    with_notes = _post(api, receipt(invoiceNotes="fingerprint", accountantsNotes="checked"))
    unbalanced = receipt()
    unbalanced["transactions"][2]["accountingValue"] = -3999.00
    reconciled = _post(api, unbalanced, "?createReconciliation=true")
    for created in (plain, with_notes, reconciled):
        conform(created, schema.LEDGER_RECEIPT)
        conform(decimal_json(api.get(f"/ledgerreceipts/{created['id']}")), schema.LEDGER_RECEIPT)
    assert "created" not in plain
    assert with_notes["invoiceNotes"] == "fingerprint"


def test_a_batch_read_is_a_list_of_receipts_ordered_by_id_without_duplicates(api: Api) -> None:
    ids = [_post(api, receipt())["id"] for _ in range(3)]
    asked = [ids[2], ids[0], 999999, ids[2], ids[1], ids[0]]
    batch = decimal_json(api.get("/ledgerreceipts/" + ",".join(str(i) for i in asked)))
    conform(batch, [schema.LEDGER_RECEIPT])
    assert [r["id"] for r in batch] == sorted(ids)


def test_the_search_is_a_search_result_of_basic_infos(api: Api) -> None:
    _post(api, receipt(invoiceNotes="not in a search result"))
    found = decimal_json(api.get("/ledgerreceipts", params={"types": "JOURNAL"}))
    conform(found, schema.LEDGER_RECEIPT_SEARCH_RESULT)
    assert found["results"]
    assert all("created" in r for r in found["results"])


def test_refused_receipts_are_error_messages(api: Api) -> None:
    body = receipt()
    del body["transactions"][0]["vatPercent"]
    refused = api.post("/ledgerreceipts", json=body)
    assert refused.status_code == 400
    conform(refused.json(), schema.ERROR_MESSAGES)
    assert {
        "status": 400,
        "field": "transactions[0].vatPercent",
        "message": "Value of the 'transactions[0].vatPercent' cannot be blank.",
    } in refused.json()["errors"]


def test_dropped_invoice_notes_leave_a_valid_receipt(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(today=TODAY, rate_limit_per_second=None, keep_invoice_notes=False)
    api = api_for(sb)
    created = _post(api, receipt(invoiceNotes="fingerprint"))
    read = decimal_json(api.get(f"/ledgerreceipts/{created['id']}"))
    for answer in (created, read):
        conform(answer, schema.LEDGER_RECEIPT)
        assert "invoiceNotes" not in answer


# --------------------------------------------------------------------------- token refusals


def _token_refusals(sb: Sandbox) -> list[requests.Response]:
    url = sb.base_url + "/api/oauth/token"
    client = {"client_id": sb.client_id, "client_secret": sb.client_secret}
    forms = [
        {"grant_type": "refresh_token", "refresh_token": "not-a-refresh-token", **client},
        {"grant_type": "client_credentials", "api_key": "not-an-api-key", "redirect_uri": sb.redirect_uri, **client},
        {"grant_type": "authorization_code", "code": "not-a-code", "redirect_uri": sb.redirect_uri, **client},
        {"grant_type": "refresh_token", "refresh_token": "x", "client_id": sb.client_id, "client_secret": "wrong"},
    ]
    return [requests.post(url, data=form, timeout=5) for form in forms]


@pytest.mark.parametrize(("shape", "model"), [("rfc", schema.RFC6749_ERROR), ("errors", schema.ERROR_MESSAGES)])
def test_token_refusals_come_in_the_configured_shape(
    sandbox_factory: Callable[..., Sandbox], shape: str, model: schema.Model
) -> None:
    sb = sandbox_factory(rate_limit_per_second=None, token_error_shape=shape)
    for refused in _token_refusals(sb):
        assert refused.status_code == 400
        assert refused.headers["Cache-Control"] == "no-store"
        conform(refused.json(), model)
        if shape == "errors":
            [entry] = refused.json()["errors"]
            assert entry["status"] == 400
            assert entry["message"]


def test_a_valid_token_request_is_unchanged_by_the_error_shape(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(rate_limit_per_second=None, token_error_shape="errors")
    refresh = sb.issue_tokens(ADMIN, BAKERY)["refresh_token"]
    answer = requests.post(
        sb.base_url + "/api/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
        },
        timeout=5,
    )
    assert answer.status_code == 200
    assert set(answer.json()) >= {"access_token", "expires_in"}
