"""The catalogue's template subset: placeholders and ICU-style plural blocks, nothing else."""

from __future__ import annotations

import pytest

from nmbrs_procountor_plugin.messages.kinds import babel_locale
from nmbrs_procountor_plugin.messages.template import Placeholder, Plural, TemplateError, names, parse, render


def rendered(template: str, count: int, lang: str = "en") -> str:
    def value(name: str) -> str:
        return f"<{name}>"

    def quantity(name: str) -> tuple[int, str]:
        return count, str(count)

    return render(parse(template), value, quantity, babel_locale(lang).plural_form)


def test_placeholders_and_plural_blocks_are_parsed() -> None:
    nodes = parse("Line {line}: {count, plural, one {# row} other {# rows of {kind}}}.")
    assert nodes[1] == Placeholder("line")
    assert isinstance(nodes[3], Plural)
    assert set(nodes[3].branches) == {"one", "other"}
    assert names(nodes) == {"line", "count", "kind"}


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "no rows"), (1, "1 row of <kind>"), (2, "2 rows of <kind>"), (21, "21 rows of <kind>")]
)
def test_the_branch_follows_the_number(count: int, expected: str) -> None:
    template = "{count, plural, =0 {no rows} one {# row of {kind}} other {# rows of {kind}}}"
    assert rendered(template, count) == expected


def test_an_exact_branch_wins_over_the_category() -> None:
    assert rendered("{n, plural, =1 {just one} one {# one} other {#}}", 1) == "just one"


def test_finnish_uses_its_own_plural_rule() -> None:
    template = "{n, plural, one {# rivi} other {# riviä}}"
    assert [rendered(template, n, "fi") for n in (1, 2, 0)] == ["1 rivi", "2 riviä", "0 riviä"]


def test_a_hash_outside_a_plural_is_just_text() -> None:
    assert rendered("Nr # {x}", 1) == "Nr # <x>"


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("Line {line", "unclosed"),
        ("Line line}", "unopened"),
        ("{Line}", "not a parameter name"),
        ("{kind, select, a {x} other {y}}", "only 'plural'"),
        ("{n, plural, one {x}}", "no 'other'"),
        ("{n, plural, one x other {y}}", "form {text}"),
    ],
)
def test_anything_outside_the_subset_is_refused(template: str, complaint: str) -> None:
    with pytest.raises(TemplateError, match=complaint):
        parse(template)
