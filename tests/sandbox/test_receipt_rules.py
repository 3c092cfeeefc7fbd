"""POST /ledgerreceipts validation: one refusal and one acceptance per documented rule."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from procountor_sandbox import Sandbox

from .sandbox_helpers import BAKERY, Api, receipt


def post(api: Api, body: Any, query: str = "") -> Any:
    return api.post("/ledgerreceipts" + query, json=body)


def post_raw(api: Api, text: str, query: str = "") -> Any:
    """Send JSON text verbatim, so decimals reach the server exactly as written."""
    return api.post("/ledgerreceipts" + query, data=text.encode(), headers={"Content-Type": "application/json"})


def errors_of(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 400, answer.text
    errors = answer.json()["errors"]
    assert all(e["status"] == 400 for e in errors)
    return list(errors)


def assert_refused(answer: Any, field: str, message: str) -> None:
    errors = errors_of(answer)
    assert any(e.get("field") == field and message in e["message"] for e in errors), errors


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def row_edit(row: int, **changes: Any) -> dict[str, Any]:
    body = receipt()
    for key, value in changes.items():
        if value is _DROP:
            body["transactions"][row].pop(key)
        else:
            body["transactions"][row][key] = value
    return body


_DROP = object()


def test_valid_receipt_is_accepted_with_the_full_shape(quiet_sandbox: Sandbox, api: Api) -> None:
    answer = post(api, receipt(invoiceNotes="Run 17 notes", status="APPROVED"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "UNFINISHED"  # a status in the request is ignored
    assert body["type"] == "JOURNAL"
    assert "created" not in body  # not a field of the full LedgerReceipt
    for key in ("id", "version", "receiptNumber", "invoiceId", "invoiceNumber"):
        assert body[key] is not None
    assert body["receiptNumber"] == 1
    assert all(isinstance(t["id"], int) for t in body["transactions"])
    assert body["invoiceNotes"] == "Run 17 notes"
    # Amounts are JSON numbers written with their two decimals, never strings.
    assert '"accountingValue": 5000.00' in answer.text
    stored = quiet_sandbox.receipts(BAKERY)
    assert stored == [body]
    second = post(api, receipt())
    assert second.json()["receiptNumber"] == 2


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("type", without(receipt(), "type")),
        ("name", without(receipt(), "name")),
        ("name", receipt(name="   ")),
        ("receiptDate", without(receipt(), "receiptDate")),
        ("vatType", without(receipt(), "vatType")),
        ("vatStatus", without(receipt(), "vatStatus")),
        ("transactions", without(receipt(), "transactions")),
        ("transactions", receipt(transactions=[])),
        ("transactions[1].transactionType", row_edit(1, transactionType=_DROP)),
        ("transactions[1].account", row_edit(1, account=_DROP)),
        ("transactions[1].accountingValue", row_edit(1, accountingValue=_DROP)),
    ],
)
def test_required_fields(api: Api, field: str, body: dict[str, Any]) -> None:
    assert_refused(post(api, body), field, f"Value of the '{field}' cannot be blank.")


def test_only_journal_can_be_posted(api: Api) -> None:
    assert_refused(post(api, receipt(type="SALES_INVOICE")), "type", "JOURNAL")


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 80), ("transactionDescription", 255), ("accountantsNotes", 255), ("invoiceNotes", 10000)],
)
def test_text_length_limits(api: Api, field: str, limit: int) -> None:
    assert_refused(post(api, receipt(**{field: "x" * (limit + 1)})), field, "too long")
    assert post(api, receipt(**{field: "x" * limit})).status_code == 200


def test_row_description_limit(api: Api) -> None:
    answer = post(api, row_edit(2, description="d" * 256))
    assert_refused(answer, "transactions[2].description", "too long")


def test_characters_outside_windows_1252_are_refused(api: Api) -> None:
    answer = post(api, receipt(name="Palkat Ŕ"))
    assert_refused(answer, "name", "not allowed")
    assert "U+0154" in errors_of(answer)[0]["message"]
    assert_refused(post(api, row_edit(0, description="kulu ೠ")), "transactions[0].description", "not allowed")
    # Finnish letters and the euro sign are Windows-1252.
    assert post(api, receipt(name="Palkat ÄÖÅ äöå € – ok")).status_code == 200


def test_vat_type_enum(api: Api) -> None:
    assert_refused(post(api, receipt(vatType="BOTH")), "vatType", "invalid")
    assert_refused(post(api, row_edit(0, vatType="BOTH")), "transactions[0].vatType", "invalid")


def test_vat_status_must_be_enabled_for_the_vat_type(api: Api) -> None:
    assert_refused(post(api, receipt(vatStatus=3)), "vatStatus", "not enabled")
    assert_refused(post(api, receipt(vatStatus=99)), "vatStatus", "not enabled")
    assert post(api, receipt(vatStatus=3, vatType="SALES")).status_code == 200
    assert post(api, receipt(vatStatus=1)).status_code == 200


def test_row_vat_status_override_is_checked(api: Api) -> None:
    assert_refused(post(api, row_edit(1, vatStatus=3)), "transactions[1].vatStatus", "not enabled")
    assert post(api, row_edit(1, vatStatus=3, vatType="SALES")).status_code == 200


def test_vat_percent_must_be_in_use(api: Api) -> None:
    assert_refused(post(api, row_edit(0, vatPercent=24)), "transactions[0].vatPercent", "in use")
    assert post(api, row_edit(0, vatPercent=25.5)).status_code == 200


@pytest.mark.parametrize("account", ["9999", "5090"])
def test_unknown_or_inactive_account(api: Api, account: str) -> None:
    answer = post(api, row_edit(2, account=account))
    assert errors_of(answer) == [
        {
            "status": 400,
            "field": "transactions[2].account",
            "message": "ERROR_LEDGERACCOUNT_VATPERCENTAGE_COMBINATION",
        }
    ]


def test_accounting_value_has_at_most_two_decimals(api: Api) -> None:
    text = json.dumps(receipt())
    bad = text.replace("-1000.0", "-1000.005").replace("-4000.0", "-3999.995")
    assert_refused(post_raw(api, bad), "transactions[1].accountingValue", "more than 2 decimals")
    assert_refused(post_raw(api, bad), "transactions[2].accountingValue", "more than 2 decimals")
    trailing = text.replace("-1000.0", "-1000.000")  # trailing zeros are not decimals
    assert post_raw(api, trailing).status_code == 200


def test_dimension_value_has_at_most_two_decimals(api: Api) -> None:
    text = json.dumps(receipt()).replace("3000.0", "2999.995").replace("2000.0", "2000.005")
    assert_refused(
        post_raw(api, text),
        "transactions[0].dimensionItemValues[0].value",
        "more than 2 decimals",
    )


MSG_DIM = "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE"


@pytest.mark.parametrize(
    "values",
    [
        [{"dimensionId": 501, "itemId": 7003, "value": 5000}],  # inactive item
        [{"dimensionId": 501, "itemId": 7101, "value": 5000}],  # item of another dimension
        [{"dimensionId": 999, "itemId": 7001, "value": 5000}],  # unknown dimension
    ],
)
def test_dimension_items_must_exist_and_be_active(api: Api, values: list[Any]) -> None:
    answer = post(api, row_edit(0, dimensionItemValues=values))
    assert errors_of(answer) == [{"status": 400, "field": "transactions[0].dimensionItemValues", "message": MSG_DIM}]


def test_reactivated_dimension_item_is_accepted(quiet_sandbox: Sandbox, api: Api) -> None:
    values = [{"dimensionId": 501, "itemId": 7003, "value": 5000}]
    quiet_sandbox.set_dimension_item_status(BAKERY, 7003, True)
    assert post(api, row_edit(0, dimensionItemValues=values)).status_code == 200


def test_dimension_pairs_are_unique_per_row(api: Api) -> None:
    values = [
        {"dimensionId": 501, "itemId": 7001, "value": 2500},
        {"dimensionId": 501, "itemId": 7001, "value": 2500},
    ]
    assert_refused(
        post(api, row_edit(0, dimensionItemValues=values)),
        "transactions[0].dimensionItemValues",
        "Duplicate",
    )


def test_dimension_values_must_sum_to_the_row_amount_per_dimension(api: Api) -> None:
    values = [
        {"dimensionId": 501, "itemId": 7001, "value": 3000},
        {"dimensionId": 501, "itemId": 7002, "value": 1999.99},
    ]
    assert_refused(
        post(api, row_edit(0, dimensionItemValues=values)),
        "transactions[0].dimensionItemValues",
        "must equal the accounting value",
    )
    two_dimensions = [
        {"dimensionId": 501, "itemId": 7001, "value": 5000},
        {"dimensionId": 502, "itemId": 7101, "value": 4000},
        {"dimensionId": 502, "itemId": 7102, "value": 1000},
    ]
    assert post(api, row_edit(0, dimensionItemValues=two_dimensions)).status_code == 200
    negative = [{"dimensionId": 501, "itemId": 7001, "value": -1000}]
    assert post(api, row_edit(1, dimensionItemValues=negative)).status_code == 200


def test_receipt_date_in_closed_period(quiet_sandbox: Sandbox, api: Api) -> None:
    answer = post(api, receipt(receiptDate="2024-01-31"))
    assert errors_of(answer) == [{"status": 400, "field": "receiptDate", "message": "CLOSED_FISCAL_PERIOD"}]
    assert post(api, receipt(receiptDate="2024-02-01")).status_code == 200
    quiet_sandbox.set_tracking_period_status(BAKERY, 2025, 6, "CLOSED")
    assert_refused(post(api, receipt()), "receiptDate", "CLOSED_FISCAL_PERIOD")
    quiet_sandbox.set_tracking_period_status(BAKERY, 2025, 6, "OPEN")
    assert post(api, receipt()).status_code == 200


def test_receipt_date_outside_every_fiscal_year_or_malformed(api: Api) -> None:
    assert_refused(post(api, receipt(receiptDate="2023-12-31")), "receiptDate", "No fiscal year")
    assert_refused(post(api, receipt(receiptDate="30.06.2025")), "receiptDate", "invalid")
    assert_refused(post(api, receipt(receiptDate="2025-02-30")), "receiptDate", "invalid")


def test_unbalanced_receipt_is_refused(api: Api) -> None:
    body = row_edit(2, accountingValue=-3999.99)
    assert_refused(post(api, body), "transactions", "does not balance")


def test_create_reconciliation_adds_one_balancing_row(api: Api) -> None:
    body = row_edit(2, accountingValue=-3999.99)
    answer = post(api, body, "?createReconciliation=true")
    assert answer.status_code == 200, answer.text
    rows = answer.json()["transactions"]
    assert len(rows) == 4
    assert rows[-1]["transactionType"] == "RECONCILIATION_ENTRY"
    assert rows[-1]["accountingValue"] == -0.01
    assert '"accountingValue": -0.01' in answer.text
    balanced = post(api, receipt(), "?createReconciliation=true")
    assert len(balanced.json()["transactions"]) == 3


def test_at_most_one_reversing_and_reconciliation_entry(api: Api) -> None:
    body = receipt()
    for i in (1, 2):
        body["transactions"][i]["transactionType"] = "REVERSING_ENTRY"
    assert_refused(post(api, body), "transactions", "At most one REVERSING_ENTRY")
    for i in (1, 2):
        body["transactions"][i]["transactionType"] = "RECONCILIATION_ENTRY"
    assert_refused(post(api, body), "transactions", "At most one RECONCILIATION_ENTRY")
    body["transactions"][1]["transactionType"] = "REVERSING_ENTRY"
    assert post(api, body).status_code == 200


def test_special_rows_carry_no_vat(api: Api) -> None:
    body = row_edit(2, transactionType="REVERSING_ENTRY", vatStatus=12)
    assert_refused(post(api, body), "transactions[2].vatStatus", "must not have a vatStatus")
    body = row_edit(2, transactionType="REVERSING_ENTRY", vatPercent=10)
    assert_refused(post(api, body), "transactions[2].vatPercent", "must be 0")


def test_every_violation_is_listed(api: Api) -> None:
    body = receipt(name="x" * 81, vatType="BOTH")
    body["transactions"][0]["account"] = "9999"
    body["transactions"][2]["accountingValue"] = "-4000"
    fields = {e.get("field") for e in errors_of(post(api, body))}
    assert {"name", "vatType", "transactions[0].account", "transactions[2].accountingValue"} <= (fields)


def test_unknown_top_level_fields_are_ignored(api: Api) -> None:
    answer = post(api, receipt(somethingNew={"a": 1}, externalRef="run-17"))
    assert answer.status_code == 200
    assert "somethingNew" not in answer.json()


def test_transport_errors(api: Api) -> None:
    text = api.post("/ledgerreceipts", data=json.dumps(receipt()), headers={"Content-Type": "text/plain"})
    assert text.status_code == 415
    broken = post_raw(api, '{"type": "JOURNAL",')
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["status"] == 400
    assert errors_of(post(api, [receipt()]))
    assert post(api, receipt(), "?createReconciliation=maybe").status_code == 400


def test_request_body_is_not_modified_by_the_server_copy(quiet_sandbox: Sandbox, api: Api) -> None:
    body = receipt()
    snapshot = copy.deepcopy(body)
    post(api, body)
    stored = quiet_sandbox.receipts(BAKERY)[0]
    stored["name"] = "changed"
    assert quiet_sandbox.receipts(BAKERY)[0]["name"] == snapshot["name"]
