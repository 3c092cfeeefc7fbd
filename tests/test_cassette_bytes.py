"""A cassette holds the exact bytes the plugin sent: amounts keep their digits, text its letters.

Recorded for real (vcrpy with the project's cassette configuration, the sandbox on loopback), then
the cassette file is read back: the request body must equal, byte for byte, what the plugin's
exact JSON produced. Before docs/cassettes.md's fix vcrpy's body filter stored ``70.00`` as
``70.0`` and ``é`` as ``\\u00e9``, so a cassette could not prove an exact amount.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import vcr as vcrpy
import yaml
from vcr.request import Request

from nmbrs_procountor_devtools.conformance.scrub import REDACTED
from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.pacing import Pacer
from procountor_sandbox import Sandbox
from tests.cassette_tests import support
from tests.test_client import FixedToken

DESCRIPTION = "Palkat café Jyväskylä – kesäkuu"


def _receipt() -> dict[str, Any]:
    rows = [("5000", Decimal("70.00")), ("2939", Decimal("-70.00"))]
    return {
        "type": "JOURNAL",
        "name": "Payroll 2026-06",
        "receiptDate": "2026-06-25",
        "vatType": "PURCHASE",
        "vatStatus": 12,
        "transactions": [
            {
                "transactionType": "ENTRY",
                "account": account,
                "accountingValue": amount,
                "vatPercent": Decimal("0"),
                "description": DESCRIPTION,
            }
            for account, amount in rows
        ],
    }


def test_a_recorded_cassette_holds_the_exact_request_bytes(
    tmp_path: Path, sandbox_factory: Callable[..., Sandbox], pacer: Pacer
) -> None:
    sb = sandbox_factory(today=date(2026, 11, 1), rate_limit_per_second=None)
    token = FixedToken(sb.issue_tokens("demo.admin", 10001)["access_token"])
    client = ProcountorClient(sb.api_url, token, timeout=5, pacer=pacer)
    payload = _receipt()
    sent = exact_json.dumps(payload).encode("utf-8")
    with vcrpy.VCR(cassette_library_dir=str(tmp_path)).use_cassette("bytes.yaml", **support.vcr_config("all")):
        client.create_ledger_receipt(payload)

    text = (tmp_path / "bytes.yaml").read_text(encoding="utf-8")
    request = yaml.safe_load(text)["interactions"][0]["request"]
    body = request["body"]
    recorded = body.encode("utf-8") if isinstance(body, str) else body
    assert recorded == sent
    assert b'"accountingValue":70.00' in recorded
    assert DESCRIPTION.encode("utf-8") in recorded
    assert "\\u00e9" not in text
    assert request["headers"]["Authorization"] == [f"Bearer {REDACTED}"]


def test_scrubbing_a_secret_changes_no_other_byte() -> None:
    body = ('{"api_key":"k-123456789","amount":70.00,"note":"café","deep":{"Password":"pw-1234567"}}').encode()
    request = Request("POST", "https://pts-api.procountor.com/api/x", body, {"Content-Type": "application/json"})
    scrubbed = support.scrub_request(request).body
    assert scrubbed == ('{"api_key":"REDACTED","amount":70.00,"note":"café","deep":{"Password":"REDACTED"}}').encode()
    assert json.loads(scrubbed)["amount"] == 70.0  # still valid JSON


def test_scrubbing_a_form_keeps_its_encoding() -> None:
    body = b"grant_type=refresh_token&refresh_token=r%2Bt-123456789&client_id=caf%C3%A9&client_secret=s3cr3t-value"
    request = Request("POST", "https://pts-api.procountor.com/api/oauth/token", body, {})
    scrubbed = support.scrub_request(request).body
    assert scrubbed == b"grant_type=refresh_token&refresh_token=REDACTED&client_id=caf%C3%A9&client_secret=REDACTED"
