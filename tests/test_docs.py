"""The repository's docs stay true to the code: every logger and account setting is described."""

from __future__ import annotations

import re
from pathlib import Path

from nmbrs_procountor_plugin.provider import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def test_the_host_guide_names_every_logger_the_plugin_and_contract_use() -> None:
    guide = (ROOT / "docs" / "host-guide.md").read_text(encoding="utf-8")
    packages = [ROOT / "nmbrs_procountor_plugin", ROOT / "hookspecs" / "nmbrs_hookspecs"]
    loggers = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts)
        for package in packages
        for path in package.rglob("*.py")
        if "logging.getLogger(__name__)" in path.read_text(encoding="utf-8")
    }
    assert loggers, "no logger found: the scan is broken"
    assert {name for name in loggers if f"`{name}`" not in guide} == set()


def test_the_admin_guide_describes_every_account_setting_with_its_default() -> None:
    guide = (ROOT / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = next((line for line in guide.splitlines() if f"(`{setting.key}`)" in line), None)
        assert row is not None, f"docs/admin-guide.md does not describe the setting {setting.key}"
        shown = "empty" if setting.default is None else str(setting.default)
        shown = {"True": "on", "False": "off"}.get(shown, shown)
        assert re.search(rf"\| `?{re.escape(shown)}`? \|", row), f"{setting.key}: default {shown} not in {row!r}"
