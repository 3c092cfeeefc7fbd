"""The cassettes' own guarantees: no secret in any file, replay needs no server, gaps fail loudly,
every exchange the plugin has is on tape, and every cassette says where it was recorded.
"""

from __future__ import annotations

import json
import re
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import vcr as vcrpy
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from nmbrs_procountor_devtools.conformance.scrub import REDACTED
from tests.cassette_tests import support
from tests.cassette_tests.conftest import RECORDING
from tests.cassette_tests.support import CASSETTES, scan_cassettes, scan_text, scrub_request, scrub_response

# While recording, cassettes are rewritten test by test (and checked at the end of the session).
replay_only = pytest.mark.skipif(RECORDING is not None, reason="checks the committed cassettes in replay mode")

# Every request the plugin can make (client.py, tokens.py, authorization.py), as method + path pattern.
PLUGIN_EXCHANGES = {
    "POST /api/oauth/token grant_type=authorization_code",
    "POST /api/oauth/token grant_type=refresh_token",
    "POST /api/oauth/token grant_type=client_credentials",
    "POST /logout",
    "GET /api/company",
    "GET /api/users/rights",
    "GET /api/coa",
    "GET /api/dimensions",
    "POST /api/dimensions/{id}/items",
    "GET /api/fiscalyears",
    "GET /api/vats/default",
    "GET /api/ledgerreceipts",
    "GET /api/ledgerreceipts/{ids}",
    "POST /api/ledgerreceipts",
    "PUT /api/ledgerreceipts/{id}/approve",
    "PUT /api/ledgerreceipts/{id}/invalidate",
    "POST /api/attachments",
}


def cassette_files() -> list[Path]:
    return sorted(p for p in CASSETTES.rglob("*.yaml") if p.name != support.ORIGINS_FILE)


# --------------------------------------------------------------------------- secrets


@replay_only
def test_no_file_in_cassettes_leaks_a_secret() -> None:
    assert cassette_files(), "no cassettes found: record them with PROCOUNTOR_RECORD=sandbox"
    assert scan_cassettes(extra_secrets=support.env_secrets()) == {}


@pytest.mark.parametrize(
    "leak",
    [
        "Authorization:\n      - Bearer 3vJq9xkz_Yt-abc",
        '{"access_token": "3vJq9xkz_Yt-abc", "token_type": "bearer"}',
        'string: \'{\\"refresh_token\\":\\"3vJq9xkz\\"}\'',
        "body: grant_type=authorization_code&code=Zm9vYmFy&client_id=x",
        "body: client_id=x&client_secret=hunter22",
        "api_key=k-123456789",
        "Set-Cookie:\n      - session=abc",
        "Cookie: session=abc",
        "whatever sandbox-secret-0123456789abcdef",
    ],
)
def test_the_leak_scan_catches_secret_shapes(leak: str) -> None:
    assert scan_text(leak)


def test_the_leak_scan_accepts_redacted_values() -> None:
    clean = (
        "Authorization:\n      - Bearer REDACTED\n"
        "body: grant_type=refresh_token&refresh_token=REDACTED&client_secret=REDACTED&code=REDACTED\n"
        'string: \'{"access_token":"REDACTED","refresh_token":"REDACTED","id_token":null}\'\n'
        'string: \'{"businessIdentifier": {"code": "1234567-8"}, "codeName": "400"}\'\n'
    )
    assert scan_text(clean) == []


def test_scrubbers_cover_json_with_a_charset_forms_and_responses() -> None:
    body = json.dumps({"api_key": "k-123456789", "nested": {"password": "pw-123456789"}, "amount": 1}).encode()
    request = Request(
        "PUT",
        "https://pts-api.procountor.com/api/x",
        body,
        {"Content-Type": "application/json; charset=utf-8", "Authorization": "Bearer abcdef123456", "Cookie": "c=1"},
    )
    scrubbed = scrub_request(request)
    assert json.loads(scrubbed.body) == {"api_key": REDACTED, "nested": {"password": REDACTED}, "amount": 1}
    assert scrubbed.headers["Authorization"] == f"Bearer {REDACTED}"
    assert "Cookie" not in scrubbed.headers
    form = scrub_request(
        Request("POST", "https://x/api/oauth/token", b"grant_type=authorization_code&code=abc123456&client_id=c", {})
    )
    assert form.body == b"grant_type=authorization_code&code=REDACTED&client_id=c"

    answer = json.dumps({"access_token": "a" * 43, "refresh_token": "r" * 43, "expires_in": 3600}).encode()
    response = scrub_response(
        {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Set-Cookie": ["s=1"], "Content-Length": [str(len(answer))]},
            "body": {"string": answer},
        }
    )
    assert json.loads(response["body"]["string"]) == {
        "access_token": REDACTED,
        "refresh_token": REDACTED,
        "expires_in": 3600,
    }
    assert "Set-Cookie" not in response["headers"]
    assert response["headers"]["Content-Length"] == [str(len(response["body"]["string"]))]


# --------------------------------------------------------------------------- replay needs nothing


