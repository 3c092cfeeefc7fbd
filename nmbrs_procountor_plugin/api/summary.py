"""A short, readable reason for an answer that is not Procountor's documented error shape.

A gateway in front of Procountor answers a 5xx with an HTML page; cut at a fixed length it put
half a tag into the admin's message. What the admin sees instead is the status, its reason
phrase, and at most a short plain-text reason (an HTML page's title, or the first words of a
text body), cut at a word boundary.
"""

from __future__ import annotations

import html
import re
from typing import Final

import requests

REASON_LIMIT: Final = 100

_TITLE: Final = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HIDDEN: Final = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_TAG: Final = re.compile(r"<[^>]*>?")


def plain_reason(text: str, limit: int = REASON_LIMIT) -> str:
    """The readable words of ``text`` (HTML or not), at most ``limit`` characters, never half a tag."""
    title = _TITLE.search(text)
    source = title.group(1) if title else _HIDDEN.sub(" ", text)
    words = " ".join(html.unescape(_TAG.sub(" ", source)).split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0] if " " in words[: limit - 1] else words[: limit - 1]
    return f"{cut}…"


def summarise(response: requests.Response) -> str:
    """``HTTP 502 Bad Gateway: <short reason>`` for a body that carries no documented error."""
    head = f"HTTP {response.status_code}"
    if response.reason:
        head = f"{head} {response.reason}"
    reason = plain_reason(response.text or "")
    return f"{head}: {reason}" if reason and reason.lower() not in head.lower() else head
