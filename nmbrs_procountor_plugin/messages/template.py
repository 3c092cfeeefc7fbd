"""The catalogue's sentence templates: ``{name}`` placeholders and ICU-style plural blocks.

A template is plain text with two constructs:

* ``{name}``: the parameter ``name``, written by its kind (:mod:`.kinds`);
* ``{name, plural, one {…} other {…}}``: the branch for the plural category of the parameter's
  number in the language (CLDR rules, via Babel); inside a branch ``#`` is that number as written
  in the language, and ``{other_name}`` placeholders work as anywhere else.

Only this subset of ICU MessageFormat is understood (no ``select``, no quoting), which keeps the
parser small enough to read; anything else is a :class:`TemplateError` when the catalogue loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

_NAME: Final = re.compile(r"[a-z_][a-z0-9_]*\Z")


class TemplateError(ValueError):
    """A template the renderer cannot read (unbalanced braces, an unknown construct)."""


@dataclass(frozen=True)
class Placeholder:
    name: str


@dataclass(frozen=True)
class Plural:
    name: str
    branches: Mapping[str, tuple[Node, ...]]


@dataclass(frozen=True)
class Number:
    """``#`` inside a plural branch."""


Node = str | Placeholder | Plural | Number


def _closing(text: str, start: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise TemplateError(f"unclosed '{{' at {start} in {text!r}")


def _plural(name: str, body: str, whole: str) -> Plural:
    branches: dict[str, tuple[Node, ...]] = {}
    rest = body.strip()
    while rest:
        match = re.match(r"(=?\w+)\s*\{", rest)
        if not match:
            raise TemplateError(f"plural block of {name!r} is not 'form {{text}} ...' in {whole!r}")
        end = _closing(rest, match.end() - 1)
        branches[match.group(1)] = parse(rest[match.end() : end], in_plural=True)
        rest = rest[end + 1 :].strip()
    if "other" not in branches:
        raise TemplateError(f"plural block of {name!r} has no 'other' branch in {whole!r}")
    return Plural(name, branches)


def parse(text: str, *, in_plural: bool = False) -> tuple[Node, ...]:
    """The nodes of ``text``; raises :class:`TemplateError` for anything outside the subset."""
    nodes: list[Node] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "}":
            raise TemplateError(f"unopened '}}' at {index} in {text!r}")
        if char == "#" and in_plural:
            nodes += ["".join(literal), Number()]
            literal = []
            index += 1
            continue
        if char != "{":
            literal.append(char)
            index += 1
            continue
        end = _closing(text, index)
        inner = text[index + 1 : end]
        nodes.append("".join(literal))
        literal = []
        head, _, body = inner.partition(",")
        name = head.strip()
        if not _NAME.match(name):
            raise TemplateError(f"placeholder {name!r} is not a parameter name in {text!r}")
        if not body:
            nodes.append(Placeholder(name))
        else:
            kind, _, branches = body.partition(",")
            if kind.strip() != "plural":
                raise TemplateError(f"only 'plural' blocks are understood, not {kind.strip()!r} in {text!r}")
            nodes.append(_plural(name, branches, text))
        index = end + 1
    nodes.append("".join(literal))
    return tuple(node for node in nodes if node != "")


def names(nodes: tuple[Node, ...]) -> set[str]:
    """Every parameter name the nodes use, inside plural branches too."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, Placeholder):
            found.add(node.name)
        elif isinstance(node, Plural):
            found.add(node.name)
            for branch in node.branches.values():
                found |= names(branch)
    return found


def plural_blocks(nodes: tuple[Node, ...]) -> list[Plural]:
    """Every plural block in the nodes (nested ones included)."""
    found: list[Plural] = []
    for node in nodes:
        if isinstance(node, Plural):
            found.append(node)
            for branch in node.branches.values():
                found += plural_blocks(branch)
    return found


def render(
    nodes: tuple[Node, ...],
    value: Callable[[str], str],
    quantity: Callable[[str], tuple[int, str]],
    category: Callable[[int], str],
    number: str | None = None,
) -> str:
    """The text of ``nodes``: ``value(name)`` fills a placeholder, ``quantity(name)`` gives a
    plural block its number and how it is written, ``category(n)`` its CLDR plural category."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Placeholder):
            out.append(value(node.name))
        elif isinstance(node, Number):
            if number is None:
                raise TemplateError("'#' outside a plural block")
            out.append(number)
        else:
            count, written = quantity(node.name)
            branch = node.branches.get(f"={count}") or node.branches.get(category(count)) or node.branches["other"]
            out.append(render(branch, value, quantity, category, written))
    return "".join(out)
