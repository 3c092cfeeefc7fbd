"""The README's wiring snippet defines everything it uses, and does what it says against the sandbox."""

from __future__ import annotations

import ast
import builtins
import re
from datetime import date
from pathlib import Path

import pytest

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_procountor_devtools.form_browser import log_in
from procountor_sandbox import Sandbox, SandboxConfig

README = Path(__file__).resolve().parent.parent / "README.md"


def wiring_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Wiring it into a host") :]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "the wiring section has no python block"
    return found.group(1)


def test_the_wiring_snippet_uses_only_names_it_defines() -> None:
    tree = ast.parse(wiring_snippet())
    defined = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    assert used - defined == set()


def test_the_wiring_snippet_books_its_journal_on_the_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = wiring_snippet()
    config = re.search(r"ProviderConfig\(\n.*?\n        \)", source, re.DOTALL)
    assert config, "the snippet builds no ProviderConfig"
    callback = '{"code": "…", "state": "…"}'
    assert callback in source
    monkeypatch.setenv("HOST_CREDENTIAL_KEY", CredentialCipher.generate_key())
    with Sandbox(SandboxConfig(today=date(2026, 11, 1))) as sandbox:
        runnable = (
            source.replace(config.group(0), "SANDBOX_CONFIG")
            .replace('"host.sqlite3"', repr(str(tmp_path / "host.sqlite3")))
            .replace(callback, 'log_in(url, "demo.admin", "demo-password", company_name="Järvi Leipomo Oy")')
        )
        from nmbrs_hookspecs.types import ProviderConfig

        namespace: dict[str, object] = {
            "log_in": log_in,
            "SANDBOX_CONFIG": ProviderConfig(
                client_id=sandbox.client_id,
                client_secret=sandbox.client_secret,
                redirect_uri=sandbox.redirect_uri,
                environment="custom",
                base_url=sandbox.base_url,
            ),
        }
        exec(compile(runnable, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
        host = namespace["host"]
        try:
            result = namespace["result"]
            assert getattr(result, "status", None) == "sent"
            (receipt,) = sandbox.receipts(10001)
            assert receipt["name"] == "Payroll June 2026 run 1"
        finally:
            host.close()  # type: ignore[attr-defined]
