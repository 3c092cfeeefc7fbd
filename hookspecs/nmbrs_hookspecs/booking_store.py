"""SQLite booking ledger and attempt history of the reference host.

Each ledger call is one ``BEGIN IMMEDIATE`` transaction (see :class:`~nmbrs_hookspecs.store.Database`),
so the read that decides a state change and the change itself cannot be split by another worker
process. Records only move forward: nothing here turns a booked period back into "not booked"
except :meth:`SqliteBookingLedger.mark_invalidated`, which needs the receipt's own id.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final

from nmbrs_hookspecs.booking import (
    AttachmentRecord,
    Attempt,
    AttemptKind,
    BookedReceipt,
    BookingIntent,
    BookingRecord,
    BookingState,
    RunKey,
)
from nmbrs_hookspecs.store import Clock, Database
from nmbrs_hookspecs.types import Period, Problem

_TABLES: Final = (
    """CREATE TABLE IF NOT EXISTS booking_plans (
        account_id TEXT NOT NULL, company_id TEXT NOT NULL, run_id TEXT NOT NULL, periods TEXT NOT NULL,
        PRIMARY KEY (account_id, company_id, run_id))""",
    """CREATE TABLE IF NOT EXISTS booking_records (
        account_id TEXT NOT NULL, company_id TEXT NOT NULL, run_id TEXT NOT NULL, period TEXT NOT NULL,
        state TEXT NOT NULL, intent TEXT, receipt TEXT, attachments TEXT NOT NULL, updated_at REAL NOT NULL,
        PRIMARY KEY (account_id, company_id, run_id, period))""",
    """CREATE TABLE IF NOT EXISTS attempts (
        attempt_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, company_id TEXT NOT NULL, run_id TEXT NOT NULL,
        started_at REAL NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS attempts_by_run ON attempts (account_id, company_id, run_id, started_at)",
)


def _create_tables(db: Database) -> None:
    with db.transaction() as conn:
        for statement in _TABLES:
            conn.execute(statement)


def _run_args(run: RunKey) -> tuple[str, str, str]:
    return (run.account_id, run.company_id, run.run_id)


def _intent_json(intent: BookingIntent) -> str:
    return json.dumps(
        {
            "attempt_id": intent.attempt_id,
            "row_digest": intent.row_digest,
            "payload_digest": intent.payload_digest,
            "receipt_date": intent.receipt_date.isoformat(),
            "name": intent.name,
        }
    )


def _intent_from(text: str | None) -> BookingIntent | None:
    if text is None:
        return None
    raw = json.loads(text)
    return BookingIntent(
        raw["attempt_id"],
        raw["row_digest"],
        raw["payload_digest"],
        date.fromisoformat(raw["receipt_date"]),
        raw["name"],
    )


def _receipt_json(receipt: BookedReceipt) -> str:
    # Amounts stay exact decimal strings.
    return json.dumps(
        {
            "external_id": receipt.external_id,
            "receipt_date": receipt.receipt_date.isoformat(),
            "name": receipt.name,
            "row_digest": receipt.row_digest,
            "total": str(receipt.total),
            "invoice_id": receipt.invoice_id,
        }
    )


def _receipt_from(text: str | None) -> BookedReceipt | None:
    if text is None:
        return None
    raw = json.loads(text)
    return BookedReceipt(
        raw["external_id"],
        date.fromisoformat(raw["receipt_date"]),
        raw["name"],
        raw["row_digest"],
        Decimal(raw["total"]),
        raw["invoice_id"],
    )


def _attachments_from(text: str) -> tuple[AttachmentRecord, ...]:
    return tuple(AttachmentRecord(**item) for item in json.loads(text))


def _attachments_json(items: Sequence[AttachmentRecord]) -> str:
    return json.dumps(
        [
            {"external_id": a.external_id, "name": a.name, "digest": a.digest, "recorded_at": a.recorded_at}
            for a in items
        ]
    )


_RECORD_COLUMNS: Final = "period, state, intent, receipt, attachments, updated_at"


def _record(run: RunKey, row: Sequence[Any]) -> BookingRecord:
    return BookingRecord(
        run=run,
        period=Period.parse(row[0]),
        state=BookingState(row[1]),
        intent=_intent_from(row[2]),
        receipt=_receipt_from(row[3]),
        updated_at=float(row[5]),
        attachments=_attachments_from(row[4]),
    )


