"""What can go wrong talking to Procountor, as exceptions the areas translate into problems.

The messages carry status codes, Procountor's field errors and at most a short excerpt of an
unparseable body: never a request header, token or credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UnavailableReason = Literal["connect", "timeout", "connection", "retries", "server", "bad_answer", "limiter"]
"""Why no usable answer came (the keys of the messages' ``unavailable_reason`` terms)."""


@dataclass(frozen=True)
class FieldError:
    """One entry of Procountor's ``{"errors": [{"status", "field", "message"}]}``."""

    status: int
    field: str | None
    message: str


class ProcountorError(Exception):
    """Base of every failure reaching Procountor."""


class ProcountorApiError(ProcountorError):
    """Procountor answered with an error status."""

    def __init__(self, status: int, errors: tuple[FieldError, ...], excerpt: str = "") -> None:
        self.status = status
        self.errors = errors
        self.excerpt = excerpt
        detail = "; ".join(f"{e.field or '-'}: {e.message}" for e in errors) or excerpt or "no details"
        super().__init__(f"HTTP {status}: {detail}")


class ProcountorUnauthorized(ProcountorApiError):
    """401 even after a token refresh: the authorization is no longer valid."""


class ProcountorForbidden(ProcountorApiError):
    """403: missing rights, wrong receipt status or closed fiscal year."""


class ProcountorRateLimited(ProcountorApiError):
    """429 after the retries allowed by Retry-After ran out."""


class ProcountorUnavailable(ProcountorError):
    """No usable answer: timeout, reset, or a 5xx.

    ``uncertain`` is True when the request may have been processed anyway (a write that was sent
    but whose answer was lost); the caller must look before sending it again.
    """

    def __init__(
        self,
        detail: str,
        *,
        uncertain: bool,
        still_running: bool = False,
        reason: UnavailableReason = "server",
        call: str = "-",
    ) -> None:
        self.detail = detail
        self.uncertain = uncertain
        # For the admin's message: why (a key of the "unavailable_reason" terms) and which call
        # (method and path, the HTTP status if any: never a header, body or credential).
        self.reason = reason
        self.call = call
        # A timed-out request may still be being processed at Procountor: a lookup right away can
        # miss a receipt that lands a moment later.
        self.still_running = still_running
        super().__init__(detail)
