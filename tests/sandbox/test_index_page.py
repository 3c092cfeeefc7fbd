"""The sandbox's base URL answers a small page of what it serves, not a 404."""

from __future__ import annotations

import requests

from procountor_sandbox import Sandbox


def test_base_url_lists_the_endpoints_it_serves(sandbox: Sandbox) -> None:
    page = requests.get(sandbox.base_url + "/", timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    for path in (
        "/login",
        "/api/oauth/token",
        "/logout",
        "/api/ledgerreceipts",
        "/api/fiscalyears",
        "/_sandbox/faults",
    ):
        assert f"<code>{path}" in page.text, path
    assert sandbox.client_id in page.text
    assert "client_secret" not in page.text
    assert sandbox.client_secret not in page.text


def test_only_the_base_url_gets_the_page(sandbox: Sandbox) -> None:
    assert requests.get(sandbox.base_url + "/nothing-here", timeout=5).status_code == 404
    assert requests.post(sandbox.base_url + "/", timeout=5).status_code == 404
    assert requests.head(sandbox.base_url + "/", timeout=5).status_code == 200
