"""Reading a refusal from Procountor's token endpoint, whatever shape it comes in.

Procountor does not document its token endpoint's errors (docs/procountor-api.md §2, §6).
Clients in production read ``{"errors": [{"message": ...}]}`` from it, a legacy one read the RFC
6749 §5.2 shape ``{"error": ..., "error_description": ...}``; authlib knows only the second and
hands the first back as if it were a token. So every answer is looked at here first:

* any 4xx (but 408 and 429, which say "later") without an access token is a **refusal**,
  never an outage: treating it as one left the icon "authorized" while every export failed;
* the OAuth error word is taken from ``error``, or from a message that contains one; a refusal
  without a word counts as a refusal of the grant (the refresh token or API key is dead), which
  is what the refusals seen in the ``errors`` shape are;
* only the words that blame the client or the request (``invalid_client`` & co.) say "our
  configuration is wrong, the grant may be fine".

Nothing here keeps the request or the response: a refusal carries the error word, a short
excerpt of Procountor's text and the status, never a token, code, key or secret.
"""

from __future__ import annotations

import re
from typing import Any, Final

import requests

OAUTH_ERRORS: Final = (
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_request",
    "invalid_scope",
    "access_denied",
)
# Refusals that blame the client registration or the request, not the grant.
CLIENT_ERRORS: Final = frozenset(
    {"invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_request", "invalid_scope"}
)
# The word of a refusal whose body names none.
REFUSED: Final = "refused"
LATER_STATUSES: Final = frozenset({408, 429})
_WORD = re.compile(r"\b(" + "|".join(OAUTH_ERRORS) + r")\b", re.IGNORECASE)
_SAFE_WORD = re.compile(r"[^a-z0-9_]")


class TokenRefused(Exception):
    """The token endpoint refused: the error word, Procountor's text (short) and the status only."""

    def __init__(self, error: str, description: str = "", status: int = 400) -> None:
        self.error = error
        self.description = description
        self.status = status
        super().__init__(f"{error}: {description}" if description else error)

    @property
    def grant_refused(self) -> bool:
        """True when the grant itself (code, refresh token, API key) is dead, not the client."""
        return self.error not in CLIENT_ERRORS


def short(text: object, limit: int = 160) -> str:
    """A single-line, bounded excerpt of provider text (it is shown to admins and logged)."""
    return " ".join(str(text or "").split())[:limit]


def _word(text: str) -> str | None:
    found = _WORD.search(text)
    return found.group(1).lower() if found else None


def refusal_in(body: Any, status: int) -> TokenRefused:
    """The refusal a 4xx body states, in either shape (or in neither)."""
    if isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"].strip():
        word = _SAFE_WORD.sub("", body["error"].strip().lower())[:40] or REFUSED
        return TokenRefused(word, short(body.get("error_description")), status)
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        messages = [
            short(item.get("message")) for item in body["errors"] if isinstance(item, dict) and item.get("message")
        ]
        text = short("; ".join(messages))
        return TokenRefused(_word(text) or REFUSED, text, status)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        text = short(body["message"])
        return TokenRefused(_word(text) or REFUSED, text, status)
    return TokenRefused(REFUSED, f"HTTP {status}", status)


def check_answer(response: requests.Response) -> requests.Response:
    """authlib compliance hook: raise :class:`TokenRefused` for a refusal, pass anything else on."""
    status = response.status_code
    if not 400 <= status < 500 or status in LATER_STATUSES:
        return response
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("access_token"), str) and body["access_token"]:
        return response
    raise refusal_in(body, status)
