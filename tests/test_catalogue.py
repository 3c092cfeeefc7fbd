"""The problem catalogue is complete: every code used exists in four languages, and the docs page is current."""

from __future__ import annotations

import re
from pathlib import Path

from nmbrs_procountor_devtools.catalogue_doc import render
from nmbrs_procountor_plugin.messages import LANGUAGES, catalogue, language, problem

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "nmbrs_procountor_plugin"
CODE = re.compile(r"[\"'](procountor\.[a-z_]+(?:\.[a-z_]+)+)[\"']")


def codes_used_in_source() -> set[str]:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "sandbox" in path.parts or "messages" in path.parts:
            continue
        used.update(CODE.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_code_the_plugin_uses_is_in_the_catalogue() -> None:
    missing = codes_used_in_source() - set(catalogue())
    assert not missing, f"codes without a catalogue entry: {sorted(missing)}"


def test_every_entry_has_all_languages_with_the_same_placeholders() -> None:
    for code, entry in catalogue().items():
        assert set(entry.texts) == set(LANGUAGES), code
        names = None
        for lang, text in entry.texts.items():
            found = set(re.findall(r"\{(\w+)\}", text.message + text.hint))
            assert text.message.strip(), f"{code}/{lang} has no message"
            assert text.hint.strip(), f"{code}/{lang} has no hint"
            names = found if names is None else names
            assert found == names, f"{code}/{lang} uses {found}, other languages {names}"


def test_locale_selects_the_language_with_english_fallback() -> None:
    assert language("fi_FI") == "fi"
    assert language("nl-BE") == "nl"
    assert language("de-DE") == "en"
    assert language(None) == "en"
    dutch = problem("procountor.rate_limited", "nl-NL")
    assert dutch.message.startswith("Procountor beperkt")


def test_docs_errors_page_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == render(), "run: python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md"
