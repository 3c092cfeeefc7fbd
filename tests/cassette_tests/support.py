"""Cassette support: the record switch, the scrubbers, where a cassette was recorded, the leak scan.

Everything a cassette test needs that is not a fixture lives here, so the rules are in one
place and can be read without pytest:

* **One switch.** ``PROCOUNTOR_RECORD`` unset: replay only (record mode ``none``, no server,
  loopback blocked too). ``sandbox``: every cassette test starts the embedded sandbox on a fixed
  port with a pinned ``today`` and re-records its cassette from scratch. ``pts``: the same tests
  against Procountor's test environment, with credentials from environment variables.
* **Scrubbing before anything is written** (``scrub_request`` / ``scrub_response``): our own
  hooks, which cut secret values out of the raw bytes. vcrpy's ``filter_post_data_parameters``
  is not used: it re-encodes JSON bodies (``70.00`` -> ``70.0``), skips JSON sent with a charset
  and never touches responses. They run when recording *and* on every request matched in
  replay, so scrubbed bodies still match.
* **Where it was recorded.** vcrpy drops YAML comments, so each cassette folder has a side-car
  ``origins.yaml``: per cassette the target, base URL, client id, redirect URI, company and
  recording date. Replay reads it to configure the plugin exactly as it was when recording.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

import yaml

from nmbrs_procountor_devtools.conformance.scrub import REDACTED, REQUEST_SECRETS, RESPONSE_SECRETS, scrub_body

ROOT: Final = Path(__file__).resolve().parents[2]
CASSETTES: Final = ROOT / "cassettes"
ORIGINS_FILE: Final = "origins.yaml"

RECORD_ENV: Final = "PROCOUNTOR_RECORD"
TARGETS: Final = ("sandbox", "pts")

# Recording against the sandbox: a fixed port keeps re-recorded cassettes diff-free, a fixed
# "today" keeps the sandbox's fiscal years (and so the journals' 2026 periods) the same.
SANDBOX_PORT: Final = int(os.environ.get("PROCOUNTOR_SANDBOX_PORT", "8711"))
SANDBOX_TODAY: Final = date(2026, 11, 1)
YEAR: Final = 2026

DROPPED_REQUEST_HEADERS: Final = frozenset({"cookie", "x-api-key"})
DROPPED_RESPONSE_HEADERS: Final = frozenset({"set-cookie", "authorization", "x-request-id"})
SANDBOX_CLIENT_SECRET: Final = "sandbox-secret-0123456789abcdef"  # the public sandbox value, scanned for


def record_target() -> str | None:
    """``sandbox`` / ``pts`` when re-recording, None for replay; anything else is a usage error."""
    value = os.environ.get(RECORD_ENV, "").strip().lower()
    if not value or value in ("0", "no", "none", "replay"):
        return None
    if value not in TARGETS:
        raise ValueError(f"{RECORD_ENV}={value!r}: expected one of {', '.join(TARGETS)} (or unset to replay)")
    return value


# --------------------------------------------------------------------------- the recording session


@dataclass
class RecordingSession:
    """What one recording run learned: live secret values to scan for, origins, failed cassettes."""

    secrets: set[str] = field(default_factory=set)
    origins: dict[Path, dict[str, dict[str, Any]]] = field(default_factory=dict)
    snapshot: dict[Path, bytes] = field(default_factory=dict)
    touched: set[Path] = field(default_factory=set)
    passed: set[Path] = field(default_factory=set)

    def take_snapshot(self, root: Path) -> None:
        self.snapshot = {p: p.read_bytes() for p in root.rglob("*.yaml")} if root.exists() else {}

    def keep_only_passed(self) -> list[Path]:
        """Put back every cassette whose test did not pass (failed, errored, skipped); the paths restored."""
        restored = []
        for path in sorted(self.touched - self.passed):
            old = self.snapshot.get(path)
            if old is None:
                if path.exists():
                    path.unlink()
                    restored.append(path)
            elif not path.exists() or path.read_bytes() != old:
                path.write_bytes(old)
                restored.append(path)
        return restored

    def remember_secret(self, value: object) -> None:
        text = str(value or "")
        if len(text) >= 8 and text != REDACTED and not text.startswith("replay-"):
            self.secrets.add(text)


SESSION = RecordingSession()

# While set, requests are not plugin exchanges (the stand-in browser posting the login form,
# a pre-authorization made before the test): vcrpy ignores them and they go to the live target.
_UNRECORDED: contextvars.ContextVar[bool] = contextvars.ContextVar("unrecorded", default=False)


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    token = _UNRECORDED.set(True)
    try:
        yield
    finally:
        _UNRECORDED.reset(token)


# --------------------------------------------------------------------------- scrubbers


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    return body if isinstance(body, bytes) else str(body).encode("utf-8")


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) else str(value)
    return ""


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: runs on a deep copy, when recording and when matching."""
    if _UNRECORDED.get():
        return None
    headers = request.headers
    for key in list(headers):
        lowered = key.lower()
        if lowered in DROPPED_REQUEST_HEADERS:
            del headers[key]
        elif lowered == "authorization":
            scheme, _, credential = str(headers[key]).partition(" ")
            SESSION.remember_secret(credential)
            headers[key] = f"{scheme} {REDACTED}" if credential else REDACTED
    body = _as_bytes(request.body)
    if body:
        scrubbed, found = scrub_body(body, REQUEST_SECRETS, content_type=_header(headers, "content-type"))
        for value in found:
            SESSION.remember_secret(value)
        if found:
            request.body = scrubbed
            for key in list(headers):
                if key.lower() == "content-length":
                    headers[key] = str(len(scrubbed))
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response`` (after decompression, on a copy): cookies and tokens out."""
    headers = response.get("headers") or {}
    for key in list(headers):
        if key.lower() in DROPPED_RESPONSE_HEADERS:
            del headers[key]
    body = _as_bytes((response.get("body") or {}).get("string"))
    if body:
        scrubbed, found = scrub_body(body, RESPONSE_SECRETS, content_type=_header(headers, "content-type"))
        for value in found:
            SESSION.remember_secret(value)
        if found:
            response["body"]["string"] = scrubbed
            for key in list(headers):
                if key.lower() == "content-length":
                    headers[key] = [str(len(scrubbed))]
    return response


def vcr_config(record_mode: str) -> dict[str, Any]:
    """The one vcrpy configuration every cassette test uses."""
    return {
        "record_mode": record_mode,
        "match_on": ("method", "scheme", "host", "port", "path", "query", "body"),
        "decode_compressed_response": True,
        # No filter_post_data_parameters: vcrpy's body filter parses a JSON body and dumps it again
        # (70.00 became 70.0, é became \u00e9), so the cassette no longer held what was sent.
        # scrub_request cuts secrets out of the raw bytes instead (docs/cassettes.md).
        "filter_headers": [("cookie", None), ("x-api-key", None)],  # authorization: scrub_request keeps the scheme
        "filter_query_parameters": [(name, REDACTED) for name in (*sorted(REQUEST_SECRETS), "access_token", "state")],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "record_on_exception": False,
        "allow_playback_repeats": False,
        "drop_unused_requests": True,
    }


# --------------------------------------------------------------------------- where a cassette was recorded


@dataclass(frozen=True)
class Origin:
    """Where one cassette was recorded; replay configures the plugin from it."""

    target: str
    base_url: str
    client_id: str
    redirect_uri: str
    company_id: str
    company_name: str
    recorded_on: str
    sandbox_today: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


ORIGINS_HEADER: Final = (
    "# Where each cassette in this folder was recorded: written by tests/cassette_tests when\n"
    "# recording (PROCOUNTOR_RECORD=sandbox|pts), read when replaying. See docs/cassettes.md.\n"
    "# vcrpy keeps no comments in the cassettes themselves, hence this side-car.\n"
)


def read_origins(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / ORIGINS_FILE
    if not path.exists():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping of cassette name to origin")
    return loaded


def origin_of(folder: Path, cassette: str) -> Origin | None:
    data = read_origins(folder).get(cassette)
    return None if data is None else Origin(**data)


def write_origins(folder: Path, updates: Mapping[str, Mapping[str, Any]], removed: set[str]) -> None:
    merged = {k: v for k, v in read_origins(folder).items() if k not in removed}
    merged.update({k: dict(v) for k, v in updates.items()})
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(dict(sorted(merged.items())), sort_keys=False, allow_unicode=True)
    (folder / ORIGINS_FILE).write_text(ORIGINS_HEADER + text, encoding="utf-8")


# --------------------------------------------------------------------------- reading what was sent


@dataclass(frozen=True)
class Exchange:
    """One recorded interaction, parsed for assertions."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    sent: Any
    status: int
    answer: Any


