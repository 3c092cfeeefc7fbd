"""Injected faults: what a client sees, and what the sandbox did (or did not) store."""

from __future__ import annotations

import time

import pytest
import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import BAKERY, Api, receipt

POST_PATH = "/api/ledgerreceipts"


def test_http_500_html(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.inject_fault("POST", POST_PATH, "http_500_html")
    answer = api.post("/ledgerreceipts", json=receipt())
    assert answer.status_code == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "500 Internal Server Error" in answer.text
    assert "nginx" in answer.text
    assert quiet_sandbox.receipts(BAKERY) == []
    assert api.post("/ledgerreceipts", json=receipt()).status_code == 200  # count=1 used up


@pytest.mark.parametrize(("kind", "status"), [("http_503", 503), ("http_429", 429)])
def test_retry_after_faults(quiet_sandbox: Sandbox, api: Api, kind: str, status: int) -> None:
    quiet_sandbox.inject_fault("GET", "/api/company", kind, count=2, retry_after=7)
    first, second, third = (api.get("/company") for _ in range(3))
    assert first.status_code == second.status_code == status
    assert first.headers["Retry-After"] == "7"
    assert third.status_code == 200


def test_retry_after_defaults_to_one(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.inject_fault("GET", "/api/company", "http_503")
    assert api.get("/company").headers["Retry-After"] == "1"


def test_delay(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.inject_fault("GET", "/api/coa", "delay", delay=0.3)
    started = time.monotonic()
    answer = api.get("/coa")
    assert answer.status_code == 200
    assert time.monotonic() - started >= 0.3
    quiet_sandbox.inject_fault("GET", "/api/coa", "delay", delay=0.5)
    with pytest.raises(requests.Timeout):
        api.get("/coa", timeout=0.1)


def test_reset_processes_nothing(quiet_sandbox: Sandbox, api: Api, capfd: pytest.CaptureFixture[str]) -> None:
    quiet_sandbox.inject_fault("POST", POST_PATH, "reset")
    with pytest.raises(requests.ConnectionError):
        api.post("/ledgerreceipts", json=receipt())
    assert quiet_sandbox.receipts(BAKERY) == []
    assert quiet_sandbox.request_log[-1].status == 0
    assert api.get("/company").status_code == 200  # the server carries on
    assert "Traceback" not in capfd.readouterr().err


def test_commit_then_drop_stores_but_never_answers(
    quiet_sandbox: Sandbox, api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    quiet_sandbox.inject_fault("POST", POST_PATH, "commit_then_drop")
    with pytest.raises(requests.ConnectionError):
        api.post("/ledgerreceipts", json=receipt(name="Lost answer"))
    stored = quiet_sandbox.receipts(BAKERY)
    assert [r["name"] for r in stored] == ["Lost answer"]
    found = api.get("/ledgerreceipts").json()["results"]
    assert [r["name"] for r in found] == ["Lost answer"]
    assert quiet_sandbox.request_log[-2].status == 0
    assert "Traceback" not in capfd.readouterr().err


def test_prefix_and_method_matching(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.inject_fault("GET", "/api/dim*", "http_500_html", count=2)
    assert api.get("/company").status_code == 200
    assert api.post("/dimensions/501/items", json={"codeName": "X1"}).status_code == 200
    assert api.get("/dimensions").status_code == 500
    assert api.get("/dimensions/501").status_code == 500
    assert api.get("/dimensions").status_code == 200


def test_faults_also_hit_the_token_endpoint(quiet_sandbox: Sandbox) -> None:
    quiet_sandbox.inject_fault("POST", "/api/oauth/token", "reset")
    with pytest.raises(requests.ConnectionError):
        requests.post(quiet_sandbox.api_url + "/oauth/token", data={"a": "b"}, timeout=5)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("GET", "/api/coa", "explode"), {}),
        (("GET", "api/coa", "http_503"), {}),
        (("GET", "/api/coa", "delay"), {}),
        (("GET", "/api/coa", "http_500_html", 0), {}),
        (("GET", "/api/coa", "http_503"), {"retry_after": -1}),
        (("GET", "/api/coa", "delay"), {"delay": -0.5}),
        (("GET", "/api/ledgerreceipts", "commit_then_drop"), {}),
        (("POST", "/api/dimensions/501/items", "commit_then_drop"), {}),
    ],
)
def test_invalid_faults_are_refused(
    quiet_sandbox: Sandbox, args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        quiet_sandbox.inject_fault(*args, **kwargs)  # type: ignore[arg-type]


def test_fault_over_http_admin_endpoint(quiet_sandbox: Sandbox, api: Api) -> None:
    url = quiet_sandbox.base_url + "/_sandbox/faults"
    answer = requests.post(
        url,
        json={"method": "GET", "path": "/api/company", "kind": "http_429", "retry_after": 2},
        timeout=5,
    )
    assert answer.status_code == 200
    assert len(requests.get(url, timeout=5).json()) == 1
    limited = api.get("/company")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    bad = requests.post(url, json={"method": "GET", "path": "/x", "kind": "nope"}, timeout=5)
    assert bad.status_code == 400
    assert "unknown fault kind" in bad.json()["error"]
    requests.post(url, json={"method": "GET", "path": "/api/coa", "kind": "reset"}, timeout=5)
    assert requests.delete(url, timeout=5).status_code == 200
    assert api.get("/coa").status_code == 200
