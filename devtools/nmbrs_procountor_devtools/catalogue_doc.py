"""Render the problem catalogue as ``docs/errors.md`` ("Errors Procountor" of the help article, docs/product.md).

Run ``python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md``; a test fails when the
page and the catalogue disagree, so support never reads a stale list.
"""

from __future__ import annotations

from nmbrs_procountor_plugin.messages import LANGUAGES, catalogue

_NAMES = {"en": "English", "nl": "Nederlands", "sv": "Svenska", "fi": "Suomi"}


def render() -> str:
    out = [
        "# Errors Procountor",
        "",
        "Every problem the Procountor integration reports, with its stable code, its message and what",
        "to do, in each language an admin can choose. `{name}` marks a value filled in at the time.",
        "Generated from `nmbrs_procountor_plugin/messages/` by",
        "`python -m nmbrs_procountor_devtools.catalogue_doc > docs/errors.md`.",
        "",
    ]
    for code, entry in sorted(catalogue().items()):
        out += [f"## `{code}`", "", f"Severity: {entry.severity}.", ""]
        out += ["| language | message | what to do |", "|---|---|---|"]
        for lang in LANGUAGES:
            text = entry.texts[lang]
            out.append(f"| {_NAMES[lang]} | {text.message} | {text.hint} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
