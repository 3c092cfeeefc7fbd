"""Switching a shared SQLite file to write-ahead logging, when many processes open it at once.

The reference host's database and the limiter's file are opened by every worker process of a
machine, and WAL is what lets their readers and one writer work side by side. Switching the
journal mode reads the file and then needs it exclusively. When two processes do that on a new
file at the same moment, each holds the read lock the other must wait for, and SQLite answers
one of them "database is locked" at once, without waiting out the busy timeout: waiting could
only deadlock (https://www.sqlite.org/lockingv3.html, "deadlock"; https://www.sqlite.org/wal.html).
Eight processes opening one new file at once, released together, saw it 17 times in 60 tries
of the host's database and limiter file (2026-12-08), and the process that got it died at
start-up. The caller that backs off and asks again gets the answer once the other has
switched (the mode is kept in the file, so later openings find WAL already on).
"""

from __future__ import annotations

import random
import sqlite3
import time
from typing import Final

ATTEMPTS: Final = 40
MAX_BACKOFF_SECONDS: Final = 0.25


def use_wal(conn: sqlite3.Connection) -> None:
    """Put the file of ``conn`` in WAL mode, asking again while another process holds it mid-switch."""
    for attempt in range(ATTEMPTS):
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == ATTEMPTS - 1:
                raise
        # Jittered, so the processes that collided do not collide again at the same moment.
        time.sleep(min(MAX_BACKOFF_SECONDS, 0.01 * 2**attempt) * random.uniform(0.5, 1.0))  # noqa: S311
