"""Shared helpers of the sandbox tests (a plain module: conftest names can collide)."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from procountor_sandbox import Sandbox

ADMIN, VIEWER = "demo.admin", "demo.viewer"
BAKERY, CONSULTING = 10001, 10002
TODAY = datetime.date(2025, 6, 15)


class Api:
    """A bearer-authenticated client for one (user, company) token."""

    def __init__(self, sb: Sandbox, token: str) -> None:
        self.sb = sb
        self.token = token
        self.http = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 5)
        return self.http.request(method, self.sb.api_url + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)


def api_for(sb: Sandbox, user: str = ADMIN, company: int = BAKERY) -> Api:
    return Api(sb, sb.issue_tokens(user, company)["access_token"])


def receipt(**overrides: Any) -> dict[str, Any]:
    """A valid payroll journal for company 10001, dated in an open period of TODAY's year."""
    body: dict[str, Any] = {
        "type": "JOURNAL",
        "name": "Payroll 2025-06 run 17",
        "receiptDate": "2025-06-30",
        "vatType": "PURCHASE",
        "vatStatus": 12,
        "transactionDescription": "Nmbrs payroll run 17",
        "transactions": [
            {
                "transactionType": "ENTRY",
                "account": "5000",
                "accountingValue": 5000.00,
                "vatPercent": 0,
                "description": "Gross wages",
                "dimensionItemValues": [
                    {"dimensionId": 501, "itemId": 7001, "value": 3000.00},
                    {"dimensionId": 501, "itemId": 7002, "value": 2000.00},
                ],
            },
            {
                "transactionType": "ENTRY",
                "account": "2930",
                "accountingValue": -1000.00,
                "vatPercent": 0,
                "description": "Withholding tax payable",
            },
            {
                "transactionType": "ENTRY",
                "account": "2939",
                "accountingValue": -4000.00,
                "vatPercent": 0,
                "description": "Net wages payable",
            },
        ],
    }
    body.update(overrides)
    return body


class _FormParser(HTMLParser):
    """Collects what a browser would submit from the page's first form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.options: list[str] = []
        self.inputs: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and "name" in a:
            self.inputs.append(a["name"])
            if a.get("type") == "hidden":
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.inputs.append(a.get("name", ""))
        elif tag == "option" and self._select:
            self.options.append(a.get("value", ""))
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def parse_form(page: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(page)
    return parser


def login_params(sb: Sandbox, state: str = "st-123") -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": sb.client_id,
        "redirect_uri": sb.redirect_uri,
        "state": state,
    }


def browser_login(
    sb: Sandbox,
    username: str = ADMIN,
    password: str = "demo-password",  # noqa: S107 - published demo credential
    company: int = BAKERY,
    state: str = "st-123",
) -> requests.Response:
    """Drive the two login pages like a browser would; returns the final (302) response."""
    http = requests.Session()
    page = http.get(sb.base_url + "/login", params=login_params(sb, state), timeout=5)
    assert page.status_code == 200, page.text
    form = parse_form(page.text)
    step1 = {**form.fields, "username": username, "password": password, "action": "login"}
    chooser = http.post(sb.base_url + "/login", data=step1, allow_redirects=False, timeout=5)
    assert chooser.status_code == 200, chooser.text
    form2 = parse_form(chooser.text)
    step2 = {**form2.fields, "company": str(company), "action": "login"}
    return http.post(sb.base_url + "/login", data=step2, allow_redirects=False, timeout=5)


def code_from(response: requests.Response) -> dict[str, str]:
    location = response.headers["Location"]
    return dict(parse_qsl(urlsplit(location).query))


def token_request(sb: Sandbox, **fields: str) -> requests.Response:
    body = {"client_id": sb.client_id, "client_secret": sb.client_secret, **fields}
    return requests.post(sb.api_url + "/oauth/token", data=body, timeout=5)


def exchange(sb: Sandbox, code: str) -> requests.Response:
    return token_request(sb, grant_type="authorization_code", code=code, redirect_uri=sb.redirect_uri)
