"""Configuration of one sandbox instance.

Validation happens here, at construction time, so that a misconfigured sandbox fails loudly
before any client has a chance to be tested against impossible settings (Procountor itself
would never register such a client).
"""

from __future__ import annotations

import datetime
import pathlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit


@dataclass
class SandboxConfig:
    """Settings of a sandbox; defaults mirror what the demo and the tests expect."""

    host: str = "127.0.0.1"
    port: int = 0
    client_id: str = "nmbrs-sandbox-client"
    client_secret: str = "sandbox-secret-0123456789abcdef"  # noqa: S105 - public sandbox value
    redirect_uri: str = "http://127.0.0.1:8765/procountor/callback"
    access_token_ttl: int = 3600
    code_ttl: int = 120
    rotate_refresh_tokens: bool = True
    # Assumption (docs/sandbox.md): the token endpoint's refusals as RFC 6749 {"error": ...}
    # or as {"errors": [{"message": ...}]}, the shape clients in production read from it.
    token_error_shape: Literal["rfc", "errors"] = "rfc"  # noqa: S105 - a shape, not a password
    rate_limit_per_second: float | None = 20.0
    # Sandbox: this many extra companies shaped like the bakery (ids from 20001, "Toimisto N Oy"),
    # demo.admin with all rights on each: a payroll bureau's clients for month-end runs.
    bureau_companies: int = 0
    today: datetime.date | None = None
    log_requests: bool = False
    # Sandbox: when set, the mutable state (credentials, receipts, world edits) is loaded from
    # this JSON file at construction if it exists, and saved to it atomically after each
    # mutating request and on stop().
    state_file: pathlib.Path | None = None
    # Undocumented in Procountor (docs/sandbox.md): whether a POSTed JOURNAL keeps its
    # invoiceNotes. False drops them from the stored receipt, so a client that relies on them to
    # recognise its own receipts is tested against the answer it fears.
    keep_invoice_notes: bool = True
    # Undocumented too: how a POST dated in a PENDING tracking period is answered. "refuse" treats
    # PENDING like CLOSED (CLOSED_FISCAL_PERIOD); "accept" books it as if the period were open.
    pending_periods: Literal["refuse", "accept"] = "refuse"

    def __post_init__(self) -> None:
        # Procountor registers exactly one redirect URI per client and it must be a clean URL
        # without query string (docs/procountor-api.md §2a, [P1][P9]); refusing it here keeps the
        # sandbox from accepting a registration the real service would not.
        parts = urlsplit(self.redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"redirect_uri must be an absolute http(s) URL: {self.redirect_uri!r}")
        if parts.query or "?" in self.redirect_uri:
            raise ValueError(f"redirect_uri must not contain a query string: {self.redirect_uri!r}")
        if parts.fragment:
            raise ValueError(f"redirect_uri must not contain a fragment: {self.redirect_uri!r}")
        if not self.client_id or not self.client_secret:
            raise ValueError("client_id and client_secret must be non-empty")
        if self.access_token_ttl <= 0 or self.code_ttl <= 0:
            raise ValueError("access_token_ttl and code_ttl must be positive")
        if not 0 <= self.bureau_companies <= 1000:
            raise ValueError(f"bureau_companies={self.bureau_companies!r}: must be in [0, 1000]")
        if self.rate_limit_per_second is not None and self.rate_limit_per_second <= 0:
            raise ValueError("rate_limit_per_second must be positive or None")
        if self.state_file is not None and not isinstance(self.state_file, pathlib.Path):
            self.state_file = pathlib.Path(self.state_file)
        if self.pending_periods not in ("refuse", "accept"):
            raise ValueError(f"pending_periods must be 'refuse' or 'accept': {self.pending_periods!r}")
        if self.token_error_shape not in ("rfc", "errors"):
            raise ValueError(f"token_error_shape must be 'rfc' or 'errors': {self.token_error_shape!r}")
        if self.pending_periods not in ("refuse", "accept"):
            raise ValueError(f"pending_periods must be 'refuse' or 'accept': {self.pending_periods!r}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port out of range: {self.port}")

    def effective_today(self) -> datetime.date:
        """Fiscal years are built around this date, so tests can pin it."""
        return self.today if self.today is not None else datetime.date.today()
