"""Independent reads sent side by side, each through the client's one request path.

An export's pre-flight reads (chart of accounts, dimensions, fiscal years, sometimes the user's
rights) do not depend on each other; sent one after the other they cost one round trip each, which
at 50 ms a round trip is most of an export's time. A few threads send them together, each calling
the client as any caller would, so the token handling (one refresh, under the token source's lock),
the pacing and the retries apply to every one of them unchanged.

The pool is small and made per batch: a handful of requests, so the limit Procountor sets per
client is met by the client's pacing, not by how many threads wait here, and no thread outlives
the export that needed it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

MAX_PARALLEL: Final = 4

max_parallel: int = MAX_PARALLEL
"""How many reads go out at once; 1 sends them one after the other. The recorded-cassette tests
set 1: vcrpy loses interactions recorded from several threads (kevin1024/vcrpy#849)."""


def read_together(reads: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run ``reads`` concurrently and return their answers by name.

    Every read finishes (or fails) before this returns. When several fail, the exception of the
    first in ``reads``' order is raised, so the outcome does not depend on which thread was faster.
    """
    if len(reads) <= 1 or max_parallel <= 1:
        return {name: read() for name, read in reads.items()}
    with ThreadPoolExecutor(max_workers=min(max_parallel, len(reads)), thread_name_prefix="procountor-read") as pool:
        # Each read runs in a copy of the caller's context, so context variables a host sets
        # (a request id for its logs, say) are seen by the reads as by the caller.
        futures = {name: pool.submit(contextvars.copy_context().run, read) for name, read in reads.items()}
    return {name: future.result() for name, future in futures.items()}
