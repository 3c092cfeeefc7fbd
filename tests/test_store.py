"""The reference host's SQLite stores keep their promises across threads, processes and reopening."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_hookspecs.store import Database, SqliteAuthorizationStateStore, SqliteCredentialStore, SqliteLeaseStore
from nmbrs_hookspecs.types import AuthorizationState


def _cipher() -> CredentialCipher:
    """The test session's key (tests/conftest.py puts it in the environment, for worker processes too)."""
    found = CredentialCipher.from_environment()
    assert found is not None
    return found


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_credentials_compare_and_swap_lets_exactly_one_writer_win(tmp_path: Path) -> None:
    store = SqliteCredentialStore(Database(tmp_path / "host.sqlite3"), _cipher())
    assert store.put("acc", {"token": "v1"}, 0)
    barrier = threading.Barrier(8)
    wins: list[int] = []

    def writer(n: int) -> None:
        barrier.wait()
        if store.put("acc", {"token": f"from-{n}"}, 1):
            wins.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    stored = store.get("acc")
    assert stored is not None
    assert stored.version == 2
    assert stored.data == {"token": f"from-{wins[0]}"}


def test_credentials_put_refuses_create_when_something_is_stored() -> None:
    store = SqliteCredentialStore(Database(), _cipher())
    assert store.put("acc", {"a": 1}, 0)
    assert not store.put("acc", {"a": 2}, 0)
    assert not store.put("acc", {"a": 2}, 5)
    store.delete("acc")
    assert store.get("acc") is None
    assert store.put("acc", {"a": 3}, 0)


def _cas_in_process(path: str, n: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = SqliteCredentialStore(Database(path), _cipher())
    results.put(store.put("acc", {"writer": n}, 1))


def test_credentials_compare_and_swap_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "host.sqlite3")
    SqliteCredentialStore(Database(path), _cipher()).put("acc", {"writer": -1}, 0)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_cas_in_process, args=(path, n, results)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    outcomes = [results.get(timeout=5) for _ in procs]
    assert outcomes.count(True) == 1


def test_state_is_consumed_once() -> None:
    clock = FakeClock()
    states = SqliteAuthorizationStateStore(Database(), clock)
    states.put(AuthorizationState("s-1", "acc", clock.now + 600, {"x": 1}))
    first = states.consume("s-1")
    assert first is not None
    assert (first.account_id, dict(first.data)) == ("acc", {"x": 1})
    assert states.consume("s-1") is None
    assert states.consume("never-issued") is None


def test_state_cannot_be_consumed_after_it_expires() -> None:
    clock = FakeClock()
    states = SqliteAuthorizationStateStore(Database(), clock)
    states.put(AuthorizationState("s-2", "acc", clock.now + 600))
    clock.now += 601
    assert states.consume("s-2") is None


def test_states_are_stored_as_digests_only(tmp_path: Path) -> None:
    db = Database(tmp_path / "host.sqlite3")
    SqliteAuthorizationStateStore(db).put(AuthorizationState("very-secret-state", "acc", 9e12))
    assert b"very-secret-state" not in (tmp_path / "host.sqlite3").read_bytes()


def test_lease_excludes_other_owners_until_released_or_expired() -> None:
    clock = FakeClock()
    leases = SqliteLeaseStore(Database(), clock)
    assert leases.acquire("journal:1", "worker-a", 30)
    assert not leases.acquire("journal:1", "worker-b", 30)
    assert leases.acquire("journal:1", "worker-a", 30)  # re-entrant for its owner
    leases.release("journal:1", "worker-b")  # not the owner: no effect
    assert not leases.acquire("journal:1", "worker-b", 30)
    leases.release("journal:1", "worker-a")
    assert leases.acquire("journal:1", "worker-b", 30)
    clock.now += 31
    assert leases.acquire("journal:1", "worker-c", 30)


def test_file_database_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "host.sqlite3"
    db = Database(path)
    SqliteCredentialStore(db, _cipher()).put("acc", {"token": "kept"}, 0)
    db.close()
    reopened = SqliteCredentialStore(Database(path), _cipher()).get("acc")
    assert reopened is not None
    assert (dict(reopened.data), reopened.version) == ({"token": "kept"}, 1)
