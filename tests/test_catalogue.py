"""The problem catalogue reads as whole sentences in every language, and the docs page is current.

Everything here iterates the catalogue, so a code another area adds is checked the moment it is
declared: rendered in every language with sample values (plural counts 1 and 2, every word of a
term table), it must leave no placeholder behind, carry no English word or dot-decimal amount
into Dutch, Swedish or Finnish, and say nothing twice.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from nmbrs_hookspecs.types import Period
from nmbrs_procountor_devtools.catalogue_doc import render
from nmbrs_procountor_plugin.messages import (
    LANGUAGES,
    Entry,
    Kind,
    Term,
    Text,
    catalogue,
    entry,
    formatting_locale,
    language,
    problem,
)
from nmbrs_procountor_plugin.messages.template import TemplateError
from nmbrs_procountor_plugin.messages.terms import TERMS

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "nmbrs_procountor_plugin"
CODE = re.compile(r"[\"'](procountor\.[a-z_]+(?:\.[a-z_]+)+)[\"']")

# Common English words; a language's own words that look the same are taken out per language
# (Dutch "of" = or, Finnish "on" = is, ...). "is", "in", "was", "be" and "account" are never here.
ENGLISH = frozenset(
    {
        "the",
        "of",
        "and",
        "or",
        "with",
        "were",
        "which",
        "this",
        "that",
        "from",
        "has",
        "have",
        "not",
        "could",
        "would",
        "should",
        "your",
        "you",
        "to",
        "for",
        "by",
        "been",
        "must",
        "cannot",
        "refused",
        "answer",
        "field",
        "value",
        "line",
        "lines",
        "receipt",
        "receipts",
        "amount",
        "amounts",
        "please",
        "into",
        "there",
        "their",
        "its",
        "it",
        "are",
        "an",
        "a",
        "at",
        "than",
        "more",
        "after",
        "before",
        "only",
        "does",
        "did",
        "do",
        "no",
        "yet",
        "again",
        "on",
        "company",
        "ledger",
        "booked",
        "send",
        "check",
        "missing",
        "create",
        "settings",
        "setting",
        "user",
        "rights",
        "chart",
        "accounts",
        "where",
        "what",
    }
)
HOMOGRAPHS = {"nl": {"of"}, "sv": set[str](), "fi": {"on"}}
DOT_DECIMAL = re.compile(r"\d\.\d{2}(?!\d)(?!\.\d)")  # 0.01 or 34713.46, but not the date 30.12.2026
COMMA_DECIMAL = re.compile(r"\d,\d{2}(?!\d)")  # 0,01 in an English text
LEFTOVER = re.compile(r"[{}#]")


def codes_used_in_source() -> set[str]:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "messages" in path.parts:
            continue
        used.update(CODE.findall(path.read_text(encoding="utf-8")))
    return used


def renderings(item: Entry) -> Iterator[tuple[str, str, Text]]:
    """(language, what was rendered, text) for the samples: one and several, and every term word."""
    for several in (False, True):
        values = item.sample_values(several=several)
        for lang in LANGUAGES:
            yield lang, f"{item.code}/{lang} several={several}", item.render(lang, lang, values)
    for name, kind in item.params.items():
        if isinstance(kind, Term):
            for key in TERMS[kind.table]:
                values = {**item.sample_values(several=True), name: key}
                for lang in LANGUAGES:
                    yield lang, f"{item.code}/{lang} {name}={key}", item.render(lang, lang, values)


def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_]+", text)]


def repeated_phrase(text: str, size: int = 4) -> str | None:
    """A run of ``size`` words that occurs twice in ``text`` ("of the receipt for ... of the receipt for")."""
    found = words(text)
    runs = Counter(tuple(found[i : i + size]) for i in range(len(found) - size + 1))
    twice = [" ".join(run) for run, count in runs.items() if count > 1]
    return twice[0] if twice else None


def sentence_faults(lang: str, text: str) -> list[str]:
    """What makes ``text`` not one clean sentence of ``lang`` (empty when nothing)."""
    faults: list[str] = []
    if LEFTOVER.search(text):
        faults.append(f"leftover placeholder in {text!r}")
    if lang != "en":
        english = sorted(set(words(text)) & (ENGLISH - HOMOGRAPHS[lang]))
        if english:
            faults.append(f"English words {english} in {text!r}")
        if DOT_DECIMAL.search(text):
            faults.append(f"dot-decimal amount in {text!r}")
    elif COMMA_DECIMAL.search(text):
        faults.append(f"comma-decimal amount in English {text!r}")
    phrase = repeated_phrase(text)
    if phrase:
        faults.append(f"the phrase {phrase!r} twice in {text!r}")
    return faults


# --------------------------------------------------------------------------- the whole catalogue


def test_every_code_the_plugin_uses_is_in_the_catalogue() -> None:
    missing = codes_used_in_source() - set(catalogue())
    assert not missing, f"codes without a catalogue entry: {sorted(missing)}"


def test_every_code_renders_as_clean_sentences_in_every_language() -> None:
    faults = [
        f"{where}: {fault}"
        for item in catalogue().values()
        for lang, where, text in renderings(item)
        for part in (text.message, text.hint)
        for fault in sentence_faults(lang, part)
    ]
    assert not faults, "\n".join(faults)


def test_every_plural_reads_differently_for_one_and_two() -> None:
    # A plural block whose branches say the same thing is a "line(s)" in disguise.
    for item in catalogue().values():
        for name, kind in item.params.items():
            if kind not in (Kind.COUNT, Kind.LINES, Kind.NAMES):
                continue
            one = {**item.sample_values(several=True), name: item.sample_values(several=False)[name]}
            two = item.sample_values(several=True)
            for lang in LANGUAGES:
                if "plural" in (item.texts[lang].message + item.texts[lang].hint):
                    assert item.render(lang, lang, one) != item.render(lang, lang, two), f"{item.code}/{lang}"


def test_every_term_table_has_every_language() -> None:
    for table, keys in TERMS.items():
        for key, words_by_language in keys.items():
            assert set(words_by_language) == set(LANGUAGES), f"{table}.{key}"
            assert all(w.strip() for w in words_by_language.values()), f"{table}.{key}"


def test_docs_errors_page_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == render(), "run: python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md"


def test_docs_errors_page_shows_rendered_sample_sentences() -> None:
    page = render()
    assert "Procountor refused ledger account 7010 on line 4 of the receipt for December 2026" in page
    assert "Procountor hylkäsi tilin 7010 kauden 12/2026 tositteen rivillä 4" in page
    assert "debet 34.713,46 en credit 34.713,46 verschillen 34.713,46" in page
    assert "{" not in page


# --------------------------------------------------------------------------- the checks can fail


def test_the_sentence_check_catches_what_the_issue_reported() -> None:
    assert sentence_faults("fi", "Procountor hylkäsi tilin kohdassa line 4 tositteessa kaudelle 2026-06.")
    assert sentence_faults("nl", "Procountor weigerde the receipt for 6 van de boeking.")
    assert sentence_faults("fi", "debet 34713.46 ja kredit 34713.45 eroavat 0.01")
    assert sentence_faults("sv", "Rad {line} saknar konto.")
    assert sentence_faults("en", "Procountor refused the receipt for June of the receipt for June.")
    assert sentence_faults("en", "debit 0,01")
    assert not sentence_faults("fi", "Ajon kirjauspäivä 30.12.2026 ei ole kaudella 6/2026; erotus 34 713,46.")


def _entry(fi: str, **params: Kind | Term) -> Entry:
    return entry(
        "procountor.test.x", en=("A {n}.", "B."), nl=("A {n}.", "B."), sv=("A {n}.", "B."), fi=(fi, "B."), params=params
    )


def test_an_entry_with_an_undeclared_placeholder_is_refused() -> None:
    with pytest.raises(TemplateError, match="no kind"):
        _entry("A {n}.").check()


def test_an_entry_whose_languages_disagree_is_refused() -> None:
    with pytest.raises(TemplateError, match="uses"):
        _entry("A {m}.", n=Kind.COUNT).check()


def test_a_plural_without_every_form_is_refused() -> None:
    bad = entry(
        "procountor.test.x",
        en=("{n, plural, other {# x}}", "B."),
        nl=("{n, plural, one {#} other {#}}", "B."),
        sv=("{n, plural, one {#} other {#}}", "B."),
        fi=("{n, plural, one {#} other {#}}", "B."),
        params={"n": Kind.COUNT},
    )
    with pytest.raises(TemplateError, match="lacks"):
        bad.check()


def test_a_plural_of_a_text_parameter_is_refused() -> None:
    with pytest.raises(TemplateError, match="not a count"):
        _entry("{n, plural, one {a} other {b}}", n=Kind.TEXT).check()


def test_a_parameter_named_like_an_argument_of_problem_is_refused() -> None:
    text = ("A '{field}'.", "B.")
    bad = entry("procountor.test.x", en=text, nl=text, sv=text, fi=text, params={"field": Kind.TEXT})
    with pytest.raises(TemplateError, match="arguments of problem"):
        bad.check()


def test_an_english_fragment_cannot_be_passed_as_a_period_or_amount() -> None:
    with pytest.raises(TypeError, match="period"):
        problem("procountor.export.outcome_unknown", "fi", period="the receipt for 2026-06")
    with pytest.raises(TypeError, match="Decimal"):
        problem("procountor.journal.account_missing", "fi", line=4, amount="34713.46")


def test_an_unknown_or_missing_parameter_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown"):
        problem("procountor.export.outcome_unknown", "fi", period=Period(2026, 6), where="line 4")
    with pytest.raises(KeyError, match="period"):
        problem("procountor.export.outcome_unknown", "fi")


def test_a_term_outside_its_table_is_refused() -> None:
    with pytest.raises(ValueError, match="right_level"):
        problem("procountor.rights.journal_receipts", "nl", level="HTTP 403")


# --------------------------------------------------------------------------- numbers, dates, plurals


def _unbalanced(locale: str) -> str:
    return problem(
        "procountor.journal.unbalanced",
        locale,
        period=Period(2026, 6),
        debit=Decimal("34713.46"),
        credit=Decimal("34713.45"),
        difference=Decimal("0.01"),
    ).message


def test_amounts_are_written_as_each_language_writes_them() -> None:
    nbsp = "\u00a0"
    assert f"debet 34{nbsp}713,46 ja kredit 34{nbsp}713,45 eroavat 0,01" in _unbalanced("fi")
    assert f"debet 34{nbsp}713,46 och kredit 34{nbsp}713,45 skiljer sig med 0,01" in _unbalanced("sv")
    assert "debet 34.713,46 en credit 34.713,45 verschillen 0,01" in _unbalanced("nl")
    assert "debit 34,713.46 and credit 34,713.45 differ by 0.01" in _unbalanced("en")


def test_an_amount_is_never_rounded_in_a_message() -> None:
    found = problem("procountor.journal.amount_decimals", "nl", line=3, amount=Decimal("10.005"))
    assert found.message == "Regel 3: het bedrag 10,005 heeft meer dan twee decimalen."


def test_periods_and_dates_are_written_in_the_language() -> None:
    assert "periode juni 2026" in _unbalanced("nl")
    assert "Jaksolle 6/2026" in _unbalanced("fi")
    closed = problem("procountor.period.no_fiscal_year", "sv", date=datetime.date(2026, 6, 30))
    assert closed.message == "Procountor har inget räkenskapsår som innehåller 30 juni 2026."
    finnish = problem("procountor.period.no_fiscal_year", "fi-FI", date=datetime.date(2026, 6, 30))
    assert finnish.message == "Procountorissa ei ole tilikautta, johon 30.6.2026 kuuluu."


def test_counts_choose_the_plural_form_of_the_language() -> None:
    def skipped(locale: str, lines: tuple[int, ...]) -> str:
        return problem("procountor.journal.zero_lines_skipped", locale, count=len(lines), lines=lines).message

    assert skipped("fi", (4,)) == "1 rivi, jonka summa on 0,00, jätettiin pois: rivi 4."
    assert skipped("fi", (4, 7)) == "2 riviä, joiden summa on 0,00, jätettiin pois: rivit 4 ja 7."
    assert skipped("nl", (4,)) == "1 regel met bedrag 0,00 is weggelaten: regel 4."
    assert skipped("nl", (4, 7, 9)) == "3 regels met bedrag 0,00 zijn weggelaten: regels 4, 7 en 9."
    assert skipped("en", (4, 7)) == "2 lines with amount 0.00 were left out: lines 4 and 7."


def test_a_long_list_of_lines_is_cut_with_a_translated_tail() -> None:
    lines = tuple(range(1, 61))
    found = problem("procountor.journal.zero_lines_skipped", "sv", count=len(lines), lines=lines).message
    assert found.endswith("raderna 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 och 40 till.")


# --------------------------------------------------------------------------- locales


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fi-FI", "fi"),
        ("fi_FI", "fi"),
        ("nl_NL", "nl"),
        ("nl-BE", "nl"),
        ("sv-SE", "sv"),
        ("SV", "sv"),
        ("de-DE", "en"),
        ("xx", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_locale_resolves_to_its_base_language_else_english(locale: str | None, expected: str) -> None:
    assert language(locale) == expected


def test_numbers_follow_the_actors_own_locale_within_the_language() -> None:
    assert formatting_locale("en-GB") == "en_GB"
    assert formatting_locale("fi-FI") == "fi_FI"
    assert formatting_locale("de-DE") == "en"  # German numbers in an English sentence would mislead
    assert formatting_locale("nonsense-XX") == "en"
    british = problem("procountor.period.no_fiscal_year", "en-GB", date=datetime.date(2026, 6, 30))
    assert british.message == "Procountor has no financial year that contains 30 Jun 2026."
    unknown = problem("procountor.period.no_fiscal_year", "pt-BR", date=datetime.date(2026, 6, 30))
    assert unknown.message == "Procountor has no financial year that contains Jun 30, 2026."
