"""Texts as Procountor can store them: Windows-1252 characters only, within its length limits.

Procountor takes JSON in UTF-8 but stores text in Windows-1252 ("Not allowed: Ŕ, ೠ"), and it
limits a receipt's ``name`` to 80 characters and descriptions to 255. A payroll host's texts come
from anywhere (employee names, copy-pasted cost-center names, emoji in a run's note), so every text
that goes into a receipt passes through :func:`procountor_text` first.

The rule, in order:

1. NFC-normalise, so a decomposed ``e`` + combining acute becomes the single ``é`` that
   Windows-1252 has (no visible change, so it does not count as a change).
2. Keep every character Windows-1252 can encode as it is, including the typographic ones
   (“ ” ‘ ’ – — … € •): they are in the character set, so replacing them would only lose
   information and make the admin read an "adjusted" note for nothing.
3. Control characters (tabs, line breaks, C1 codes) each become a space: a receipt row is one
   printed line.
4. Characters outside Windows-1252 get an equivalent where one is obvious: look-alike dashes,
   quotes and spaces from :data:`LOOKALIKES`; otherwise the letter without its accent
   (``Ŕ`` → ``R``, ``ą`` → ``a``) via Unicode compatibility decomposition; zero-width characters
   are dropped.
5. Anything else (emoji, CJK, Kannada ``ೠ``) becomes ``?``, so the admin sees that something was
   there.
6. Cut to the limit, counted in characters after the replacements (Windows-1252 is one byte per
   character, so characters and bytes agree). A plain cut, no ellipsis: the result is a prefix of
   the adjusted text, which keeps it predictable and lets the digest stay stable.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

NAME_LIMIT: Final = 80
"""Procountor's limit for a ledger receipt's ``name``."""

DESCRIPTION_LIMIT: Final = 255
"""Procountor's limit for ``description``, ``transactionDescription`` and ``accountantsNotes``."""

NOTES_LIMIT: Final = 10_000
"""Procountor's limit for ``invoiceNotes``."""

REPLACEMENT: Final = "?"

LOOKALIKES: Final[dict[str, str]] = {
    # dashes and minus signs that Windows-1252 lacks (it has – and —, which are kept)
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2015": "-",
    "\u2043": "-",
    "\u2212": "-",
    "\u2e3a": "--",
    "\u2e3b": "---",
    # quotes and primes
    "\u201b": "'",
    "\u201f": '"',
    "\u2032": "'",
    "\u2033": '"',
    "\u2035": "'",
    "\u2036": '"',
    "\u275b": "'",
    "\u275c": "'",
    "\u275d": '"',
    "\u275e": '"',
    # spaces (Windows-1252 has only the ordinary and the no-break space)
    "\u2000": " ",
    "\u2001": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",
    "\u2008": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
    # invisible characters: nothing to show, so nothing to send
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    # letters without a decomposition
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0126": "H",
    "\u0127": "h",
    "\u0166": "T",
    "\u0167": "t",
    "\u0132": "IJ",
    "\u0133": "ij",
    # symbols
    "\u2024": ".",
    "\u2044": "/",
    "\u2215": "/",
    "\u2217": "*",
    "\u2219": "\u00b7",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_ALLOWED: Final = frozenset(
    char for char in bytes(range(256)).decode("cp1252", errors="ignore") if not _CONTROL.match(char)
)
"""Every character Windows-1252 can encode, minus control characters (a set, so checks stay in C)."""


@dataclass(frozen=True)
class SafeText:
    """A text as it will be sent, and whether it differs from what the host gave (for the info note)."""

    text: str
    replaced: bool
    cut: bool

    @property
    def changed(self) -> bool:
        return self.replaced or self.cut


def _encodable(text: str) -> bool:
    return _ALLOWED.issuperset(text)


@functools.lru_cache(maxsize=4096)
def _substitute(char: str) -> str:
    """The Windows-1252 stand-in for one character that the code page lacks (or a control)."""
    if _CONTROL.match(char):
        return " "
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if decomposed and decomposed != char and _encodable(decomposed):
        return decomposed
    return REPLACEMENT


def cp1252_safe(text: str) -> tuple[str, bool]:
    """``text`` with only Windows-1252 characters and no control characters; True when it changed.

    NFC normalisation alone (same text, composed form) does not count as a change.
    """
    if _ALLOWED.issuperset(text) and unicodedata.is_normalized("NFC", text):
        return text, False  # the common case, checked in C: nothing to do
    text = unicodedata.normalize("NFC", text)
    if _ALLOWED.issuperset(text):
        return text, False
    return "".join(char if char in _ALLOWED else _substitute(char) for char in text), True


def procountor_text(text: str, limit: int) -> SafeText:
    """``text`` made Windows-1252-safe and cut to ``limit`` characters (see the module docstring)."""
    if limit < 1:
        raise ValueError(f"limit={limit}: must be at least 1")
    safe, replaced = cp1252_safe(text)
    if len(safe) <= limit:
        return SafeText(safe, replaced, False)
    return SafeText(safe[:limit], replaced, True)


@functools.lru_cache(maxsize=65_536)
def safe_description(text: str) -> SafeText:
    """:func:`procountor_text` for a row description, computed once per distinct text.

    A payroll journal repeats the same few hundred descriptions ("Gross wages", an employee's
    name) across thousands of lines; validation (the "adjusted" note) and planning (the row text
    and the digest) both need the safe text, so each distinct description is worked out once.
    SafeText is immutable, so sharing one instance is safe across threads and exports.
    """
    return procountor_text(text, DESCRIPTION_LIMIT)
