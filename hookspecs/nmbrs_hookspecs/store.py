"""SQLite persistence of the reference host: accounts, credentials, states, leases, mappings, results.

A file database is shared by every worker process of the host (WAL mode, one short transaction
per operation, ``BEGIN IMMEDIATE`` wherever a read decides a write), so compare-and-swap and
leases hold across processes. ``:memory:`` keeps one connection behind a lock, for tests.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from nmbrs_hookspecs.types import (
    AdministrationMapping,
    AuthorizationState,
    DimensionMapping,
    ExportResult,
    IntegrationAccount,
    Period,
    Problem,
    SentReceipt,
    StoredCredentials,
)

Clock = Callable[[], float]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY, provider TEXT NOT NULL, username TEXT NOT NULL, settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS credentials (
    account_id TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS authorization_states (
    state_digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires_at REAL NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS mappings (
    account_id TEXT NOT NULL, company_id TEXT NOT NULL, administration_id TEXT NOT NULL,
    dimensions TEXT NOT NULL, PRIMARY KEY (account_id, company_id)
);
CREATE TABLE IF NOT EXISTS export_results (
    account_id TEXT NOT NULL, company_id TEXT NOT NULL, run_id TEXT NOT NULL,
    result TEXT NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (account_id, company_id, run_id)
);
"""


class Database:
    """Connections to one SQLite database, safe to share between threads."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._memory = self.path == ":memory:"
        self._lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        if self._memory:
            self._shared = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._shared.executescript(_SCHEMA)
        else:
            conn = self._open()
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)  # executescript commits on its own
            finally:
                conn.close()

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write-locked transaction: what it reads cannot change before it commits."""
        if self._shared is not None:
            with self._lock:
                yield from self._run(self._shared)
            return
        conn = self._open()
        try:
            yield from self._run(conn)
        finally:
            conn.close()

    @staticmethod
    def _run(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
            self._shared = None


class SqliteCredentialStore:
    """Token data per account, written only by compare-and-swap on its version."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, account_id: str) -> StoredCredentials | None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT data, version FROM credentials WHERE account_id = ?", (account_id,)).fetchone()
        return None if row is None else StoredCredentials(json.loads(row[0]), row[1])

    def put(self, account_id: str, data: Mapping[str, Any], expected_version: int) -> bool:
        payload = json.dumps(dict(data), sort_keys=True)
        with self._db.transaction() as conn:
            row = conn.execute("SELECT version FROM credentials WHERE account_id = ?", (account_id,)).fetchone()
            current = 0 if row is None else int(row[0])
            if current != expected_version:
                return False
            conn.execute(
                "INSERT INTO credentials (account_id, data, version) VALUES (?, ?, ?) "
                "ON CONFLICT(account_id) DO UPDATE SET data = excluded.data, version = excluded.version",
                (account_id, payload, current + 1),
            )
        return True

    def delete(self, account_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM credentials WHERE account_id = ?", (account_id,))


def _digest(state: str) -> str:
    # Only a digest is stored: a copy of the database does not hand out live states.
    return hashlib.sha256(state.encode()).hexdigest()


class SqliteAuthorizationStateStore:
    """OAuth states: single use (consumed by delete) and expiring."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    def put(self, state: AuthorizationState) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM authorization_states WHERE expires_at <= ?", (self._clock(),))
            conn.execute(
                "INSERT INTO authorization_states (state_digest, account_id, expires_at, data) VALUES (?, ?, ?, ?)",
                (_digest(state.state), state.account_id, state.expires_at, json.dumps(dict(state.data))),
            )

    def consume(self, state: str) -> AuthorizationState | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "DELETE FROM authorization_states WHERE state_digest = ? RETURNING account_id, expires_at, data",
                (_digest(state),),
            ).fetchone()
        if row is None or row[1] <= self._clock():
            return None
        return AuthorizationState(state=state, account_id=row[0], expires_at=row[1], data=json.loads(row[2]))