@replay_only
def test_replay_blocks_even_loopback_and_refuses_to_start_a_sandbox() -> None:
    with pytest.raises(RuntimeError, match="Network is disabled"):
        socket.create_connection(("127.0.0.1", support.SANDBOX_PORT), timeout=1)
    from procountor_sandbox import Sandbox

    with pytest.raises(AssertionError, match="started a sandbox while replaying"):
        Sandbox().start()


@replay_only
def test_a_request_that_is_not_on_tape_fails_loudly(tmp_path: Path) -> None:
    config = support.vcr_config("none")
    with (
        vcrpy.VCR(cassette_library_dir=str(tmp_path)).use_cassette("empty.yaml", **config),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        requests.get(f"http://127.0.0.1:{support.SANDBOX_PORT}/api/company", timeout=1)


# --------------------------------------------------------------------------- coverage and origins


def _exchange_of(method: str, path: str, body: str | None) -> str:
    path = re.sub(r"/ledgerreceipts/\d+/(approve|invalidate)$", r"/ledgerreceipts/{id}/\1", path)
    path = re.sub(r"/ledgerreceipts/[\d,]+$", "/ledgerreceipts/{ids}", path)
    path = re.sub(r"/dimensions/\d+/items$", "/dimensions/{id}/items", path)
    if path.endswith("/oauth/token") and body:
        grant = dict(pair.split("=", 1) for pair in body.split("&") if "=" in pair).get("grant_type")
        return f"{method} {path} grant_type={grant}"
    return f"{method} {path}"


@replay_only
def test_every_exchange_the_plugin_has_is_on_tape() -> None:
    import yaml

    seen = set()
    for path in cassette_files():
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            request = interaction["request"]
            url = request["uri"].split("?", 1)[0]
            seen.add(_exchange_of(request["method"], "/" + url.split("/", 3)[3], request["body"]))
    assert PLUGIN_EXCHANGES - seen == set()
    assert seen - PLUGIN_EXCHANGES == set(), "a new exchange: add it to PLUGIN_EXCHANGES"


@replay_only
def test_every_cassette_says_where_it_was_recorded() -> None:
    for folder in sorted(p for p in CASSETTES.iterdir() if p.is_dir()):
        origins = support.read_origins(folder)
        names = {p.stem for p in folder.glob("*.yaml") if p.name != support.ORIGINS_FILE}
        assert set(origins) == names, folder
        for name, data in origins.items():
            origin = support.Origin(**data)
            assert origin.target in support.TARGETS, name
            assert origin.recorded_on
            uris = re.findall(r"uri: (\S+)", (folder / f"{name}.yaml").read_text(encoding="utf-8"))
            assert uris
            assert all(u.startswith(origin.base_url + "/") for u in uris), name


@replay_only
def test_every_recorded_json_body_is_byte_for_byte_the_plugins_encoding() -> None:
    """Each JSON request body is exactly what exact_json writes: 70.00 kept, é kept, nothing re-encoded."""
    import yaml

    from nmbrs_procountor_plugin.api import exact_json

    bodies = []
    for path in cassette_files():
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            body = interaction["request"]["body"]
            if isinstance(body, str) and body.lstrip()[:1] in ("{", "["):
                bodies.append(body)
    assert bodies
    for body in bodies:
        assert exact_json.dumps(exact_json.loads(body)) == body
    receipts = [b for b in bodies if '"accountingValue"' in b]
    assert any('"accountingValue":70.00' in b for b in receipts)
    assert any("café" in b for b in receipts)


@replay_only
def test_every_recorded_answer_matches_the_published_definition() -> None:
    """What the cassettes say Procountor answered never contradicts its published definition."""
    import yaml

    from tests.sandbox import official_schema as schema

    models: list[tuple[str, str, Any]] = [
        ("GET", r"/api/company", schema.COMPANY),
        ("GET", r"/api/ledgerreceipts/\d+(,\d+)+", [schema.LEDGER_RECEIPT]),
        ("GET", r"/api/ledgerreceipts", schema.LEDGER_RECEIPT_SEARCH_RESULT),
        ("POST", r"/api/ledgerreceipts", schema.LEDGER_RECEIPT),
        ("GET", r"/api/fiscalyears", schema.FISCAL_YEARS),
        ("GET", r"/api/vats/default", schema.VAT_INFORMATION),
        ("GET", r"/api/dimensions", [schema.DIMENSION]),
        ("GET", r"/api/coa", schema.LEDGER_ACCOUNTS),
        ("GET", r"/api/users/rights", schema.USER_PRIVILEGES),
    ]
    checked: set[str] = set()
    for path in cassette_files():
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            request, response = interaction["request"], interaction["response"]
            url_path = "/" + request["uri"].split("?", 1)[0].split("/", 3)[3]
            status = response["status"]["code"]
            body = response["body"]["string"]
            for method, pattern, model in models:
                if request["method"] == method and re.fullmatch(pattern, url_path) and status == 200:
                    answer = json.loads(body, parse_float=Decimal)
                    assert schema.violations(answer, model) == [], f"{path.name}: {method} {url_path}"
                    checked.add(pattern)
            if status >= 400 and url_path.startswith("/api/") and not url_path.startswith("/api/oauth"):
                assert schema.violations(json.loads(body), schema.ERROR_MESSAGES) == [], f"{path.name}: {url_path}"
    assert checked == {pattern for _, pattern, _ in models}
