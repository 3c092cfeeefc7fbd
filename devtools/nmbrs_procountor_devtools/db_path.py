"""Check ``--db`` before the demo touches it, so a wrong path gets one sentence naming it.

Without the check, SQLite says only "unable to open database file", and an unwritable directory
surfaces as the name of the sandbox state file's temporary sibling. The demo writes three files
here: the host's SQLite database at the path, its credential key beside it (``<path>.key``), and
the sandbox's state (``<path>.sandbox.json``, replaced atomically through a temporary file in the
same directory), so the directory itself must be writable. A file that is not a SQLite database is refused before
anything touches it (the host would otherwise tighten its mode and write a key beside it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

SQLITE_HEADER: Final = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database file


def db_path_problem(raw: str) -> str | None:
    """Why ``raw`` cannot serve as the demo's database, as one sentence; ``None`` when it can."""
    path = Path(raw).expanduser()
    if path.is_dir():
        return f"--db {raw} is a directory; give the path of a database file, such as {path / 'host.sqlite3'}"
    parent = path.parent
    if not parent.exists():
        return f"--db {raw}: the directory {parent} does not exist; create it first or choose another path"
    if not parent.is_dir():
        return f"--db {raw}: {parent} is not a directory"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"--db {raw}: the file cannot be read and written (permission denied)"
    if path.exists() and not _is_sqlite(path):
        return f"--db {raw} is not a SQLite database; give a new path, or one an earlier demo run created"
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        return f"--db {raw}: cannot write in the directory {parent} ({exc.strerror or exc})"
    return None


def _is_sqlite(path: Path) -> bool:
    """An empty file (SQLite makes it a database) or one that starts with SQLite's header."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    return head in (b"", SQLITE_HEADER)
