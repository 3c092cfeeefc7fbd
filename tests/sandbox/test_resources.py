"""Read-only resources and dimension-item creation (docs/procountor-api.md §4, §5)."""

from __future__ import annotations

import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import ADMIN, BAKERY, CONSULTING, TODAY, VIEWER, Api, api_for


def test_company_and_session(api: Api) -> None:
    company = api.get("/company").json()
    assert company["id"] == BAKERY
    assert company["name"] == "Järvi Leipomo Oy"
    assert company["country"] == "FINLAND"
    assert company["businessIdentifier"] == {"brnType": "FI", "code": "1234567-8"}
    assert company["companyCurrency"] == "EUR"
    session = api.get("/sessioninfo").json()
    assert session["companyId"] == BAKERY
    assert session["userName"] == ADMIN
    assert {"name", "country", "userId"} <= set(session)


def test_second_company_sees_its_own_data(quiet_sandbox: Sandbox) -> None:
    other = api_for(quiet_sandbox, ADMIN, CONSULTING)
    assert other.get("/company").json()["businessIdentifier"]["code"] == "7654321-0"
    assert [d["id"] for d in other.get("/dimensions").json()] == [601, 602]


def test_users_rights(api: Api) -> None:
    rights = api.get("/users/rights").json()
    assert rights["rights"]["accounting"]["journalReceipts"] == "ALL_RIGHTS"
    assert "journalReceiptSearch" in rights["rights"]["accounting"]
    assert "role" in rights


def test_chart_of_accounts(api: Api) -> None:
    accounts = {a["ledgerAccountCode"]: a for a in api.get("/coa").json()["ledgerAccounts"]}
    assert set(accounts) == {
        "1910",
        "2930",
        "2935",
        "2937",
        "2939",
        "2960",
        "5000",
        "5020",
        "5090",
        "6130",
        "6410",
    }
    assert accounts["2939"]["name"] == "Palkkavelka"
    assert accounts["2939"]["translations"] == [{"languageCode": "en", "translation": "Net wages payable"}]
    assert accounts["5090"]["active"] is False
    assert accounts["5000"]["active"] is True


def test_dimensions_mark_only_inactive_items_with_status(api: Api) -> None:
    dims = api.get("/dimensions").json()
    assert [(d["id"], d["name"]) for d in dims] == [(501, "Kustannuspaikka"), (502, "Projekti")]
    items = {i["id"]: i for i in dims[0]["items"]}
    assert items[7001] == {"id": 7001, "codeName": "100", "description": "Helsinki"}
    assert items[7003]["status"] == "P"
    assert api.get("/dimensions/502").json()["items"][1]["description"] == "Café"
    assert api.get("/dimensions/999").status_code == 404


def test_set_dimension_item_status(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.set_dimension_item_status(BAKERY, 7001, False)
    quiet_sandbox.set_dimension_item_status(BAKERY, 7003, True)
    items = {i["id"]: i for i in api.get("/dimensions/501").json()["items"]}
    assert items[7001]["status"] == "P"
    assert "status" not in items[7003]


def test_fiscal_years_newest_first_with_closed_january_last_year(api: Api) -> None:
    years = api.get("/fiscalyears").json()["fiscalYears"]
    assert [y["startDate"] for y in years] == [f"{TODAY.year}-01-01", f"{TODAY.year - 1}-01-01"]
    assert all(y["isOpen"] for y in years)
    current, previous = years
    assert [p["startDate"][5:7] for p in current["trackingPeriods"]] == [f"{m:02d}" for m in range(1, 13)]
    assert {p["status"] for p in current["trackingPeriods"]} == {"OPEN"}
    assert previous["trackingPeriods"][0]["status"] == "CLOSED"
    assert {p["status"] for p in previous["trackingPeriods"][1:]} == {"OPEN"}
    assert previous["trackingPeriods"][1]["endDate"] == "2024-02-29"  # leap year


def test_vats_default(api: Api) -> None:
    vats = api.get("/vats/default").json()
    statuses = {v["vatStatus"]: v for v in vats["vatStatuses"]}
    assert statuses[12]["description"] == "No VAT handling"
    assert statuses[3]["sales"] is True
    assert statuses[3]["purchase"] is False
    percents = [p["vatPercent"] for p in vats["vatInformation"][0]["percentages"]]
    assert percents == [0, 10, 14, 25.5]


def test_create_dimension_item(api: Api) -> None:
    answer = api.post("/dimensions/501/items", json={"codeName": "400", "description": "Turku"})
    assert answer.status_code == 200
    item = answer.json()
    assert item["codeName"] == "400"
    assert isinstance(item["id"], int)
    assert item in api.get("/dimensions/501").json()["items"]


def test_create_dimension_item_refusals(quiet_sandbox: Sandbox, api: Api) -> None:
    duplicate = api.post("/dimensions/501/items", json={"codeName": "100", "description": "x"})
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["field"] == "codeName"
    blank = api.post("/dimensions/501/items", json={"description": "no code"})
    assert blank.json()["errors"] == [
        {"status": 400, "field": "codeName", "message": "Value of the 'codeName' cannot be blank."}
    ]
    assert api.post("/dimensions/999/items", json={"codeName": "9"}).status_code == 404
    viewer = api_for(quiet_sandbox, VIEWER, BAKERY)
    assert viewer.post("/dimensions/501/items", json={"codeName": "500"}).status_code == 403


def test_the_api_answers_under_the_versioned_paths_and_the_token_endpoint_only_under_api(api: Api) -> None:
    base = api.sb.base_url
    headers = {"Authorization": f"Bearer {api.token}"}
    for prefix in ("/api", "/latest", "/supported", "/v2604"):
        answer = requests.get(f"{base}{prefix}/company", headers=headers, timeout=5)
        assert answer.status_code == 200, prefix
        assert answer.json()["id"] == BAKERY
    assert requests.get(f"{base}/v26/company", headers=headers, timeout=5).status_code == 404
    # Not a token endpoint there: the API asks for a bearer token.
    assert requests.post(f"{base}/latest/oauth/token", data={"grant_type": "x"}, timeout=5).status_code == 401
