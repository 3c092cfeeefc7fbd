"""Keep this process under Procountor's request limit for one API client.

Procountor allows 20 requests per second per client and "exceeding the limit may result in
suspending the service for the API client" (docs/procountor-api.md §6): one bureau's month-end burst
must not get every customer's integration suspended. A token bucket per client id, shared by all
threads of the process, lets short bursts through and then paces requests. Processes do not share
it: a host running N workers should set ``requests_per_second`` to at most 20 / N.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final

DEFAULT_RATE: Final = 10.0


class TokenBucket:
    """``rate`` requests per second on average, bursts of up to ``rate`` requests."""

    def __init__(
        self, rate: float, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate={rate!r}: must be positive")
        self.rate = rate
        self._tokens = rate
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Wait until a request may go; returns how long it waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.rate, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait:
            self._sleep(wait)
        return wait


_buckets: dict[tuple[str, str], TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket_for(base_url: str, client_id: str, rate: float = DEFAULT_RATE) -> TokenBucket:
    """The process-wide bucket of one API client at one Procountor environment."""
    key = (base_url, client_id)
    with _buckets_lock:
        bucket = _buckets.get(key)
        if bucket is None or bucket.rate != rate:
            bucket = _buckets[key] = TokenBucket(rate)
        return bucket
