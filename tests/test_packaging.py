"""What ships: a host installs the plugin alone, and the contract names no provider.

These read the source tree rather than an installed wheel, so they run in a second and fail at
the import that would drag the sandbox or a test tool into production.
"""

from __future__ import annotations

import ast
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "nmbrs_procountor_plugin"
CONTRACT = ROOT / "hookspecs" / "nmbrs_hookspecs"

# Import name of each runtime dependency declared in pyproject.toml.
RUNTIME_IMPORTS = {
    "pluggy": "pluggy",
    "requests": "requests",
    "authlib": "authlib",
    "marshmallow": "marshmallow",
    "simplejson": "simplejson",
    "babel": "babel",
    "nmbrs-hookspecs": "nmbrs_hookspecs",
}


def _imported_tops(package: pathlib.Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _project(pyproject: pathlib.Path) -> dict[str, object]:
    return dict(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"])


def _dependency_names(pyproject: pathlib.Path) -> set[str]:
    deps = _project(pyproject)["dependencies"]
    assert isinstance(deps, list)
    return {str(d).split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip() for d in deps}


def test_the_runtime_plugin_imports_only_its_declared_dependencies() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    allowed = set(RUNTIME_IMPORTS.values()) | {"nmbrs_procountor_plugin", "urllib3"}  # urllib3 comes with requests
    foreign = {top: files for top, files in _imported_tops(PLUGIN).items() if top not in stdlib | allowed}
    assert foreign == {}


def test_the_runtime_distribution_declares_exactly_what_it_imports() -> None:
    assert _dependency_names(ROOT / "pyproject.toml") == set(RUNTIME_IMPORTS)
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]
    assert wheel["wheel"]["packages"] == ["nmbrs_procountor_plugin"]


def test_the_sandbox_and_the_tools_stay_out_of_the_plugin() -> None:
    tops = _imported_tops(PLUGIN)
    for outsider in ("procountor_sandbox", "nmbrs_procountor_devtools", "werkzeug", "vcr", "pytest"):
        assert outsider not in tops, f"the plugin imports {outsider} in {tops.get(outsider)}"


def test_the_contract_names_no_provider() -> None:
    mentions = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in CONTRACT.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "procountor" in line.lower()
    ]
    assert mentions == []


def test_the_contract_depends_on_no_plugin() -> None:
    assert not any(name.startswith("nmbrs-procountor") for name in _dependency_names(ROOT / "hookspecs/pyproject.toml"))
    assert "nmbrs_procountor_plugin" not in _imported_tops(CONTRACT)
