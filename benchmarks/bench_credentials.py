"""What encrypted credentials and dependable grant endings cost (issue 12).

1. The reference host's credential store on a file database, now Fernet-encrypted: time per
   ``get`` and per compare-and-swap ``put`` (what every token read and renewal pays), next to
   the bare Fernet encrypt/decrypt of one token record.
2. Requests and time to end a grant at the sandbox, per case: a valid access token, one our clock
   says expired, and one Procountor refuses (logout, renew, logout).

Run: .venv/bin/python benchmarks/bench_credentials.py
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.store import Database, SqliteCredentialStore
from nmbrs_hookspecs.types import Actor, ProviderConfig
from nmbrs_procountor_plugin import plugin
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from procountor_sandbox import Sandbox, SandboxConfig

ADMIN = Actor("bench", {"procountor": "write"})
ROUNDS = 500


def _record(access: str, refresh: str, expires_at: int) -> TokenRecord:
    return TokenRecord("login", access, refresh, expires_at, "10001", "Järvi Leipomo Oy", "1234567-8")


def store_costs() -> None:
    cipher = CredentialCipher([CredentialCipher.generate_key()])
    data = _record("a" * 900, "r" * 43, int(time.time()) + 3600).to_data()  # a JWT-sized access token
    text = json.dumps(data, sort_keys=True)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        cipher.decrypt(cipher.encrypt(text))
    fernet_us = (time.perf_counter() - started) / ROUNDS * 1e6
    print(f"fernet encrypt+decrypt of one token record: {fernet_us:.0f} µs")
    for name, used in (("encrypted", cipher), ("plain (baseline)", _Plain())):
        with tempfile.TemporaryDirectory() as scratch:
            store = SqliteCredentialStore(Database(Path(scratch) / "host.sqlite3"), used)  # type: ignore[arg-type]
            store.put("acc", data, 0)
            gets, puts = [], []
            for version in range(1, ROUNDS + 1):
                t0 = time.perf_counter()
                store.get("acc")
                t1 = time.perf_counter()
                assert store.put("acc", data, version)
                t2 = time.perf_counter()
                gets.append((t1 - t0) * 1e6)
                puts.append((t2 - t1) * 1e6)
        print(
            f"credential store, file db, {name:16}: get median {statistics.median(gets):.0f} µs, "
            f"CAS put median {statistics.median(puts):.0f} µs"
        )


class _Plain:
    """No encryption: the store as it was before issue 12, for the comparison only."""

    def encrypt(self, text: str) -> str:
        return text

    def decrypt(self, token: str) -> str:
        return token


def ending_costs() -> None:
    for case in ("valid", "expired", "refused"):
        with Sandbox(SandboxConfig(rate_limit_per_second=None)) as sb:
            config = ProviderConfig(sb.client_id, sb.client_secret, sb.redirect_uri, "custom", sb.base_url)
            host = ReferenceHost(
                provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(plugin, "procountor")]
            )
            account = host.create_account(ADMIN, "procountor", "bench")
            issued = sb.issue_tokens("demo.admin", 10001)
            expires_at = int(time.time()) + (-5 if case == "expired" else 3600)
            host.credentials.put(
                account.id, _record(issued["access_token"], issued["refresh_token"], expires_at).to_data(), 0
            )
            if case != "valid":
                sb.expire_access_tokens()
            sb.clear_request_log()
            started = time.perf_counter()
            warnings = host.remove_account(ADMIN, account.id)
            elapsed_ms = (time.perf_counter() - started) * 1000
            calls = [f"{r.method} {r.path} {r.status}" for r in sb.request_log]
            print(
                f"end grant, {case:8} access token: {len(calls)} requests, {elapsed_ms:.0f} ms, "
                f"grants alive {sb.live_grants()}, warnings {len(warnings)}: {', '.join(calls)}"
            )
            host.close()


if __name__ == "__main__":
    store_costs()
    ending_costs()
