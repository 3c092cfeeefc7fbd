"""Construction, start/stop hygiene, the request log and the admin endpoints."""

from __future__ import annotations

import datetime
import socket
import threading

import pytest
import requests

from procountor_sandbox import LoggedRequest, Sandbox, SandboxConfig

from .sandbox_helpers import BAKERY, Api, api_for, receipt


def _sandbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("procountor-sandbox")]


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uri": "http://127.0.0.1:8765/cb?next=1"},
        {"redirect_uri": "not a url"},
        {"redirect_uri": "http://127.0.0.1:8765/cb#frag"},
        {"access_token_ttl": 0},
        {"rate_limit_per_second": 0},
        {"client_secret": ""},
    ],
)
def test_bad_configuration_is_refused_at_construction(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - message varies by setting
        SandboxConfig(**overrides)  # type: ignore[arg-type]


def test_constructible_without_starting() -> None:
    sb = Sandbox(SandboxConfig())
    assert sb.client_id == "nmbrs-sandbox-client"
    assert sb.redirect_uri == "http://127.0.0.1:8765/procountor/callback"
    assert "(not started)" in sb.describe()
    with pytest.raises(RuntimeError):
        _ = sb.base_url
    sb.stop()  # harmless


def test_stop_leaves_no_thread_and_no_listening_socket() -> None:
    before = len(_sandbox_threads())
    sb = Sandbox(SandboxConfig()).start()
    port = int(sb.base_url.rsplit(":", 1)[1])
    assert sb.api_url == sb.base_url + "/api"
    client = api_for(sb)
    assert client.get("/company").status_code == 200
    # A client that connects and then says nothing must not keep the server alive.
    idle = socket.create_connection(("127.0.0.1", port))
    sb.stop()
    idle.close()
    assert len(_sandbox_threads()) == before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    sb.stop()  # idempotent


def test_stop_interrupts_a_delay_fault() -> None:
    sb = Sandbox(SandboxConfig()).start()
    client = api_for(sb)
    sb.inject_fault("GET", "/api/company", "delay", delay=30)
    worker = threading.Thread(target=lambda: client.get("/company", timeout=10))
    worker.start()
    threading.Event().wait(0.2)
    sb.stop()
    worker.join(timeout=5)
    assert not worker.is_alive()


def test_context_manager_and_describe() -> None:
    with Sandbox(SandboxConfig(today=datetime.date(2025, 6, 15))) as sb:
        text = sb.describe()
        assert sb.base_url in text
        for needle in (
            "nmbrs-sandbox-client",
            sb.redirect_uri,
            "demo.admin",
            "demo.viewer",
            "10001",
            "10002",
            "Järvi Leipomo Oy",
            "Kuusi Consulting Oy",
            "token_error_shape=rfc",
            "pending_periods=refuse",
        ):
            assert needle in text


def test_serve_forever_returns_when_stopped_from_another_thread() -> None:
    sb = Sandbox(SandboxConfig())
    runner = threading.Thread(target=sb.serve_forever)
    runner.start()
    for _ in range(100):
        if sb.running:
            break
        threading.Event().wait(0.01)
    assert requests.get(sb.base_url + "/login", timeout=5).status_code == 400
    sb.stop()
    runner.join(timeout=5)
    assert not runner.is_alive()


def test_request_log_records_real_traffic_only(quiet_sandbox: Sandbox, api: Api) -> None:
    quiet_sandbox.clear_request_log()
    api.get("/ledgerreceipts", params={"size": 5})
    requests.get(quiet_sandbox.base_url + "/_sandbox/requests", timeout=5)
    requests.get(quiet_sandbox.api_url + "/company", timeout=5)
    log = quiet_sandbox.request_log
    assert [(r.method, r.path, r.query, r.status) for r in log] == [
        ("GET", "/api/ledgerreceipts", "size=5", 200),
        ("GET", "/api/company", "", 401),
    ]
    assert isinstance(log[0], LoggedRequest)
    assert log[0].client_id == "nmbrs-sandbox-client"
    assert log[1].client_id is None
    assert log[0].at <= log[1].at
    over_http = requests.get(quiet_sandbox.base_url + "/_sandbox/requests", timeout=5).json()
    assert [r["path"] for r in over_http] == ["/api/ledgerreceipts", "/api/company"]
    quiet_sandbox.clear_request_log()
    assert quiet_sandbox.request_log == []


def test_admin_receipts_endpoint(quiet_sandbox: Sandbox, api: Api) -> None:
    api.post("/ledgerreceipts", json=receipt(invoiceNotes="n"))
    url = quiet_sandbox.base_url + "/_sandbox/receipts"
    stored = requests.get(url, params={"companyId": BAKERY}, timeout=5).json()
    assert stored[0]["invoiceNotes"] == "n"
    assert stored[0]["transactions"][0]["accountingValue"] == 5000
    assert requests.get(url, timeout=5).status_code == 400
    assert requests.get(url, params={"companyId": 1}, timeout=5).status_code == 404
    assert requests.get(quiet_sandbox.base_url + "/_sandbox/nope", timeout=5).status_code == 404


def test_test_helpers_refuse_unknown_targets(quiet_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="not a member"):
        quiet_sandbox.issue_tokens("demo.viewer", 10002)
    with pytest.raises(ValueError, match="unknown user"):
        quiet_sandbox.issue_api_key("nobody", BAKERY)
    with pytest.raises(ValueError, match="right must be"):
        quiet_sandbox.set_journal_rights("demo.admin", BAKERY, "SOME")
    with pytest.raises(ValueError, match="no tracking period"):
        quiet_sandbox.set_tracking_period_status(BAKERY, 1999, 1, "CLOSED")
    with pytest.raises(ValueError, match="no dimension item"):
        quiet_sandbox.set_dimension_item_status(BAKERY, 8001, False)


def test_sandboxes_do_not_share_state() -> None:
    with Sandbox() as one, Sandbox() as two:
        api_for(one).post("/ledgerreceipts", json=receipt(receiptDate=_today_iso(one)))
        assert len(one.receipts(BAKERY)) == 1
        assert two.receipts(BAKERY) == []


def _today_iso(sb: Sandbox) -> str:
    return sb.config.effective_today().isoformat()


def test_sandbox_imports_nothing_from_the_rest_of_the_plugin() -> None:
    """The sandbox is an independent reading of Procountor's rules (see docs/sandbox.md)."""
    import ast
    import pathlib

    import procountor_sandbox as package

    allowed_third_party = {"werkzeug"}
    for source in pathlib.Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    assert node.level == 1, f"{source.name} reaches outside the sandbox package"
                    continue
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed_third_party or top in _stdlib(), (source.name, name)


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names) | {"_typeshed", "__future__"}


def test_busy_port_raises_oserror(sandbox: Sandbox) -> None:
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}: port {port} is in use"):
        Sandbox(SandboxConfig(port=port)).start()
