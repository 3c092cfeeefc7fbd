"""The problem catalogue: every message the admin sees, as whole sentences in en, nl, sv and fi.

Problems are built only through :func:`problem`, which renders the entry's templates in the
actor's language with the parameters formatted for that language (Babel: ``34 713,46``,
``30.6.2026``, plural forms from CLDR). The catalogue is split by area (``common``, ``auth``,
``mapping``, ``export``, ``export_send``, ...); ``docs/errors.md`` is generated from it and shows
every message rendered with sample values.

How to add a code
-----------------
1. Add an :func:`entry` to the area module (or a new module listed in ``_AREAS``) with the code,
   a ``(message, hint)`` pair for **each** of en, nl, sv, fi, and ``params`` declaring the kind of
   every placeholder: ``params={"line": Kind.LINE, "amount": Kind.AMOUNT}``. The hint says what
   the admin does next.
2. Pick the kind that says what the value *is* (:class:`~.kinds.Kind`): ``count``/``number``
   (int), ``amount`` (``Decimal``, never a pre-formatted string), ``date`` (``datetime.date``),
   ``period`` (a ``Period``), ``line``/``lines`` (human line numbers, the first line is 1),
   ``text`` (the admin's own data: names, references), ``code`` (account codes, ids, URLs),
   ``names`` (a list of the admin's names), ``technical`` (an HTTP status or Procountor's error
   code, for support; never a sentence). A word that must be translated is a
   :class:`~.kinds.Term`: pass its key and add the key in all four languages to ``terms.TERMS``.
   **Never pass English text** (an exception message, "line 4", "the receipt for ...") as a
   parameter: a sentence assembled from English pieces is exactly what this package prevents.
3. Counts take a plural block, never "line(s)": ``{count, plural, one {# line was} other {# lines
   were}}`` (``#`` is the number as written in the language). A ``lines`` or ``names`` parameter
   can choose the form too (by its length): ``{lines, plural, one {line {lines}} other {lines
   {lines}}}``. Give every form the language has (en, nl, sv, fi: ``one`` and ``other``).
4. Write each language as one sentence of its own, not a word-for-word copy: quote the admin's
   names (``'{company}'``), let Finnish put a parameter where no case ending is needed (a quoted
   label, after a noun: ``tili {account}``, ``rivi {line}``).
5. Regenerate the docs: ``python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md``.

The catalogue refuses at load time an entry whose placeholders differ between languages, are not
declared, or whose plural blocks lack a form; ``tests/test_catalogue.py`` renders every code in
every language with sample values (plural counts 1 and 2) and fails on English words or
dot-decimal amounts in nl/sv/fi, a leftover placeholder or a phrase written twice.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from babel import Locale, UnknownLocaleError

from nmbrs_hookspecs.types import Problem, Severity
from nmbrs_procountor_plugin.messages.kinds import (
    Kind,
    ParamKind,
    Term,
    babel_locale,
    format_value,
    plural_quantity,
    sample,
)
from nmbrs_procountor_plugin.messages.template import Node, TemplateError, names, parse, plural_blocks, render

__all__ = ["LANGUAGES", "Entry", "Kind", "Term", "Text", "catalogue", "entry", "language", "problem"]

LANGUAGES: Final = ("en", "nl", "sv", "fi")

_RESERVED: Final = frozenset({"code", "locale", "field", "severity"})
"""Names :func:`problem` takes for itself; a parameter of that name could never be passed."""

_PLURAL_KINDS: Final = frozenset({Kind.COUNT, Kind.NUMBER, Kind.LINE, Kind.LINES, Kind.NAMES})


@dataclass(frozen=True)
class Text:
    """One language's message and hint templates (see :mod:`.template`)."""

    message: str
    hint: str