class SqliteBookingLedger:
    """The reference host's :class:`~nmbrs_hookspecs.protocols.BookingLedger`."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock
        _create_tables(db)

    def plan(self, run: RunKey, periods: Sequence[Period]) -> None:
        text = json.dumps(sorted({str(p) for p in periods}))
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO booking_plans (account_id, company_id, run_id, periods) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(account_id, company_id, run_id) DO UPDATE SET periods = excluded.periods",
                (*_run_args(run), text),
            )

    def planned(self, run: RunKey) -> tuple[Period, ...]:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT periods FROM booking_plans WHERE account_id = ? AND company_id = ? AND run_id = ?",
                _run_args(run),
            ).fetchone()
        return () if row is None else tuple(Period.parse(p) for p in json.loads(row[0]))

    def records(self, run: RunKey) -> tuple[BookingRecord, ...]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_RECORD_COLUMNS} FROM booking_records "  # noqa: S608 - constant column list
                "WHERE account_id = ? AND company_id = ? AND run_id = ? ORDER BY period",
                _run_args(run),
            ).fetchall()
        return tuple(_record(run, row) for row in rows)

    @staticmethod
    def _current(conn: sqlite3.Connection, run: RunKey, period: Period) -> BookingRecord | None:
        row = conn.execute(
            f"SELECT {_RECORD_COLUMNS} FROM booking_records "  # noqa: S608 - constant column list
            "WHERE account_id = ? AND company_id = ? AND run_id = ? AND period = ?",
            (*_run_args(run), str(period)),
        ).fetchone()
        return None if row is None else _record(run, row)

    def _write(
        self,
        conn: sqlite3.Connection,
        run: RunKey,
        period: Period,
        state: BookingState,
        intent: BookingIntent | None,
        receipt: BookedReceipt | None,
        attachments: Sequence[AttachmentRecord],
    ) -> None:
        conn.execute(
            "INSERT INTO booking_records (account_id, company_id, run_id, period, state, intent, receipt, "
            "attachments, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(account_id, company_id, run_id, period) DO UPDATE SET state = excluded.state, "
            "intent = excluded.intent, receipt = excluded.receipt, attachments = excluded.attachments, "
            "updated_at = excluded.updated_at",
            (
                *_run_args(run),
                str(period),
                state.value,
                None if intent is None else _intent_json(intent),
                None if receipt is None else _receipt_json(receipt),
                _attachments_json(attachments),
                float(self._clock()),
            ),
        )

    def record_intent(self, run: RunKey, period: Period, intent: BookingIntent) -> bool:
        with self._db.transaction() as conn:
            current = self._current(conn, run, period)
            if current is not None and current.booked:
                return False
            self._write(conn, run, period, BookingState.INTENDED, intent, None, ())
        return True

    def record_receipt(self, run: RunKey, period: Period, receipt: BookedReceipt) -> None:
        with self._db.transaction() as conn:
            current = self._current(conn, run, period)
            intent = None if current is None else current.intent
            attachments: tuple[AttachmentRecord, ...] = ()
            if current is not None and current.booked:
                assert current.receipt is not None
                if current.receipt.external_id != receipt.external_id:
                    raise ValueError(
                        f"ledger: {run.run_id} {period} is booked as receipt {current.receipt.external_id}, "
                        f"not {receipt.external_id}"
                    )
                attachments = current.attachments
            self._write(conn, run, period, BookingState.BOOKED, intent, receipt, attachments)

    def clear_intent(self, run: RunKey, period: Period, attempt_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM booking_records WHERE account_id = ? AND company_id = ? AND run_id = ? AND period = ? "
                "AND state = ? AND json_extract(intent, '$.attempt_id') = ?",
                (*_run_args(run), str(period), BookingState.INTENDED.value, attempt_id),
            )

    def mark_invalidated(self, run: RunKey, period: Period, external_id: str) -> bool:
        with self._db.transaction() as conn:
            current = self._current(conn, run, period)
            if current is None or not current.booked or current.receipt is None:
                return False
            if current.receipt.external_id != external_id:
                return False
            self._write(
                conn, run, period, BookingState.INVALIDATED, current.intent, current.receipt, current.attachments
            )
        return True

    def add_attachment(self, run: RunKey, period: Period, attachment: AttachmentRecord) -> None:
        with self._db.transaction() as conn:
            current = self._current(conn, run, period)
            if current is None or not current.booked:
                raise ValueError(f"ledger: {run.run_id} {period} is not booked; nothing to attach to")
            if any(a.external_id == attachment.external_id for a in current.attachments):
                return
            self._write(
                conn,
                run,
                period,
                BookingState.BOOKED,
                current.intent,
                current.receipt,
                (*current.attachments, attachment),
            )

    def forget_run(self, run: RunKey) -> None:
        """Drop everything about ``run`` (the host's own maintenance; not part of the protocol)."""
        with self._db.transaction() as conn:
            for table in ("booking_plans", "booking_records"):
                conn.execute(
                    f"DELETE FROM {table} WHERE account_id = ? AND company_id = ? AND run_id = ?",  # noqa: S608
                    _run_args(run),
                )


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "message": problem.message,
        "field": problem.field,
        "hint": problem.hint,
        "severity": problem.severity,
    }


class SqliteAttemptHistory:
    """The reference host's :class:`~nmbrs_hookspecs.protocols.AttemptHistory`."""

    def __init__(self, db: Database) -> None:
        self._db = db
        _create_tables(db)

    def record(self, attempt: Attempt) -> None:
        data = json.dumps(
            {
                "kind": attempt.kind.value,
                "actor_id": attempt.actor_id,
                "finished_at": attempt.finished_at,
                "outcome": attempt.outcome,
                "problems": [_problem_json(p) for p in attempt.problems],
                "requests": attempt.requests,
                "writes": attempt.writes,
            }
        )
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO attempts (attempt_id, account_id, company_id, run_id, started_at, data) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(attempt_id) DO UPDATE SET data = excluded.data",
                (attempt.attempt_id, *_run_args(attempt.run), float(attempt.started_at), data),
            )

    def for_run(self, run: RunKey, limit: int = 50) -> tuple[Attempt, ...]:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit={limit!r}: expected a positive int")
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT attempt_id, started_at, data FROM attempts "
                "WHERE account_id = ? AND company_id = ? AND run_id = ? "
                "ORDER BY started_at DESC, rowid DESC LIMIT ?",
                (*_run_args(run), limit),
            ).fetchall()
        attempts: list[Attempt] = []
        for attempt_id, started_at, text in rows:
            raw = json.loads(text)
            attempts.append(
                Attempt(
                    attempt_id=attempt_id,
                    run=run,
                    kind=AttemptKind(raw["kind"]),
                    actor_id=raw["actor_id"],
                    started_at=float(started_at),
                    finished_at=float(raw["finished_at"]),
                    outcome=raw["outcome"],
                    problems=tuple(Problem(**p) for p in raw["problems"]),
                    requests=int(raw["requests"]),
                    writes=int(raw["writes"]),
                )
            )
        return tuple(attempts)
