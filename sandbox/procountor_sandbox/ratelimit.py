"""Per-client sliding-window limit (Procountor: 20 requests/second per client, docs/procountor-api.md §6 [P4]).

Procountor does not document what happens over the limit; the sandbox answers 429 so that
clients exercise their back-off path (docs/sandbox.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_second: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}
        if per_second is None:
            self._capacity, self._window = 0, 0.0
        elif per_second >= 1:
            self._capacity, self._window = int(per_second), 1.0
        else:  # e.g. 0.5/s = one request per two seconds
            self._capacity, self._window = 1, 1.0 / per_second

    @property
    def enabled(self) -> bool:
        return self._capacity > 0

    def allow(self, key: str) -> bool:
        """Record and allow the request, or refuse it without recording (refusals are free)."""
        if not self.enabled:
            return True
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self._window:
                hits.popleft()
            if len(hits) >= self._capacity:
                return False
            hits.append(now)
            return True
