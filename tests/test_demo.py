"""The README's demo command, end to end: six receipts, recognised resend, refused Test company, persistence."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nmbrs_procountor_devtools import demo
from nmbrs_procountor_devtools.cli import main as cli_main

YEAR = date.today().year


def run_demo(db: Path | None) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = demo.main(str(db) if db else None, as_json=True, out=out)
    return code, json.loads(out.getvalue())


def test_demo_books_six_receipts_with_the_june_reference() -> None:
    code, report = run_demo(None)
    assert code == 0
    assert report["account"]["state"] == "authorized"
    assert report["account"]["administration"]["name"] == "Järvi Leipomo Oy"
    assert report["mapping"]["dimensions"] == {"cost_center": "Kustannuspaikka", "cost_unit": "Projekti"}
    export = report["export"]
    assert export["status"] == "sent"
    assert [r["period"] for r in export["receipts"]] == [f"{YEAR}-{m:02d}" for m in range(1, 7)]
    assert {r["name"] for r in export["receipts"]} == {f"Payroll June {YEAR} run 1"}
    assert [r["date"] for r in export["receipts"]][-1] == f"{YEAR}-06-25"
    assert all(r["external_id"] for r in export["receipts"])
    assert report["second_send"]["status"] == "already_sent"
    assert [r["external_id"] for r in report["second_send"]["receipts"]] == [
        r["external_id"] for r in export["receipts"]
    ]
    assert report["test_company"]["status"] == "blocked"
    assert report["test_company"]["problems"][0]["code"] == "procountor.export.test_company"
    # The refused Test-company attempt is another company's: the June run still shows sent.
    assert report["sent_status"] == {"state": "sent", "receipts": 6, "missing": [], "last_attempt": "already_sent"}
    documents = report["documents"]
    assert [d["period"] for d in documents] == [f"{YEAR}-{m:02d}" for m in range(1, 7)]
    assert [d["receipt"] for d in documents] == [r["external_id"] for r in export["receipts"]]
    assert documents[0]["name"] == f"Payroll June {YEAR} run 1 {YEAR}-01.csv"
    undo = report["undo_preview"]
    assert undo["possible"] is True
    assert [(r["external_id"], r["state"]) for r in undo["receipts"]] == [
        (r["external_id"], "will_invalidate") for r in export["receipts"]
    ]


def test_demo_state_persists_between_runs(tmp_path: Path) -> None:
    db = tmp_path / "host.sqlite3"
    first_code, first = run_demo(db)
    second_code, second = run_demo(db)
    assert (first_code, second_code) == (0, 0)
    assert first["export"]["status"] == "sent"
    assert second["account"]["state"] == "authorized"
    assert second["export"]["status"] == "already_sent"
    assert second["sent_status"]["state"] == "sent"
    assert [r["external_id"] for r in second["export"]["receipts"]] == [
        r["external_id"] for r in first["export"]["receipts"]
    ]
    # the receipts the ledger answers still show their rows, though the preview planned none of them
    assert [r["rows"] for r in second["export"]["receipts"]] == [r["rows"] for r in first["export"]["receipts"]]
    assert all(r["rows"] > 0 for r in first["export"]["receipts"])


def test_demo_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["demo"]) == 0
    shown = capsys.readouterr().out
    assert "Journal export: SENT" in shown
    rows = [line for line in shown.splitlines() if line.startswith(f"{YEAR}-")]
    assert len(rows) == 6
    assert all(f"Payroll June {YEAR} run 1" in row for row in rows)
    assert "Sending again: already_sent" in shown
    assert "Test company: blocked" in shown
    assert "Journal documents attached in Procountor (6" in shown
    assert shown.rstrip().splitlines()[-1].strip().endswith("will_invalidate")  # ends with the undo preview
    assert "Undo preview (not done)" in shown
    assert "Notice for the admin (payroll-robot, revoked): Procountor refused the API key" in shown


def test_demo_shows_the_notice_of_an_account_that_stopped_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NMBRS_CREDENTIAL_KEYS")  # the demo keeps its own key beside --db
    db = tmp_path / "host.sqlite3"
    code, report = run_demo(db)
    assert code == 0
    broken = report["broken_account"]
    assert broken["state"] == "revoked"
    assert [(n["state"], n["code"]) for n in broken["notices"]] == [("revoked", "procountor.auth.api_key_refused")]
    assert (tmp_path / "host.sqlite3.key").stat().st_mode & 0o777 == 0o600
    assert run_demo(db)[0] == 0  # the kept key reads what the first run stored


@pytest.mark.slow
def test_console_script_help_explains_the_commands() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "nmbrs_procountor_devtools.cli", "demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--db" in shown
    assert "--json" in shown
