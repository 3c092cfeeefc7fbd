"""The run's lease: one worker at a time sends or undoes a run.

Two workers that send the same journal at the same moment must not both post, and an undo must
not interleave with an export of the same run (it would invalidate what the export is booking,
or the export would book into a run being taken back). Both hold this one lease, keyed by
account, company and run id; a worker that died loses it after ``LEASE_TTL_SECONDS``.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Final

from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import HostCompany, IntegrationAccount, Journal

LEASE_TTL_SECONDS: Final = 120.0
LEASE_WAIT_SECONDS: Final = 20.0


def lease_key(account_id: str, company_id: str, run_id: str) -> str:
    return f"procountor:export:{account_id}:{company_id}:{run_id}"


@contextmanager
def hold_lease(host: PluginHost, key: str) -> Iterator[str | None]:
    """Hold ``key`` (waiting a little for another worker to finish); yields the owner, or None."""
    owner = f"{os.getpid()}-{uuid.uuid4().hex}"
    deadline = time.monotonic() + LEASE_WAIT_SECONDS
    while not host.leases.acquire(key, owner, LEASE_TTL_SECONDS):
        if time.monotonic() >= deadline:
            yield None
            return
        time.sleep(0.2)
    try:
        yield owner
    finally:
        host.leases.release(key, owner)


def run_lease(
    host: PluginHost, account: IntegrationAccount, company: HostCompany, journal: Journal
) -> AbstractContextManager[str | None]:
    """The lease of the run ``journal`` belongs to (a context manager, see :func:`hold_lease`)."""
    return hold_lease(host, lease_key(account.id, company.id, journal.run_id))