def exchanges(cassette: Any) -> list[Exchange]:
    """The cassette's interactions in order: what the plugin sent and what it got back."""
    found = []
    for request, response in cassette.data:
        body = _as_bytes(request.body)
        sent: Any = None
        form: dict[str, str] = {}
        if body.lstrip()[:1] in (b"{", b"["):
            sent = json.loads(body, parse_float=Decimal)  # amounts compare exactly
        elif body:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        raw = _as_bytes(response["body"]["string"])
        try:
            answer = json.loads(raw, parse_float=Decimal) if raw else None
        except ValueError:
            answer = raw.decode("utf-8", "replace")
        parts = urlsplit(request.uri)
        found.append(
            Exchange(
                request.method,
                parts.path,
                dict(parse_qsl(parts.query)),
                form,
                sent,
                int(response["status"]["code"]),
                answer,
            )
        )
    return found


def all_played(cassette: Any) -> bool:
    """Replay: every recorded interaction was asked for. Recording: everything went live."""
    return bool(cassette.all_played) if cassette.write_protected else cassette.play_count == 0


def calls(cassette: Any) -> list[str]:
    """``"METHOD /path -> status"`` per interaction: the shape of a conversation at a glance."""
    return [f"{e.method} {e.path} -> {e.status}" for e in exchanges(cassette)]


