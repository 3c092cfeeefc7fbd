"""The plugin registers under the host's markers, through its entry point, with every hook matched.

pluggy registers a plugin whose marker names another project with zero hooks and no warning,
and accepts a misspelled hook until ``check_pending``: these tests are what notices.
"""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
from pathlib import Path

import pluggy

from nmbrs_hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME, specs
from nmbrs_hookspecs.host import build_plugin_manager
from nmbrs_procountor_plugin import plugin as procountor_plugin
from nmbrs_procountor_plugin.provider import PROCOUNTOR_PROVIDER
from nmbrs_procountor_plugin.rights import PROCOUNTOR_RIGHT

EXPECTED_HOOKS = {
    "nmbrs_template_rights",
    "nmbrs_integration_providers",
    "nmbrs_authorization_url",
    "nmbrs_authorization_callback",
    "nmbrs_account_status",
    "nmbrs_account_removed",
    "nmbrs_administrations",
    "nmbrs_validate_mapping",
    "nmbrs_journal_export_preview",
    "nmbrs_journal_export",
    "nmbrs_journal_undo_preview",
    "nmbrs_journal_undo",
}
TESTS_DIR = Path(__file__).parent


def spec_names() -> set[str]:
    return {name for name, _ in inspect.getmembers(specs, inspect.isfunction) if name.startswith("nmbrs_")}


def fresh_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(specs)
    return pm


def test_fresh_manager_registers_every_expected_hook() -> None:
    pm = fresh_manager()
    pm.register(procountor_plugin, name="procountor")
    pm.check_pending()
    implemented = {caller.name for caller in pm.get_hookcallers(procountor_plugin) or []}
    assert implemented == EXPECTED_HOOKS


def test_every_spec_is_implemented_by_the_plugin() -> None:
    assert spec_names() == EXPECTED_HOOKS


def test_a_marker_of_another_project_registers_nothing() -> None:
    # Guards the reason the plugin imports its marker from hookspecs: the wrong name fails silently.
    wrong = pluggy.HookimplMarker("nmbrs_typo")

    class Stray:
        @wrong
        def nmbrs_template_rights(self) -> list[object]:
            return []

    pm = fresh_manager()
    pm.register(Stray())
    assert pm.get_hookcallers(pm.get_plugins().pop()) == []


def test_entry_point_is_installed_and_loads_the_hookimpl_module() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name == "procountor"]
    assert len(found) == 1
    assert found[0].value == "nmbrs_procountor_plugin.plugin"
    assert found[0].load() is procountor_plugin
    pm = fresh_manager()
    assert pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name="procountor") == 1
    pm.check_pending()
    assert pm.get_plugin("procountor") is procountor_plugin


def test_reference_host_loads_the_plugin_from_its_entry_point() -> None:
    pm = build_plugin_manager(load_entrypoints=True)
    assert pm.get_plugin("procountor") is procountor_plugin


def test_every_hook_spec_is_documented() -> None:
    for name in spec_names():
        doc = inspect.getdoc(getattr(specs, name)) or ""
        assert len(doc.splitlines()) >= 3, f"{name} needs a docstring saying when it is called and what it returns"
        for param in inspect.signature(getattr(specs, name)).parameters:
            assert f":param {param}:" in doc, f"{name}: argument {param} is not described"
        firstresult = getattr(specs, name).nmbrs_spec.get("firstresult", False)
        assert ("Stops at first non-None result" in doc) == firstresult, f"{name}: say whether it is firstresult"


def test_hookimpls_take_no_defaulted_parameters() -> None:
    # pluggy 1.6 never passes an argument whose parameter has a default.
    for name in EXPECTED_HOOKS:
        for param in inspect.signature(getattr(procountor_plugin, name)).parameters.values():
            assert param.default is inspect.Parameter.empty, f"{name}({param.name}=...) has a default"


def test_every_implemented_hook_has_a_test_hook_test() -> None:
    defined: set[str] = set()
    for path in TESTS_DIR.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_hook_"):
                defined.add(node.name)
    missing = {name for name in EXPECTED_HOOKS if not any(t.startswith(f"test_hook_{name}") for t in defined)}
    assert not missing, f"hooks without a test_hook_<name> test: {sorted(missing)}"


def test_hook_nmbrs_template_rights() -> None:
    pm = fresh_manager()
    pm.register(procountor_plugin, name="procountor")
    declared = [right for result in pm.hook.nmbrs_template_rights() for right in result]
    assert declared == [PROCOUNTOR_RIGHT]
    assert PROCOUNTOR_RIGHT.key == "procountor"
    assert PROCOUNTOR_RIGHT.levels == ("none", "read", "write")
    assert PROCOUNTOR_RIGHT.default == "none"


def test_hook_nmbrs_integration_providers() -> None:
    pm = fresh_manager()
    pm.register(procountor_plugin, name="procountor")
    providers = [p for result in pm.hook.nmbrs_integration_providers() for p in result]
    assert providers == [PROCOUNTOR_PROVIDER]
    fields = {f.key: f for f in PROCOUNTOR_PROVIDER.settings}
    assert PROCOUNTOR_PROVIDER.right == "procountor"
    assert fields["authorization_method"].choices == ("login", "api_key")
    assert fields["authorization_method"].default == "login"
    assert fields["api_key"].secret
    assert fields["approve_receipts"].default is False
    assert (fields["vat_type"].default, fields["vat_status"].default) == ("PURCHASE", 12)
    assert fields["create_missing_dimension_items"].default is False
    assert [f.key for f in PROCOUNTOR_PROVIDER.settings if f.secret] == ["api_key"]
