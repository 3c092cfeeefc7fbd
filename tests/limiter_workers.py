"""Worker processes for the limiter tests (spawned: each is a separate process, like a host worker)."""

from __future__ import annotations

import time
from pathlib import Path

from nmbrs_hookspecs.at_rest import CredentialCipher
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.limiter import BucketRequestLimiter, RedisLimiterStore, SqliteLimiterStore
from nmbrs_hookspecs.types import ProviderConfig
from nmbrs_procountor_plugin.api.client import ProcountorClient
from nmbrs_procountor_plugin.api.environment import endpoints
from nmbrs_procountor_plugin.api.pacing import pacer_for


class FixedToken:
    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def refresh_after_rejection(self, rejected: str) -> str:
        return self.token

    def mark_expired(self) -> None:
        return None


def _host(db: Path, config: ProviderConfig, limiter_url: str) -> ReferenceHost:
    """One host "machine": its own database; only the limiter (SQLite file or Redis) is shared."""
    if limiter_url.startswith("redis://"):
        limiter = BucketRequestLimiter(RedisLimiterStore(limiter_url))
    else:
        limiter = BucketRequestLimiter(SqliteLimiterStore(limiter_url))
    return ReferenceHost(
        db,
        provider_configs={"procountor": config},
        load_entrypoints=False,
        request_limiter=limiter,
        credential_keys=[CredentialCipher.generate_key()],
    )


def read_company(db: str, config: ProviderConfig, limiter_url: str, token: str, count: int, seconds: float) -> int:
    """Read ``/company`` ``count`` times (or for ``seconds``), every read through the host's limiter."""
    host = _host(Path(db), config, limiter_url)
    try:
        urls = endpoints(config)
        client = ProcountorClient(urls.api, FixedToken(token), timeout=10, pacer=pacer_for(host, config, urls))
        done = 0
        deadline = time.monotonic() + seconds
        while done < count and time.monotonic() < deadline:
            client.company()
            done += 1
        return done
    finally:
        host.close()


def hold_lease(db: str, key: str) -> None:
    """Take a lease and exit without releasing it, as a worker killed mid-export would."""
    host = ReferenceHost(db, load_entrypoints=False, credential_keys=[CredentialCipher.generate_key()])
    assert host.leases.acquire(key, "killed-worker", 600)
