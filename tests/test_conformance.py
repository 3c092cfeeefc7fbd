"""The conformance kit against the embedded sandbox: in every switch setting it reports the
setting it met, it writes only where and when it may, cleans up, and records what it did.
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from nmbrs_procountor_devtools import cli
from nmbrs_procountor_devtools.conformance.checks import Plan
from nmbrs_procountor_devtools.conformance.command import Target, main, run_target, sandbox_target
from nmbrs_procountor_devtools.conformance.report import BEHAVIOURS, Finding
from nmbrs_procountor_plugin.export.fingerprint import VERSION as FINGERPRINT_VERSION

SWITCH_SETTINGS = [
    ("token_error_shape", "rfc", "token_error_shape", "rfc"),
    ("token_error_shape", "errors", "token_error_shape", "errors"),
    ("rotate_refresh_tokens", True, "refresh_rotation", True),
    ("rotate_refresh_tokens", False, "refresh_rotation", False),
    ("keep_invoice_notes", True, "invoice_notes", True),
    ("keep_invoice_notes", False, "invoice_notes", False),
    ("pending_periods", "refuse", "pending_periods", "refuse"),
    ("pending_periods", "accept", "pending_periods", "accept"),
]


def by_behaviour(findings: list[Finding]) -> dict[str, Finding]:
    return {f.behaviour: f for f in findings}


@pytest.mark.parametrize(("switch", "value", "behaviour", "reported"), SWITCH_SETTINGS)
def test_the_kit_reports_the_setting_each_sandbox_switch_plays(
    switch: str, value: Any, behaviour: str, reported: Any
) -> None:
    with sandbox_target({switch: value}) as target:
        found = by_behaviour(run_target(target))
        receipts = target.sandbox.receipts(10001)
    assert found[behaviour].setting == reported
    assert found[behaviour].holds is not None
    # Whatever the setting, every receipt the kit created is invalidated again.
    assert receipts
    assert {r["status"] for r in receipts} == {"INVALIDATED"}


def test_on_the_default_sandbox_every_assumption_holds_and_json_has_one_object_per_behaviour(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["conformance", "--sandbox", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [item["behaviour"] for item in printed] == list(BEHAVIOURS)
    assert all(item["holds"] is True for item in printed)
    assert {k for item in printed for k in item} == {
        "behaviour",
        "observed",
        "assumption",
        "holds",
        "setting",
        "detail",
    }


def test_an_assumption_that_does_not_hold_is_said_and_fails_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["conformance", "--sandbox", "--switch", "keep_invoice_notes=false"])
    table = capsys.readouterr().out
    assert code == 1
    assert "DOES NOT HOLD" in table
    assert "single read: absent; batch read: absent" in table


def test_without_write_permission_nothing_is_written(sandbox_factory: Any) -> None:
    with sandbox_target({}) as given:
        sb = given.sandbox
        for plan in (Plan(write=False, company="10001"), Plan(write=True, company="10002")):
            fresh = sb.issue_tokens("demo.admin", 10001)["refresh_token"]
            credentials = type(given.credentials)(sb.client_id, sb.client_secret, sb.redirect_uri, fresh)
            target = Target("custom", type(given.probe)(sb.base_url, min_interval=0.0), credentials, plan)
            found = by_behaviour(run_target(target))
            assert found["invoice_notes"].holds is None
            assert "not tried" in found["invoice_notes"].observed
            assert found["pending_periods"].holds is None
        assert not [r for r in sb.request_log if r.method in ("POST", "PUT") and r.path.startswith("/api/ledger")]
        assert sb.receipts(10001) == []


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    from nmbrs_procountor_devtools.conformance.command import add_arguments

    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_a_real_environment_is_refused_under_ci_and_without_credentials() -> None:
    err = io.StringIO()
    env = {"PROCOUNTOR_CLIENT_SECRET": "s3cr3t-value", "PROCOUNTOR_REFRESH_TOKEN": "r3fr3sh-value"}
    args = _args("--environment", "test", "--client-id", "c", "--redirect-uri", "https://x/cb")
    assert main(args, io.StringIO(), {**env, "CI": "true"}) == 2
    assert main(_args("--environment", "test"), err, env) == 2
    assert (
        main(_args("--environment", "test", "--client-id", "c", "--redirect-uri", "https://x/cb", "--write"), err, env)
        == 2
    )
    assert (
        main(
            _args("--base-url", "http://procountor.example", "--client-id", "c", "--redirect-uri", "https://x/cb"),
            err,
            env,
        )
        == 2
    )


def test_the_kit_records_its_exchanges_as_a_cassette_marked_with_its_origin(tmp_path: Path) -> None:
    with sandbox_target({}) as target:
        run_target(target, tmp_path)
        secret = target.sandbox.client_secret
    cassette = tmp_path / "conformance_sandbox.yaml"
    text = cassette.read_text(encoding="utf-8")
    origin = yaml.safe_load((tmp_path / "origins.yaml").read_text(encoding="utf-8"))["conformance_sandbox"]
    assert origin["recorded_by"] == "conformance"
    assert origin["target"] == "sandbox"
    assert origin["company_id"] == "10001"
    assert secret not in text
    assert "Bearer REDACTED" in text
    interactions = yaml.safe_load(text)["interactions"]
    assert all(i["request"]["uri"].startswith(origin["base_url"]) for i in interactions)
    posted = [
        i["request"]["body"]
        for i in interactions
        if i["request"]["method"] == "POST" and i["request"]["uri"].endswith("/ledgerreceipts")
    ]
    assert posted
    assert '"accountingValue":1.00' in posted[0]
    assert "väliaikainen" in posted[0]
    # The kit writes the product's own fingerprint line, in the version the export writes now.
    assert f"nmbrs-procountor/{FINGERPRINT_VERSION} company=conformance" in posted[0]
    refresh_forms = [
        i["request"]["body"] for i in interactions if "grant_type=refresh_token" in (i["request"]["body"] or "")
    ]
    assert refresh_forms
    assert all("refresh_token=REDACTED" in form or "conformance-not-a-refresh-token" in form for form in refresh_forms)


@pytest.mark.parametrize("switch", ["bogus=1", "pending_periods=maybe", "token_error_shape"])
def test_a_bad_switch_is_refused_before_anything_starts(switch: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sandbox", "--port", "0", "--switch", switch]) == 2
    assert cli.main(["conformance", "--sandbox", "--switch", switch]) == 2
    assert switch.split("=")[0] in capsys.readouterr().err


def test_no_secret_shows_in_the_kits_reprs() -> None:
    with sandbox_target({}) as target:
        from nmbrs_procountor_devtools.conformance.checks import run_checks

        findings, run = run_checks(target.probe, target.credentials, target.plan)
        target.probe.close()
        shown = repr(run) + repr(target) + repr(findings) + repr(target.probe.exchanges)
    assert run.secrets
    assert target.credentials.client_secret in run.secrets
    assert not [s for s in run.secrets if s in shown]


def test_the_kit_runs_under_a_versioned_api_path_and_refuses_a_malformed_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["conformance", "--sandbox", "--api-path", "/v2604", "--json"]) == 0
    assert all(item["holds"] for item in json.loads(capsys.readouterr().out))
    assert cli.main(["conformance", "--sandbox", "--api-path", "api/"]) == 2
    assert "--api-path" in capsys.readouterr().err


def test_a_refused_grant_stops_the_kit_with_a_reason_and_writes_nothing() -> None:
    from nmbrs_procountor_devtools.conformance.checks import KitError

    with sandbox_target({}) as target:
        target.sandbox.revoke_refresh_tokens()
        with pytest.raises(KitError, match="refresh token given was refused"):
            run_target(target)
        assert target.sandbox.receipts(10001) == []
