"""The sandbox's switches for behaviours Procountor does not document (docs/sandbox.md, "Switches")."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procountor_sandbox import Sandbox, SandboxConfig

from .sandbox_helpers import BAKERY, TODAY, api_for, receipt


@pytest.mark.parametrize(
    ("field", "value"), [("token_error_shape", "json"), ("pending_periods", "maybe"), ("pending_periods", "")]
)
def test_an_unknown_switch_value_is_refused_naming_it(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=field) as refused:
        SandboxConfig(**{field: value})  # type: ignore[arg-type]
    assert repr(value) in str(refused.value)


@pytest.mark.parametrize("pending", ["refuse", "accept"])
def test_a_receipt_in_a_pending_period_is_refused_or_accepted_as_switched(
    sandbox_factory: Callable[..., Sandbox], pending: str
) -> None:
    sb = sandbox_factory(today=TODAY, rate_limit_per_second=None, pending_periods=pending)
    api = api_for(sb)
    sb.set_tracking_period_status(BAKERY, TODAY.year, 6, "PENDING")
    answer = api.post("/ledgerreceipts", json=receipt())
    if pending == "refuse":
        assert answer.status_code == 400
        assert answer.json()["errors"] == [{"status": 400, "field": "receiptDate", "message": "CLOSED_FISCAL_PERIOD"}]
        assert sb.receipts(BAKERY) == []
        return
    assert answer.status_code == 200, answer.text
    receipt_id = answer.json()["id"]
    assert api.put(f"/ledgerreceipts/{receipt_id}/invalidate").status_code == 200
    assert api.post("/ledgerreceipts", json=receipt(receiptDate=f"{TODAY.year}-07-01")).status_code == 200


@pytest.mark.parametrize("keep", [True, False])
def test_invoice_notes_are_kept_or_dropped_as_switched(sandbox_factory: Callable[..., Sandbox], keep: bool) -> None:
    sb = sandbox_factory(today=TODAY, rate_limit_per_second=None, keep_invoice_notes=keep)
    api = api_for(sb)
    created = api.post("/ledgerreceipts", json=receipt(invoiceNotes="fingerprint")).json()
    batch = api.get(f"/ledgerreceipts/{created['id']},{created['id']}").json()
    for answer in (created, api.get(f"/ledgerreceipts/{created['id']}").json(), batch[0]):
        assert answer.get("invoiceNotes") == ("fingerprint" if keep else None)