class SqliteLeaseStore:
    """Expiring leases, so one worker at a time sends a given journal or refreshes a token."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    def acquire(self, key: str, owner: str, ttl_seconds: float) -> bool:
        now = self._clock()
        with self._db.transaction() as conn:
            row = conn.execute("SELECT owner, expires_at FROM leases WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] != owner and row[1] > now:
                return False
            conn.execute(
                "INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
                (key, owner, now + ttl_seconds),
            )
        return True

    def release(self, key: str, owner: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM leases WHERE key = ? AND owner = ?", (key, owner))


class SqliteAccountStore:
    """Master-level integration accounts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, account: IntegrationAccount) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO accounts (id, provider, username, settings) VALUES (?, ?, ?, ?)",
                (account.id, account.provider, account.username, json.dumps(dict(account.settings))),
            )

    def get(self, account_id: str) -> IntegrationAccount | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT id, provider, username, settings FROM accounts WHERE id = ?", (account_id,)
            ).fetchone()
        return None if row is None else IntegrationAccount(row[0], row[1], row[2], json.loads(row[3]))

    def all(self) -> list[IntegrationAccount]:
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT id, provider, username, settings FROM accounts ORDER BY id").fetchall()
        return [IntegrationAccount(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def find(self, provider: str, username: str) -> IntegrationAccount | None:
        return next((a for a in self.all() if a.provider == provider and a.username == username), None)

    def remove(self, account_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))
            conn.execute("DELETE FROM mappings WHERE account_id = ?", (account_id,))


class SqliteMappingStore:
    """Saved administration mappings; also the plugin's read-only ``host.mappings``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, mapping: AdministrationMapping) -> None:
        dims = [{"kind": d.kind, "enabled": d.enabled, "description": d.description} for d in mapping.dimensions]
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO mappings (account_id, company_id, administration_id, dimensions) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(account_id, company_id) DO UPDATE SET "
                "administration_id = excluded.administration_id, dimensions = excluded.dimensions",
                (mapping.account_id, mapping.company_id, mapping.administration_id, json.dumps(dims)),
            )

    def for_account(self, account_id: str) -> tuple[AdministrationMapping, ...]:
        return tuple(m for m in self._all() if m.account_id == account_id)

    def _all(self) -> list[AdministrationMapping]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT account_id, company_id, administration_id, dimensions FROM mappings "
                "ORDER BY account_id, company_id"
            ).fetchall()
        return [
            AdministrationMapping(r[0], r[1], r[2], tuple(DimensionMapping(**d) for d in json.loads(r[3])))
            for r in rows
        ]


def result_to_json(result: ExportResult) -> str:
    """Serialise a result for storage; amounts stay exact decimal strings."""
    return json.dumps(
        {
            "status": result.status,
            "receipts": [
                {
                    "period": str(r.period),
                    "external_id": r.external_id,
                    "receipt_date": r.receipt_date.isoformat(),
                    "name": r.name,
                    "total": str(r.total),
                    "status": r.status,
                }
                for r in result.receipts
            ],
            "problems": [
                {"code": p.code, "message": p.message, "field": p.field, "hint": p.hint, "severity": p.severity}
                for p in result.problems
            ],
        }
    )


def result_from_json(text: str) -> ExportResult:
    raw = json.loads(text)
    return ExportResult(
        status=raw["status"],
        receipts=tuple(
            SentReceipt(
                period=Period.parse(r["period"]),
                external_id=r["external_id"],
                receipt_date=date.fromisoformat(r["receipt_date"]),
                name=r["name"],
                total=Decimal(r["total"]),
                status=r["status"],
            )
            for r in raw["receipts"]
        ),
        problems=tuple(Problem(**p) for p in raw["problems"]),
    )


class SqliteExportResultStore:
    """The sent status of each journal: the latest export result per account, company and run."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    def save(self, account_id: str, company_id: str, run_id: str, result: ExportResult) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO export_results (account_id, company_id, run_id, result, updated_at) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(account_id, company_id, run_id) DO UPDATE SET "
                "result = excluded.result, updated_at = excluded.updated_at",
                (account_id, company_id, run_id, result_to_json(result), self._clock()),
            )

    def get(self, account_id: str, company_id: str, run_id: str) -> ExportResult | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT result FROM export_results WHERE account_id = ? AND company_id = ? AND run_id = ?",
                (account_id, company_id, run_id),
            ).fetchone()
        return None if row is None else result_from_json(row[0])
