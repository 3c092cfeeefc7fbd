"""Writing the kit's exchanges as a cassette (vcrpy's YAML format) marked with where it was recorded.

Secrets are cut out of the raw bytes (``scrub``), every other byte is kept, and the written file
is checked for every live secret value before it is kept: a leak deletes the file and fails the
run. The origin goes into a side-car ``origins.yaml`` beside the cassette, as for the project's
own cassettes (docs/cassettes.md), with ``recorded_by: conformance``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from nmbrs_procountor_devtools.conformance.http import Exchange
from nmbrs_procountor_devtools.conformance.scrub import REDACTED, REQUEST_SECRETS, RESPONSE_SECRETS, scrub_body

ORIGINS_FILE: Final = "origins.yaml"
_DROPPED: Final = frozenset({"cookie", "set-cookie", "x-api-key"})


class LeakError(RuntimeError):
    """A recording still held a secret value; nothing was kept."""


@dataclass(frozen=True)
class Origin:
    """Where a recording was made (no secrets: the client id and redirect URI are not secret)."""

    target: str  # "sandbox", "pts", "production" or "custom"
    base_url: str
    client_id: str
    redirect_uri: str
    company_id: str
    company_name: str
    recorded_on: str
    recorded_by: str = "conformance"
    sandbox_today: str | None = None

    def to_data(self) -> dict[str, str]:
        data = {
            "target": self.target,
            "base_url": self.base_url,
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "company_id": self.company_id,
            "company_name": self.company_name,
            "recorded_on": self.recorded_on,
            "recorded_by": self.recorded_by,
        }
        if self.sandbox_today is not None:
            data["sandbox_today"] = self.sandbox_today
        return data


def _headers(headers: Mapping[str, str], *, response: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in headers.items():
        lowered = key.lower()
        if lowered in _DROPPED:
            continue
        if lowered == "authorization":
            scheme, _, credential = value.partition(" ")
            value = f"{scheme} {REDACTED}" if credential else REDACTED
        out[key] = [value]
    return out


def _text(body: bytes) -> str | bytes:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


def interaction(exchange: Exchange) -> dict[str, Any]:
    """One exchange in vcrpy's cassette shape, secrets replaced, other bytes as they were."""
    request_body = None
    if exchange.request_body:
        ctype = exchange.request_headers.get("Content-Type", "")
        scrubbed, _ = scrub_body(exchange.request_body, REQUEST_SECRETS, content_type=ctype)
        request_body = _text(scrubbed)
    response_body, _ = scrub_body(
        exchange.response_body, RESPONSE_SECRETS, content_type=exchange.response_headers.get("Content-Type", "")
    )
    response_headers = _headers(exchange.response_headers, response=True)
    for key in response_headers:
        if key.lower() == "content-length":
            response_headers[key] = [str(len(response_body))]
    return {
        "request": {
            "body": request_body,
            "headers": _headers(exchange.request_headers, response=False),
            "method": exchange.method,
            "uri": exchange.url,
        },
        "response": {
            "body": {"string": _text(response_body)},
            "headers": response_headers,
            "status": {"code": exchange.status, "message": exchange.reason},
        },
    }


def write_cassette(
    folder: Path, name: str, exchanges: list[Exchange], origin: Origin, secrets: Collection[str]
) -> Path:
    """Write ``<folder>/<name>.yaml`` and its origin; raise LeakError (keeping nothing) on a leak."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    text = yaml.safe_dump(
        {"interactions": [interaction(e) for e in exchanges], "version": 1}, sort_keys=False, allow_unicode=True
    )
    leaked = [s for s in secrets if len(s) >= 8 and s in text]
    if leaked:
        raise LeakError(f"the recording of {name} still held {len(leaked)} secret value(s); nothing was written")
    path.write_text(text, encoding="utf-8")
    origins_path = folder / ORIGINS_FILE
    origins: dict[str, Any] = {}
    if origins_path.exists():
        origins = yaml.safe_load(origins_path.read_text(encoding="utf-8")) or {}
    origins[name] = origin.to_data()
    origins_path.write_text(
        "# Where each cassette in this folder was recorded (written by nmbrs-procountor conformance).\n"
        + yaml.safe_dump(dict(sorted(origins.items())), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return path
