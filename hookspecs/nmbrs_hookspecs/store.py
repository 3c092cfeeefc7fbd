"""SQLite persistence of the reference host: accounts, credentials, states, leases, mappings.

A file database is shared by every worker process of the host (WAL mode, one short transaction
per operation, ``BEGIN IMMEDIATE`` wherever a read decides a write), so compare-and-swap and
leases hold across processes. ``:memory:`` keeps one connection behind a lock, for tests.

Credentials and secret settings are stored encrypted (:mod:`nmbrs_hookspecs.at_rest`), and the
database file is created readable and writable by its owner only (SQLite gives its WAL and
shared-memory files the database file's mode).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_hookspecs.secret import Secret
from nmbrs_hookspecs.types import (
    AccountNotice,
    AdministrationMapping,
    AuthorizationState,
    DimensionMapping,
    IntegrationAccount,
    StoredCredentials,
)
from nmbrs_hookspecs.wal import use_wal

Clock = Callable[[], float]
log = logging.getLogger(__name__)
OWNER_ONLY = 0o600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY, provider TEXT NOT NULL, username TEXT NOT NULL, settings TEXT NOT NULL,
    secret_settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, notice TEXT NOT NULL,
    created_at REAL NOT NULL
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
CREATE TABLE IF NOT EXISTS lease_holders (
    key TEXT PRIMARY KEY, machine TEXT NOT NULL, pid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mappings (
    account_id TEXT NOT NULL, company_id TEXT NOT NULL, administration_id TEXT NOT NULL,
    dimensions TEXT NOT NULL, PRIMARY KEY (account_id, company_id)
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
            _create_owner_only(self.path)
            conn = self._open()
            try:
                use_wal(conn)
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


def _create_owner_only(path: str) -> None:
    """Create the database file with mode 0600 before SQLite opens it; tighten a looser one."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & ~OWNER_ONLY:
            os.fchmod(fd, OWNER_ONLY)
            log.warning("host database %s was readable by others (mode %o): now 600", path, mode)
    finally:
        os.close(fd)


class SqliteCredentialStore:
    """Token data per account, encrypted, written only by compare-and-swap on its version."""

    def __init__(self, db: Database, cipher: CredentialCipher) -> None:
        self._db = db
        self._cipher = cipher

    def __repr__(self) -> str:
        return f"SqliteCredentialStore(path={self._db.path!r})"

    def get(self, account_id: str) -> StoredCredentials | None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT data, version FROM credentials WHERE account_id = ?", (account_id,)).fetchone()
        return None if row is None else StoredCredentials(json.loads(self._cipher.decrypt(row[0])), row[1])

    def rotate(self) -> int:
        """Re-encrypt every stored value with the newest key; the number of values rewritten."""
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT account_id, data FROM credentials").fetchall()
            for account_id, data in rows:
                conn.execute(
                    "UPDATE credentials SET data = ? WHERE account_id = ?", (self._cipher.rotate(data), account_id)
                )
        return len(rows)

    def put(self, account_id: str, data: Mapping[str, Any], expected_version: int) -> bool:
        payload = self._cipher.encrypt(json.dumps(dict(data), sort_keys=True))
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