@dataclass(frozen=True)
class Entry:
    """A catalogue entry: the templates per language, the parameters' kinds, the severity."""

    code: str
    texts: Mapping[str, Text]
    severity: Severity = "error"
    params: Mapping[str, ParamKind] = field(default_factory=dict)

    def placeholders(self) -> set[str]:
        """Every parameter name used in any language's message or hint."""
        found: set[str] = set()
        for text in self.texts.values():
            found |= names(_parsed(text.message)) | names(_parsed(text.hint))
        return found

    def check(self) -> None:
        """Raise :class:`TemplateError` unless the entry can be rendered in every language."""
        if set(self.texts) != set(LANGUAGES):
            raise TemplateError(f"{self.code}: languages {sorted(self.texts)}, expected {list(LANGUAGES)}")
        used: set[str] | None = None
        for lang, text in self.texts.items():
            if not text.message.strip() or not text.hint.strip():
                raise TemplateError(f"{self.code}/{lang}: empty message or hint")
            nodes = _parsed(text.message) + _parsed(text.hint)
            found = names(nodes)
            if used is not None and found != used:
                raise TemplateError(f"{self.code}/{lang} uses {sorted(found)}, another language {sorted(used)}")
            used = found
            forms = {*babel_locale(lang).plural_form.tags, "other"}
            for block in plural_blocks(nodes):
                if self.params.get(block.name) not in _PLURAL_KINDS:
                    raise TemplateError(f"{self.code}/{lang}: plural of {block.name!r}, which is not a count")
                missing = forms - set(block.branches)
                if missing:
                    raise TemplateError(f"{self.code}/{lang}: plural of {block.name!r} lacks {sorted(missing)}")
        reserved = set(self.params) & _RESERVED
        if reserved:
            raise TemplateError(f"{self.code}: {sorted(reserved)} are arguments of problem(), not parameters")
        undeclared = (used or set()) - set(self.params)
        if undeclared:
            raise TemplateError(f"{self.code}: placeholders {sorted(undeclared)} have no kind in params=")
        unused = set(self.params) - (used or set())
        if unused:
            raise TemplateError(f"{self.code}: params {sorted(unused)} are declared but never used")

    def sample_values(self, *, several: bool) -> dict[str, object]:
        """A sample value for every parameter (counts of 2 and two lines when ``several``)."""
        return {name: sample(kind, several) for name, kind in self.params.items()}

    def render(self, lang: str, locale: str, values: Mapping[str, object]) -> Text:
        """The message and hint in ``lang`` with ``values`` written for ``locale``."""
        unknown = set(values) - set(self.params)
        if unknown:
            raise TypeError(f"{self.code}: unknown parameters {sorted(unknown)}")
        missing = set(self.params) - set(values)
        if missing:
            raise KeyError(f"{self.code}: parameters {sorted(missing)} were not given")

        def value(name: str) -> str:
            return format_value(self.params[name], name, values[name], lang, locale)

        def quantity(name: str) -> tuple[int, str]:
            count = plural_quantity(self.params[name], name, values[name])
            return count, format_value(Kind.COUNT, name, count, lang, locale)

        category = babel_locale(lang).plural_form
        text = self.texts[lang]
        return Text(
            render(_parsed(text.message), value, quantity, category),
            render(_parsed(text.hint), value, quantity, category),
        )


@functools.lru_cache(maxsize=2048)
def _parsed(template: str) -> tuple[Node, ...]:
    return parse(template)


def entry(
    code: str,
    *,
    en: tuple[str, str],
    nl: tuple[str, str],
    sv: tuple[str, str],
    fi: tuple[str, str],
    params: Mapping[str, ParamKind] | None = None,
    severity: Severity = "error",
) -> Entry:
    """Declare an entry; each language is (message, hint); ``params`` gives each placeholder's kind."""
    texts = {"en": Text(*en), "nl": Text(*nl), "sv": Text(*sv), "fi": Text(*fi)}
    return Entry(code, texts, severity, dict(params or {}))


_AREAS: Final = ("common", "settings", "auth", "mapping", "export", "export_send", "ledger", "after_send")
"""The area modules of ``messages``, each with an ``ENTRIES`` list."""


def _load() -> dict[str, Entry]:
    import importlib

    found: dict[str, Entry] = {}
    for area in _AREAS:
        module = importlib.import_module(f"{__name__}.{area}")
        for item in module.ENTRIES:
            if item.code in found:
                raise RuntimeError(f"problem code {item.code!r} is declared twice")
            item.check()
            found[item.code] = item
    return found


@functools.cache
def catalogue() -> Mapping[str, Entry]:
    """Every entry by code; loading checks each entry (:meth:`Entry.check`)."""
    return _load()


def language(locale: str | None) -> str:
    """The catalogue language for a locale such as ``nl-NL`` or ``fi_FI``; English as fallback."""
    if not locale:
        return "en"
    head = locale.replace("_", "-").split("-")[0].lower()
    return head if head in LANGUAGES else "en"


@functools.lru_cache(maxsize=256)
def formatting_locale(locale: str | None) -> str:
    """The Babel locale numbers and dates are written in: the actor's own (``en_GB``, ``nl_BE``)
    when Babel knows it and it is of the catalogue language, else the catalogue language."""
    lang = language(locale)
    try:
        parsed = Locale.parse((locale or "").replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return lang
    return str(parsed) if parsed.language == lang else lang


def render_text(code: str, locale: str | None, params: Mapping[str, object]) -> Text:
    """Message and hint of ``code`` for ``locale``; for callers that need the text, not a Problem."""
    return catalogue()[code].render(language(locale), formatting_locale(locale), params)


def problem(
    code: str, locale: str | None, *, field: str | None = None, severity: Severity | None = None, **params: object
) -> Problem:
    """The problem ``code`` in the actor's language, with ``params`` written into message and hint."""
    item = catalogue()[code]
    text = item.render(language(locale), formatting_locale(locale), params)
    return Problem(code=code, message=text.message, field=field, hint=text.hint, severity=severity or item.severity)
