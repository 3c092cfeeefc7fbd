"""The receipt search pages until a short or empty page, and an unreadable 5xx body is summarised."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import requests

from nmbrs_procountor_plugin.api.client import PAGE_SIZE, ProcountorClient
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable
from nmbrs_procountor_plugin.api.pacing import Pacer
from nmbrs_procountor_plugin.api.summary import plain_reason
from tests.test_client import FixedToken


class Pages(requests.Session):
    """Answers the search with ``total`` receipts, ``PAGE_SIZE`` a page, and never a ``totalCount``."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
        self.pages: list[int] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        page = int(kwargs["params"]["page"])
        self.pages.append(page)
        ids = range(page * PAGE_SIZE, min((page + 1) * PAGE_SIZE, self.total))
        body = {"results": [{"id": i, "receiptDate": "2026-06-25", "status": "UNFINISHED"} for i in ids]}
        return _response(200, json.dumps(body), "OK")


def _response(status: int, text: str, reason: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response._content = text.encode("utf-8")
    return response


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (57, 1), (200, 2), (457, 3), (600, 4)])
def test_search_pages_until_a_short_or_empty_page_without_total_count(total: int, pages: int, pacer: Pacer) -> None:
    session = Pages(total)
    client = ProcountorClient("http://127.0.0.1:9/api", FixedToken("t"), session=session, pacer=pacer)
    found = client.search_journal_receipts(date(2026, 1, 1), date(2026, 6, 30))
    assert [r["id"] for r in found] == list(range(total))
    assert session.pages == list(range(pages))


class Gateway(requests.Session):
    def __init__(self, status: int, text: str, reason: str) -> None:
        super().__init__()
        self.answer = (status, text, reason)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        return _response(*self.answer)


HTML = (
    "<!DOCTYPE html><html><head><style>body{color:red}</style><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server."
    + "x" * 400
    + "</p></body></html>"
)


def test_a_5xx_html_page_becomes_status_and_a_short_reason(pacer: Pacer) -> None:
    gateway = Gateway(502, HTML, "Bad Gateway")
    client = ProcountorClient("http://127.0.0.1:9/api", FixedToken("t"), session=gateway, pacer=pacer)
    with pytest.raises(ProcountorUnavailable) as lost:
        client.request("GET", "/users/rights")
    assert lost.value.detail == "GET /users/rights: HTTP 502 Bad Gateway"
    assert "<" not in lost.value.detail


def test_a_plain_5xx_body_is_cut_at_a_word_and_never_half_a_tag(pacer: Pacer) -> None:
    body = "Service temporarily down for maintenance " * 10 + "<b"
    gateway = Gateway(503, body, "Unavailable")
    client = ProcountorClient("http://127.0.0.1:9/api", FixedToken("t"), session=gateway, pacer=pacer)
    with pytest.raises(ProcountorUnavailable) as lost:
        client.request("GET", "/coa")
    detail = lost.value.detail
    assert detail.startswith("GET /coa: HTTP 503 Unavailable: Service temporarily down")
    assert detail.endswith("…")
    assert "<" not in detail
    assert len(detail) < 160


def test_plain_reason_keeps_short_text_and_drops_scripts() -> None:
    assert plain_reason("<p>Upstream  timed\nout</p>") == "Upstream timed out"
    assert plain_reason("<script>var secret = 1;</script>Oops") == "Oops"
    assert plain_reason("a" * 300, limit=10) == "a" * 9 + "…"