# --------------------------------------------------------------------------- the leak scan

_VALUE = r"""\\?["']?\s*[:=]\s*\\?["']?(?P<value>[^\s"'\\&,}\]]*)"""
LEAK_PATTERNS: Final = (
    ("bearer token", re.compile(r"(?i)\bbearer\s+(?!REDACTED\b)[A-Za-z0-9._~+/=-]{6,}")),
    ("basic credentials", re.compile(r"(?i)\bbasic\s+(?!REDACTED\b)[A-Za-z0-9+/=]{6,}")),
    ("set-cookie header", re.compile(r"(?i)set-cookie")),
    ("cookie header", re.compile(r"(?im)^\s*-?\s*cookie\s*:")),
    ("sandbox client secret", re.compile(re.escape(SANDBOX_CLIENT_SECRET))),
)
LEAK_FIELDS: Final = re.compile(
    r"(?i)(?P<key>access_token|refresh_token|id_token|client_secret|api_key|code_verifier|password)" + _VALUE
)
LEAK_CODE: Final = re.compile(r"(?:^|[?&\s'\"])code=(?P<value>[^\s&'\"]*)")
HARMLESS: Final = frozenset({"", REDACTED, "null", "None", "~"})


def scan_text(text: str, extra_secrets: Collection[str] = ()) -> list[str]:
    """Every secret-shaped thing in ``text``: ``"<what>: <excerpt>"`` (excerpts are cut short)."""
    leaks = [f"{what}: {m.group(0)[:24]}..." for what, pattern in LEAK_PATTERNS for m in pattern.finditer(text)]
    for m in LEAK_FIELDS.finditer(text):
        if m.group("value") not in HARMLESS:
            leaks.append(f"{m.group('key')} value not REDACTED: {m.group(0)[:24]}...")
    for m in LEAK_CODE.finditer(text):
        if m.group("value") not in HARMLESS:
            leaks.append(f"code value not REDACTED: {m.group(0)[:12]}...")
    leaks.extend(f"a live secret value ({value[:4]}...)" for value in extra_secrets if value in text)
    return leaks


def env_secrets() -> set[str]:
    """Secret values a maintainer may have exported for a PTS recording."""
    names = ("PROCOUNTOR_CLIENT_SECRET", "PROCOUNTOR_API_KEY", "PROCOUNTOR_AUTH_CODE", "PROCOUNTOR_REFRESH_TOKEN")
    return {v for v in (os.environ.get(n, "").strip() for n in names) if len(v) >= 8}


def scan_cassettes(root: Path = CASSETTES, extra_secrets: Collection[str] = ()) -> dict[str, list[str]]:
    """``{relative path: leaks}`` for every file under ``root`` that has any."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        leaks = scan_text(path.read_text(encoding="utf-8", errors="replace"), extra_secrets)
        if leaks:
            found[str(path.relative_to(root))] = leaks
    return found
