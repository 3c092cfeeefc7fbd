"""A small mutation-testing pass: does a flipped comparison or a dropped ``continue`` fail a test?

mutmut copies the project into a ``mutants/`` tree, which does not fit this repository's four
editable distributions; this runner mutates the module in place instead, one mutant at a time,
runs the given tests with ``-x``, and always puts the original source back.

Operators: comparison flips (``==``/``!=``, ``<``/``>=``, ``>``/``<=``, ``in``/``not in``,
``is``/``is not``), ``and``/``or`` swaps, a dropped ``not``, ``continue`` -> ``pass``,
``True``/``False`` swaps, ``n`` -> ``n + 1`` for small int constants, and negated ``if``,
conditional-expression and comprehension conditions. Decorator arguments and default values of
function parameters are left alone (declarations, not logic). A mutant is *killed*
when the tests fail, *survived* when they pass, *timeout* when they run too long.

Run (from the repository root):
    .venv/bin/python -m nmbrs_procountor_devtools.mutation nmbrs_procountor_plugin/export/outcome.py \
        -- tests/test_outcome.py
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

_FLIPS: Final[dict[type[ast.cmpop], type[ast.cmpop]]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    description: str


class _Mutator(ast.NodeTransformer):
    """Walks the tree counting mutation points; applies the ``target``-th one (or none with -1)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.found: list[Mutant] = []

    def _point(self, node: ast.AST, description: str) -> bool:
        index = len(self.found)
        self.found.append(Mutant(index, getattr(node, "lineno", 0), description))
        return index == self.target

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        # Decorator arguments (``frozen=True``, ``firstresult=True``) are declarations, not logic.
        for statement in node.body:
            self.visit(statement)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        for statement in node.body:
            self.visit(statement)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for position, op in enumerate(node.ops):
            flipped = _FLIPS.get(type(op))
            if flipped is not None and self._point(node, f"{type(op).__name__} -> {flipped.__name__}"):
                node.ops[position] = flipped()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        other: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        if self._point(node, f"{type(node.op).__name__} -> {type(other).__name__}"):
            node.op = other
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._point(node, "drop not"):
            return node.operand
        return node

    def visit_Continue(self, node: ast.Continue) -> ast.AST:
        if self._point(node, "continue -> pass"):
            return ast.copy_location(ast.Pass(), node)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, bool) and self._point(node, f"{node.value} -> {not node.value}"):
            return ast.copy_location(ast.Constant(not node.value), node)
        value = node.value
        small = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000
        if small and isinstance(value, int) and self._point(node, f"{value} -> {value + 1}"):
            return ast.copy_location(ast.Constant(value + 1), node)
        return node

    def _negated(self, test: ast.expr, what: str) -> ast.expr:
        if self._point(test, f"negate {what} condition"):
            return ast.copy_location(ast.UnaryOp(ast.Not(), test), test)
        return test

    def visit_If(self, node: ast.If) -> ast.AST:
        self.generic_visit(node)
        node.test = self._negated(node.test, "if")
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        node.test = self._negated(node.test, "conditional expression")
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.ifs = [self._negated(test, "comprehension filter") for test in node.ifs]
        return node


def mutants(source: str) -> list[Mutant]:
    finder = _Mutator(-1)
    finder.visit(ast.parse(source))
    return finder.found


def mutated(source: str, index: int) -> str:
    tree = ast.parse(source)
    _Mutator(index).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree))


def run(
    path: Path,
    tests: Sequence[str],
    timeout: float,
    say: Callable[[str], None],
    only: frozenset[int] | None = None,
) -> dict[str, list[Mutant]]:
    original = path.read_text(encoding="utf-8")
    outcome: dict[str, list[Mutant]] = {"killed": [], "survived": [], "timeout": []}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider", *tests]
    try:
        for mutant in mutants(original):
            if only is not None and mutant.index not in only:
                continue
            path.write_text(mutated(original, mutant.index), encoding="utf-8")
            try:
                done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
                verdict = "killed" if done.returncode != 0 else "survived"
            except subprocess.TimeoutExpired:
                verdict = "timeout"
            outcome[verdict].append(mutant)
            say(f"{verdict:<8} #{mutant.index:<3} line {mutant.line:<4} {mutant.description}")
    finally:
        path.write_text(original, encoding="utf-8")
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("module", type=Path, help="the source file to mutate")
    parser.add_argument("tests", nargs="+", help="pytest arguments selecting the tests that guard it")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant before it counts as timeout")
    parser.add_argument("--only", default="", help="comma-separated mutant numbers to run (e.g. earlier survivors)")
    args = parser.parse_args(argv)
    only = frozenset(int(n) for n in args.only.split(",") if n.strip()) if args.only else None
    result = run(args.module, args.tests, args.timeout, print, only)
    total = sum(len(v) for v in result.values())
    killed = len(result["killed"]) + len(result["timeout"])
    score = 100.0 * killed / total if total else 100.0
    print(f"{args.module}: {total} mutants, {killed} killed, {len(result['survived'])} survived ({score:.1f}%)")
    return 0 if not result["survived"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
