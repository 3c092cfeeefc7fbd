"""The problem catalogue: every code the plugin produces, in English, Dutch, Swedish and Finnish.

Problems are built only through :func:`problem`, so a code without a catalogue entry (or an entry
missing a language or a parameter) fails in the tests rather than in front of an admin. The
catalogue is split by area (``common``, ``auth``, ``mapping``, ``export``); ``docs/errors.md`` is
generated from it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from nmbrs_hookspecs.types import Problem, Severity

LANGUAGES: Final = ("en", "nl", "sv", "fi")


@dataclass(frozen=True)
class Text:
    """One language's message and hint; ``{name}`` placeholders are filled from parameters."""

    message: str
    hint: str


@dataclass(frozen=True)
class Entry:
    """A catalogue entry: the texts per language and the default severity."""

    code: str
    texts: Mapping[str, Text]
    severity: Severity = "error"

    def placeholders(self) -> set[str]:
        names: set[str] = set()
        for text in self.texts.values():
            for template in (text.message, text.hint):
                names.update(f for _, f, _, _ in string.Formatter().parse(template) if f)
        return names


def entry(
    code: str,
    *,
    en: tuple[str, str],
    nl: tuple[str, str],
    sv: tuple[str, str],
    fi: tuple[str, str],
    severity: Severity = "error",
) -> Entry:
    """Declare an entry; each language is (message, hint)."""
    return Entry(code, {"en": Text(*en), "nl": Text(*nl), "sv": Text(*sv), "fi": Text(*fi)}, severity)


def _load() -> dict[str, Entry]:
    from nmbrs_procountor_plugin.messages import auth, common, export, export_send, mapping, settings

    catalogue: dict[str, Entry] = {}
    for module in (common, settings, auth, mapping, export, export_send):
        for item in module.ENTRIES:
            if item.code in catalogue:
                raise RuntimeError(f"problem code {item.code!r} is declared twice")
            catalogue[item.code] = item
    return catalogue


_CATALOGUE: dict[str, Entry] | None = None


def catalogue() -> Mapping[str, Entry]:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _load()
    return _CATALOGUE


def language(locale: str | None) -> str:
    """The catalogue language for a locale such as ``nl-NL`` or ``fi_FI``; English as fallback."""
    if not locale:
        return "en"
    head = locale.replace("_", "-").split("-")[0].lower()
    return head if head in LANGUAGES else "en"


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"problem parameter {key!r} was not given")


def problem(
    code: str, locale: str | None, *, field: str | None = None, severity: Severity | None = None, **params: object
) -> Problem:
    """The problem ``code`` in the actor's language, with ``params`` filled into message and hint."""
    item = catalogue()[code]
    text = item.texts[language(locale)]
    values = _Params(params)
    return Problem(
        code=code,
        message=text.message.format_map(values),
        field=field,
        hint=text.hint.format_map(values),
        severity=severity or item.severity,
    )
