"""Search, batch GET, approve and invalidate (docs/procountor-api.md §3, §3b, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from procountor_sandbox import Sandbox

from .sandbox_helpers import ADMIN, BAKERY, CONSULTING, VIEWER, Api, api_for, receipt


def _post_many(api: Api, dates: list[str]) -> list[dict[str, Any]]:
    out = []
    for i, day in enumerate(dates):
        answer = api.post("/ledgerreceipts", json=receipt(name=f"Run {i}", receiptDate=day))
        assert answer.status_code == 200, answer.text
        out.append(answer.json())
    return out


def test_search_pages_newest_id_first(api: Api) -> None:
    created = _post_many(api, ["2025-06-30"] * 7)
    ids = sorted((r["id"] for r in created), reverse=True)
    seen = []
    for page in range(3):
        answer = api.get("/ledgerreceipts", params={"size": 3, "page": page}).json()
        assert answer["meta"] == {
            "pageNumber": page,
            "pageSize": 3,
            "resultCount": len(answer["results"]),
            "totalCount": 7,
        }
        seen += [r["id"] for r in answer["results"]]
    assert seen == ids
    past_end = api.get("/ledgerreceipts", params={"size": 3, "page": 3}).json()
    assert past_end["meta"]["resultCount"] == 0
    first = api.get("/ledgerreceipts").json()
    assert first["meta"]["pageSize"] == 50
    row = first["results"][0]
    assert set(row) == {
        "id",
        "type",
        "status",
        "name",
        "receiptDate",
        "receiptNumber",
        "invoiceNumber",
        "created",
        "version",
    }
    ascending = api.get("/ledgerreceipts", params={"orderById": "ASC"}).json()["results"]
    assert [r["id"] for r in ascending] == sorted(ids)


def test_search_filters(api: Api) -> None:
    created = _post_many(api, ["2025-05-31", "2025-06-01", "2025-06-30", "2025-07-01"])
    june = api.get("/ledgerreceipts", params={"startDate": "2025-06-01", "endDate": "2025-06-30"}).json()
    assert {r["receiptDate"] for r in june["results"]} == {"2025-06-01", "2025-06-30"}
    assert api.put(f"/ledgerreceipts/{created[0]['id']}/approve").status_code == 200
    approved = api.get("/ledgerreceipts", params={"status": "APPROVED"}).json()["results"]
    assert [r["id"] for r in approved] == [created[0]["id"]]
    journals = api.get("/ledgerreceipts", params={"types": "JOURNAL,SALARY"}).json()
    assert journals["meta"]["totalCount"] == 4
    assert api.get("/ledgerreceipts", params={"types": "SALARY"}).json()["meta"]["totalCount"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"size": 201},
        {"size": 0},
        {"size": "ten"},
        {"page": -1},
        {"types": "JOURNAL,NONSENSE"},
        {"status": "DONE"},
        {"startDate": "01.06.2025"},
        {"orderById": "UP"},
    ],
)
def test_search_parameter_errors(api: Api, params: dict[str, Any]) -> None:
    answer = api.get("/ledgerreceipts", params=params)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["status"] == 400


def test_search_size_200_is_allowed(api: Api) -> None:
    assert api.get("/ledgerreceipts", params={"size": 200}).status_code == 200


def test_search_results_omit_invoice_notes_but_get_by_id_has_them(api: Api) -> None:
    created = api.post("/ledgerreceipts", json=receipt(invoiceNotes="secret notes")).json()
    row = api.get("/ledgerreceipts").json()["results"][0]
    assert "invoiceNotes" not in row
    one = api.get(f"/ledgerreceipts/{created['id']}").json()
    assert one["invoiceNotes"] == "secret notes"
    assert one == created


def test_batch_get(api: Api) -> None:
    a, b = _post_many(api, ["2025-06-30", "2025-06-30"])
    single = api.get(f"/ledgerreceipts/{a['id']}")
    assert single.json() == a
    batch = api.get(f"/ledgerreceipts/{b['id']},999999,{a['id']},{b['id']}").json()
    assert isinstance(batch, list)
    # The published definition: ordered by resource id, without duplicates.
    assert [r["id"] for r in batch] == sorted([a["id"], b["id"]])
    assert api.get(f"/ledgerreceipts/{a['id']},999999").json() == [a]
    assert api.get("/ledgerreceipts/999998,999999").status_code == 404
    assert api.get("/ledgerreceipts/999999").status_code == 404
    too_many = ",".join(str(i) for i in range(1, 202))
    assert api.get(f"/ledgerreceipts/{too_many}").status_code == 400
    exactly = ",".join([str(a["id"])] + [str(i) for i in range(1, 200)])
    assert api.get(f"/ledgerreceipts/{exactly}").status_code == 200
    assert api.get("/ledgerreceipts/abc").status_code == 400


def test_receipts_are_per_company(quiet_sandbox: Sandbox, api: Api) -> None:
    created = api.post("/ledgerreceipts", json=receipt()).json()
    other = api_for(quiet_sandbox, ADMIN, CONSULTING)
    assert other.get(f"/ledgerreceipts/{created['id']}").status_code == 404
    assert other.get("/ledgerreceipts").json()["meta"]["totalCount"] == 0
    assert quiet_sandbox.receipts(CONSULTING) == []


def test_approve_only_from_unfinished(api: Api) -> None:
    created = api.post("/ledgerreceipts", json=receipt()).json()
    answer = api.put(f"/ledgerreceipts/{created['id']}/approve")
    assert answer.status_code == 200
    assert "message" in answer.json()
    after = api.get(f"/ledgerreceipts/{created['id']}").json()
    assert after["status"] == "APPROVED"
    assert after["version"] >= created["version"]
    again = api.put(f"/ledgerreceipts/{created['id']}/approve")
    assert again.status_code == 403
    assert api.put("/ledgerreceipts/999999/approve").status_code == 404


def test_approve_needs_all_rights(quiet_sandbox: Sandbox, api: Api) -> None:
    created = api.post("/ledgerreceipts", json=receipt()).json()
    viewer = api_for(quiet_sandbox, VIEWER, BAKERY)
    assert viewer.put(f"/ledgerreceipts/{created['id']}/approve").status_code == 403
    assert quiet_sandbox.receipts(BAKERY)[0]["status"] == "UNFINISHED"


def test_invalidate(quiet_sandbox: Sandbox, api: Api) -> None:
    unfinished, approved = _post_many(api, ["2025-06-30", "2025-06-30"])
    api.put(f"/ledgerreceipts/{approved['id']}/approve")
    for rec in (unfinished, approved):
        assert api.put(f"/ledgerreceipts/{rec['id']}/invalidate").status_code == 200
        assert api.get(f"/ledgerreceipts/{rec['id']}").json()["status"] == "INVALIDATED"
    assert api.put(f"/ledgerreceipts/{approved['id']}/invalidate").status_code == 403
    assert api.put(f"/ledgerreceipts/{approved['id']}/approve").status_code == 403


def test_invalidate_in_closed_period_is_403(quiet_sandbox: Sandbox, api: Api) -> None:
    created = api.post("/ledgerreceipts", json=receipt()).json()
    quiet_sandbox.set_tracking_period_status(BAKERY, 2025, 6, "CLOSED")
    answer = api.put(f"/ledgerreceipts/{created['id']}/invalidate")
    assert answer.status_code == 403
    assert quiet_sandbox.receipts(BAKERY)[0]["status"] == "UNFINISHED"
