"""Cutting secrets out of recorded HTTP bodies without changing any other byte.

A recording must show exactly what was sent (``70.00`` stays ``70.00``, ``é`` stays ``é``), so
bodies are never parsed and re-encoded: the values of secret fields are replaced in the raw bytes,
in JSON (string values of the named keys, at any depth) and in form bodies. The cassette tests
(tests/cassette_tests) and the conformance kit's recorder use the same rules.
"""

from __future__ import annotations

import json
import re
from typing import Final
from urllib.parse import unquote_plus

REDACTED: Final = "REDACTED"
# Request fields that are secrets wherever they appear (form bodies, JSON bodies, queries).
REQUEST_SECRETS: Final = frozenset({"client_secret", "code", "refresh_token", "api_key", "password", "code_verifier"})
# Response JSON keys that carry a secret, at any depth.
RESPONSE_SECRETS: Final = frozenset({"access_token", "refresh_token", "id_token", "api_key", "client_secret"})


def _names(keys: frozenset[str]) -> bytes:
    return b"|".join(re.escape(k.encode()) for k in sorted(keys))


def _json_fields(keys: frozenset[str]) -> re.Pattern[bytes]:
    return re.compile(rb'(?i)("(?:' + _names(keys) + rb')"\s*:\s*)"((?:[^"\\]|\\.)*)"')


def _form_fields(keys: frozenset[str]) -> re.Pattern[bytes]:
    return re.compile(rb"(?i)((?:^|&)(?:" + _names(keys) + rb")=)([^&]*)")


def scrub_body(body: bytes, keys: frozenset[str], *, content_type: str = "") -> tuple[bytes, list[str]]:
    """``body`` with every secret field's value replaced by REDACTED, and the values found.

    JSON is recognised by its first character, not by Content-Type, so ``application/json;
    charset=utf-8`` is scrubbed too; anything with ``=`` (or a form Content-Type) as a form.
    """
    found: list[str] = []
    if body.lstrip()[:1] in (b"{", b"["):

        def redact_json(match: re.Match[bytes]) -> bytes:
            value = json.loads(b'"' + match.group(2) + b'"')
            if not value:
                return match.group(0)
            found.append(value)
            return match.group(1) + b'"' + REDACTED.encode() + b'"'

        return _json_fields(keys).sub(redact_json, body), found
    if body and ("x-www-form-urlencoded" in content_type.lower() or b"=" in body):

        def redact_form(match: re.Match[bytes]) -> bytes:
            if not match.group(2):
                return match.group(0)
            found.append(unquote_plus(match.group(2).decode("utf-8", "replace")))
            return match.group(1) + REDACTED.encode()

        return _form_fields(keys).sub(redact_form, body), found
    return body, found