def process_gone(pid: int) -> bool:
    """True when no live process ``pid`` exists on this machine (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


class SqliteLeaseStore:
    """Expiring leases, so one worker at a time sends a given journal or refreshes a token.

    The store records which process on which machine took each lease. A lease whose holder
    process on *this* machine is gone (a worker killed mid-export) is free at once, rather than
    after its TTL: the task queue hands the killed worker's task to another worker right away,
    and that worker must be able to finish it. A holder on another machine is trusted until
    the TTL runs out.
    """

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    def acquire(self, key: str, owner: str, ttl_seconds: float) -> bool:
        now = self._clock()
        with self._db.transaction() as conn:
            row = conn.execute("SELECT owner, expires_at FROM leases WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] != owner and row[1] > now and not self._holder_gone(conn, key):
                return False
            conn.execute(
                "INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
                (key, owner, now + ttl_seconds),
            )
            conn.execute(
                "INSERT INTO lease_holders (key, machine, pid) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET machine = excluded.machine, pid = excluded.pid",
                (key, socket.gethostname(), os.getpid()),
            )
        return True

    @staticmethod
    def _holder_gone(conn: sqlite3.Connection, key: str) -> bool:
        holder = conn.execute("SELECT machine, pid FROM lease_holders WHERE key = ?", (key,)).fetchone()
        return holder is not None and holder[0] == socket.gethostname() and process_gone(int(holder[1]))

    def release(self, key: str, owner: str) -> None:
        with self._db.transaction() as conn:
            released = conn.execute("DELETE FROM leases WHERE key = ? AND owner = ?", (key, owner)).rowcount
            if released:
                conn.execute("DELETE FROM lease_holders WHERE key = ?", (key,))


class SqliteAccountStore:
    """Master-level integration accounts; the values of secret settings are stored encrypted."""

    _COLUMNS = "id, provider, username, settings, secret_settings"

    def __init__(self, db: Database, cipher: CredentialCipher) -> None:
        self._db = db
        self._cipher = cipher

    def __repr__(self) -> str:
        return f"SqliteAccountStore(path={self._db.path!r})"

    def add(self, account: IntegrationAccount) -> None:
        plain = {k: v for k, v in account.settings.items() if k not in account.secret_keys}
        secret = {
            k: v.reveal() if isinstance(v, Secret) else v
            for k, v in account.settings.items()
            if k in account.secret_keys
        }
        with self._db.transaction() as conn:
            conn.execute(
                f"INSERT INTO accounts ({self._COLUMNS}) VALUES (?, ?, ?, ?, ?)",  # noqa: S608 - fixed columns
                (
                    account.id,
                    account.provider,
                    account.username,
                    json.dumps(plain),
                    self._cipher.encrypt(json.dumps(secret)),
                ),
            )

    def _account(self, row: tuple[Any, ...]) -> IntegrationAccount:
        secret: dict[str, object] = json.loads(self._cipher.decrypt(row[4]))
        return IntegrationAccount(
            row[0], row[1], row[2], {**json.loads(row[3]), **secret}, secret_keys=frozenset(secret)
        )

    def get(self, account_id: str) -> IntegrationAccount | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                f"SELECT {self._COLUMNS} FROM accounts WHERE id = ?",  # noqa: S608 - fixed columns
                (account_id,),
            ).fetchone()
        return None if row is None else self._account(row)

    def all(self) -> list[IntegrationAccount]:
        with self._db.transaction() as conn:
            rows = conn.execute(f"SELECT {self._COLUMNS} FROM accounts ORDER BY id").fetchall()  # noqa: S608
        return [self._account(r) for r in rows]

    def find(self, provider: str, username: str) -> IntegrationAccount | None:
        return next((a for a in self.all() if a.provider == provider and a.username == username), None)

    def rotate(self) -> int:
        """Re-encrypt every account's secret settings with the newest key."""
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT id, secret_settings FROM accounts").fetchall()
            for account_id, secret in rows:
                conn.execute(
                    "UPDATE accounts SET secret_settings = ? WHERE id = ?", (self._cipher.rotate(secret), account_id)
                )
        return len(rows)

    def remove(self, account_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))
            conn.execute("DELETE FROM mappings WHERE account_id = ?", (account_id,))


class SqliteNoticeStore:
    """Account notices as the reference host keeps them, for its Integration page (and the demo)."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    def account_notice(self, notice: AccountNotice) -> None:
        record = {
            "account_id": notice.account_id,
            "provider": notice.provider,
            "username": notice.username,
            "state": notice.state,
            "code": notice.code,
            "message": notice.message,
            "hint": notice.hint,
            "locale": notice.locale,
            "translations": dict(notice.translations),
        }
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO notices (account_id, notice, created_at) VALUES (?, ?, ?)",
                (notice.account_id, json.dumps(record), self._clock()),
            )
        log.info("account %s needs an admin: %s (%s)", notice.account_id, notice.state, notice.code)

    def for_account(self, account_id: str) -> list[AccountNotice]:
        """The account's notices, oldest first."""
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT notice FROM notices WHERE account_id = ? ORDER BY id", (account_id,)).fetchall()
        return [AccountNotice(**json.loads(r[0])) for r in rows]


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

    def remove(self, account_id: str, company_id: str) -> None:
        """Unmap ``company_id`` from the account (idempotent)."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM mappings WHERE account_id = ? AND company_id = ?", (account_id, company_id))

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
