"""Render the problem catalogue as ``docs/errors.md`` ("Errors Procountor" of the help article, docs/product.md).

Each message is shown as an admin reads it, rendered with sample values in all four languages
(numbers, dates and plurals as the language writes them), with the parameters it carries.
Run ``python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md``; a test fails when the
page and the catalogue disagree, so support never reads a stale list.
"""

from __future__ import annotations

from nmbrs_procountor_plugin.messages import LANGUAGES, Entry, Kind, Term, catalogue

_NAMES = {"en": "English", "nl": "Nederlands", "sv": "Svenska", "fi": "Suomi"}


def _kind(kind: Kind | Term) -> str:
    return f"term `{kind.table}`" if isinstance(kind, Term) else str(kind)


def _section(code: str, item: Entry) -> list[str]:
    out = [f"## `{code}`", "", f"Severity: {item.severity}."]
    if item.params:
        listed = ", ".join(f"`{name}` ({_kind(kind)})" for name, kind in sorted(item.params.items()))
        out.append(f"Parameters: {listed}.")
    out += ["", "| language | message | what to do |", "|---|---|---|"]
    values = item.sample_values(several=True)
    for lang in LANGUAGES:
        text = item.render(lang, lang, values)
        out.append(f"| {_NAMES[lang]} | {text.message} | {text.hint} |")
    out.append("")
    return out


def render() -> str:
    out = [
        "# Errors Procountor",
        "",
        "Every problem the Procountor integration reports, with its stable code, its message and what",
        "to do, in each language an admin can choose. Each message is shown with sample values (a",
        "company 'Kiinteistö Vaara', account 7010, lines 4 and 7, December 2026, 34 713,46), written as",
        "the language writes numbers, dates and plurals; the parameters say what is filled in at the time.",
        "Generated from `nmbrs_procountor_plugin/messages/` by",
        "`python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md`.",
        "",
    ]
    for code, item in sorted(catalogue().items()):
        out += _section(code, item)
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
